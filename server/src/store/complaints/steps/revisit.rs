//! Satisfaction revisits (rules.md "Satisfaction revisit", "Lifecycle" 7): one round per
//! resolution; the process and the result are asked about separately; an unsatisfied
//! answer reopens the complaint, raises it, and tells the supervisors.

use app::error::{AppError, AppResult, FieldErrors};
use app::model::{Satisfaction, StepInput, SurveyAnswers};
use chrono::{DateTime, Utc};
use domain::{Action, Lang, Policy};
use sqlx::AnyConnection;

use super::Ctx;
use crate::error::db;
use crate::store::complaints::row::ComplaintRow;
use crate::store::notifications::{self, Message};
use crate::store::to_ms;

/// How long a survey link stays valid (domain: the token expires when answered or after 30 days).
pub const SURVEY_LINK_DAYS: i64 = 30;

/// Opens revisit round `round` of a just-resolved complaint: a survey the owner can answer
/// in the app, and a link with a random 192-bit token for other channels (queued in the
/// outbox for the owner's channels). Only the token's SHA-256 is kept; the outbox forgets the
/// link once it has been sent.
pub async fn open_round(
    conn: &mut AnyConnection,
    complaint: &ComplaintRow,
    round: i64,
    public_url: &str,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let token = new_token();
    sqlx::query(
        "INSERT INTO revisits (complaint_id, round, created_at, token_hash, token_expires_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(complaint.id)
    .bind(round)
    .bind(to_ms(now))
    .bind(token_hash(&token))
    .bind(to_ms(now + chrono::Duration::days(SURVEY_LINK_DAYS)))
    .execute(&mut *conn)
    .await
    .map_err(db("opening a revisit"))?;
    let link = format!("{}/survey/{token}", public_url.trim_end_matches('/'));
    crate::store::outbox::queue_survey(&mut *conn, complaint.id, &link, now)
        .await
        .map_err(db("queueing the survey link"))
}

/// 24 random bytes from the OS, hex: 192 bits, safe in any URL.
fn new_token() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 24];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What is stored instead of the token.
pub fn token_hash(token: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The answers of one revisit, parsed.
pub struct Answers {
    pub process: Satisfaction,
    pub timeliness: Satisfaction,
    pub attitude: Satisfaction,
    pub result: Satisfaction,
    pub overall: u8,
    pub comment: String,
}

impl Answers {
    /// 不满意 on any question, or an overall score of 2 or less, reopens the complaint.
    pub fn satisfied(&self) -> bool {
        let any_unsatisfied = [self.process, self.timeliness, self.attitude, self.result]
            .contains(&Satisfaction::Unsatisfied);
        !any_unsatisfied && self.overall > 2
    }

    /// One line for the timeline, in `lang`.
    pub fn summary(&self, lang: Lang) -> String {
        let mut text = match lang {
            Lang::Zh => format!(
                "处理过程：{}；及时性：{}；服务态度：{}；处理结果：{}；总体评分：{}/5",
                self.process.label(lang),
                self.timeliness.label(lang),
                self.attitude.label(lang),
                self.result.label(lang),
                self.overall
            ),
            Lang::En => format!(
                "Process: {}; timeliness: {}; attitude: {}; result: {}; overall: {}/5",
                self.process.label(lang),
                self.timeliness.label(lang),
                self.attitude.label(lang),
                self.result.label(lang),
                self.overall
            ),
        };
        if !self.comment.is_empty() {
            text.push_str(&format!("\n{}", self.comment));
        }
        text
    }
}

/// Reads the answers; every question is required, the comment is not.
pub fn parse_answers(raw: &SurveyAnswers, lang: Lang) -> AppResult<Answers> {
    let invalid = |field: &str, zh: &str, en: &str| {
        let mut errors = FieldErrors::one(field, if lang == Lang::Zh { zh } else { en });
        errors
            .echo
            .insert("comment".to_owned(), raw.comment.clone());
        AppError::Validation(errors)
    };
    let pick = |field: &str, value: &str| {
        Satisfaction::parse(value.trim())
            .ok_or_else(|| invalid(field, "请选择满意程度", "Please choose an answer"))
    };
    let process = pick("process", &raw.process)?;
    let timeliness = pick("timeliness", &raw.timeliness)?;
    let attitude = pick("attitude", &raw.attitude)?;
    let result = pick("result", &raw.result)?;
    let overall = raw
        .overall
        .trim()
        .parse::<u8>()
        .ok()
        .filter(|n| (1..=5).contains(n))
        .ok_or_else(|| invalid("overall", "请打1到5分", "Please rate from 1 to 5"))?;
    let comment = raw.comment.trim();
    if comment.chars().count() > 1000 {
        return Err(invalid(
            "comment",
            "意见最多1000字",
            "At most 1,000 characters",
        ));
    }
    Ok(Answers {
        process,
        timeliness,
        attitude,
        result,
        overall,
        comment: comment.to_owned(),
    })
}

/// The survey questions of a staff step.
fn answers_of(input: &StepInput) -> SurveyAnswers {
    SurveyAnswers {
        process: input.process.clone(),
        timeliness: input.timeliness.clone(),
        attitude: input.attitude.clone(),
        result: input.result.clone(),
        overall: input.overall.clone(),
        comment: input.comment.clone(),
    }
}

/// What a logged revisit decided.
pub struct Logged {
    pub action: Action,
    /// The timeline's line, in Chinese and in English.
    pub summary: (String, String),
}

/// A revisit staff logged after a phone call or visit.
pub async fn log_by_staff(
    conn: &mut AnyConnection,
    ctx: &Ctx<'_>,
    complaint: &ComplaintRow,
    policy: &Policy,
) -> AppResult<Logged> {
    let method = match ctx.input.method.trim() {
        m @ ("phone" | "visit") => m,
        _ => {
            return Err(ctx.invalid(
                "method",
                "请选择回访方式（电话或上门）",
                "Choose how the revisit was made (phone or visit)",
            ))
        }
    };
    let answers = parse_answers(&answers_of(ctx.input), ctx.lang)?;
    record(
        conn,
        complaint,
        &answers,
        method,
        Some(ctx.actor.user_id),
        ctx.now,
    )
    .await?;
    let action = after_answer(conn, complaint, &answers, policy, ctx.now).await?;
    let (zh, en) = if method == "phone" {
        ("电话回访", "Revisit by phone")
    } else {
        ("上门回访", "Revisit in person")
    };
    Ok(Logged {
        action,
        summary: (
            format!("{zh}：{}", answers.summary(Lang::Zh)),
            format!("{en}: {}", answers.summary(Lang::En)),
        ),
    })
}

/// Writes the answers into the complaint's current round (one answer per round).
pub async fn record(
    conn: &mut AnyConnection,
    complaint: &ComplaintRow,
    answers: &Answers,
    method: &str,
    by: Option<i64>,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let done = sqlx::query(
        "UPDATE revisits SET answered_at = $3, method = $4, answered_by = $5, process = $6, timeliness = $7,
                attitude = $8, result = $9, overall = $10, comment = $11, token_hash = NULL
         WHERE complaint_id = $1 AND round = $2 AND answered_at IS NULL",
    )
    .bind(complaint.id)
    .bind(complaint.revisit_round)
    .bind(to_ms(now))
    .bind(method)
    .bind(by)
    .bind(answers.process.code())
    .bind(answers.timeliness.code())
    .bind(answers.attitude.code())
    .bind(answers.result.code())
    .bind(i64::from(answers.overall))
    .bind((!answers.comment.is_empty()).then_some(answers.comment.as_str()))
    .execute(&mut *conn)
    .await
    .map_err(db("recording a revisit"))?;
    if done.rows_affected() != 1 {
        return Err(AppError::Conflict(
            "本轮回访已经有答复 / This revisit round is already answered".to_owned(),
        ));
    }
    Ok(())
}

/// Satisfied → revisited. Not satisfied → reopened, raised as a repeat (rules.md
/// "Severity": a second complaint after handling), supervisors and handler told.
pub async fn after_answer(
    conn: &mut AnyConnection,
    complaint: &ComplaintRow,
    answers: &Answers,
    policy: &Policy,
    now: DateTime<Utc>,
) -> AppResult<Action> {
    if answers.satisfied() {
        return Ok(Action::RecordRevisit);
    }
    let mut facts = complaint.facts_at(now);
    facts.repeat = true;
    // A repeat raises the level (or, at the same level, is added to its reasons).
    crate::store::complaints::regrading::raise(&mut *conn, complaint, &facts, policy, now)
        .await
        .map_err(db("raising a level"))?;
    let message = Message {
        kind: "unsatisfied",
        zh: format!(
            "业主对投诉 {} 的处理不满意，已重新打开",
            complaint.tracking_code
        ),
        en: format!(
            "The owner is not satisfied with {}; it was reopened",
            complaint.tracking_code
        ),
    };
    let mut told = notifications::supervisors(&mut *conn)
        .await
        .map_err(db("finding supervisors"))?;
    told.extend(complaint.handler_id);
    notifications::notify(&mut *conn, &told, Some(complaint.id), &message, now)
        .await
        .map_err(db("notifying"))?;
    Ok(Action::RecordUnsatisfiedRevisit)
}

/// Who reviews revisit records: the access module's answer (supervisors).
pub fn may_review(actor: &app::model::Actor) -> bool {
    app::access::may(Some(actor), app::access::Doing::ReviewRevisits)
}

/// The newest answered revisit round of complaint `id` not reviewed yet.
pub async fn unreviewed(conn: &mut AnyConnection, id: i64) -> AppResult<Option<i64>> {
    use sqlx::Row;
    sqlx::query(
        "SELECT round FROM revisits WHERE complaint_id = $1 AND answered_at IS NOT NULL
           AND reviewed_at IS NULL ORDER BY round DESC LIMIT 1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await
    .map_err(db("finding a revisit to review"))?
    .map(|r| r.try_get::<i64, _>(0))
    .transpose()
    .map_err(db("reading a revisit"))
}

/// `review_revisit`: the customer-service supervisor reviews the newest answered revisit
/// record (客户回访报告表), with guidance for the agent if any; recorded on the internal
/// timeline and counted in the 回访审查率.
pub async fn review(
    conn: &mut AnyConnection,
    ctx: &Ctx<'_>,
    complaint: &ComplaintRow,
) -> AppResult<()> {
    if !may_review(ctx.actor) {
        return Err(AppError::Forbidden);
    }
    let Some(round) = unreviewed(conn, complaint.id).await? else {
        return Err(AppError::Conflict(match ctx.lang {
            Lang::Zh => "没有待审查的回访记录".to_owned(),
            Lang::En => "No revisit record waits for a review".to_owned(),
        }));
    };
    let note = ctx.input.review_note.trim();
    if note.chars().count() > 1000 {
        return Err(ctx.invalid(
            "review_note",
            "审查意见最多1000字",
            "At most 1000 characters",
        ));
    }
    let note = (!note.is_empty()).then(|| note.to_owned());
    let done = sqlx::query(
        "UPDATE revisits SET reviewed_by = $3, reviewed_at = $4, review_note = $5
         WHERE complaint_id = $1 AND round = $2 AND reviewed_at IS NULL",
    )
    .bind(complaint.id)
    .bind(round)
    .bind(ctx.actor.user_id)
    .bind(to_ms(ctx.now))
    .bind(note.as_deref())
    .execute(&mut *conn)
    .await
    .map_err(db("reviewing a revisit"))?;
    if done.rows_affected() != 1 {
        return Err(AppError::Conflict(match ctx.lang {
            Lang::Zh => "这条回访记录刚被审查过".to_owned(),
            Lang::En => "This revisit record was just reviewed".to_owned(),
        }));
    }
    let (text, text_en) = match &note {
        Some(n) => (
            format!("回访记录已审查（第{round}轮）：{n}"),
            format!("Revisit record reviewed (round {round}): {n}"),
        ),
        None => (
            format!("回访记录已审查（第{round}轮）"),
            format!("Revisit record reviewed (round {round})"),
        ),
    };
    let event = crate::store::events::NewEvent::internal(
        complaint.id,
        ctx.now,
        app::model::EventKind::Revisit,
    )
    .by(ctx.actor)
    .body_both(&text, &text_en)
    .after("revisit_review");
    crate::store::events::append(&mut *conn, event)
        .await
        .map_err(db("recording a review"))?;
    Ok(())
}
