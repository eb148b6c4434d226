//! "转为知识库文章": a resolved or closed complaint becomes a draft article (rules.md
//! "Lifecycle" 8: "a useful case can become a FAQ article"), prefilled with what was asked, what
//! we replied, the solution and the root cause, with the owner's personal data removed.

use app::error::{AppError, AppResult};
use app::model::faq::FaqTopic;
use app::model::Actor;
use chrono::{DateTime, Utc};
use domain::{Category, Lang, Status};
use sqlx::Row;

use super::articles;
use super::validate::{ValidArticle, BODY_CHARS, SUMMARY_CHARS, TITLE_CHARS};
use crate::db::Db;
use crate::error::db;
use crate::faq::scrub::{scrub, Known};
use crate::store::complaints::row;

/// The complaint statuses a case may be written up from.
const DONE: &[Status] = &[Status::Resolved, Status::Revisited, Status::Closed];

pub async fn from_complaint(
    database: &Db,
    actor: &Actor,
    complaint_id: i64,
    lang: Lang,
    now: DateTime<Utc>,
) -> AppResult<i64> {
    let mut conn = database.pool.acquire().await.map_err(db("connecting"))?;
    let existing: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM faq_articles WHERE source_complaint_id = $1 ORDER BY id LIMIT 1",
    )
    .bind(complaint_id)
    .fetch_optional(&mut *conn)
    .await
    .map_err(db("finding a case article"))?;
    if let Some(id) = existing {
        return Ok(id);
    }
    let complaint = row::load(&mut conn, complaint_id)
        .await
        .map_err(db("loading a complaint"))?
        .ok_or(AppError::NotFound)?;
    if !DONE.contains(&complaint.status) {
        return Err(AppError::Conflict(
            match lang {
                Lang::En => "Only resolved or closed complaints can become FAQ articles.",
                Lang::Zh => "只有已解决或已结案的投诉可以转为知识库文章。",
            }
            .to_owned(),
        ));
    }
    let replies: Vec<String> = sqlx::query(
        "SELECT body FROM complaint_events
         WHERE complaint_id = $1 AND public = 1 AND body IS NOT NULL
           AND (kind = 'reply' OR (kind = 'status' AND after_value = 'resolved'))
         ORDER BY id",
    )
    .bind(complaint_id)
    .fetch_all(&mut *conn)
    .await
    .map_err(db("loading replies"))?
    .iter()
    .map(|r| r.try_get::<String, _>("body"))
    .collect::<Result<_, _>>()
    .map_err(db("reading replies"))?;
    drop(conn);

    let known = Known {
        names: vec![complaint.complainant.clone()],
        phones: vec![complaint.phone.clone()],
        places: [Some(complaint.unit.clone()), complaint.building.clone()]
            .into_iter()
            .flatten()
            .collect(),
        codes: vec![complaint.tracking_code.clone()],
    };
    let clean = |text: &str| scrub(text.trim(), &known);
    let case = Case {
        category: complaint.category,
        description: clean(&complaint.description),
        replies: replies.iter().map(|r| clean(r)).collect(),
        solution: complaint.solution.as_deref().map(clean),
        root_cause: complaint.root_cause.as_deref().map(clean),
        corrective_action: complaint.corrective_action.as_deref().map(clean),
    };
    let article = case.draft(lang);
    articles::create(
        database,
        actor,
        &article,
        "complaint",
        Some(complaint_id),
        lang,
        now,
    )
    .await
}

/// The case with personal data already removed.
struct Case {
    category: Category,
    description: String,
    replies: Vec<String>,
    solution: Option<String>,
    root_cause: Option<String>,
    corrective_action: Option<String>,
}

