//! Revisit surveys answered by owners — in the app (tracking page) or through the link
//! sent to them — and the staff list of revisits still due (rules.md "Satisfaction revisit").

use app::error::{AppError, AppResult};
use app::model::{Actor, EventKind, RevisitDue, RevisitList, SurveyAnswers, SurveyView};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use domain::{check, Lang, Role, Status};
use sqlx::{AnyConnection, Row};

use super::complaints::row::{self, ComplaintRow};
use super::complaints::steps::revisit::{after_answer, parse_answers, record, token_hash};
use super::complaints::{deadlines, views::visible_department, ComplaintStore};
use super::events::{self, NewEvent};
use super::{from_ms, to_ms};
use crate::error::db;
use crate::live::{self, Touched};

#[async_trait]
impl app::ssr::Surveys for ComplaintStore {
    async fn by_token(&self, token: &str, now: DateTime<Utc>) -> AppResult<Option<SurveyView>> {
        let mut conn = self.db.pool.acquire().await.map_err(db("connecting"))?;
        let Some((id, round)) = round_by_token(&mut conn, token, now).await? else {
            return Ok(None);
        };
        let Some(complaint) = row::load(&mut conn, id)
            .await
            .map_err(db("loading a complaint"))?
        else {
            return Ok(None);
        };
        Ok(Some(view(&mut conn, &complaint, round).await?))
    }

    async fn answer_by_token(
        &self,
        token: &str,
        answers: SurveyAnswers,
        lang: Lang,
        now: DateTime<Utc>,
    ) -> AppResult<()> {
        let mut tx = self
            .db
            .begin()
            .await
            .map_err(db("starting a survey answer"))?;
        let (id, round) = round_by_token(&mut tx, token, now)
            .await?
            .ok_or(AppError::NotFound)?;
        answer(self, &mut tx, id, round, &answers, lang, now).await?;
        live::commit(tx, &*self.live, &[Touched::new(id)])
            .await
            .map_err(db("committing a survey answer"))
    }

    async fn answer_in_app(
        &self,
        complaint_id: i64,
        answers: SurveyAnswers,
        lang: Lang,
        now: DateTime<Utc>,
    ) -> AppResult<()> {
        let mut tx = self
            .db
            .begin()
            .await
            .map_err(db("starting a survey answer"))?;
        let complaint = row::load(&mut tx, complaint_id)
            .await
            .map_err(db("loading a complaint"))?
            .ok_or(AppError::NotFound)?;
        answer(
            self,
            &mut tx,
            complaint_id,
            complaint.revisit_round,
            &answers,
            lang,
            now,
        )
        .await?;
        live::commit(tx, &*self.live, &[Touched::new(complaint_id)])
            .await
            .map_err(db("committing a survey answer"))
    }

