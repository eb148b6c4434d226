//! What FAQ text is indexed and searched by. Chinese has no spaces between words and owners
//! type one-, two- and three-character queries (水, 漏水, 物业费), so a text is cut into runs:
//! a run of Chinese (or other non-ASCII) letters gives every character and every adjacent
//! pair; a run of ASCII letters and digits is one word ("app", "24", "wifi6"). Full-width
//! forms and ASCII case are folded first (`domain::text::fold_char`), so "ＡＰＰ" is "app".

use domain::text::fold_char;

/// One indexed term.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Term {
    /// A single character of a Chinese run: 1-character queries.
    Char(char),
    /// Two adjacent characters of a Chinese run: the unit of 2+ character queries.
    Pair(char, char),
    /// An ASCII word or number, lower case.
    Word(Box<str>),
}

/// A piece of text between separators.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Run {
    /// Consecutive non-ASCII letters (folded), e.g. "物业费".
    Chinese(Vec<char>),
    /// Consecutive ASCII letters and digits, lower case, e.g. "app".
    Word(String),
}

/// True for characters of a Chinese run: any non-ASCII letter or digit (CJK ideographs,
/// kana, full-width forms that did not fold to ASCII).
fn is_run_char(c: char) -> bool {
    !c.is_ascii() && c.is_alphanumeric()
}

/// Cuts `text` into runs, in order.
pub fn runs(text: &str) -> Vec<Run> {
    let mut out = Vec::new();
    let mut chinese: Vec<char> = Vec::new();
    let mut word = String::new();
    for c in text.chars().map(fold_char) {
        if c.is_ascii_alphanumeric() {
            if !chinese.is_empty() {
                out.push(Run::Chinese(std::mem::take(&mut chinese)));
            }
            word.push(c);
        } else {
            if !word.is_empty() {
                out.push(Run::Word(std::mem::take(&mut word)));
            }
            if is_run_char(c) {
                chinese.push(c);
            } else if !chinese.is_empty() {
                out.push(Run::Chinese(std::mem::take(&mut chinese)));
            }
        }
    }
    if !chinese.is_empty() {
        out.push(Run::Chinese(chinese));
    }
    if !word.is_empty() {
        out.push(Run::Word(word));
    }
    out
}

/// Every term occurrence of `text` (duplicates kept: they are term frequencies), and the
/// text's length in characters that count.
pub fn index_terms(text: &str, mut emit: impl FnMut(Term)) -> usize {
    let mut length = 0;
    for run in runs(text) {
        match run {
            Run::Chinese(chars) => {
                length += chars.len();
                for (i, c) in chars.iter().enumerate() {
                    emit(Term::Char(*c));
                    if let Some(next) = chars.get(i + 1) {
                        emit(Term::Pair(*c, *next));
                    }
                }
            }
            Run::Word(word) => {
                length += 1;
                emit(Term::Word(word.into_boxed_str()));
            }
        }
    }
    length
}

/// Edit distance with adjacent transpositions (optimal string alignment), giving up above
/// `max` (cheap typo tolerance for English words: "wfii" → "wifi").
pub fn within_edits(a: &str, b: &str, max: usize) -> bool {
    let a: Vec<u8> = a.bytes().collect();
    let b: Vec<u8> = b.bytes().collect();
    if a.len().abs_diff(b.len()) > max {
        return false;
    }
    let width = b.len() + 1;
    let mut rows = vec![vec![0usize; width]; a.len() + 1];
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        rows[i][0] = i;
        let mut row_min = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = d;
            row_min = row_min.min(d);
        }
        if row_min > max {
            return false;
        }
    }
    rows[a.len()][b.len()] <= max
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mixed_text_is_cut_into_chinese_runs_and_words() {
        assert_eq!(
            runs("ＡＰＰ报修,24小时 WiFi"),
            vec![
                Run::Word("app".into()),
                Run::Chinese(vec!['报', '修']),
                Run::Word("24".into()),
                Run::Chinese(vec!['小', '时']),
                Run::Word("wifi".into()),
            ]
        );
        assert!(runs("\"*' NEAR").contains(&Run::Word("near".into())));
        assert!(runs("<>\"'*()").is_empty());
    }

    #[test]
    fn a_chinese_run_gives_its_characters_and_pairs() {
        let mut terms = Vec::new();
        let length = index_terms("漏水了", |t| terms.push(t));
        assert_eq!(length, 3);
        assert_eq!(
            terms,
            vec![
                Term::Char('漏'),
                Term::Pair('漏', '水'),
                Term::Char('水'),
                Term::Pair('水', '了'),
                Term::Char('了'),
            ]
        );
    }

    #[test]
    fn one_typo_is_within_one_edit() {
        assert!(within_edits("wifi", "wfii", 1));
        assert!(within_edits("wifi", "wifu", 1));
        assert!(within_edits("wifi", "wif", 1));
        assert!(!within_edits("wifi", "wine", 1));
        assert!(!within_edits("app", "application", 2));
    }
}
