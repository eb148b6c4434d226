//! The articles shipped with the product (`server/seed/faq/*.md`, embedded at build time):
//! front matter (`slug`, `title`, `topic`, `complaint_category`, `tags`, `summary`) between
//! `---` lines, then the Markdown body. Their English versions (`server/seed/faq/en/*.md`,
//! same file names) carry `slug`, `title`, `tags` and `summary`: the topic and category are
//! the original's.

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

/// The English version of a seed article (same slug).
#[derive(Debug, Clone, PartialEq)]
pub struct SeedTranslation {
    pub slug: String,
    pub title: String,
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

/// Every embedded English version.
pub fn translations() -> Result<Vec<SeedTranslation>, SeedError> {
    files::FILES_EN
        .iter()
        .map(|(name, text)| {
            parse_translation(text).map_err(|problem| SeedError {
                file: format!("en/{name}"),
                problem,
            })
        })
        .collect()
}

/// Parses one English version.
pub fn parse_translation(text: &str) -> Result<SeedTranslation, String> {
    let (field, body) = front_matter(text)?;
    Ok(SeedTranslation {
        slug: field("slug")?,
        title: field("title")?,
        tags: super::split_tags(&field("tags")?),
        summary: field("summary")?,
        body_md: body,
    })
}

type Field<'a> = Box<dyn Fn(&str) -> Result<String, String> + 'a>;

/// The front matter's fields (by key) and the body.
fn front_matter(text: &str) -> Result<(Field<'_>, String), String> {
    let text = text.trim_start_matches('\u{feff}');
    let rest = text
        .strip_prefix("---")
        .ok_or("no front matter (the file must start with ---)")?;
    let (front, body) = rest
        .split_once("\n---")
        .ok_or("the front matter is not closed with ---")?;
    let field = move |key: &str| -> Result<String, String> {
        front
            .lines()
            .find_map(|line| {
                let (k, v) = line.split_once(':')?;
                (k.trim() == key).then(|| v.trim().to_owned())
            })
            .filter(|v| !v.is_empty())
            .ok_or(format!("missing `{key}`"))
    };
    let body = body.trim_start_matches(['-', '\r', '\n']).trim().to_owned();
    Ok((Box::new(field), body))
}

/// Parses one file.
pub fn parse(text: &str) -> Result<SeedArticle, String> {
    let (field, body) = front_matter(text)?;
    let category = field("complaint_category")?;
    Ok(SeedArticle {
        slug: field("slug")?,
        title: field("title")?,
        topic: field("topic")?,
        complaint_category: (category != "none").then_some(category),
        tags: super::split_tags(&field("tags")?),
        summary: field("summary")?,
        body_md: body,
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
    fn every_seed_article_has_an_english_version_in_english() {
        let articles = articles().expect("seed articles parse");
        let english = translations().expect("English versions parse");
        for a in &articles {
            let Some(en) = english.iter().find(|t| t.slug == a.slug) else {
                panic!(
                    "{} has no English version (seed/faq/en/{}.md)",
                    a.slug, a.slug
                );
            };
            let text = format!(
                "{} {} {} {}",
                en.title,
                en.tags.join(" "),
                en.summary,
                en.body_md
            );
            let chinese: String = text
                .chars()
                .filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c))
                .collect();
            assert!(
                chinese.is_empty(),
                "{}: Chinese in English text: {chinese}",
                a.slug
            );
            // Where the original sends owners to the hotline, the English version does too,
            // in the words the article page fills with the number.
            if a.body_md.contains("见小区公告栏") {
                assert!(
                    en.body_md.contains(app::api::faq::NOTICE_BOARD_EN),
                    "{}: the hotline reference is missing",
                    a.slug
                );
            }
            assert!(!en.tags.is_empty() && !en.body_md.is_empty(), "{}", a.slug);
        }
        for en in &english {
            assert!(
                articles.iter().any(|a| a.slug == en.slug),
                "en/{}: no Chinese article of that slug",
                en.slug
            );
        }
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
