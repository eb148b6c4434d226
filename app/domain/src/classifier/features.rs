//! Features of a complaint text: character n-grams, no word segmenter.
//!
//! This file is compiled twice: into the crate and into `build.rs` (by `#[path]`), so training
//! and inference extract exactly the same features. It may only use `std` and `crate::text`.
//!
//! Text is folded first (`text::fold_char`: full-width → half-width, ASCII lower case), then
//! cut into symbols: every CJK ideograph or other letter is its own symbol, a run of ASCII
//! letters is one symbol ("app", "wifi", "wechat"), and any run of digits is the one symbol
//! [`NUMBER`] (unit numbers and dates say nothing about the category). Punctuation and spaces
//! separate clauses: n-grams never span them.
//!
//! The classifier weighs its n-grams ([`weighted_features`]): a letter of 500 characters names
//! the developer, the parking lot and the hotline on its way to one main request, so the part
//! of a sentence from a request cue (要求, 希望, 恳请…) on counts more, courtesy (尊敬的领导您好,
//! 此致敬礼) counts less, repeated n-grams count sub-linearly and the vector has unit length:
//! a long text is not more certain for being long, and no single mention outvotes the request.

use crate::text::fold_char;

/// The symbol every run of digits becomes.
pub const NUMBER: u32 = 0x11_0000;
/// ASCII words are hashed into `WORD_BASE..SYMBOL_LIMIT`, above every Unicode code point.
const WORD_BASE: u32 = 0x11_0001;
/// Symbols are below 2^21, so two of them pack into one `u64` key.
const SYMBOL_BITS: u32 = 21;
const SYMBOL_LIMIT: u32 = 1 << SYMBOL_BITS;
/// Marks a bigram key (unigram keys are below 2^21).
const BIGRAM_FLAG: u64 = 1 << (2 * SYMBOL_BITS);

/// One piece of folded text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece {
    /// A CJK ideograph, another letter, an ASCII word or a number.
    Symbol(u32),
    /// Punctuation or white space: a clause boundary.
    Break,
}

/// Cuts folded `text` into symbols and clause breaks (consecutive breaks collapse into one).
pub fn pieces(text: &str, out: &mut Vec<Piece>) {
    out.clear();
    let mut word: Vec<u8> = Vec::new();
    let mut in_number = false;
    for c in text.chars().map(fold_char) {
        if c.is_ascii_lowercase() {
            flush_number(&mut in_number, out);
            word.push(c as u8);
            continue;
        }
        flush_word(&mut word, out);
        if c.is_ascii_digit() {
            in_number = true;
            continue;
        }
        flush_number(&mut in_number, out);
        if c.is_alphanumeric() {
            out.push(Piece::Symbol(c as u32));
        } else if out.last().is_some_and(|p| *p != Piece::Break) {
            out.push(Piece::Break);
        }
    }
    flush_word(&mut word, out);
    flush_number(&mut in_number, out);
}

fn flush_word(word: &mut Vec<u8>, out: &mut Vec<Piece>) {
    if !word.is_empty() {
        out.push(Piece::Symbol(word_symbol(word)));
        word.clear();
    }
}

fn flush_number(in_number: &mut bool, out: &mut Vec<Piece>) {
    if *in_number {
        out.push(Piece::Symbol(NUMBER));
        *in_number = false;
    }
}

/// The symbol of an ASCII word: FNV-1a folded into the word range (collisions only merge two
/// rare English words, they never touch a Chinese character).
fn word_symbol(word: &[u8]) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in word {
        h = (h ^ u32::from(*b)).wrapping_mul(0x0100_0193);
    }
    WORD_BASE + h % (SYMBOL_LIMIT - WORD_BASE)
}

/// True for the symbol of an ASCII word ("app", "wifi").
pub fn is_word(symbol: u32) -> bool {
    symbol >= WORD_BASE
}

/// The feature key of one symbol.
pub fn unigram_key(a: u32) -> u64 {
    u64::from(a)
}

/// The feature key of two adjacent symbols.
pub fn bigram_key(a: u32, b: u32) -> u64 {
    BIGRAM_FLAG | (u64::from(a) << SYMBOL_BITS) | u64::from(b)
}

/// The feature key of three adjacent symbols: a hash with the top bit set, above every
/// unigram and bigram key (a rare collision of two trigrams only merges them).
pub fn trigram_key(a: u32, b: u32, c: u32) -> u64 {
    let mut h = (u64::from(a) << 42) ^ (u64::from(b) << 21) ^ u64::from(c);
    h = h.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    h ^= h >> 31;
    (1 << 63) | (h >> 1)
}

