//! The in-memory search index over published FAQ articles.
//!
//! Why our own: SQLite's FTS5 trigram tokenizer cannot match queries under three characters,
//! and owners mostly type two (漏水, 电梯) or one (水). Every article's title, tags, summary and
//! body are cut into terms (`terms.rs`: characters and character pairs of Chinese runs, ASCII
//! words); each (term, article) posting carries a precomputed BM25 impact summed over the
//! fields, each field weighted (a title hit counts most). A query is a list of groups, one per
//! query pair / single character / word (a word's group also holds its prefix completions and
//! one-typo neighbours); an article must match every group, and its score is the sum over
//! groups of the best alternative's impact × IDF, raised when a whole Chinese run of the query
//! appears verbatim in the title, tags or summary (so 物业费 beats articles that merely say 物业
//! and 费用 apart). When nothing matches every group, a tolerant pass lets one character in four
//! be missing or mistyped, and says so (`fuzzy`).
//!
//! The index is rebuilt from the database at start and updated in place on every publish,
//! edit and unpublish, so a published article is found at once. `examples/bench_faq_search.rs`
//! measures it over 10,000 generated articles.

use std::collections::{BTreeMap, HashMap};

use super::highlight::{mark, snippet, Marks};
use super::query::{fold_key, Group, Query};
use super::terms::{index_terms, Term};

/// One article as the index sees it (published articles only).
#[derive(Debug, Clone, PartialEq)]
pub struct IndexDoc {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub topic: String,
    pub tags: Vec<String>,
    pub summary: String,
    /// The body as plain text (Markdown syntax and raw HTML removed).
    pub body_text: String,
}

/// How text is weighted and how far search tolerates typos. Defaults tuned on the seed
/// articles (`server/tests/api/faq.rs` checks the rankings owners expect).
#[derive(Debug, Clone, PartialEq)]
pub struct SearchSettings {
    /// Field weights: title, tags, summary, body.
    pub field_weights: [f32; 4],
    /// Typical field lengths in characters (BM25 length normalisation).
    pub reference_lengths: [f32; 4],
    /// BM25 term-frequency saturation.
    pub k1: f32,
    /// BM25 length normalisation strength.
    pub b: f32,
    /// Only this many characters of a query are read (a pasted essay is not an error).
    pub max_query_chars: usize,
    /// At most this many groups (pairs, characters, words) per query.
    pub max_groups: usize,
    /// Weight of a word's prefix completions ("wi" → "wifi") and of one-typo neighbours.
    pub prefix_weight: f32,
    pub typo_weight: f32,
    /// At most this many completions / neighbours per query word.
    pub max_expansions: usize,
    /// Score bonus (fraction) when a Chinese run of the query appears in the title, in the
    /// tags or summary, in the body; and when the whole query is one of the tags.
    pub phrase_in_title: f32,
    pub phrase_in_tags_or_summary: f32,
    pub phrase_in_body: f32,
    pub exact_tag: f32,
    /// Characters of body shown around the first match.
    pub snippet_chars: usize,
}

impl Default for SearchSettings {
    fn default() -> Self {
        SearchSettings {
            field_weights: [4.0, 3.0, 1.5, 1.0],
            reference_lengths: [16.0, 40.0, 50.0, 900.0],
            k1: 1.2,
            b: 0.75,
            max_query_chars: 64,
            max_groups: 24,
            prefix_weight: 0.6,
            typo_weight: 0.5,
            max_expansions: 8,
            phrase_in_title: 0.8,
            phrase_in_tags_or_summary: 0.4,
            phrase_in_body: 0.1,
            exact_tag: 0.5,
            snippet_chars: 72,
        }
    }
}

/// One search result, ready to show: `title_html` and `snippet_html` are escaped text with
/// the matched words in `<mark>`.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub title_html: String,
    pub topic: String,
    pub snippet_html: String,
    pub score: f32,
}

/// What a search found.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Outcome {
    /// The best `limit` results, best first.
    pub hits: Vec<Found>,
    /// How many articles matched in all.
    pub total: usize,
    /// True when nothing matched every part of the query and these are near matches.
    pub fuzzy: bool,
}

