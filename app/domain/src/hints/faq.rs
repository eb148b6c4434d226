//! FAQ articles that may answer the question before the owner files (rules.md "Self-service":
//! "常规投诉由客户投诉知识库直接给出解决方案").
//!
//! Texts are compared by character bigrams (and ASCII words such as "app"), each weighted by
//! how rare it is among the articles (IDF) and doubled in titles. An article's score is the
//! weighted share of its own bigrams the text mentions, so a long description is not
//! penalised; a minimum score and a minimum of shared bigrams keep unrelated text matching
//! nothing. Build the [`FaqIndex`] once per page; each keystroke is then one pass over the text.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::classifier::features::{bigram_key, is_word, pieces, unigram_key, Piece};

/// One FAQ article as the matcher sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FaqEntry {
    /// The article's id.
    pub id: i64,
    /// Its title, e.g. "卫生间漏水怎么办".
    pub title: String,
    /// Tags and summary, e.g. "漏水 渗水 防水 报修流程".
    pub keywords: String,
}

/// An article that may answer the text, with its score (0..=1, higher is better).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FaqMatch {
    /// The article's id.
    pub id: i64,
    /// Weighted share of the article's bigrams that the text mentions.
    pub score: f32,
}

/// How articles are weighted and when one counts as a match.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct FaqSettings {
    /// A title bigram weighs this many keyword bigrams.
    pub title_weight: f32,
    /// Scores below this are no match.
    pub min_score: f32,
    /// At least this many distinct bigrams must be shared (one common word is not a topic).
    pub min_shared: usize,
}

impl Default for FaqSettings {
    fn default() -> Self {
        FaqSettings {
            title_weight: 2.0,
            min_score: 0.12,
            min_shared: 2,
        }
    }
}

/// Bigrams every question or complaint has: they say nothing about which article fits.
const STOP_BIGRAMS: &[&str] = &[
    "怎么", "么办", "什么", "为什", "如何", "可以", "我们", "你们", "问题", "业主", "物业", "小区",
    "一下", "是否", "需要", "没有", "已经", "这个", "那个", "不是", "就是", "还是", "的话", "请问",
    "么样", "怎样", "哪里", "的问", "了怎",
];

/// The articles, indexed by bigram for matching on every keystroke.
#[derive(Debug, Clone, Default)]
pub struct FaqIndex {
    ids: Vec<i64>,
    /// Weighted total of each article's bigrams.
    totals: Vec<f32>,
    /// Bigram → (article, weight in that article).
    postings: BTreeMap<u64, Vec<(usize, f32)>>,
    settings: FaqSettings,
}

impl FaqIndex {
    /// Indexes `entries` with the default settings.
    pub fn new(entries: &[FaqEntry]) -> FaqIndex {
        FaqIndex::with_settings(entries, FaqSettings::default())
    }

    /// Indexes `entries` with the given settings.
    pub fn with_settings(entries: &[FaqEntry], settings: FaqSettings) -> FaqIndex {
        let mut scratch = Vec::new();
        // Per article: bigram → field weight (title or keywords, the larger).
        let fields: Vec<BTreeMap<u64, f32>> = entries
            .iter()
            .map(|e| {
                let mut weights = BTreeMap::new();
                for key in match_keys(&e.keywords, &mut scratch) {
                    weights.insert(key, 1.0f32);
                }
                for key in match_keys(&e.title, &mut scratch) {
                    weights.insert(key, settings.title_weight.max(1.0));
                }
                weights
            })
            .collect();
        let mut document_frequency: BTreeMap<u64, usize> = BTreeMap::new();
        for weights in &fields {
            for key in weights.keys() {
                *document_frequency.entry(*key).or_insert(0) += 1;
            }
        }
        let n = entries.len() as f32;
        let mut postings: BTreeMap<u64, Vec<(usize, f32)>> = BTreeMap::new();
        let mut totals = vec![0f32; entries.len()];
        for (article, weights) in fields.iter().enumerate() {
            for (key, field_weight) in weights {
                let df = document_frequency.get(key).copied().unwrap_or(1) as f32;
                let weight = field_weight * (1.0 + n / df).ln();
                totals[article] += weight;
                postings.entry(*key).or_default().push((article, weight));
            }
        }
        FaqIndex {
            ids: entries.iter().map(|e| e.id).collect(),
            totals,
            postings,
            settings,
        }
    }

    /// The number of indexed articles.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// True when no article is indexed.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Up to `limit` articles that may answer `text`, best first (ties by id).
    pub fn matches(&self, text: &str, limit: usize) -> Vec<FaqMatch> {
        if self.is_empty() || limit == 0 {
            return Vec::new();
        }
        let mut mentioned = vec![0f32; self.ids.len()];
        let mut shared = vec![0usize; self.ids.len()];
        for key in match_keys(text, &mut Vec::new()) {
            for (article, weight) in self.postings.get(&key).into_iter().flatten() {
                mentioned[*article] += weight;
                shared[*article] += 1;
            }
        }
        let mut found: Vec<FaqMatch> = (0..self.ids.len())
            .filter(|a| shared[*a] >= self.settings.min_shared && self.totals[*a] > 0.0)
            .map(|a| FaqMatch {
                id: self.ids[a],
                score: mentioned[a] / self.totals[a],
            })
            .filter(|m| m.score >= self.settings.min_score)
            .collect();
        found.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.id.cmp(&b.id)));
        found.truncate(limit);
        found
    }
}

/// Up to `limit` of `entries` that may answer `text` (builds a throw-away index: prefer
/// [`FaqIndex`] when matching repeatedly).
pub fn match_faq(text: &str, entries: &[FaqEntry], limit: usize) -> Vec<FaqMatch> {
    FaqIndex::new(entries).matches(text, limit)
}

/// The distinct keys a text is matched by: bigrams within clauses (minus stop bigrams) and
/// ASCII words.
fn match_keys(text: &str, scratch: &mut Vec<Piece>) -> Vec<u64> {
    pieces(text, scratch);
    let mut keys = Vec::new();
    let mut previous: Option<u32> = None;
    for piece in scratch.iter() {
        let Piece::Symbol(s) = *piece else {
            previous = None;
            continue;
        };
        if is_word(s) {
            keys.push(unigram_key(s));
        }
        if let Some(p) = previous.filter(|p| !is_stop(*p, s)) {
            keys.push(bigram_key(p, s));
        }
        previous = Some(s);
    }
    keys.sort_unstable();
    keys.dedup();
    keys
}

fn is_stop(a: u32, b: u32) -> bool {
    static STOP_KEYS: OnceLock<Vec<u64>> = OnceLock::new();
    let stop = STOP_KEYS.get_or_init(|| {
        let mut keys: Vec<u64> = STOP_BIGRAMS
            .iter()
            .filter_map(|w| {
                let mut chars = w.chars().map(|c| c as u32);
                Some(bigram_key(chars.next()?, chars.next()?))
            })
            .collect();
        keys.sort_unstable();
        keys
    });
    stop.binary_search(&bigram_key(a, b)).is_ok()
}