/// How [`weighted_features`] weighs the parts of a text. Stored in the model, so training and
/// scoring cannot disagree.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weighting {
    /// Weight of the symbols from a request cue ([`REQUEST_CUES`]) to the end of its sentence.
    pub request: f32,
    /// Weight of a clause with a courtesy phrase ([`COURTESY_CUES`]).
    pub courtesy: f32,
    /// Also take trigrams (within a clause).
    pub trigrams: bool,
}

impl Default for Weighting {
    fn default() -> Self {
        Weighting {
            request: 2.0,
            courtesy: 0.3,
            trigrams: false,
        }
    }
}

/// Words that start the request of a sentence: what the writer wants done.
pub const REQUEST_CUES: &[&str] = &[
    "要求",
    "希望",
    "恳请",
    "请求",
    "诉求",
    "盼",
    "督促",
    "责令",
    "请",
    "尽快",
    "务必",
    "麻烦",
    "能否",
    "能不能",
    "必须",
];

/// Phrases of courtesy that open and close letters in every category.
pub const COURTESY_CUES: &[&str] = &[
    "尊敬", "您好", "你好", "谢谢", "感谢", "此致", "敬礼", "辛苦", "百忙", "打扰", "盼复",
];

/// A symbol or a break of the text, for [`weighted_features`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token {
    Symbol(u32),
    /// A comma, an enumeration comma, a space…: the end of a clause.
    Clause,
    /// A full stop, a question or exclamation mark, a semicolon or a line break.
    Sentence,
}

/// Reusable buffers of [`weighted_features`].
#[derive(Debug, Default)]
pub struct Scratch {
    tokens: Vec<Token>,
    weights: Vec<f32>,
    raw: Vec<(u64, f32)>,
}

fn is_sentence_end(c: char) -> bool {
    matches!(c, '。' | '!' | '?' | ';' | '\n' | '…' | '.' | '｡')
}

/// Cuts folded `text` into symbols and breaks (a run of breaks is one; a sentence end wins).
fn tokens(text: &str, out: &mut Vec<Token>) {
    out.clear();
    let mut word: Vec<u8> = Vec::new();
    let mut in_number = false;
    for c in text.chars().map(fold_char) {
        if c.is_ascii_lowercase() {
            if in_number {
                out.push(Token::Symbol(NUMBER));
                in_number = false;
            }
            word.push(c as u8);
            continue;
        }
        if !word.is_empty() {
            out.push(Token::Symbol(word_symbol(&word)));
            word.clear();
        }
        if c.is_ascii_digit() || (in_number && c == '.') {
            in_number = true;
            continue;
        }
        if in_number {
            out.push(Token::Symbol(NUMBER));
            in_number = false;
        }
        if c.is_alphanumeric() {
            out.push(Token::Symbol(c as u32));
        } else if is_sentence_end(c) {
            push_break(out, Token::Sentence);
        } else {
            push_break(out, Token::Clause);
        }
    }
    if !word.is_empty() {
        out.push(Token::Symbol(word_symbol(&word)));
    }
    if in_number {
        out.push(Token::Symbol(NUMBER));
    }
}

/// Appends a break unless the text has none yet; a run of breaks is one (a sentence end wins).
fn push_break(out: &mut Vec<Token>, b: Token) {
    match out.last_mut() {
        None | Some(Token::Sentence) => {}
        Some(last @ Token::Clause) => {
            if b == Token::Sentence {
                *last = b;
            }
        }
        Some(Token::Symbol(_)) => out.push(b),
    }
}

/// True when the symbols from `at` on spell `cue` (within one clause).
fn cue_at(tokens: &[Token], at: usize, cue: &str) -> bool {
    let mut i = at;
    for c in cue.chars() {
        match tokens.get(i) {
            Some(Token::Symbol(s)) if *s == c as u32 => i += 1,
            _ => return false,
        }
    }
    true
}

fn any_cue_at(tokens: &[Token], at: usize, cues: &[&str]) -> bool {
    cues.iter().any(|cue| cue_at(tokens, at, cue))
}

