//! What owners and staff see of one complaint, and who may see what.

use app::error::{AppError, AppResult};
use app::model::{
    Actor, ApprovalView, Department, LinkedComplaint, OwnerComplaint, Person, Promise, RevisitView,
    Satisfaction, StaffComplaint, WaitingView,
};
use chrono::{DateTime, Datelike, Utc};
use domain::calendar::BusinessCalendar;
use domain::sla::SlaContext;
use domain::{available_actions, evaluate, overall, Role};
use sqlx::{AnyConnection, Row};

use super::row::{self, ComplaintRow};
use super::ComplaintStore;
use crate::error::db;
use crate::store::{events, from_ms};

/// Handlers see their department's complaints; other staff see all; owners none here.
pub fn visible_department(actor: &Actor) -> Option<i64> {
    match actor.role {
        Role::Handler => Some(actor.department_id.unwrap_or(-1)),
        _ => None,
    }
}

pub fn may_see(actor: &Actor, complaint_department: Option<i64>) -> bool {
    app::access::may(
        Some(actor),
        app::access::Doing::SeeComplaint(app::access::Scope {
            department_id: complaint_department,
            handler_id: None,
        }),
    )
}

fn promises(complaint: &ComplaintRow, ctx: &SlaContext<'_>, now: DateTime<Utc>) -> Vec<Promise> {
    let windows = ctx.policy.windows(complaint.level, complaint.emergency);
    evaluate(&complaint.clock_inputs(), ctx, now)
        .into_iter()
        .map(|(clock, state)| Promise {
            clock,
            state,
            window_minutes: clock.window(windows).duration().num_minutes(),
        })
        .collect()
}

/// The wait in progress, as the pages show it.
fn waiting_view(waits: &[domain::waiting::Wait]) -> Option<WaitingView> {
    domain::waiting::current(waits).map(|w| WaitingView {
        awaiting: w.awaiting,
        since: w.from,
        note: w.note.clone(),
    })
}

