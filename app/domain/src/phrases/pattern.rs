//! A tiny pattern language for phrase variants, matched on folded content characters so that
//! spaces, punctuation and full-width forms inside a phrase do not hide it.
//!
//! `(a|b|)` is a choice (the empty branch makes it optional), `*` is a gap of up to
//! `MAX_GAP` characters that are not 我/咱/本 ("这是工程部门的事", but not "这是我们部门的事",
//! which takes ownership), and a final `$` asks for the end of a clause after the phrase
//! (punctuation, end of text, or only particles such as 啊/呢 before them).

use crate::text::{fold_char, is_content_char};

/// Longest gap a `*` spans.
const MAX_GAP: usize = 6;
/// A gap never spans these: a sentence naming ourselves takes ownership rather than passing on.
const NOT_IN_GAP: &str = "我咱本";
/// Particles that may sit between a clause-final phrase and the clause end.
const TRAILING_PARTICLES: &str = "啊呀哦呢吧嘛啦哈了";
/// Ends of sentences: a phrase never spans one ("交给我。不知道…" is not "我不知道").
const SENTENCE_ENDS: &str = "。！？!?；;\n";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token {
    Char(char),
    Gap,
}

/// One expanded variant: a sequence of characters and gaps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    tokens: Vec<Token>,
    clause_final: bool,
}

/// A character of the text being checked, folded, with its place in the original.
#[derive(Debug, Clone, Copy)]
pub struct Unit {
    ch: char,
    start: usize,
    end: usize,
    sentence: usize,
}

/// Folds a character for phrase matching: full-width to half-width, lower case, 您 → 你.
fn fold(c: char) -> char {
    match fold_char(c) {
        '您' => '你',
        other => other,
    }
}

/// The content characters of `text`, folded, with byte offsets and sentence numbers.
pub fn units(text: &str) -> Vec<Unit> {
    let mut sentence = 0;
    let mut out = Vec::new();
    for (start, c) in text.char_indices() {
        let folded = fold(c);
        if is_content_char(folded) {
            out.push(Unit {
                ch: folded,
                start,
                end: start + c.len_utf8(),
                sentence,
            });
        } else if SENTENCE_ENDS.contains(folded) || SENTENCE_ENDS.contains(c) {
            sentence += 1;
        }
    }
    out
}

impl Unit {
    /// Byte offset of the first byte in the original text.
    pub fn start(&self) -> usize {
        self.start
    }

    /// Byte offset just past the character in the original text.
    pub fn end(&self) -> usize {
        self.end
    }
}

/// Expands a pattern source into every variant it denotes.
pub fn expand(source: &str) -> Vec<Pattern> {
    let (body, clause_final) = match source.strip_suffix('$') {
        Some(body) => (body, true),
        None => (source, false),
    };
    let mut variants: Vec<Vec<Token>> = vec![Vec::new()];
    let mut rest = body;
    while let Some(c) = rest.chars().next() {
        if c == '(' {
            let close = rest.find(')').unwrap_or(rest.len());
            let choices: Vec<&str> = rest[1..close].split('|').collect();
            variants = variants
                .iter()
                .flat_map(|v| {
                    choices.iter().map(move |choice| {
                        let mut v = v.clone();
                        v.extend(choice.chars().map(|c| Token::Char(fold(c))));
                        v
                    })
                })
                .collect();
            rest = rest.get(close + 1..).unwrap_or("");
        } else {
            let token = if c == '*' {
                Token::Gap
            } else {
                Token::Char(fold(c))
            };
            variants.iter_mut().for_each(|v| v.push(token));
            rest = &rest[c.len_utf8()..];
        }
    }
    variants
        .into_iter()
        .map(|tokens| Pattern {
            tokens,
            clause_final,
        })
        .collect()
}

impl Pattern {
    /// Where a match of this pattern starting at unit `at` ends (exclusive), if it matches.
    pub fn match_at(&self, units: &[Unit], at: usize, text: &str) -> Option<usize> {
        let first = units.get(at)?;
        let end = match_tokens(&self.tokens, units, at)?;
        let last = units.get(end.checked_sub(1)?)?;
        if end == at || first.sentence != last.sentence {
            return None;
        }
        if self.clause_final && !clause_ends_after(text, last.end) {
            return None;
        }
        Some(end)
    }

    #[cfg(test)]
    /// True when the pattern starts and ends with a character (a gap at either end would make
    /// spans arbitrary).
    pub fn is_anchored(&self) -> bool {
        matches!(self.tokens.first(), Some(Token::Char(_)))
            && matches!(self.tokens.last(), Some(Token::Char(_)))
    }
}

fn match_tokens(tokens: &[Token], units: &[Unit], at: usize) -> Option<usize> {
    match tokens.split_first() {
        None => Some(at),
        Some((Token::Char(c), rest)) => {
            (units.get(at)?.ch == *c).then_some(())?;
            match_tokens(rest, units, at + 1)
        }
        Some((Token::Gap, rest)) => (0..=MAX_GAP)
            .take_while(|len| {
                *len == 0
                    || units
                        .get(at + len - 1)
                        .is_some_and(|u| !NOT_IN_GAP.contains(u.ch))
            })
            .find_map(|len| match_tokens(rest, units, at + len)),
    }
}

/// True when nothing but white space and particles comes before punctuation or the end.
fn clause_ends_after(text: &str, byte: usize) -> bool {
    text.get(byte..)
        .unwrap_or("")
        .chars()
        .map(fold)
        .find(|c| !c.is_whitespace() && !TRAILING_PARTICLES.contains(*c))
        .is_none_or(|c| !is_content_char(c))
}
