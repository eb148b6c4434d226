//! Matched words in `<mark>`, everything else HTML-escaped: titles and snippets of search
//! results are sent as HTML built here and nowhere else, so article text (which may contain
//! `<script>`) can never become markup.

use std::collections::HashSet;

use domain::text::fold_char;

/// What to mark: query character pairs, single characters and ASCII words (folded).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Marks {
    pub pairs: HashSet<(char, char)>,
    pub chars: HashSet<char>,
    pub words: HashSet<String>,
}

impl Marks {
    fn is_empty(&self) -> bool {
        self.pairs.is_empty() && self.chars.is_empty() && self.words.is_empty()
    }
}

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
}

/// Which characters of `chars` a query matched.
fn covered(chars: &[char], marks: &Marks) -> Vec<bool> {
    let folded: Vec<char> = chars.iter().map(|c| fold_char(*c)).collect();
    let mut cover = vec![false; chars.len()];
    if marks.is_empty() {
        return cover;
    }
    let mut i = 0;
    while i < folded.len() {
        let c = folded[i];
        if c.is_ascii_alphanumeric() {
            let start = i;
            while i < folded.len() && folded[i].is_ascii_alphanumeric() {
                i += 1;
            }
            let word: String = folded[start..i].iter().collect();
            if marks.words.contains(&word) {
                cover[start..i].iter_mut().for_each(|x| *x = true);
            }
            continue;
        }
        if marks.chars.contains(&c) {
            cover[i] = true;
        }
        if let Some(next) = folded.get(i + 1) {
            if marks.pairs.contains(&(c, *next)) {
                cover[i] = true;
                cover[i + 1] = true;
            }
        }
        i += 1;
    }
    cover
}

/// Escaped `chars` with covered spans in `<mark>`.
fn render(chars: &[char], cover: &[bool], out: &mut String) {
    let mut open = false;
    let mut buffer = [0u8; 4];
    for (c, marked) in chars.iter().zip(cover) {
        if *marked != open {
            out.push_str(if *marked { "<mark>" } else { "</mark>" });
            open = *marked;
        }
        escape(c.encode_utf8(&mut buffer), out);
    }
    if open {
        out.push_str("</mark>");
    }
}

/// `text` escaped, with what the query matched in `<mark>`.
pub fn mark(text: &str, marks: &Marks) -> String {
    let chars: Vec<char> = text.chars().collect();
    let cover = covered(&chars, marks);
    let mut out = String::with_capacity(text.len() + 16);
    render(&chars, &cover, &mut out);
    out
}

/// What a result shows under its title: the summary when the query matched it (it says what
/// the article is about), otherwise about `width` characters of `body` around its first match,
/// otherwise the summary; escaped and marked, with "…" where text was cut.
pub fn snippet(body: &str, summary: &str, marks: &Marks, width: usize) -> String {
    let summary_chars: Vec<char> = summary.chars().map(flatten_space).collect();
    let summary_cover = covered(&summary_chars, marks);
    if summary_cover.iter().any(|c| *c) {
        return window(&summary_chars, &summary_cover, 0, width);
    }
    let body_chars: Vec<char> = body.chars().map(flatten_space).collect();
    let body_cover = covered(&body_chars, marks);
    match body_cover.iter().position(|c| *c) {
        Some(first) => window(&body_chars, &body_cover, first, width),
        None if !summary.trim().is_empty() => window(&summary_chars, &summary_cover, 0, width),
        None => window(&body_chars, &body_cover, 0, width),
    }
}

/// `width` characters starting a little before `first`.
fn window(chars: &[char], cover: &[bool], first: usize, width: usize) -> String {
    let start = first.saturating_sub(width / 4);
    let end = (start + width).min(chars.len());
    let start = end.saturating_sub(width).min(start);
    let mut out = String::with_capacity(width * 4);
    if start > 0 {
        out.push('…');
    }
    render(&chars[start..end], &cover[start..end], &mut out);
    if end < chars.len() {
        out.push('…');
    }
    out
}

fn flatten_space(c: char) -> char {
    if c.is_whitespace() {
        ' '
    } else {
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marks(pairs: &[(char, char)], chars: &[char], words: &[&str]) -> Marks {
        Marks {
            pairs: pairs.iter().copied().collect(),
            chars: chars.iter().copied().collect(),
            words: words.iter().map(|w| (*w).to_owned()).collect(),
        }
    }

    #[test]
    fn adjacent_matches_merge_into_one_mark() {
        let m = marks(&[('物', '业'), ('业', '费')], &[], &[]);
        assert_eq!(mark("交物业费。", &m), "交<mark>物业费</mark>。");
    }

    #[test]
    fn words_match_whole_and_regardless_of_case() {
        let m = marks(&[], &[], &["app"]);
        assert_eq!(mark("用APP或apple", &m), "用<mark>APP</mark>或apple");
    }

    #[test]
    fn markup_in_text_is_escaped() {
        let m = marks(&[], &['水'], &[]);
        assert_eq!(
            mark("<script>水</script>'\"", &m),
            "&lt;script&gt;<mark>水</mark>&lt;/script&gt;&#39;&quot;"
        );
    }

    #[test]
    fn the_snippet_starts_near_the_first_match() {
        let body = format!("{}漏水{}", "甲".repeat(200), "乙".repeat(200));
        let m = marks(&[('漏', '水')], &[], &[]);
        let s = snippet(&body, "摘要", &m, 40);
        assert_eq!(
            snippet(&body, "说漏水的摘要", &m, 40),
            "说<mark>漏水</mark>的摘要"
        );
        assert!(s.starts_with('…') && s.ends_with('…'), "{s}");
        assert!(s.contains("<mark>漏水</mark>"));
        assert_eq!(snippet("正文", "摘要<b>", &m, 40), "摘要&lt;b&gt;");
    }
}