/// The weight of every token (those of breaks are never read): request spans up, courtesy
/// clauses down.
fn token_weights(tokens: &[Token], weighting: &Weighting, out: &mut Vec<f32>) {
    out.clear();
    out.resize(tokens.len(), 1.0);
    let mut start = 0;
    while start < tokens.len() {
        let end = tokens[start..]
            .iter()
            .position(|t| *t == Token::Sentence)
            .map_or(tokens.len(), |p| start + p);
        let request = (start..end).find(|&i| any_cue_at(tokens, i, REQUEST_CUES));
        if let Some(from) = request {
            for w in &mut out[from..end] {
                *w = weighting.request;
            }
        }
        let mut clause = start;
        while clause < end {
            let clause_end = tokens[clause..end]
                .iter()
                .position(|t| *t == Token::Clause)
                .map_or(end, |p| clause + p);
            if (clause..clause_end).any(|i| any_cue_at(tokens, i, COURTESY_CUES)) {
                for w in &mut out[clause..clause_end] {
                    *w = weighting.courtesy;
                }
            }
            clause = clause_end + 1;
        }
        start = end + 1;
    }
}

/// The weighted features of `text`: distinct keys, sorted, each with
/// `ln(1 + sum of its occurrences' weights)`, scaled to unit length. Returns the number of
/// symbols that carry meaning.
pub fn weighted_features(
    text: &str,
    weighting: &Weighting,
    scratch: &mut Scratch,
    out: &mut Vec<(u64, f32)>,
) -> usize {
    let Scratch {
        tokens: toks,
        weights,
        raw,
    } = scratch;
    tokens(text, toks);
    token_weights(toks, weighting, weights);
    raw.clear();
    let mut symbols = 0;
    for (i, token) in toks.iter().enumerate() {
        let Token::Symbol(s) = *token else {
            continue;
        };
        symbols += 1;
        let w = weights[i];
        raw.push((unigram_key(s), w));
        if let Some(Token::Symbol(p)) = i.checked_sub(1).map(|j| toks[j]) {
            raw.push((bigram_key(p, s), (w + weights[i - 1]) / 2.0));
            if weighting.trigrams {
                if let Some(Token::Symbol(q)) = i.checked_sub(2).map(|j| toks[j]) {
                    raw.push((
                        trigram_key(q, p, s),
                        (w + weights[i - 1] + weights[i - 2]) / 3.0,
                    ));
                }
            }
        }
    }
    raw.sort_unstable_by_key(|r| r.0);
    out.clear();
    for &(key, w) in raw.iter() {
        match out.last_mut() {
            Some(last) if last.0 == key => last.1 += w,
            _ => out.push((key, w)),
        }
    }
    let mut norm = 0f32;
    for f in out.iter_mut() {
        f.1 = f.1.ln_1p();
        norm += f.1 * f.1;
    }
    if norm > 0.0 {
        let scale = norm.sqrt().recip();
        for f in out.iter_mut() {
            f.1 *= scale;
        }
    }
    symbols
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(text: &str, ngram: &str) -> f32 {
        let symbols: Vec<u32> = ngram.chars().map(|c| c as u32).collect();
        let key = match symbols.as_slice() {
            [a] => unigram_key(*a),
            [a, b] => bigram_key(*a, *b),
            _ => unreachable!("unigrams and bigrams only"),
        };
        let mut out = Vec::new();
        weighted_features(
            text,
            &Weighting::default(),
            &mut Scratch::default(),
            &mut out,
        );
        out.iter().find(|f| f.0 == key).map_or(0.0, |f| f.1)
    }

    #[test]
    fn every_text_has_unit_length_however_long() {
        let short = "屋顶漏水";
        let long = "尊敬的领导您好！我们小区屋顶漏水，楼道也脏，停车也乱。".repeat(10);
        for text in [short, long.as_str()] {
            let mut out = Vec::new();
            weighted_features(
                text,
                &Weighting::default(),
                &mut Scratch::default(),
                &mut out,
            );
            let norm: f32 = out.iter().map(|f| f.1 * f.1).sum();
            assert!((norm - 1.0).abs() < 1e-4, "{norm}");
        }
    }

    #[test]
    fn the_request_of_a_sentence_counts_more_and_courtesy_less() {
        let plain = value("车库漏水。修车库顶板。停车也乱。", "顶板");
        let asked = value("车库漏水。恳请修车库顶板。停车也乱。", "顶板");
        assert!(asked > plain, "{asked} <= {plain}");
        let content = value("领导，车库漏水", "领导");
        let courtesy = value("领导您好，车库漏水", "领导");
        assert!(courtesy < content, "{courtesy} >= {content}");
    }

    #[test]
    fn ngrams_never_span_punctuation_and_numbers_are_one_symbol() {
        assert_eq!(value("漏，水", "漏水"), 0.0);
        assert!(value("漏水", "漏水") > 0.0);
        let with_numbers = value("3栋2单元1501漏水", "栋");
        assert_eq!(with_numbers, value("8栋4单元302漏水", "栋"));
    }
}
