//! The FAQ knowledge base: reading and searching (anyone), feedback, and authoring (agents and
//! administrators). Searching and reading never need a login.

use domain::hints::FaqEntry;
use leptos::prelude::*;

use crate::error::AppError;
use crate::model::faq::{
    ArticleInput, FaqArticle, FaqCard, FaqHome, FaqSearchResults, StaffFaqArticle, StaffFaqRow,
};

/// Results on the search page.
pub const SEARCH_PAGE_LIMIT: usize = 20;

/// Topics and the most-read articles.
#[server(endpoint = "load_faq_home")]
pub async fn load_faq_home() -> Result<FaqHome, AppError> {
    crate::ssr::backend().faq.home(crate::ssr::lang()).await
}

/// The published articles of a topic.
#[server(endpoint = "load_faq_topic")]
pub async fn load_faq_topic(topic: String) -> Result<Vec<FaqCard>, AppError> {
    use crate::model::faq::FaqTopic;
    let topic = FaqTopic::parse(&topic).ok_or(AppError::NotFound)?;
    crate::ssr::backend()
        .faq
        .topic(topic, crate::ssr::lang())
        .await
}

/// Search for the search page. Any text is a valid query (an empty one finds nothing).
#[server(endpoint = "faq_search")]
pub async fn faq_search(q: String) -> Result<FaqSearchResults, AppError> {
    crate::ssr::backend()
        .faq
        .search(&q, SEARCH_PAGE_LIMIT, crate::ssr::lang())
        .await
}

/// A published article. Reading it counts a view; `from` = `complaint` (a suggestion on the
/// complaint form) also records the open for the deflection count.
#[server(endpoint = "load_faq_article")]
pub async fn load_faq_article(
    slug: String,
    #[server(default)] from: String,
) -> Result<FaqArticle, AppError> {
    use crate::model::faq::FaqVisit;
    use crate::ssr::{backend, session};
    let session = session()?;
    let staff = session.actor().is_some_and(|a| a.role.is_staff());
    let from_complaint = from == "complaint";
    let key = session.visit_key(from_complaint && !staff).await?;
    let visit = FaqVisit {
        key,
        staff,
        from_complaint,
    };
    let mut article = backend()
        .faq
        .article(&slug, visit, crate::ssr::lang(), chrono::Utc::now())
        .await?
        .ok_or(AppError::NotFound)?;
    let hotlines = backend().directory.hotlines().await?;
    article.body_html = with_hotlines(&article.body_html, &hotlines);
    Ok(article)
}

/// What Chinese articles write where the number goes when they are written for every estate.
#[cfg(feature = "ssr")]
const NOTICE_BOARD: [&str; 2] = ["(见小区公告栏)", "（见小区公告栏）"];
/// The same in English articles.
pub const NOTICE_BOARD_EN: &str = "(see the community notice board)";

/// An article's "服务热线(见小区公告栏)" (or "hotline (see the community notice board)") with
/// the numbers the administrators configured, as `tel:` links: the one number when every
/// community shares it, else each community's. Left as written when no community has a
/// hotline.
#[cfg(feature = "ssr")]
fn with_hotlines(html: &str, hotlines: &[crate::model::ServiceHotline]) -> String {
    use crate::reports::svg::escape;
    let Some(first) = hotlines.first() else {
        return html.to_owned();
    };
    let link = |h: &crate::model::ServiceHotline| {
        format!(
            "<a class=\"tel\" href=\"{}\">{}</a>",
            escape(&h.tel),
            escape(&h.number)
        )
    };
    let shared = hotlines.iter().all(|h| h.number == first.number);
    // Chinese punctuation in Chinese text, English in English.
    let numbers = |colon: &str, between: &str| {
        if shared {
            link(first)
        } else {
            hotlines
                .iter()
                .map(|h| format!("{}{colon}{}", escape(&h.community), link(h)))
                .collect::<Vec<_>>()
                .join(between)
        }
    };
    let chinese = format!("（{}）", numbers("：", "；"));
    let english = format!("({})", numbers(": ", "; "));
    NOTICE_BOARD
        .iter()
        .fold(html.to_owned(), |body, written| {
            body.replace(written, &chinese)
        })
        .replace(NOTICE_BOARD_EN, &english)
}

