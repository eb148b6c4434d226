//! People and money in a description (rules.md "Severity": group size, claimed amount).
//!
//! - People: a number before 户, or before 位/名/个/家 followed by 业主/邻居/住户/居民/商户/
//!   租户/人家 ("我们10户", "十几户", "二十多位业主"); 全楼/整栋楼/全小区 followed by such a
//!   noun counts as [`WHOLE_BUILDING_PEOPLE`]. Only in a sentence that speaks for a group
//!   (我们/联名/大家…), and not after 梯/总 (两梯四户, 总户数 describe the building). Staff
//!   counts ("两名保安") are not people. 全体业主 is not counted: it is mostly a legal phrase
//!   ("属于全体业主").
//! - Money: an amount with ¥/元/块/万/千 ("¥2,000", "两万块", "2.5万", "十几万") counts only
//!   when a claim word (赔/补偿/损失/维修费/退款…) is in the same clause, or a spending word
//!   (花了/自费/垫付) is and the sentence has a claim word: a fee of "2.8元/平" or a price
//!   beside a claim is not the claim. The largest such amount wins.
//!
//! Known misses and false alarms: amounts without a unit ("赔3000"), counts of offenders in a
//! group sentence ("我们楼有三个业主养猫").

use super::cues::CLAUSE_ENDS;
use super::numbers::{numbers_in, ONE};

/// People a whole building or community stands for: a lower bound (a building has dozens).
pub const WHOLE_BUILDING_PEOPLE: u32 = 20;

/// Nouns for the people who complain (not staff).
const PEOPLE_NOUNS: &[&str] = &["业主", "邻居", "住户", "居民", "商户", "租户", "人家"];
/// Counting words before a people noun.
const MEASURE_WORDS: &str = "位名个家";
/// Whole-building words, counted only when a people noun follows.
const WHOLE_BUILDING: &[&str] = &["全楼", "整栋楼", "整幢楼", "全小区", "整个小区", "全单元"];
/// A count is of complainants only in a sentence that speaks for a group.
const GROUP_MARKERS: &[&str] = &[
    "我们", "咱们", "联名", "联合", "集体", "一起", "共同", "大家",
];
/// A number after these describes the building, not who complains (两梯四户, 总户数).
const NOT_PEOPLE_BEFORE: &str = "梯总";
const SENTENCE_ENDS: &[char] = &['.', ';', '!', '?', '。', '；', '！', '？', '\n'];

/// Words that make an amount in their clause a claim for repair or compensation.
const CLAIM_WORDS: &[&str] = &[
    "赔",
    "补偿",
    "损失",
    "维修费",
    "修理费",
    "报销",
    "退还",
    "退款",
    "违约金",
    "承担",
];
/// Spending words: a claim only when the sentence also has a claim word ("装修花了十几万,这个
/// 损失…"), not in "物业用维修基金花了40多万".
const SPENDING_WORDS: &[&str] = &["花了", "自费", "垫付"];

/// A number read from the text, with the words it was read from (as folded).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The value: people, or fen.
    pub value: u64,
    /// The words, e.g. "10户", "二十多位业主", "¥2,500", "两万多块".
    pub words: String,
}

/// Keeps the larger of two findings (the first on a tie).
fn larger(best: Option<Found>, next: Option<Found>) -> Option<Found> {
    match (best, next) {
        (Some(b), Some(n)) if n.value > b.value => Some(n),
        (Some(b), _) => Some(b),
        (None, n) => n,
    }
}

/// The largest number of complaining people stated in any sentence that speaks for a group
/// (`None`: none stated), in folded text.
pub fn people_count(folded: &str) -> Option<Found> {
    split_at(folded, SENTENCE_ENDS)
        .into_iter()
        .filter(|s| GROUP_MARKERS.iter().any(|m| s.contains(m)))
        .map(people_in)
        .fold(None, larger)
        .filter(|f| f.value > 0)
}

/// The people noun that starts `rest` (after an optional 的), with that 的.
fn people_noun(rest: &str) -> Option<&str> {
    let after_de = rest.strip_prefix('的').unwrap_or(rest);
    let skipped = rest.len() - after_de.len();
    PEOPLE_NOUNS
        .iter()
        .find(|n| after_de.starts_with(*n))
        .map(|n| &rest[..skipped + n.len()])
}

