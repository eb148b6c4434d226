//! Text normalisation shared by the classifier, similarity and phrase checks.
//!
//! Chinese has no spaces between words, so the domain compares character n-grams.
//! Owners type on phones with either full-width or half-width punctuation, mixed
//! with English: everything is folded to one form first.

/// Folds full-width ASCII variants to half-width, the ideographic space to a space,
/// and ASCII letters to lower case.
pub fn fold_char(c: char) -> char {
    match c {
        '\u{3000}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => {
            // Full-width forms sit exactly 0xFEE0 above their ASCII twins.
            char::from_u32(c as u32 - 0xFEE0)
                .unwrap_or(c)
                .to_ascii_lowercase()
        }
        _ => c.to_ascii_lowercase(),
    }
}

/// True for characters that carry meaning (CJK ideographs, letters, digits).
pub fn is_content_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// The folded text with punctuation and white space removed: what n-grams are taken of.
pub fn content_chars(text: &str) -> Vec<char> {
    text.chars()
        .map(fold_char)
        .filter(|c| is_content_char(*c))
        .collect()
}

/// Character n-grams (n ≥ 1) of the content characters, in order, duplicates kept.
pub fn char_ngrams(text: &str, n: usize) -> Vec<String> {
    let chars = content_chars(text);
    if n == 0 || chars.len() < n {
        return Vec::new();
    }
    chars.windows(n).map(|w| w.iter().collect()).collect()
}

/// Counts the CJK ideographs in `text` (owners' descriptions are measured by these).
pub fn cjk_count(text: &str) -> usize {
    text.chars().filter(|c| is_cjk(*c)).count()
}

/// True for CJK Unified Ideographs (the basic block and extension A).
pub fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_and_half_width_fold_to_the_same_text() {
        let a: String = "ＡＰＰ，报修！".chars().map(fold_char).collect();
        assert_eq!(a, "app,报修!");
    }

    #[test]
    fn bigrams_skip_punctuation_and_spaces() {
        assert_eq!(char_ngrams("漏 水，了", 2), vec!["漏水", "水了"]);
        assert!(char_ngrams("漏", 2).is_empty());
    }
}