/// "这篇文章有帮助吗?": `helpful` is `yes` or `no`, the comment optional. Goes back to the
/// article, which then thanks the owner (with or without JavaScript).
#[server(endpoint = "faq_vote")]
pub async fn faq_vote(
    slug: String,
    #[server(default)] helpful: String,
    #[server(default)] comment: String,
) -> Result<(), AppError> {
    use crate::error::FieldErrors;
    use crate::i18n::{fill, t, FaqMsg};
    use crate::ssr::{backend, session};
    const COMMENT_CHARS: usize = 1000;
    let helpful = match helpful.as_str() {
        "yes" => true,
        "no" => false,
        _ => {
            let echo = [("comment".to_owned(), comment)].into_iter().collect();
            return Err(AppError::Validation(
                FieldErrors::one("helpful", t(FaqMsg::VoteChoose)).with_echo(echo),
            ));
        }
    };
    if comment.trim().chars().count() > COMMENT_CHARS {
        let echo = [("comment".to_owned(), comment.clone())]
            .into_iter()
            .collect();
        return Err(AppError::Validation(
            FieldErrors::one(
                "comment",
                fill(t(FaqMsg::CommentTooLong), &[&COMMENT_CHARS]),
            )
            .with_echo(echo),
        ));
    }
    let key = session()?
        .visit_key(true)
        .await?
        .ok_or(AppError::Internal)?;
    let comment = Some(comment).filter(|c| !c.trim().is_empty());
    let noted = if comment.is_some() { "&noted=1" } else { "" };
    backend()
        .faq
        .vote(&slug, helpful, comment, &key, chrono::Utc::now())
        .await?;
    let answer = if helpful { "yes" } else { "no" };
    leptos_axum::redirect(&format!(
        "/faq/{}?voted={answer}{noted}#feedback",
        encode_slug(&slug)
    ));
    Ok(())
}

/// Published articles for the complaint form's suggestions, matched in the browser with
/// `domain::hints::FaqIndex` (keywords: tags and summary, in Chinese and English), titled
/// in the reader's language where the article has a version in it.
#[server(endpoint = "faq_hint_entries")]
pub async fn faq_hint_entries() -> Result<Vec<FaqEntry>, AppError> {
    let hints = crate::ssr::backend().faq.hints().await?;
    let mut entries = hints.entries.clone();
    if crate::ssr::lang() == domain::Lang::En {
        for entry in &mut entries {
            if let Some(title) = hints.titles_en.get(&entry.id) {
                entry.title.clone_from(title);
            }
        }
    }
    Ok(entries)
}

/// Called after a complaint was filed: this visit's suggested articles did not deflect it.
/// Never fails the filing (the cause is logged by the store).
#[cfg(feature = "ssr")]
pub async fn note_complaint_filed() {
    use crate::ssr::{backend, session};
    if let Ok(Some(key)) = async { session()?.visit_key(false).await }.await {
        let _ = backend()
            .faq
            .complaint_filed(&key, chrono::Utc::now())
            .await;
    }
}

/// Every article with its views, votes and deflections; `q` filters by title, slug or topic
/// code, `status` by `draft` / `published`.
#[server(endpoint = "staff_faq_list")]
pub async fn staff_faq_list(
    #[server(default)] q: String,
    #[server(default)] status: String,
) -> Result<Vec<StaffFaqRow>, AppError> {
    let mut rows = crate::ssr::backend()
        .faq
        .staff_list(
            &crate::ssr::require(crate::access::Doing::AuthorFaq)?,
            chrono::Utc::now(),
        )
        .await?;
    let q = q.trim().to_lowercase();
    rows.retain(|r| {
        (status.is_empty() || r.status.code() == status)
            && (q.is_empty()
                || r.title.to_lowercase().contains(&q)
                || r.slug.contains(&q)
                || r.topic.code() == q)
    });
    Ok(rows)
}

/// One article for its editor, with history and feedback.
#[server(endpoint = "load_staff_faq_article")]
pub async fn load_staff_faq_article(id: i64) -> Result<StaffFaqArticle, AppError> {
    crate::ssr::backend()
        .faq
        .staff_article(
            &crate::ssr::require(crate::access::Doing::AuthorFaq)?,
            id,
            chrono::Utc::now(),
        )
        .await?
        .ok_or(AppError::NotFound)
}