/// Pairs every question title has ("怎么办?", "是什么?"): they do not make two articles related.
const QUESTION_PAIRS: &[&str] = &[
    "怎么", "么办", "什么", "是什", "为什", "如何", "可以", "哪些", "么回", "回事", "怎样", "多久",
    "需要", "没有", "么时", "时候", "么样", "我家", "我们", "业主", "物业", "小区", "谁负", "负责",
];

#[derive(Debug, Clone, Copy)]
pub(super) struct Posting {
    pub(super) slot: u32,
    pub(super) impact: f32,
}

#[derive(Debug, Clone, Default)]
pub struct SearchIndex {
    pub(super) settings: SearchSettings,
    docs: Vec<Option<IndexDoc>>,
    slots: HashMap<i64, u32>,
    /// Term ids of each slot's postings, to remove them again.
    doc_terms: Vec<Vec<u32>>,
    pub(super) terms: HashMap<Term, u32>,
    pub(super) postings: Vec<Vec<Posting>>,
    /// ASCII words → term id, sorted for prefix completion.
    pub(super) words: BTreeMap<Box<str>, u32>,
    /// Folded tag → the slots that have it (the exact-tag bonus).
    tag_slots: HashMap<String, Vec<u32>>,
    /// Each slot's article id (ties are broken by it).
    ids: Vec<i64>,
    live: usize,
}

impl SearchIndex {
    pub fn new(settings: SearchSettings) -> SearchIndex {
        SearchIndex {
            settings,
            ..SearchIndex::default()
        }
    }

    /// An index of `docs` with the default settings.
    pub fn build(docs: impl IntoIterator<Item = IndexDoc>) -> SearchIndex {
        let mut index = SearchIndex::new(SearchSettings::default());
        for doc in docs {
            index.upsert(doc);
        }
        index
    }

    /// The number of searchable articles.
    pub fn len(&self) -> usize {
        self.live
    }

    pub fn is_empty(&self) -> bool {
        self.live == 0
    }

    /// The searchable articles, in no particular order.
    pub fn docs(&self) -> impl Iterator<Item = &IndexDoc> {
        self.docs.iter().flatten()
    }

    pub fn get(&self, id: i64) -> Option<&IndexDoc> {
        let slot = *self.slots.get(&id)?;
        self.docs.get(slot as usize)?.as_ref()
    }

    /// Adds an article, or replaces the one with the same id.
    pub fn upsert(&mut self, doc: IndexDoc) {
        let slot = match self.slots.get(&doc.id).copied() {
            Some(slot) => {
                self.clear_slot(slot);
                slot
            }
            None => {
                let slot = self.docs.len() as u32;
                self.docs.push(None);
                self.doc_terms.push(Vec::new());
                self.ids.push(doc.id);
                self.slots.insert(doc.id, slot);
                slot
            }
        };
        let impacts = self.impacts(&doc);
        let mut term_ids = Vec::with_capacity(impacts.len());
        for (term, impact) in impacts {
            let id = self.term_id(term);
            self.postings[id as usize].push(Posting { slot, impact });
            term_ids.push(id);
        }
        self.doc_terms[slot as usize] = term_ids;
        for tag in &doc.tags {
            self.tag_slots.entry(fold_key(tag)).or_default().push(slot);
        }
        self.docs[slot as usize] = Some(doc);
        self.live += 1;
    }

    /// Removes an article (unpublished); unknown ids are ignored.
    pub fn remove(&mut self, id: i64) {
        if let Some(slot) = self.slots.get(&id).copied() {
            self.clear_slot(slot);
        }
    }

    fn clear_slot(&mut self, slot: u32) {
        let Some(doc) = self.docs[slot as usize].take() else {
            return;
        };
        for tag in &doc.tags {
            if let Some(slots) = self.tag_slots.get_mut(&fold_key(tag)) {
                slots.retain(|s| *s != slot);
            }
        }
        for term in std::mem::take(&mut self.doc_terms[slot as usize]) {
            self.postings[term as usize].retain(|p| p.slot != slot);
        }
        self.live -= 1;
    }

