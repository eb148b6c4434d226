//! Features of a complaint text: character unigrams and bigrams, no word segmenter.
//!
//! This file is compiled twice: into the crate and into `build.rs` (by `#[path]`), so training
//! and inference extract exactly the same features. It may only use `std` and `crate::text`.
//!
//! Text is folded first (`text::fold_char`: full-width → half-width, ASCII lower case), then
//! cut into symbols: every CJK ideograph or other letter is its own symbol, a run of ASCII
//! letters is one symbol ("app", "wifi", "wechat"), and any run of digits is the one symbol
//! [`NUMBER`] (unit numbers and dates say nothing about the category). Punctuation and spaces
//! separate clauses: bigrams never span them.

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

/// The distinct feature keys of `text`, sorted: every symbol and every pair of adjacent symbols
/// within a clause. Presence only: a word repeated in a rant counts once.
pub fn feature_keys(text: &str, scratch: &mut Vec<Piece>, out: &mut Vec<u64>) {
    pieces(text, scratch);
    out.clear();
    let mut previous: Option<u32> = None;
    for piece in scratch.iter() {
        match *piece {
            Piece::Symbol(s) => {
                out.push(unigram_key(s));
                if let Some(p) = previous {
                    out.push(bigram_key(p, s));
                }
                previous = Some(s);
            }
            Piece::Break => previous = None,
        }
    }
    out.sort_unstable();
    out.dedup();
}

/// How many symbols `text` has that carry meaning (ideographs, letters, words, numbers).
pub fn symbol_count(pieces: &[Piece]) -> usize {
    pieces
        .iter()
        .filter(|p| matches!(p, Piece::Symbol(_)))
        .count()
}
