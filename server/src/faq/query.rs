//! Queries as the index runs them: each Chinese pair, single character or word of the query
//! becomes a group of alternatives (a word's completions and one-typo neighbours), with what
//! to highlight. The tolerant pass turns every character into its own group.

use super::highlight::Marks;
use super::index::SearchIndex;
use super::terms::{runs, within_edits, Run, Term};

/// One part of a query: the article must contain one of `alternatives` (term id, weight).
#[derive(Debug, Clone)]
pub(super) struct Group {
    pub(super) alternatives: Vec<(u32, f32)>,
    /// Counts towards "matched every part"; bonus groups only add score.
    pub(super) counted: bool,
}

#[derive(Debug)]
pub(super) struct Query {
    pub(super) groups: Vec<Group>,
    /// Chinese runs of two or more characters, for the phrase bonus.
    pub(super) phrases: Vec<String>,
    /// The whole query folded, for the exact-tag bonus.
    pub(super) folded: String,
    pub(super) marks: Marks,
    /// One counted group in four may be missing.
    pub(super) tolerant: bool,
}

impl SearchIndex {
    /// `tolerant`: every character of a Chinese run is its own counted group and the pairs
    /// only add score; one counted group in four may be missing.
    pub(super) fn parse(&self, query: &str, tolerant: bool) -> Query {
        let s = &self.settings;
        let text: String = query.chars().take(s.max_query_chars).collect();
        let mut groups: Vec<Group> = Vec::new();
        let mut phrases = Vec::new();
        let mut marks = Marks::default();
        let push = |groups: &mut Vec<Group>, alternatives: Vec<(u32, f32)>, counted| {
            if groups.len() < s.max_groups {
                groups.push(Group {
                    alternatives,
                    counted,
                });
            }
        };
        let lookup_alt = |term: Term, weight| self.lookup(&term).map(|id| (id, weight));
        for run in runs(&text) {
            match run {
                Run::Chinese(chars) if chars.len() == 1 || tolerant => {
                    for c in dedup(chars.iter().copied()) {
                        marks.chars.insert(c);
                        push(
                            &mut groups,
                            lookup_alt(Term::Char(c), 1.0).into_iter().collect(),
                            true,
                        );
                    }
                    for pair in dedup(chars.windows(2).map(|w| (w[0], w[1]))) {
                        marks.pairs.insert(pair);
                        if let Some(alt) = lookup_alt(Term::Pair(pair.0, pair.1), 1.0) {
                            push(&mut groups, vec![alt], false);
                        }
                    }
                    if chars.len() > 1 {
                        phrases.push(chars.iter().collect());
                    }
                }
                Run::Chinese(chars) => {
                    for pair in dedup(chars.windows(2).map(|w| (w[0], w[1]))) {
                        marks.pairs.insert(pair);
                        push(
                            &mut groups,
                            lookup_alt(Term::Pair(pair.0, pair.1), 1.0)
                                .into_iter()
                                .collect(),
                            true,
                        );
                    }
                    phrases.push(chars.iter().collect());
                }
                Run::Word(word) => {
                    let alternatives = self.word_alternatives(&word, &mut marks);
                    push(&mut groups, alternatives, true);
                }
            }
        }
        let folded = fold_key(&text);
        Query {
            groups,
            phrases,
            folded,
            marks,
            tolerant,
        }
    }

    /// The word itself, its completions (as-you-type) and its one-typo neighbours.
    fn word_alternatives(&self, word: &str, marks: &mut Marks) -> Vec<(u32, f32)> {
        let s = &self.settings;
        let mut alternatives = Vec::new();
        if let Some(id) = self.lookup(&Term::Word(word.into())) {
            alternatives.push((id, 1.0));
            marks.words.insert(word.to_owned());
        }
        let letters = word.bytes().all(|b| b.is_ascii_lowercase());
        if letters && word.len() >= 2 {
            let completions = self
                .words
                .range::<str, _>((std::ops::Bound::Excluded(word), std::ops::Bound::Unbounded))
                .take_while(|(w, _)| w.starts_with(word))
                .filter(|(_, id)| !self.postings[**id as usize].is_empty())
                .take(s.max_expansions);
            for (w, id) in completions {
                alternatives.push((*id, s.prefix_weight));
                marks.words.insert(w.to_string());
            }
        }
        if letters && word.len() >= 4 && alternatives.is_empty() {
            let max = if word.len() >= 8 { 2 } else { 1 };
            let neighbours = self
                .words
                .iter()
                .filter(|(w, id)| {
                    !self.postings[**id as usize].is_empty() && within_edits(word, w, max)
                })
                .take(s.max_expansions);
            for (w, id) in neighbours {
                alternatives.push((*id, s.typo_weight));
                marks.words.insert(w.to_string());
            }
        }
        alternatives
    }
}

/// A text reduced to its runs, folded: how a whole query is compared with a tag.
pub(super) fn fold_key(text: &str) -> String {
    runs(text)
        .into_iter()
        .map(|r| match r {
            Run::Chinese(chars) => chars.into_iter().collect(),
            Run::Word(word) => word,
        })
        .collect::<Vec<String>>()
        .join(" ")
}

/// The items in first-seen order without repeats.
fn dedup<T: PartialEq>(items: impl Iterator<Item = T>) -> Vec<T> {
    let mut out: Vec<T> = Vec::new();
    for item in items {
        if !out.contains(&item) {
            out.push(item);
        }
    }
    out
}
