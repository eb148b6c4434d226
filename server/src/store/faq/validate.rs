//! An article as typed by staff → an article that may be stored, or every field's problem in
//! the editor's language (with what was typed, so nothing is lost).

use std::collections::BTreeMap;

use app::error::{AppError, FieldErrors};
use app::model::faq::{ArticleInput, FaqTopic};
use domain::{Category, Lang};

use crate::faq::split_tags;

pub const TITLE_CHARS: std::ops::RangeInclusive<usize> = 4..=80;
pub const SUMMARY_CHARS: std::ops::RangeInclusive<usize> = 4..=200;
pub const BODY_CHARS: std::ops::RangeInclusive<usize> = 10..=20_000;
pub const SLUG_CHARS: std::ops::RangeInclusive<usize> = 3..=80;
pub const MAX_TAGS: usize = 20;
pub const TAG_CHARS: usize = 20;
pub const NOTE_CHARS: usize = 200;
/// Paths under `/faq/` that are pages, not articles. (A slug also needs a letter: `/faq/42`
/// is article 42.)
const RESERVED_SLUGS: &[&str] = &["search", "topic", "new", "staff"];

#[derive(Debug, Clone, PartialEq)]
pub struct ValidArticle {
    /// `None`: make one up.
    pub slug: Option<String>,
    pub title: String,
    pub topic: FaqTopic,
    pub complaint_category: Option<Category>,
    pub tags: Vec<String>,
    pub summary: String,
    pub body_md: String,
    pub expected_revision: Option<i64>,
    pub note: String,
}

pub fn is_valid_slug(slug: &str) -> bool {
    SLUG_CHARS.contains(&slug.len())
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && slug.bytes().any(|b| b.is_ascii_lowercase())
        && !slug.starts_with('-')
        && !slug.ends_with('-')
        && !RESERVED_SLUGS.contains(&slug)
}

pub fn article(input: &ArticleInput, lang: Lang) -> Result<ValidArticle, AppError> {
    let mut errors: BTreeMap<String, String> = BTreeMap::new();
    let mut fail = |field: &str, zh: String, en: String| {
        errors
            .entry(field.to_owned())
            .or_insert(if lang == Lang::En { en } else { zh });
    };
    let slug = input.slug.trim().to_ascii_lowercase();
    if !slug.is_empty() && !is_valid_slug(&slug) {
        fail(
            "slug",
            format!("网址名只能用小写字母、数字和连字符，{}~{}个字符，例如 lift-entrapment", SLUG_CHARS.start(), SLUG_CHARS.end()),
            format!("Use lower-case letters, digits and hyphens, {}–{} characters, e.g. lift-entrapment", SLUG_CHARS.start(), SLUG_CHARS.end()),
        );
    }
    let title = input.title.trim().to_owned();
    if !TITLE_CHARS.contains(&title.chars().count()) {
        fail(
            "title",
            format!("标题需要{}~{}个字", TITLE_CHARS.start(), TITLE_CHARS.end()),
            format!(
                "The title needs {}–{} characters",
                TITLE_CHARS.start(),
                TITLE_CHARS.end()
            ),
        );
    }
    let topic = FaqTopic::parse(input.topic.trim());
    if topic.is_none() {
        fail("topic", "请选择栏目".into(), "Please choose a topic".into());
    }
    let category = match input.complaint_category.trim() {
        "" | "none" => None,
        code => {
            let parsed = Category::parse(code);
            if parsed.is_none() {
                fail(
                    "complaint_category",
                    "请选择投诉类别或“无”".into(),
                    "Choose a complaint category or none".into(),
                );
            }
            parsed
        }
    };
    let tags = split_tags(&input.tags);
    if tags.len() > MAX_TAGS || tags.iter().any(|t| t.chars().count() > TAG_CHARS) {
        fail(
            "tags",
            format!("最多{MAX_TAGS}个关键词，每个不超过{TAG_CHARS}个字，用逗号分隔"),
            format!(
                "At most {MAX_TAGS} keywords of up to {TAG_CHARS} characters, separated by commas"
            ),
        );
    }
    let summary = input.summary.trim().to_owned();
    if !SUMMARY_CHARS.contains(&summary.chars().count()) {
        fail(
            "summary",
            format!(
                "摘要需要{}~{}个字",
                SUMMARY_CHARS.start(),
                SUMMARY_CHARS.end()
            ),
            format!(
                "The summary needs {}–{} characters",
                SUMMARY_CHARS.start(),
                SUMMARY_CHARS.end()
            ),
        );
    }
    let body_md = input.body_md.trim().replace("\r\n", "\n");
    if !BODY_CHARS.contains(&body_md.chars().count()) {
        fail(
            "body_md",
            format!("正文需要{}~{}个字", BODY_CHARS.start(), BODY_CHARS.end()),
            format!(
                "The body needs {}–{} characters",
                BODY_CHARS.start(),
                BODY_CHARS.end()
            ),
        );
    }
    let note = input.note.trim().to_owned();
    if note.chars().count() > NOTE_CHARS {
        fail(
            "note",
            format!("修改说明最多{NOTE_CHARS}个字"),
            format!("The change note is limited to {NOTE_CHARS} characters"),
        );
    }
    let expected_revision = input.revision.trim().parse::<i64>().ok();
    match (topic, errors.is_empty()) {
        (Some(topic), true) => Ok(ValidArticle {
            slug: (!slug.is_empty()).then_some(slug),
            title,
            topic,
            complaint_category: category,
            tags,
            summary,
            body_md,
            expected_revision,
            note,
        }),
        _ => Err(AppError::Validation(FieldErrors {
            fields: errors,
            echo: echo(input),
        })),
    }
}

