//! "Similar text" for group detection (rules.md "Group and repeat complaints"). Chinese has no
//! spaces, so texts are compared as sets of characters and character bigrams, after folding the
//! different ways owners write the same thing (三号楼 / 3栋, 故障 / 坏了, 渗水 / 漏水).

mod groups;

use std::collections::BTreeSet;
use std::sync::LazyLock;

pub use self::groups::{find_same_issue, GroupFinding, RecentComplaint};
pub use crate::policy::GroupPolicy;
use crate::text::content_chars;

/// How alike two complaint texts are, in 0..=1: the Dice coefficient 2|A∩B| / (|A|+|B|) over
/// each text's set of characters (minus particles such as 的/了) and character bigrams, taken
/// from `canonical` text. Symmetric; identical texts give 1, texts sharing nothing give 0.
///
/// Bigrams alone are too strict for short phone-typed texts ("3栋电梯又坏了,困了人" and
/// "三号楼电梯故障,今天被困" share only 电梯); single characters carry the topic, bigrams the
/// phrasing.
pub fn similarity(a: &str, b: &str) -> f64 {
    Features::of(a).similarity(&Features::of(b))
}

/// A text's comparable features: its canonical characters and character bigrams. Computed once
/// per text, compared with many; the grams are what the similar-complaint index stores.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Features {
    canonical: Vec<char>,
    grams: BTreeSet<String>,
}

impl Features {
    /// The features of `text`.
    pub fn of(text: &str) -> Self {
        let canonical = canonical(text);
        let grams = features(&canonical);
        Features { canonical, grams }
    }

    /// The distinct characters and bigrams, each once.
    pub fn grams(&self) -> impl ExactSizeIterator<Item = &str> {
        self.grams.iter().map(String::as_str)
    }

    /// How many distinct grams the text has.
    pub fn len(&self) -> usize {
        self.grams.len()
    }

    /// No grams at all: the text had no content characters.
    pub fn is_empty(&self) -> bool {
        self.grams.is_empty()
    }

    /// [`similarity`] of the two texts these features were taken from.
    pub fn similarity(&self, other: &Features) -> f64 {
        if self.canonical == other.canonical {
            return 1.0;
        }
        let total = self.grams.len() + other.grams.len();
        if total == 0 {
            return 0.0;
        }
        let shared = self.grams.intersection(&other.grams).count();
        // Both counts are far below 2^52: the conversion is exact.
        (2 * shared) as f64 / total as f64
    }

    /// The fewest grams another (non-empty) text must share with this one to be at least
    /// `min_similarity` alike: from 2s/(|A|+|B|) ≥ t and |B| ≥ 1, s ≥ t(|A|+1)/2. A candidate
    /// search that keeps only texts sharing this many grams misses none that are alike enough.
    pub fn min_shared(&self, min_similarity: f64) -> usize {
        // |A| is far below 2^52 (exact as f64); the bound is in 0..=|A|, so the cast back is too.
        let bound = (min_similarity * (self.grams.len() as f64 + 1.0) / 2.0 - 1e-9).ceil();
        (bound.max(1.0) as usize).min(self.grams.len().max(1))
    }

    /// Which grams to look up, and how many of them a text must share, to find every text at
    /// least `min_similarity` alike while reading as little as possible. A text alike enough
    /// shares at least k = [`Features::min_shared`] grams; leaving out e < k grams it still
    /// shares at least k − e of the rest. So up to k − 1 of the most frequent grams
    /// (`frequency` of a gram: how many indexed texts have it, ≥ `common` to be worth leaving
    /// out) are not looked up, and the threshold drops by as many.
    pub fn lookup(
        &self,
        min_similarity: f64,
        common: u32,
        frequency: impl Fn(&str) -> u32,
    ) -> Lookup<'_> {
        let k = self.min_shared(min_similarity);
        let mut by_frequency: Vec<(u32, &str)> = self
            .grams
            .iter()
            .map(|g| (frequency(g), g.as_str()))
            .collect();
        // Most frequent first; ties in gram order, so the choice is the same every time.
        by_frequency.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
        let left_out = by_frequency
            .iter()
            .take(k.saturating_sub(1))
            .take_while(|(n, _)| *n >= common)
            .count();
        let mut grams: Vec<&str> = by_frequency[left_out..].iter().map(|(_, g)| *g).collect();
        grams.sort_unstable();
        Lookup {
            grams,
            min_shared: k - left_out,
        }
    }
}

