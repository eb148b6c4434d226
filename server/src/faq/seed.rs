//! The articles shipped with the product (`server/seed/faq/*.md`, embedded at build time):
//! front matter (`slug`, `title`, `topic`, `complaint_category`, `tags`, `summary`) between
//! `---` lines, then the Markdown body.

mod files {
    include!(concat!(env!("OUT_DIR"), "/faq_seed.rs"));
}

/// One seed article.
#[derive(Debug, Clone, PartialEq)]
pub struct SeedArticle {
    pub slug: String,
    pub title: String,
    pub topic: String,
    /// `None` for `none`.
    pub complaint_category: Option<String>,
    pub tags: Vec<String>,
    pub summary: String,
    pub body_md: String,
}

/// A seed file that cannot be read, by name and why.
#[derive(Debug, thiserror::Error)]
#[error("seed article {file}: {problem}")]
pub struct SeedError {
    pub file: String,
    pub problem: String,
}

/// Every embedded seed article.
pub fn articles() -> Result<Vec<SeedArticle>, SeedError> {
    files::FILES
        .iter()
        .map(|(name, text)| {
            parse(text).map_err(|problem| SeedError {
                file: (*name).to_owned(),
                problem,
            })
        })
        .collect()
}

/// Parses one file.
pub fn parse(text: &str) -> Result<SeedArticle, String> {
    let text = text.trim_start_matches('\u{feff}');
    let rest = text
        .strip_prefix("---")
        .ok_or("no front matter (the file must start with ---)")?;
    let (front, body) = rest
        .split_once("\n---")
        .ok_or("the front matter is not closed with ---")?;
    let field = |key: &str| -> Result<String, String> {
        front
            .lines()
            .find_map(|line| {
                let (k, v) = line.split_once(':')?;
                (k.trim() == key).then(|| v.trim().to_owned())
            })
            .filter(|v| !v.is_empty())
            .ok_or(format!("missing `{key}`"))
    };
    let category = field("complaint_category")?;
    Ok(SeedArticle {
        slug: field("slug")?,
        title: field("title")?,
        topic: field("topic")?,
        complaint_category: (category != "none").then_some(category),
        tags: super::split_tags(&field("tags")?),
        summary: field("summary")?,
        body_md: body.trim_start_matches(['-', '\r', '\n']).trim().to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_seed_article_parses_with_a_known_topic_and_category() {
        let articles = articles().expect("seed articles parse");
        assert!(articles.len() >= 40, "{}", articles.len());
        for a in &articles {
            assert!(
                app::model::faq::FaqTopic::parse(&a.topic).is_some(),
                "{}: topic {}",
                a.slug,
                a.topic
            );
            if let Some(c) = &a.complaint_category {
                assert!(domain::Category::parse(c).is_some(), "{}: {c}", a.slug);
            }
            assert!(!a.tags.is_empty() && !a.body_md.is_empty(), "{}", a.slug);
            assert!(!a.body_md.starts_with("---"), "{}", a.slug);
        }
        let mut slugs: Vec<&str> = articles.iter().map(|a| a.slug.as_str()).collect();
        slugs.sort_unstable();
        slugs.dedup();
        assert_eq!(slugs.len(), articles.len(), "slugs are unique");
    }

    #[test]
    fn front_matter_problems_are_named() {
        assert!(parse("no front matter")
            .unwrap_err()
            .contains("front matter"));
        let missing = parse("---\nslug: a\n---\nbody").unwrap_err();
        assert!(missing.starts_with("missing"), "{missing}");
    }
}