    async fn revisits_due(&self, actor: &Actor, now: DateTime<Utc>) -> AppResult<RevisitList> {
        let department = visible_department(actor);
        let rows = sqlx::query(
            "SELECT c.id, c.tracking_code, c.category, c.complainant_name, c.phone, h.display_name AS handler,
                    c.resolved_at, c.revisit_round, c.revisit_due_at,
                    CAST(CASE WHEN c.revisit_phone_round >= c.revisit_round THEN 1 ELSE 0 END AS BIGINT) AS phone_task,
                    (SELECT d.recipient_shown FROM deliveries d WHERE d.complaint_id = c.id AND d.kind IN ('survey', 'legacy') ORDER BY d.id DESC LIMIT 1) AS survey_recipient,
                    (SELECT d.status FROM deliveries d WHERE d.complaint_id = c.id AND d.kind IN ('survey', 'legacy') ORDER BY d.id DESC LIMIT 1) AS survey_status
             FROM complaints c LEFT JOIN users h ON h.id = c.handler_id
             WHERE c.status = $1 AND ($2 = 0 OR c.department_id = $3)
             ORDER BY COALESCE(c.revisit_due_at, c.resolved_at) ASC, c.id ASC LIMIT 500",
        )
        .bind(Status::Resolved.code())
        .bind(i64::from(department.is_some()))
        .bind(department.unwrap_or(0))
        .fetch_all(&self.db.pool)
        .await
        .map_err(db("listing revisits due"))?;
        let due = rows
            .iter()
            .map(|r| {
                Ok(RevisitDue {
                    id: r.try_get("id")?,
                    tracking_code: r.try_get("tracking_code")?,
                    category: row::parse_category(&r.try_get::<String, _>("category")?),
                    complainant: r.try_get("complainant_name")?,
                    phone: r.try_get("phone")?,
                    handler: r.try_get("handler")?,
                    resolved_at: from_ms(r.try_get::<Option<i64>, _>("resolved_at")?.unwrap_or(0)),
                    round: r.try_get("revisit_round")?,
                    survey_queued_to: r.try_get::<Option<String>, _>("survey_recipient")?,
                    survey_sent: r.try_get::<Option<String>, _>("survey_status")?.as_deref()
                        == Some("sent"),
                    due_at: r.try_get::<Option<i64>, _>("revisit_due_at")?.map(from_ms),
                    phone_task: r.try_get::<i64, _>("phone_task")? == 1,
                })
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()
            .map_err(db("reading revisits due"))?;
        let totals = sqlx::query(
            "SELECT COUNT(*), CAST(COALESCE(SUM(CASE WHEN answered_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS BIGINT),
                    CAST(COALESCE(SUM(CASE WHEN answered_at IS NOT NULL AND reviewed_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS BIGINT)
             FROM revisits",
        )
        .fetch_one(&self.db.pool)
        .await
        .map_err(db("counting revisits"))?;
        Ok(RevisitList {
            due,
            rounds: totals.try_get(0).map_err(db("reading revisit counts"))?,
            answered: totals.try_get(1).map_err(db("reading revisit counts"))?,
            reviewed: totals.try_get(2).map_err(db("reading revisit counts"))?,
            now,
        })
    }
}

/// The open round a token belongs to, if the token is valid: unanswered and not expired.
async fn round_by_token(
    conn: &mut AnyConnection,
    token: &str,
    now: DateTime<Utc>,
) -> AppResult<Option<(i64, i64)>> {
    let token = token.trim();
    if token.len() != 48 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    sqlx::query(
        "SELECT complaint_id, round FROM revisits
         WHERE token_hash = $1 AND answered_at IS NULL AND token_expires_at > $2",
    )
    .bind(token_hash(&token.to_ascii_lowercase()))
    .bind(to_ms(now))
    .fetch_optional(&mut *conn)
    .await
    .map_err(db("checking a survey link"))?
    .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
    .transpose()
    .map_err(db("reading a survey round"))
}

async fn view(
    conn: &mut AnyConnection,
    complaint: &ComplaintRow,
    round: i64,
) -> AppResult<SurveyView> {
    let result: Option<String> = sqlx::query(
        "SELECT body FROM complaint_events WHERE complaint_id = $1 AND kind = 'status' AND after_value = $2
         ORDER BY id DESC LIMIT 1",
    )
    .bind(complaint.id)
    .bind(Status::Resolved.code())
    .fetch_optional(&mut *conn)
    .await
    .map_err(db("loading the result"))?
    .map(|r| r.try_get(0))
    .transpose()
    .map_err(db("reading the result"))?
    .flatten();
    Ok(SurveyView {
        tracking_code: complaint.tracking_code.clone(),
        category: complaint.category,
        filed_at: complaint.filed_at,
        resolved_at: complaint.resolved_at,
        result,
        round,
    })
}

/// Records the owner's answers to round `round`; an unsatisfied answer reopens the
/// complaint. Only an explicit submission gets here: opening the link records nothing.
async fn answer(
    store: &ComplaintStore,
    conn: &mut AnyConnection,
    id: i64,
    round: i64,
    raw: &SurveyAnswers,
    lang: Lang,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let complaint = row::load(&mut *conn, id)
        .await
        .map_err(db("loading a complaint"))?
        .ok_or(AppError::NotFound)?;
    if complaint.status != Status::Resolved || complaint.revisit_round != round {
        return Err(AppError::Conflict(match lang {
            Lang::Zh => "这次回访已经结束，感谢您的反馈".to_owned(),
            Lang::En => "This revisit is already closed; thank you for your feedback".to_owned(),
        }));
    }
    let answers = parse_answers(raw, lang)?;
    record(&mut *conn, &complaint, &answers, "survey", None, now).await?;
    let policy = store.policy.current();
    let action = after_answer(&mut *conn, &complaint, &answers, &policy, now).await?;
    let to = check(complaint.status, action, Role::Owner)
        .map_err(|e| AppError::Conflict(e.message(lang)))?;
    let moved = sqlx::query(
        "UPDATE complaints SET status = $3, updated_at = $4 WHERE id = $1 AND status = $2",
    )
    .bind(id)
    .bind(complaint.status.code())
    .bind(to.code())
    .bind(to_ms(now))
    .execute(&mut *conn)
    .await
    .map_err(db("recording a revisit"))?;
    if moved.rows_affected() != 1 {
        return Err(AppError::Conflict(
            "请刷新后再试 / Please reload and try again".to_owned(),
        ));
    }
    let summary = format!("在线问卷：{}", answers.summary(Lang::Zh));
    let summary_en = format!("Online survey: {}", answers.summary(Lang::En));
    let event = NewEvent::public(id, now, EventKind::Revisit)
        .by_role(Role::Owner)
        .before(complaint.status.code())
        .after(to.code())
        .body_both(&summary, &summary_en);
    events::append(&mut *conn, event)
        .await
        .map_err(db("recording a revisit"))?;
    deadlines::refresh(&mut *conn, id, &store.policy)
        .await
        .map_err(db("computing deadlines"))
}