    fn term_id(&mut self, term: Term) -> u32 {
        if let Some(id) = self.terms.get(&term) {
            return *id;
        }
        let id = self.postings.len() as u32;
        if let Term::Word(word) = &term {
            self.words.insert(word.clone(), id);
        }
        self.terms.insert(term, id);
        self.postings.push(Vec::new());
        id
    }

    /// Each term of `doc` with its BM25 impact summed over the weighted fields.
    fn impacts(&self, doc: &IndexDoc) -> Vec<(Term, f32)> {
        let s = &self.settings;
        let tags = doc.tags.join(" ");
        let fields = [
            doc.title.as_str(),
            tags.as_str(),
            doc.summary.as_str(),
            doc.body_text.as_str(),
        ];
        let mut impacts: HashMap<Term, f32> = HashMap::new();
        for (f, text) in fields.iter().enumerate() {
            let mut counts: HashMap<Term, u32> = HashMap::new();
            let length = index_terms(text, |t| *counts.entry(t).or_insert(0) += 1) as f32;
            let norm = s.k1 * (1.0 - s.b + s.b * length / s.reference_lengths[f]);
            for (term, tf) in counts {
                let tf = tf as f32;
                *impacts.entry(term).or_insert(0.0) +=
                    s.field_weights[f] * tf * (s.k1 + 1.0) / (tf + norm);
            }
        }
        let mut impacts: Vec<(Term, f32)> = impacts.into_iter().collect();
        impacts.sort_by(|a, b| a.0.cmp(&b.0));
        impacts
    }