/// What a candidate search looks up ([`Features::lookup`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lookup<'a> {
    /// The grams to look up.
    pub grams: Vec<&'a str>,
    /// How many of them a candidate must have.
    pub min_shared: usize,
}

/// Function words and particles that say nothing about the issue (single characters only).
const PARTICLES: &str = "的了是在我你他她们有和与也又都就很太吗呢吧啊呀还这那个把被";

/// Different spellings of the same thing in complaints, folded to one; words that every
/// complaint has fold to nothing. The longest match wins.
const SYNONYMS: &[(&str, &str)] = &[
    ("号楼", "栋"),
    ("幢", "栋"),
    ("楼栋", "栋"),
    ("故障", "坏"),
    ("损坏", "坏"),
    ("坏掉", "坏"),
    ("失灵", "坏"),
    ("停运", "坏"),
    ("不能用", "坏"),
    ("用不了", "坏"),
    ("渗水", "漏水"),
    ("渗漏", "漏水"),
    ("滴水", "漏水"),
    ("漏雨", "漏水"),
    ("被困", "困"),
    ("困人", "困"),
    ("升降梯", "电梯"),
    ("噪声", "噪音"),
    ("吵闹", "噪音"),
    ("停车位", "车位"),
    ("地下车库", "车库"),
    ("地库", "车库"),
    ("门口", "入口"),
    ("出入口", "入口"),
    ("掉下来", "脱落"),
    ("掉下", "脱落"),
    ("掉落", "脱落"),
    ("随便", "随意"),
    ("陌生人", "外来人员"),
    ("上涨", "涨价"),
    ("没人", "无人"),
    ("不亮", "坏"),
    ("饭店", "餐馆"),
    ("饭馆", "餐馆"),
    ("餐厅", "餐馆"),
    ("拴绳", "牵绳"),
    ("小孩", "孩子"),
    ("儿童", "孩子"),
    // Words nearly every complaint has: they say nothing about which issue it is.
    ("小区", ""),
    ("物业", ""),
    ("业主", ""),
    ("今天", ""),
    ("已经", ""),
    ("一直", ""),
    ("经常", ""),
    ("好几天", ""),
];

/// Characters that follow a building/unit/floor number (三号楼, 二单元, 十五层).
const NUMBER_MARKERS: &str = "栋号幢单层楼座期区";

/// The comparable form of a complaint: content characters (folded, no punctuation), Chinese
/// numbers before building/unit/floor words as digits, synonyms folded.
pub fn canonical(text: &str) -> Vec<char> {
    let folded = fold_synonyms(&arabic_numbers(&content_chars(text)));
    folded
        .into_iter()
        .filter(|c| !PARTICLES.contains(*c))
        .collect()
}

/// Characters (minus particles) and bigrams of canonical text.
fn features(chars: &[char]) -> BTreeSet<String> {
    let singles = chars.iter().map(|c| c.to_string());
    let pairs = chars.windows(2).map(|w| w.iter().collect::<String>());
    singles.chain(pairs).collect()
}

/// Rewrites runs of Chinese numerals that precede a building/unit/floor marker as digits.
fn arabic_numbers(chars: &[char]) -> Vec<char> {
    let mut out = Vec::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        let run = chars[i..]
            .iter()
            .take_while(|c| numeral(**c).is_some())
            .count();
        if run == 0 {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let marked = chars
            .get(i + run)
            .is_some_and(|c| NUMBER_MARKERS.contains(*c));
        match parse_numeral(&chars[i..i + run]).filter(|_| marked) {
            Some(n) => out.extend(n.to_string().chars()),
            None => out.extend_from_slice(&chars[i..i + run]),
        }
        i += run;
    }
    out
}

/// The value of one Chinese numeral character (十 is 10).
fn numeral(c: char) -> Option<u32> {
    "零一二三四五六七八九十"
        .chars()
        .position(|n| n == c)
        .map(|p| p as u32)
        .or(match c {
            '两' => Some(2),
            _ => None,
        })
}

/// Reads 0–99 written in Chinese numerals: 三, 十, 十二, 二十, 二十三. Anything else is `None`.
fn parse_numeral(run: &[char]) -> Option<u32> {
    let digits: Vec<u32> = run.iter().map(|c| numeral(*c)).collect::<Option<_>>()?;
    match digits.as_slice() {
        [d] => Some(*d),
        [10, d] if *d < 10 => Some(10 + d),
        [t, 10] if *t < 10 => Some(t * 10),
        [t, 10, d] if *t < 10 && *d < 10 => Some(t * 10 + d),
        _ => None,
    }
}