/// What was typed, by form field name.
pub fn echo(input: &ArticleInput) -> BTreeMap<String, String> {
    [
        ("slug", &input.slug),
        ("title", &input.title),
        ("topic", &input.topic),
        ("complaint_category", &input.complaint_category),
        ("tags", &input.tags),
        ("summary", &input.summary),
        ("body_md", &input.body_md),
        ("note", &input.note),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.clone()))
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> ArticleInput {
        ArticleInput {
            slug: "lift-entrapment".into(),
            title: "被困电梯怎么办".into(),
            topic: "emergency".into(),
            complaint_category: "none".into(),
            tags: "电梯，困梯".into(),
            summary: "被困时按警铃，保持冷静。".into(),
            body_md: "## 先按警铃\n\n不要扒门。".into(),
            ..ArticleInput::default()
        }
    }

    #[test]
    fn a_complete_article_is_accepted() {
        let a = article(&input(), Lang::Zh).unwrap();
        assert_eq!(a.topic, FaqTopic::Emergency);
        assert_eq!(a.tags, vec!["电梯", "困梯"]);
        assert_eq!(a.complaint_category, None);
    }

    #[test]
    fn every_bad_field_is_named_in_the_editors_language() {
        let bad = ArticleInput {
            slug: "Bad Slug!".into(),
            title: "短".into(),
            topic: "nope".into(),
            complaint_category: "x".into(),
            summary: String::new(),
            body_md: "短".into(),
            ..input()
        };
        let Err(AppError::Validation(errors)) = article(&bad, Lang::En) else {
            panic!("refused");
        };
        for field in [
            "slug",
            "title",
            "topic",
            "complaint_category",
            "summary",
            "body_md",
        ] {
            assert!(errors.fields.contains_key(field), "{field}: {errors:?}");
        }
        assert_eq!(errors.echo["title"], "短");
        assert!(errors.fields["title"].starts_with("The title"));
    }

    #[test]
    fn slugs_are_lower_case_words_and_not_page_names() {
        assert!(is_valid_slug("how-to-report-repair"));
        for bad in ["search", "topic", "-x-", "ab", "漏水", "a b c", "12345"] {
            assert!(!is_valid_slug(bad), "{bad}");
        }
    }
}