/// The years from filing to a year after `now` (how far a clock can reach) that the
/// business calendar lacks.
fn missing_years(
    calendar: &BusinessCalendar,
    policy: &domain::Policy,
    filed_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Vec<i32> {
    let zone = policy.time_zone();
    let (from, to) = (
        filed_at.with_timezone(&zone).year(),
        now.with_timezone(&zone).year(),
    );
    (from..=to.max(from))
        .filter(|y| !calendar.knows_year(*y))
        .collect()
}

fn department(complaint: &ComplaintRow) -> Option<Department> {
    Some(Department {
        id: complaint.department_id?,
        code: complaint.department_code.clone().unwrap_or_default(),
        name_zh: complaint.department_zh.clone().unwrap_or_default(),
        name_en: complaint.department_en.clone().unwrap_or_default(),
        handlers: Vec::new(),
    })
}

pub async fn owner_view(
    store: &ComplaintStore,
    id: i64,
    now: DateTime<Utc>,
) -> AppResult<Option<OwnerComplaint>> {
    let mut conn = store.db.pool.acquire().await.map_err(db("connecting"))?;
    let Some(c) = row::load(&mut conn, id)
        .await
        .map_err(db("loading a complaint"))?
    else {
        return Ok(None);
    };
    let timeline = events::timeline(&mut conn, id, true)
        .await
        .map_err(db("loading a timeline"))?;
    let policy = store.policy.current();
    let calendar = store.policy.calendar();
    let survey_pending = c.status == domain::Status::Resolved
        && sqlx::query(
            "SELECT 1 FROM revisits WHERE complaint_id = $1 AND round = $2 AND answered_at IS NULL",
        )
        .bind(id)
        .bind(c.revisit_round)
        .fetch_optional(&mut *conn)
        .await
        .map_err(db("checking the revisit"))?
        .is_some();
    let evidence = crate::store::evidence::list(&mut conn, id).await?;
    let judgement = (c.status == domain::Status::NotValid).then(|| app::model::JudgementView {
        // The newest public entry that left it not valid carries the reasoning.
        reasoning: timeline
            .iter()
            .rev()
            .find(|e| e.after.as_deref() == Some(domain::Status::NotValid.code()))
            .and_then(|e| e.body.clone())
            .unwrap_or_default(),
        may_dispute: c.disputed_at.is_none(),
    });
    Ok(Some(OwnerComplaint {
        id,
        judgement,
        survey_pending,
        evidence,
        open_for_owner: c.status != domain::Status::Closed,
        waiting: waiting_view(&c.waits),
        notices: crate::store::outbox::owner_notices(&mut conn, id)
            .await
            .map_err(db("reading the owner's messages"))?,
        now,
        promises: promises(&c, &SlaContext::new(&policy, &calendar), now),
        department: department(&c),
        tracking_code: c.tracking_code,
        status: c.status,
        category: c.category,
        filed_at: c.filed_at,
        community: c.community,
        building: c.building,
        unit: c.unit,
        description: c.description,
        emergency: c.emergency,
        handler: c.handler_name,
        timeline,
    }))
}

pub async fn staff_view(
    store: &ComplaintStore,
    actor: &Actor,
    id: i64,
    now: DateTime<Utc>,
) -> AppResult<Option<StaffComplaint>> {
    let mut conn = store.db.pool.acquire().await.map_err(db("connecting"))?;
    let Some(c) = row::load(&mut conn, id)
        .await
        .map_err(db("loading a complaint"))?
    else {
        return Ok(None);
    };
    if !may_see(actor, c.department_id) {
        return Err(AppError::Forbidden);
    }
    let policy = store.policy.current();
    let calendar = store.policy.calendar();
    let sla_ctx = SlaContext::new(&policy, &calendar);
    let clocks = promises(&c, &sla_ctx, now);
    let stages = domain::evaluate_stages(&c.stage_inputs(), &policy.stages, &sla_ctx, now)
        .into_iter()
        .map(|(stage, state)| app::model::StageClock { stage, state })
        .collect();
    let report_submitted = match (c.report_submitted_at, c.report_submitted_by) {
        (Some(at), Some(by)) => Some(app::model::Done {
            by: crate::store::directory::person(&mut conn, by)
                .await?
                .map(|p| p.name)
                .unwrap_or_default(),
            at,
        }),
        _ => None,
    };
    let may_submit_report =
        report_submitted.is_none() && super::steps::report::may_submit(actor, &c);
    let sla = overall(
        &clocks
            .iter()
            .map(|p| (p.clock, p.state))
            .collect::<Vec<_>>(),
    );
    let timeline = events::timeline(&mut conn, id, false)
        .await
        .map_err(db("loading a timeline"))?;
    // The same owner's other complaints are no group members (a repeat is shown as one).
    const MEMBERS: &str = "(c.group_id = $1 OR c.id = $1) AND c.id <> $2
         AND c.phone <> (SELECT o.phone FROM complaints o WHERE o.id = $2)";
    let (group, group_total) = match c.group_id {
        Some(group) => {
            let listed = linked(&mut conn, MEMBERS, group, id).await?;
            let total: i64 = sqlx::query_scalar(&format!(
                "SELECT COUNT(*) FROM complaints c WHERE {MEMBERS}"
            ))
            .bind(group)
            .bind(id)
            .fetch_one(&mut *conn)
            .await
            .map_err(db("counting a group"))?;
            (listed, u32::try_from(total).unwrap_or(u32::MAX))
        }
        None => (Vec::new(), 0),
    };
    let repeat_of = match c.repeat_of {
        Some(earlier) => linked(&mut conn, "c.id = $1 AND c.id <> $2", earlier, id)
            .await?
            .into_iter()
            .next(),
        None => None,
    };
    let may_act = actor.role != Role::Handler || c.handler_id == Some(actor.user_id);
    let mut actions = if may_act {
        available_actions(c.status, actor.role)
    } else {
        Vec::new()
    };
    // A dispute is decided by someone other than the judge.
    if c.judged_by == Some(actor.user_id) {
        actions.retain(|a| {
            !matches!(
                a,
                domain::Action::ConfirmNotValid | domain::Action::ReverseJudgement
            )
        });
    }
    let approver = c
        .solution
        .is_some()
        .then(|| policy.approval.approver_for(c.compensation_fen))
        .filter(|a| *a != domain::Approver::Handler);
    let may_correct = app::access::may(Some(actor), app::access::Doing::CorrectRecord)
        && c.status != domain::Status::Closed;
    let may_reassign = app::access::may(Some(actor), app::access::Doing::CorrectRecord)
        && super::steps::may_reassign(c.status);
    let departments = if actions.contains(&domain::Action::Assign)
        || actions.contains(&domain::Action::Close)
        || may_reassign
    {
        crate::store::directory::departments(&mut conn).await?
    } else {
        Vec::new()
    };
    let unit_in_estate = unit_in_estate(&mut conn, id).await?;
    let commander = match c.commander_id {
        Some(user) => crate::store::directory::person(&mut conn, user).await?,
        None => None,
    };
    let commander_choices =
        if c.level == domain::Level::One && c.status.is_open() && actor.role == Role::Supervisor {
            crate::store::directory::commanders(&mut conn).await?
        } else {
            Vec::new()
        };
    Ok(Some(StaffComplaint {
        commander,
        commander_choices,
        unit_in_estate,
        received: how_received(&mut conn, id).await?,
        household_id: sqlx::query("SELECT household_id FROM complaints WHERE id = $1")
            .bind(id)
            .fetch_one(&mut *conn)
            .await
            .and_then(|row| row.try_get(0))
            .map_err(db("reading the household"))?,
        id,
        approvals: approvals(&mut conn, id).await?,
        approver,
        stages,
        report_submitted,
        may_submit_report,
        may_review_revisit: super::steps::revisit::may_review(actor)
            && super::steps::revisit::unreviewed(&mut conn, id)
                .await?
                .is_some(),
        responsibility: responsibility(&mut conn, id).await?,
        revisits: revisits(&mut conn, id).await?,
        department: department(&c),
        handler: c
            .handler_id
            .zip(c.handler_name.clone())
            .map(|(id, name)| Person { id, name }),
        agent: c
            .agent_id
            .zip(c.agent_name.clone())
            .map(|(id, name)| Person { id, name }),
        tracking_code: c.tracking_code,
        status: c.status,
        category: c.category,
        level: c.level,
        level_manual: c.level_manual,
        reasons: c.reasons,
        clocks,
        sla,
        filed_at: c.filed_at,
        community: c.community,
        building: c.building,
        unit: c.unit,
        complainant: c.complainant,
        phone: c.phone,
        people_count: c.people_count,
        claimed_amount_fen: c.claimed_amount_fen,
        impact: c.impact,
        stated_impact: c.stated.as_ref().and_then(|s| s.impact),
        flags: c.flags,
        emergency: c.emergency,
        description: c.description,
        topic: c.topic,
        answers: c.answers,
        same_issue_complainants: c.same_issue_complainants,
        group,
        group_total,
        repeat_of,
        solution: c.solution,
        compensation_fen: c.compensation_fen,
        root_cause: c.root_cause,
        corrective_action: c.corrective_action,
        canned_replies: canned(&mut conn).await?,
        owner_lang: c.lang,
        evidence: crate::store::evidence::list(&mut conn, id).await?,
        may_override_level: matches!(actor.role, Role::Agent | Role::Supervisor | Role::Admin),
        may_correct,
        may_reassign,
        may_wait: may_act && actor.role != Role::Admin && c.status.is_open(),
        waiting: waiting_view(&c.waits),
        calendar_missing_years: missing_years(&calendar, &policy, c.filed_at, now),
        departments,
        actions,
        timeline,
        now,
    }))
}

async fn linked(
    conn: &mut AnyConnection,
    condition: &str,
    key: i64,
    except: i64,
) -> AppResult<Vec<LinkedComplaint>> {
    let sql = format!(
        "SELECT c.id, c.tracking_code, c.status, c.complainant_name, c.filed_at FROM complaints c
         WHERE {condition} ORDER BY c.filed_at LIMIT 50"
    );
    sqlx::query(&sql)
        .bind(key)
        .bind(except)
        .fetch_all(&mut *conn)
        .await
        .map_err(db("loading linked complaints"))?
        .iter()
        .map(|r| {
            Ok(LinkedComplaint {
                id: r.try_get("id")?,
                tracking_code: r.try_get("tracking_code")?,
                status: row::parse_status(&r.try_get::<String, _>("status")?),
                complainant: r.try_get("complainant_name")?,
                filed_at: from_ms(r.try_get("filed_at")?),
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(db("reading linked complaints"))
}

async fn approvals(conn: &mut AnyConnection, id: i64) -> AppResult<Vec<ApprovalView>> {
    sqlx::query(
        "SELECT a.id, a.approver, a.plan, a.compensation_fen, r.display_name AS requested_by, a.requested_at,
                d.display_name AS decided_by, a.decided_at, a.decision, a.reason
         FROM approvals a JOIN users r ON r.id = a.requested_by LEFT JOIN users d ON d.id = a.decided_by
         WHERE a.complaint_id = $1 ORDER BY a.id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await
    .map_err(db("loading approvals"))?
    .iter()
    .map(|r| {
        Ok(ApprovalView {
            id: r.try_get("id")?,
            approver: domain::Approver::parse(&r.try_get::<String, _>("approver")?)
                .unwrap_or(domain::Approver::Supervisor),
            plan: r.try_get("plan")?,
            compensation_fen: u64::try_from(r.try_get::<i64, _>("compensation_fen")?).unwrap_or(0),
            requested_by: r.try_get("requested_by")?,
            requested_at: from_ms(r.try_get("requested_at")?),
            decided_by: r.try_get("decided_by")?,
            decided_at: r.try_get::<Option<i64>, _>("decided_at")?.map(from_ms),
            decision: r.try_get("decision")?,
            reason: r.try_get("reason")?,
        })
    })
    .collect::<Result<_, sqlx::Error>>()
    .map_err(db("reading approvals"))
}

/// The responsibility recorded at closing (`None` until closed with one).
pub async fn responsibility(
    conn: &mut AnyConnection,
    id: i64,
) -> AppResult<Option<app::model::ResponsibilityView>> {
    let row = sqlx::query(
        "SELECT c.responsible_department_id, c.responsible_person, c.closing_checks, c.training_case,
                d.code, d.name_zh, d.name_en
         FROM complaints c LEFT JOIN departments d ON d.id = c.responsible_department_id
         WHERE c.id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await
    .map_err(db("loading the responsibility"))?;
    let Some(r) = row else { return Ok(None) };
    let read = || -> Result<Option<app::model::ResponsibilityView>, sqlx::Error> {
        let Some(department_id) = r.try_get::<Option<i64>, _>(0)? else {
            return Ok(None);
        };
        let checks: String = r.try_get(2)?;
        let codes: Vec<String> = serde_json::from_str(&checks).unwrap_or_default();
        Ok(Some(app::model::ResponsibilityView {
            department: Some(Department {
                id: department_id,
                code: r.try_get::<Option<String>, _>(4)?.unwrap_or_default(),
                name_zh: r.try_get::<Option<String>, _>(5)?.unwrap_or_default(),
                name_en: r.try_get::<Option<String>, _>(6)?.unwrap_or_default(),
                handlers: Vec::new(),
            }),
            person: r.try_get::<Option<String>, _>(1)?.unwrap_or_default(),
            checks: codes
                .iter()
                .filter_map(|c| domain::ClosingCheck::parse(c))
                .collect(),
            training_case: r.try_get::<i64, _>(3)? == 1,
        }))
    };
    read().map_err(db("reading the responsibility"))
}

pub async fn revisits(conn: &mut AnyConnection, id: i64) -> AppResult<Vec<RevisitView>> {
    let answer =
        |r: &sqlx::any::AnyRow, column: &str| -> Result<Option<Satisfaction>, sqlx::Error> {
            Ok(r.try_get::<Option<String>, _>(column)?
                .as_deref()
                .and_then(Satisfaction::parse))
        };
    sqlx::query(
        "SELECT r.round, r.created_at, r.answered_at, r.method, r.process, r.timeliness, r.attitude,
                r.result, r.overall, r.comment, u.display_name AS reviewer, r.reviewed_at, r.review_note
         FROM revisits r LEFT JOIN users u ON u.id = r.reviewed_by
         WHERE r.complaint_id = $1 ORDER BY r.round",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await
    .map_err(db("loading revisits"))?
    .iter()
    .map(|r| {
        Ok(RevisitView {
            round: r.try_get("round")?,
            created_at: from_ms(r.try_get("created_at")?),
            answered_at: r.try_get::<Option<i64>, _>("answered_at")?.map(from_ms),
            method: r.try_get("method")?,
            process: answer(r, "process")?,
            timeliness: answer(r, "timeliness")?,
            attitude: answer(r, "attitude")?,
            result: answer(r, "result")?,
            overall: r.try_get::<Option<i64>, _>("overall")?.and_then(|n| u8::try_from(n).ok()),
            comment: r.try_get("comment")?,
            reviewed_by: r.try_get("reviewer")?,
            reviewed_at: r.try_get::<Option<i64>, _>("reviewed_at")?.map(from_ms),
            review_note: r.try_get("review_note")?,
        })
    })
    .collect::<Result<_, sqlx::Error>>()
    .map_err(db("reading revisits"))
}

/// The active canned replies (placeholders are filled in the editor).
async fn canned(conn: &mut AnyConnection) -> AppResult<Vec<app::model::CannedReply>> {
    sqlx::query(
        "SELECT id, title, body, body_en FROM canned_replies WHERE active = 1 ORDER BY title",
    )
    .fetch_all(&mut *conn)
    .await
    .map_err(db("loading canned replies"))?
    .iter()
    .map(|r| {
        Ok(app::model::CannedReply {
            id: r.try_get("id")?,
            title: r.try_get("title")?,
            body: r.try_get("body")?,
            body_en: r.try_get("body_en")?,
        })
    })
    .collect::<Result<_, sqlx::Error>>()
    .map_err(db("reading canned replies"))
}

async fn how_received(conn: &mut AnyConnection, id: i64) -> AppResult<app::model::HowReceived> {
    let row = sqlx::query(
        "SELECT channel, recorded_at, external_ref, external_due_at FROM complaints WHERE id = $1",
    )
    .bind(id)
    .fetch_one(&mut *conn)
    .await
    .map_err(db("reading how it was received"))?;
    let read = || -> Result<app::model::HowReceived, sqlx::Error> {
        Ok(app::model::HowReceived {
            channel: domain::Channel::parse(&row.try_get::<String, _>("channel")?)
                .unwrap_or_default(),
            recorded_at: row.try_get::<Option<i64>, _>("recorded_at")?.map(from_ms),
            external_ref: row.try_get("external_ref")?,
            external_due_at: row
                .try_get::<Option<i64>, _>("external_due_at")?
                .map(from_ms),
        })
    };
    read().map_err(db("reading how it was received"))
}

/// `None` when the complaint's building has no units in the estate.
async fn unit_in_estate(conn: &mut AnyConnection, id: i64) -> AppResult<Option<bool>> {
    let row = sqlx::query(
        "SELECT c.household_id,
                (SELECT COUNT(*) FROM households h WHERE h.building_id = c.building_id) AS units
         FROM complaints c WHERE c.id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await
    .map_err(db("reading the unit"))?;
    let Some(row) = row else {
        return Ok(None);
    };
    let household: Option<i64> = row
        .try_get("household_id")
        .map_err(db("reading the unit"))?;
    let units: i64 = row.try_get("units").map_err(db("reading the unit"))?;
    Ok((units > 0).then_some(household.is_some()))
}