/// Replaces every synonym by its target, longest match first.
fn fold_synonyms(chars: &[char]) -> Vec<char> {
    static TABLE: LazyLock<Vec<(Vec<char>, &str)>> = LazyLock::new(|| {
        SYNONYMS
            .iter()
            .map(|(from, to)| (from.chars().collect(), *to))
            .collect()
    });
    let table = &*TABLE;
    let mut out = Vec::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        let hit = table
            .iter()
            .filter(|(from, _)| chars[i..].starts_with(from))
            .max_by_key(|(from, _)| from.len());
        match hit {
            Some((from, to)) => {
                out.extend(to.chars());
                i += from.len();
            }
            None => {
                out.push(chars[i]);
                i += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn building_numbers_and_synonyms_are_folded() {
        let s: String = canonical("三号楼电梯故障,今天被困").into_iter().collect();
        assert_eq!(s, "3栋电梯坏困");
        let s: String = canonical("二十三幢 十二层 一直漏雨").into_iter().collect();
        assert_eq!(s, "23栋12层漏水");
    }

    #[test]
    fn similarity_is_one_for_identical_and_zero_for_disjoint_text() {
        assert_eq!(similarity("楼上漏水", "楼上,漏水!"), 1.0);
        assert_eq!(similarity("", ""), 1.0);
        assert_eq!(similarity("漏水", "车位"), 0.0);
        assert_eq!(similarity("漏水", ""), 0.0);
    }

    /// Leaving the most frequent grams out of the search drops no text alike enough either:
    /// every alike pair shares at least `min_shared` of the grams looked up.
    #[test]
    fn leaving_out_frequent_grams_keeps_every_alike_pair() {
        let texts = [
            "空调外机支架松动,报修三次了还没修好。",
            "楼道感应灯修好没两天又坏了。",
            "报修的厨房下水管,师傅来了一次说要换配件,之后再没来过。",
            "卫生间天花板漏水已经三天了",
            "卫生间漏水三天",
            "报修三次没修好",
            "空调支架松了",
            "修",
        ];
        // Frequent: the characters every repair complaint has.
        let frequency = |g: &str| match g {
            "修" | "报" | "没" | "好" => 10_000,
            "修好" | "报修" | "三" | "天" => 3_000,
            _ => 3,
        };
        for t in [0.2, 0.34, 0.6] {
            for a in &texts {
                let fa = Features::of(a);
                let lookup = fa.lookup(t, 64, frequency);
                assert!(lookup.min_shared >= 1);
                for b in &texts {
                    let fb = Features::of(b);
                    if fb.is_empty() || fa.similarity(&fb) < t {
                        continue;
                    }
                    let shared = lookup
                        .grams
                        .iter()
                        .filter(|g| fb.grams().any(|h| h == **g))
                        .count();
                    assert!(
                        shared >= lookup.min_shared,
                        "{a} / {b} at {t}: {shared} < {}",
                        lookup.min_shared
                    );
                }
            }
        }
        let fa = Features::of("空调外机支架松动,报修三次了还没修好。");
        let lookup = fa.lookup(0.34, 64, frequency);
        assert!(
            !lookup.grams.contains(&"修"),
            "the commonest gram is not read"
        );
    }

    /// The candidate bound never drops a text that is alike enough: every pair of these
    /// owners' texts at or above the threshold shares at least `min_shared` grams.
    #[test]
    fn the_shared_gram_bound_keeps_every_alike_pair() {
        let texts = [
            "3栋电梯又坏了,困了人",
            "三号楼电梯故障,今天被困",
            "电梯坏了",
            "梯坏",
            "楼上漏水",
            "漏水",
            "水",
            "地下车库一直渗水，车都泡了",
            "车库漏水",
            "晚上广场舞噪音太大",
            "噪声扰民，广场舞",
            "门口垃圾没人清理",
            "垃圾",
            "停车位被外来车辆占用",
            "车位被占",
            "Lift broken",
            "lift",
        ];
        for t in [0.1, 0.2, 0.34, 0.5, 0.8, 1.0] {
            for a in &texts {
                let fa = Features::of(a);
                for b in &texts {
                    let fb = Features::of(b);
                    if fb.is_empty() || fa.similarity(&fb) < t {
                        continue;
                    }
                    let shared = fa.grams().filter(|g| fb.grams().any(|h| h == *g)).count();
                    assert!(
                        shared >= fa.min_shared(t),
                        "{a} / {b} at {t}: {shared} < {}",
                        fa.min_shared(t)
                    );
                }
            }
        }
    }
}