impl Case {
    fn draft(&self, lang: Lang) -> ValidArticle {
        let zh = lang != Lang::En;
        let heading = |z: &'static str, e: &'static str| if zh { z } else { e };
        let mut body = String::new();
        body.push_str(heading("## 业主遇到的问题\n\n", "## The problem\n\n"));
        body.push_str(&quote(&self.description));
        if !self.replies.is_empty() {
            body.push_str(heading(
                "\n\n## 我们怎样处理\n\n",
                "\n\n## How we handled it\n\n",
            ));
            for reply in &self.replies {
                body.push_str("- ");
                body.push_str(&reply.replace('\n', " "));
                body.push('\n');
            }
        }
        if let Some(solution) = &self.solution {
            body.push_str(heading("\n\n## 解决办法\n\n", "\n\n## The solution\n\n"));
            body.push_str(solution);
        }
        if self.root_cause.is_some() || self.corrective_action.is_some() {
            body.push_str(heading(
                "\n\n## 原因和预防\n\n",
                "\n\n## Cause and prevention\n\n",
            ));
            if let Some(cause) = &self.root_cause {
                let label = heading("原因", "Cause");
                body.push_str(&format!("- **{label}**{}{cause}\n", heading(":", ": ")));
            }
            if let Some(action) = &self.corrective_action {
                body.push_str(&format!(
                    "- **{}**{action}\n",
                    heading("预防措施：", "Prevention: ")
                ));
            }
        }
        let first = first_clause(&self.description);
        let mut title = if zh {
            format!("{}:{first}", self.category.label(Lang::Zh))
        } else {
            format!("{}: {first}", self.category.label(Lang::En))
        };
        if title.chars().count() < *TITLE_CHARS.start() {
            title.push_str(heading("怎么办？", " — what to do"));
        }
        let summary_source = self
            .solution
            .as_deref()
            .or(self.replies.last().map(String::as_str))
            .unwrap_or(&self.description);
        ValidArticle {
            slug: None,
            title: cut(&title, *TITLE_CHARS.end()),
            topic: topic_for(self.category),
            complaint_category: Some(self.category),
            tags: vec![self.category.label(Lang::Zh).to_owned()],
            summary: pad(
                cut(summary_source, *SUMMARY_CHARS.end()),
                *SUMMARY_CHARS.start(),
            ),
            body_md: cut(&body, *BODY_CHARS.end()),
            expected_revision: None,
            note: "from_complaint".to_owned(),
        }
    }
}

/// Where a case about this category most likely belongs (staff may move it).
fn topic_for(category: Category) -> FaqTopic {
    match category {
        Category::EngineeringQuality => FaqTopic::Warranty,
        Category::RepairService => FaqTopic::Repair,
        Category::ExternalEnvironment => FaqTopic::Utilities,
        Category::PropertyManagement => FaqTopic::Neighbourhood,
        _ => FaqTopic::Complaints,
    }
}

/// The owner's words as a Markdown quote (what they typed is not Markdown).
fn quote(text: &str) -> String {
    text.lines()
        .map(|l| format!("> {}", l.trim()))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The first clause that says what happened (not "我是业主" or a removed room number), at
/// most 24 characters.
fn first_clause(text: &str) -> String {
    let clauses: Vec<String> = text
        .split(|c: char| ",.!?;:,。!?;:\n".contains(c))
        .map(|c| {
            without_placeholders(c)
                .trim()
                .chars()
                .take(24)
                .collect::<String>()
        })
        .filter(|c| !c.is_empty())
        .collect();
    clauses
        .iter()
        .find(|c| c.chars().count() >= 4 && !c.contains("业主"))
        .or(clauses.first())
        .cloned()
        .unwrap_or_default()
}

/// "[房号]厨房漏水" → "厨房漏水".
fn without_placeholders(text: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    for c in text.chars() {
        match c {
            '[' => depth += 1,
            ']' if depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

fn cut(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

fn pad(mut text: String, min: usize) -> String {
    while text.chars().count() < min {
        text.push('…');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_case_becomes_a_valid_draft_with_every_part() {
        let case = Case {
            category: Category::RepairService,
            description: "[房号]厨房水管漏水,报修两次没人来。".into(),
            replies: vec!["已安排师傅上门".into(), "接头已更换,已试水无渗漏".into()],
            solution: Some("更换破损的水管接头".into()),
            root_cause: Some("接头老化".into()),
            corrective_action: Some("每年巡检一次".into()),
        };
        let draft = case.draft(Lang::Zh);
        assert_eq!(draft.title, "维修服务:厨房水管漏水");
        assert_eq!(draft.topic, FaqTopic::Repair);
        assert_eq!(draft.summary, "更换破损的水管接头");
        for part in [
            "> [房号]厨房水管漏水",
            "- 已安排师傅上门",
            "## 解决办法",
            "- **原因**:接头老化",
        ] {
            assert!(draft.body_md.contains(part), "{part}: {}", draft.body_md);
        }
        assert!(BODY_CHARS.contains(&draft.body_md.chars().count()));
    }
}
