//! The owner's answer to a 不成立 judgement (rules.md "Chain of responsibility"): they accept
//! it, and the complaint is closed; or they dispute it once, with their reasons, and a
//! supervisor other than the one who judged decides again (upholds it with a reasoned reply,
//! or reverses it and the complaint continues as valid).

use app::error::{AppError, AppResult, FieldErrors};
use app::model::EventKind;
use chrono::{DateTime, Utc};
use domain::fields::{bounded_text, Field};
use domain::{Action, Lang, Role, Status};

use super::{deadlines, row, ComplaintStore};
use crate::error::db;
use crate::live::{self, Touched};
use crate::store::events::{self, NewEvent};
use crate::store::notifications::{self, Message};
use crate::store::to_ms;

/// The owner's reasons for a dispute: at least 5 characters, at most 1000.
const REASONS: Field = Field {
    name: "reason",
    zh: "申诉理由",
    en: "your reasons",
};

/// What the owner answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Accept,
    Dispute,
}

impl Answer {
    pub fn parse(code: &str) -> Option<Answer> {
        match code.trim() {
            "accept" => Some(Answer::Accept),
            "dispute" => Some(Answer::Dispute),
            _ => None,
        }
    }
}

fn refused(field: &str, lang: Lang, zh: &str, en: &str) -> AppError {
    AppError::Validation(FieldErrors::one(
        field,
        if lang == Lang::Zh { zh } else { en },
    ))
}

pub async fn answer(
    store: &ComplaintStore,
    complaint_id: i64,
    owner_user: Option<i64>,
    answer: Answer,
    reasons: &str,
    lang: Lang,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let reasons = match answer {
        Answer::Dispute => Some(bounded_text(REASONS, reasons, 5, 1000).map_err(|e| {
            let mut errors = FieldErrors::one("reason", e.message(lang));
            errors.echo.insert("reason".to_owned(), reasons.to_owned());
            AppError::Validation(errors)
        })?),
        Answer::Accept => None,
    };
    let mut tx = store.db.begin().await.map_err(db("starting"))?;
    let complaint = row::load(&mut tx, complaint_id)
        .await
        .map_err(db("loading a complaint"))?
        .ok_or(AppError::NotFound)?;
    if complaint.status != Status::NotValid {
        return Err(refused(
            "answer",
            lang,
            "这宗投诉现在没有待您答复的判定",
            "There is no judgement on this complaint for you to answer now",
        ));
    }
    if answer == Answer::Dispute && complaint.disputed_at.is_some() {
        return Err(refused(
            "answer",
            lang,
            "您已申诉过一次，复核结果为最终答复；如有新的情况请重新提交投诉",
            "You have disputed this once and the review is final; please file a new complaint if something new happened",
        ));
    }
    let action = match answer {
        Answer::Dispute => Action::Dispute,
        Answer::Accept => Action::AcceptJudgement,
    };
    let to = domain::check(complaint.status, action, Role::Owner)
        .map_err(|e| AppError::Conflict(e.message(lang)))?;
    let done = sqlx::query(
        "UPDATE complaints SET status = $3, updated_at = $4, last_progress_at = $4,
            disputed_at = COALESCE($5, disputed_at), closed_at = COALESCE($6, closed_at)
         WHERE id = $1 AND status = $2",
    )
    .bind(complaint_id)
    .bind(complaint.status.code())
    .bind(to.code())
    .bind(to_ms(now))
    .bind((to == Status::Disputed).then(|| to_ms(now)))
    .bind((to == Status::Closed).then(|| to_ms(now)))
    .execute(&mut *tx)
    .await
    .map_err(db("answering a judgement"))?;
    if done.rows_affected() != 1 {
        return Err(AppError::Conflict(match lang {
            Lang::Zh => "这宗投诉刚有更新，请刷新后再试".to_owned(),
            Lang::En => "This complaint was just updated; please reload and try again".to_owned(),
        }));
    }
    let kind = match answer {
        Answer::Dispute => EventKind::Dispute,
        Answer::Accept => EventKind::Status,
    };
    let mut event = NewEvent::public(complaint_id, now, kind)
        .by_role(Role::Owner)
        .before(complaint.status.code())
        .after(to.code());
    event.actor_id = owner_user;
    if let Some(text) = reasons.as_deref() {
        event = event.body(text);
    }
    events::append(&mut tx, event)
        .await
        .map_err(db("recording the answer"))?;
    if answer == Answer::Dispute {
        // Every supervisor but the one who judged it hears of the dispute.
        let mut told = notifications::holders(&mut tx, domain::Approver::Supervisor, None)
            .await
            .map_err(db("finding supervisors"))?;
        told.retain(|u| Some(*u) != complaint.judged_by);
        let message = Message {
            kind: "dispute",
            zh: format!(
                "业主对投诉 {} 的不成立判定提出申诉，请复核（维持或改判）",
                complaint.tracking_code
            ),
            en: format!(
                "The owner disputes the not-valid judgement of {}: please review it (uphold or reverse)",
                complaint.tracking_code
            ),
        };
        notifications::notify(&mut tx, &told, Some(complaint_id), &message, now)
            .await
            .map_err(db("notifying"))?;
    }
    deadlines::refresh(&mut tx, complaint_id, &store.policy)
        .await
        .map_err(db("computing deadlines"))?;
    live::commit(tx, &*store.live, &[Touched::new(complaint_id)])
        .await
        .map_err(db("committing"))
}