fn people_in(sentence: &str) -> Option<Found> {
    let mut most = None;
    for word in WHOLE_BUILDING {
        for (at, _) in sentence.match_indices(word) {
            if let Some(noun) = people_noun(&sentence[at + word.len()..]) {
                let found = Found {
                    value: u64::from(WHOLE_BUILDING_PEOPLE),
                    words: format!("{word}{noun}"),
                };
                most = larger(most, Some(found));
            }
        }
    }
    let chars: Vec<char> = sentence.chars().collect();
    for (start, n) in numbers_in(&chars) {
        if start > 0 && NOT_PEOPLE_BEFORE.contains(chars[start - 1]) {
            continue;
        }
        let after: String = chars.get(n.end + 1..).unwrap_or_default().iter().collect();
        let number: String = chars[start..=n.end.min(chars.len() - 1)].iter().collect();
        let counted = match chars.get(n.end) {
            // 户型 and 户口 are not households.
            Some('户') => (!matches!(chars.get(n.end + 1), Some('型' | '口'))).then_some(""),
            Some(m) if MEASURE_WORDS.contains(*m) => people_noun(&after),
            _ => None,
        };
        if let Some(noun) = counted {
            let found = Found {
                value: n.hundredths / ONE,
                words: format!("{number}{noun}"),
            };
            most = larger(most, Some(found));
        }
    }
    most
}

/// The largest amount of money claimed, in fen (`None`: none), in folded text: in a clause
/// with a claim word, or with a spending word in a sentence that has a claim word. "已付房款
/// 186万,违约金…" is a price beside a claim, not the claim.
pub fn amount_fen(folded: &str) -> Option<Found> {
    let has = |text: &str, words: &[&str]| words.iter().any(|w| text.contains(w));
    let mut best = None;
    for sentence in split_at(folded, SENTENCE_ENDS) {
        let claim_sentence = has(sentence, CLAIM_WORDS);
        if !claim_sentence {
            continue;
        }
        for clause in split_at(sentence, CLAUSE_ENDS) {
            if has(clause, CLAIM_WORDS) || has(clause, SPENDING_WORDS) {
                best = larger(best, money_in(clause));
            }
        }
    }
    best.filter(|f| f.value > 0)
}

/// The largest amount written with a currency sign or unit in `clause`, in fen.
fn money_in(clause: &str) -> Option<Found> {
    let chars: Vec<char> = clause.chars().collect();
    let mut best = None;
    for (start, n) in numbers_in(&chars) {
        let after_sign = start > 0 && matches!(chars[start - 1], '¥' | '￥' | '$');
        let unit_after = matches!(chars.get(n.end), Some('元' | '块'));
        let unit = unit_after
            || chars[start..n.end]
                .iter()
                .any(|c| matches!(c, '万' | 'w' | 'k' | '千'));
        if after_sign || unit {
            let from = if after_sign { start - 1 } else { start };
            let to = if unit_after { n.end + 1 } else { n.end };
            // Hundredths of a yuan are fen.
            let found = Found {
                value: n.hundredths,
                words: chars[from..to].iter().collect(),
            };
            best = larger(best, Some(found));
        }
    }
    best
}

/// Splits at any of `ends`, except a ',' or '.' between digits ("2,500", "3.5万").
fn split_at<'a>(text: &'a str, ends: &[char]) -> Vec<&'a str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut previous: Option<char> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if crate::text::is_cjk(c) {
            // No ideograph ends a sentence or clause: skip the lookup for most characters.
            previous = Some(c);
            continue;
        }
        let next = chars.peek().map(|(_, n)| *n);
        let in_number = matches!(c, ',' | '.')
            && previous.is_some_and(|p| p.is_ascii_digit())
            && next.is_some_and(|n| n.is_ascii_digit());
        if ends.contains(&c) && !in_number {
            parts.push(&text[start..at]);
            start = at + c.len_utf8();
        }
        previous = Some(c);
    }
    parts.push(&text[start..]);
    parts
}