    fn idf(&self, term: u32) -> f32 {
        let df = self.postings[term as usize].len() as f32;
        let n = self.live as f32;
        (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
    }

    pub(super) fn lookup(&self, term: &Term) -> Option<u32> {
        self.terms
            .get(term)
            .copied()
            .filter(|id| !self.postings[*id as usize].is_empty())
    }

    /// The best `limit` articles for `query`. Never fails: empty, very long or odd queries
    /// (quotes, `*`, `NEAR`, HTML) simply find what their letters find.
    pub fn search(&self, query: &str, limit: usize) -> Outcome {
        let limit = limit.max(1);
        let strict = self.parse(query, false);
        if strict.groups.is_empty() {
            return Outcome::default();
        }
        let mut outcome = self.run(&strict, None, limit);
        if outcome.total == 0 {
            let tolerant = self.parse(query, true);
            outcome = self.run(&tolerant, None, limit);
            outcome.fuzzy = outcome.total > 0;
        }
        outcome
    }

    /// Articles like article `id` (same words in title and tags), best first, itself excluded.
    pub fn related(&self, id: i64, limit: usize) -> Vec<Found> {
        let Some(doc) = self.get(id) else {
            return Vec::new();
        };
        let text = format!("{} {}", doc.title, doc.tags.join(" "));
        let mut groups: Vec<Group> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        index_terms(&text, |term| {
            let question_words = match &term {
                Term::Char(_) => true,
                Term::Pair(a, b) => QUESTION_PAIRS.iter().any(|p| {
                    let mut chars = p.chars();
                    chars.next() == Some(*a) && chars.next() == Some(*b)
                }),
                Term::Word(_) => false,
            };
            if question_words {
                return;
            }
            if let Some(t) = self.lookup(&term).filter(|t| seen.insert(*t)) {
                groups.push(Group {
                    alternatives: vec![(t, 1.0)],
                    counted: true,
                });
            }
        });
        let query = Query {
            groups,
            phrases: Vec::new(),
            folded: String::new(),
            marks: Marks::default(),
            tolerant: false,
        };
        let topic = doc.topic.clone();
        let mut outcome = self.run(&query, Some((id, 2, &topic)), limit);
        std::mem::take(&mut outcome.hits)
    }

    /// Scores every article that matches enough counted groups. `related`: (article to
    /// leave out, counted groups needed, its topic) instead of "all counted groups".
    fn run(&self, query: &Query, related: Option<(i64, usize, &str)>, limit: usize) -> Outcome {
        let slots = self.docs.len();
        let counted = query.groups.iter().filter(|g| g.counted).count();
        if counted == 0 {
            return Outcome::default();
        }
        let needed = match related {
            Some((_, needed, _)) => needed.min(counted),
            // Tolerant pass: one part in four may be missing (at least one may).
            None if query.tolerant => counted.saturating_sub((counted / 4).max(1)).max(1),
            None => counted,
        };
        let mut score = vec![0f32; slots];
        let mut matched = vec![0u16; slots];
        let mut best = vec![0f32; slots];
        let mut touched: Vec<u32> = Vec::new();
        for group in &query.groups {
            for (term, weight) in &group.alternatives {
                let idf = self.idf(*term);
                for p in &self.postings[*term as usize] {
                    let value = weight * idf * p.impact;
                    let cell = &mut best[p.slot as usize];
                    if *cell == 0.0 {
                        touched.push(p.slot);
                    }
                    if value > *cell {
                        *cell = value;
                    }
                }
            }
            for slot in touched.drain(..) {
                let slot = slot as usize;
                score[slot] += best[slot];
                best[slot] = 0.0;
                if group.counted {
                    matched[slot] += 1;
                }
            }
        }
        let mut exact_tag = vec![false; slots];
        if !query.folded.is_empty() {
            for slot in self.tag_slots.get(&query.folded).into_iter().flatten() {
                exact_tag[*slot as usize] = true;
            }
        }
        let mut found: Vec<(u32, f32)> = Vec::new();
        for slot in 0..slots {
            if usize::from(matched[slot]) < needed {
                continue;
            }
            let Some(doc) = &self.docs[slot] else {
                continue;
            };
            let mut value = score[slot];
            match related {
                Some((exclude, _, topic)) => {
                    if doc.id == exclude {
                        continue;
                    }
                    if doc.topic == topic {
                        value *= 1.3;
                    }
                }
                None => {
                    value *= 1.0 + self.bonus(doc, query, exact_tag[slot]);
                }
            }
            found.push((slot as u32, value));
        }
        let total = found.len();
        // Best first, ties by article id; only the top `limit` need to be in order.
        let order = |a: &(u32, f32), b: &(u32, f32)| {
            b.1.total_cmp(&a.1)
                .then_with(|| self.ids[a.0 as usize].cmp(&self.ids[b.0 as usize]))
        };
        if found.len() > limit {
            found.select_nth_unstable_by(limit, order);
            found.truncate(limit);
        }
        found.sort_by(order);
        let hits = found
            .into_iter()
            .filter_map(|(slot, score)| {
                let doc = self.docs[slot as usize].as_ref()?;
                Some(Found {
                    id: doc.id,
                    slug: doc.slug.clone(),
                    title: doc.title.clone(),
                    title_html: mark(&doc.title, &query.marks),
                    topic: doc.topic.clone(),
                    snippet_html: snippet(
                        &doc.body_text,
                        &doc.summary,
                        &query.marks,
                        self.settings.snippet_chars,
                    ),
                    score,
                })
            })
            .collect();
        Outcome {
            hits,
            total,
            fuzzy: false,
        }
    }

    /// Raises articles that contain the query's Chinese runs verbatim, or have it as a tag.
    /// A two-character run is one pair, which every strict candidate has somewhere: only title,
    /// tags and summary tell them apart, so the body is only read for longer runs (and never in
    /// the tolerant pass, whose candidates lack some part of the query anyway).
    fn bonus(&self, doc: &IndexDoc, query: &Query, exact_tag: bool) -> f32 {
        let s = &self.settings;
        let mut bonus = if exact_tag { s.exact_tag } else { 0.0 };
        if query.phrases.is_empty() {
            return bonus;
        }
        let share = 1.0 / query.phrases.len() as f32;
        for phrase in &query.phrases {
            let phrase = phrase.as_str();
            bonus += share
                * if doc.title.contains(phrase) {
                    s.phrase_in_title
                } else if doc.summary.contains(phrase)
                    || doc.tags.iter().any(|t| t.contains(phrase))
                {
                    s.phrase_in_tags_or_summary
                } else if query.tolerant {
                    0.0
                } else if phrase.chars().count() == 2 || doc.body_text.contains(phrase) {
                    s.phrase_in_body
                } else {
                    0.0
                };
        }
        bonus
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(id: i64, title: &str, tags: &[&str], body: &str) -> IndexDoc {
        IndexDoc {
            id,
            slug: format!("a-{id}"),
            title: title.into(),
            topic: "repair".into(),
            tags: tags.iter().map(|t| (*t).to_owned()).collect(),
            summary: String::new(),
            body_text: body.into(),
        }
    }

    fn sample() -> SearchIndex {
        SearchIndex::build([
            doc(
                1,
                "卫生间漏水怎么办",
                &["漏水", "防水"],
                "先关水阀,再拍照。",
            ),
            doc(2, "电梯困人", &["电梯", "困梯"], "按警铃,拨打电话。"),
            doc(
                3,
                "物业费包含什么",
                &["物业费"],
                "物业费用于保洁和秩序维护。",
            ),
            doc(
                4,
                "停水通知",
                &["停水"],
                "计划停水提前24小时公告,APP也会推送。",
            ),
            doc(
                5,
                "物业费缴纳包含滞纳金吗",
                &["物业"],
                "客服中心收取费用的时间。",
            ),
        ])
    }

    fn ids(outcome: &Outcome) -> Vec<i64> {
        outcome.hits.iter().map(|h| h.id).collect()
    }

    #[test]
    fn one_two_and_three_character_queries_find_their_articles() {
        let index = sample();
        assert_eq!(ids(&index.search("漏水", 10)), vec![1]);
        assert_eq!(ids(&index.search("电梯", 10)), vec![2]);
        assert_eq!(ids(&index.search("物业费", 10))[0], 3);
        assert!(ids(&index.search("水", 10)).contains(&1));
        assert!(ids(&index.search("水", 10)).contains(&4));
    }

    #[test]
    fn words_numbers_and_mixed_queries_match() {
        let index = sample();
        assert_eq!(ids(&index.search("APP", 10)), vec![4]);
        assert_eq!(ids(&index.search("ap", 10)), vec![4], "completion");
        assert_eq!(ids(&index.search("24小时", 10)), vec![4]);
        assert_eq!(ids(&index.search("停水 app", 10)), vec![4]);
    }

    #[test]
    fn a_mistyped_character_still_finds_near_matches_and_says_so() {
        let index = sample();
        let outcome = index.search("电悌", 10);
        assert!(outcome.fuzzy);
        assert_eq!(outcome.hits.first().map(|h| h.id), Some(2));
        assert!(!index.search("电梯", 10).fuzzy);
    }

    #[test]
    fn syntax_characters_empty_and_huge_queries_are_harmless() {
        let index = sample();
        for q in [
            "",
            "   ",
            "\"",
            "*",
            "'",
            "NEAR",
            "漏水\" OR 1=1 --",
            "<script>",
        ] {
            let _ = index.search(q, 10);
        }
        assert!(index.search("", 10).hits.is_empty());
        let long = "漏水".repeat(500);
        assert_eq!(ids(&index.search(&long, 10)).first(), Some(&1));
    }

    #[test]
    fn matches_are_marked_and_the_rest_escaped() {
        let index = SearchIndex::build([doc(9, "<b>漏水</b>", &[], "楼上漏水 & 渗水")]);
        let hit = &index.search("漏水", 10).hits[0];
        assert_eq!(hit.title_html, "&lt;b&gt;<mark>漏水</mark>&lt;/b&gt;");
        assert!(hit.snippet_html.contains("<mark>漏水</mark> &amp; 渗水"));
    }

    #[test]
    fn updates_and_removals_take_effect_at_once() {
        let mut index = sample();
        index.upsert(doc(6, "门禁卡丢了", &["门禁"], "补办门禁卡。"));
        assert_eq!(ids(&index.search("门禁", 10)), vec![6]);
        index.upsert(doc(6, "钥匙丢了", &["钥匙"], "找开锁。"));
        assert!(index.search("门禁", 10).hits.is_empty());
        index.remove(6);
        assert!(index.search("钥匙", 10).hits.is_empty());
        assert_eq!(index.len(), 5);
    }

    #[test]
    fn related_articles_share_words_and_exclude_the_article_itself() {
        let index = sample();
        let related: Vec<i64> = index.related(3, 5).iter().map(|f| f.id).collect();
        assert!(!related.contains(&3));
        assert_eq!(related.first(), Some(&5));
    }
}
