//! The FAQ knowledge base's logic that needs no database: Chinese-aware search, highlighting,
//! Markdown rendering and sanitising, the seed articles, and removing personal data from
//! complaints turned into articles. `store::faq` keeps the articles and numbers.

pub mod highlight;
pub mod index;
pub mod markdown;
mod query;
pub mod scrub;
pub mod seed;
pub mod terms;

pub use index::{IndexDoc, Outcome, SearchIndex, SearchSettings};

/// Tags as typed: separated by commas (half- or full-width), 、, semicolons or new lines;
/// trimmed, without repeats or empties.
pub fn split_tags(text: &str) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    for tag in text.split([',', '，', '、', ';', '；', '\n']) {
        let tag = tag.trim();
        if !tag.is_empty() && !tags.iter().any(|t| t == tag) {
            tags.push(tag.to_owned());
        }
    }
    tags
}

#[cfg(test)]
mod tests {
    #[test]
    fn tags_split_on_any_separator_owners_and_staff_type() {
        assert_eq!(
            super::split_tags("漏水, 渗水，防水、漏水;\n 天花板 "),
            vec!["漏水", "渗水", "防水", "天花板"]
        );
    }
}