/// Creates (no `id`) or saves an article. A new article opens in its editor.
#[server(endpoint = "save_faq_article")]
pub async fn save_faq_article(
    #[server(default)] id: Option<i64>,
    article: ArticleInput,
) -> Result<i64, AppError> {
    use crate::ssr::{backend, lang};
    let actor = crate::ssr::require(crate::access::Doing::AuthorFaq)?;
    let saved = backend()
        .faq
        .save(&actor, id, article, lang(), chrono::Utc::now())
        .await?;
    if id.is_none() {
        leptos_axum::redirect(&format!("/staff/faq/{saved}"));
    }
    Ok(saved)
}

/// `action` = `publish` or `unpublish`.
#[server(endpoint = "set_faq_published")]
pub async fn set_faq_published(id: i64, action: String) -> Result<(), AppError> {
    let publish = match action.as_str() {
        "publish" => true,
        "unpublish" => false,
        _ => return Err(AppError::NotFound),
    };
    crate::ssr::backend()
        .faq
        .set_published(
            &crate::ssr::require(crate::access::Doing::AuthorFaq)?,
            id,
            publish,
            chrono::Utc::now(),
        )
        .await
}

/// The Markdown as the article page will show it.
#[server(endpoint = "preview_faq_markdown")]
pub async fn preview_faq_markdown(body_md: String) -> Result<String, AppError> {
    crate::ssr::require(crate::access::Doing::AuthorFaq)?;
    Ok(crate::ssr::backend().faq.preview(&body_md))
}

/// "转为知识库文章": a draft from a resolved or closed complaint; opens it in the editor.
#[server(endpoint = "draft_faq_from_complaint")]
pub async fn draft_faq_from_complaint(complaint_id: i64) -> Result<i64, AppError> {
    use crate::ssr::{backend, lang};
    let actor = crate::ssr::require(crate::access::Doing::AuthorFaq)?;
    let id = backend()
        .faq
        .draft_from_complaint(&actor, complaint_id, lang(), chrono::Utc::now())
        .await?;
    leptos_axum::redirect(&format!("/staff/faq/{id}"));
    Ok(id)
}

/// Slugs are checked on save, but a vote may name anything: keep the redirect a plain path.
#[cfg(feature = "ssr")]
fn encode_slug(slug: &str) -> String {
    slug.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect()
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::with_hotlines;
    use crate::model::ServiceHotline;

    fn hotline(community: &str, number: &str, tel: &str) -> ServiceHotline {
        ServiceHotline {
            community: community.into(),
            number: number.into(),
            tel: tel.into(),
        }
    }

    #[test]
    fn the_notice_board_gives_way_to_the_configured_numbers() {
        let body = "<p>请拨打物业24小时服务热线(见小区公告栏)或到服务中心。</p>";
        assert_eq!(
            with_hotlines(body, &[]),
            body,
            "nothing configured: as written"
        );
        let shared = [
            hotline("A", "400-820-1234", "tel:4008201234"),
            hotline("B", "400-820-1234", "tel:4008201234"),
        ];
        assert_eq!(
            with_hotlines(body, &shared),
            "<p>请拨打物业24小时服务热线（<a class=\"tel\" href=\"tel:4008201234\">400-820-1234</a>）或到服务中心。</p>"
        );
        let own = [
            hotline("翠<苑>", "0571-1", "tel:05711"),
            hotline("B", "0571-2", "tel:05712"),
        ];
        let filled = with_hotlines(body, &own);
        assert!(
            filled.contains("翠&lt;苑&gt;：<a class=\"tel\" href=\"tel:05711\">0571-1</a>；B：")
        );
        assert!(!filled.contains("公告栏"));
        let english =
            "<p>Call the 24-hour property service hotline (see the community notice board).</p>";
        assert_eq!(
            with_hotlines(english, &shared),
            "<p>Call the 24-hour property service hotline (<a class=\"tel\" href=\"tel:4008201234\">400-820-1234</a>).</p>"
        );
        assert!(with_hotlines(english, &own).contains("0571-1</a>; B: <a"));
    }
}
