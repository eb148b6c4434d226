//! Filing: grade the intake facts (rules.md "Severity"), link it to complaints about the
//! same issue and to the owner's earlier one (rules.md "Group and repeat complaints"),
//! and record it with its first timeline entry — all in one transaction.

use app::error::{AppError, AppResult, FieldErrors};
use app::model::{EventKind, Receipt};
use chrono::{DateTime, Duration, Utc};
use domain::recording::Recording;
use domain::{
    find_same_issue, Features, Grade, Intake, IntakeFacts, Level, RecentComplaint, Role,
    StatedFacts, Status, SubmissionKey, TrackingCode,
};
use std::sync::Arc;

use rand::RngCore;
use sqlx::{AnyConnection, AnyPool, Row};

use super::{deadlines, groups, row, similar, ComplaintStore};
use crate::error::{db, internal};
use crate::live::Touched;
use crate::policy::PolicyHandle;
use crate::store::events::{self, NewEvent};
use crate::store::notifications::{self, Message};
use crate::store::{local_month, to_ms};

/// A complaint an agent records: how and when it was received, and by whom.
pub struct Recorded {
    pub recording: Recording,
    pub agent_id: i64,
    pub agent_role: Role,
}

/// Files a complaint: from the owner's form (`recorded` is `None`: received `now`), or
/// recorded by an agent (received at `recording.received_at`; every clock, the grouping
/// window and the first timeline entry count from then).
pub async fn file(
    store: &ComplaintStore,
    intake: Intake,
    stated: StatedFacts,
    owner: Option<i64>,
    key: Option<SubmissionKey>,
    recorded: Option<Recorded>,
    entered: DateTime<Utc>,
) -> AppResult<Receipt> {
    let now = recorded
        .as_ref()
        .map_or(entered, |r| r.recording.received_at);
    // The same form sent again (a double tap, a retry): the complaint it already filed.
    if let Some(key) = &key {
        let mut conn = store
            .db
            .pool
            .acquire()
            .await
            .map_err(db("looking up a submission"))?;
        if let Some(receipt) = already_filed(&mut conn, key, &intake).await? {
            return Ok(receipt);
        }
    }
    // The daily quota is the portal form's; agents record what reaches them.
    if store.phone_filings_per_day > 0 && recorded.is_none() {
        let filed = filed_online_since(&store.db.pool, &intake.phone, now - Duration::hours(24))
            .await
            .map_err(db("counting a phone's complaints"))?;
        if filed >= i64::from(store.phone_filings_per_day) {
            return Err(AppError::RateLimited);
        }
    }
    store
        .writer
        .file(Filing {
            intake,
            stated,
            owner,
            key,
            recorded,
            entered,
        })
        .await
}

/// One complaint to file, its checks passed.
pub struct Filing {
    pub intake: Intake,
    pub stated: StatedFacts,
    pub owner: Option<i64>,
    pub key: Option<SubmissionKey>,
    pub recorded: Option<Recorded>,
    pub entered: DateTime<Utc>,
}

/// What filing needs besides the connection.
pub struct Rules {
    pub policy: Arc<PolicyHandle>,
    pub utc_offset_minutes: i32,
    /// Which grams are frequent, for the similar-complaint lookup.
    pub frequencies: similar::Frequencies,
}

/// What writing a filing came to.
pub enum Written {
    /// Filed: its receipt, and the complaints whose pages change.
    Filed(Receipt, Vec<Touched>),
    /// Its form was already filed (the unique key refused it): undone, the receipt is the
    /// earlier one's.
    Duplicate,
}

/// Writes one filing on `conn`, inside the writer's transaction: everything it reads
/// (the same-issue complaints, the group) includes the filings written before it in the
/// same commit, so a burst about one leak groups as if filed one by one.
pub async fn write(conn: &mut AnyConnection, rules: &Rules, filing: &Filing) -> AppResult<Written> {
    let Filing {
        intake,
        stated,
        owner,
        key,
        recorded,
        entered,
    } = filing;
    let (owner, entered) = (*owner, *entered);
    let now = recorded
        .as_ref()
        .map_or(entered, |r| r.recording.received_at);
    let policy = rules.policy.current();
    let since = now - policy.groups.lookback();
    let features = Features::of(&intake.description);
    let recent = similar::candidates(
        &mut *conn,
        &similar::Query {
            community_id: intake.community_id,
            category: intake.category,
            phone: intake.phone.as_str(),
            since,
            others_since: now - policy.groups.window(),
            features: &features,
            min_similarity: policy.groups.min_similarity,
            frequencies: &rules.frequencies,
        },
    )
    .await
    .map_err(db("loading recent complaints"))?;
    let candidate = RecentComplaint {
        id: 0,
        community_id: intake.community_id,
        building_id: intake.building_id,
        category: intake.category,
        text: intake.description.clone(),
        complainant: intake.phone.as_str().to_owned(),
        filed_at: now,
        handled: false,
    };
    let finding = find_same_issue(
        &candidate,
        &recent
            .iter()
            .map(|r| r.complaint.clone())
            .collect::<Vec<_>>(),
        now,
        &policy.groups,
    );
    let matched: Vec<&similar::Recent> = recent
        .iter()
        .filter(|r| finding.same_issue_ids.contains(&r.complaint.id))
        .collect();
    // The group is named after its first complaint.
    let group_id = matched
        .iter()
        .map(|r| r.group_id.unwrap_or(r.complaint.id))
        .min();
    // Its complainants as the group counts them (only a few of a large group's members are
    // compared), with the matched complaints not yet in it and this one.
    let complainants = match group_id {
        Some(root) => {
            let group = groups::known(&mut *conn, root, intake.phone.as_str())
                .await
                .map_err(db("loading a group"))?;
            let outside: std::collections::BTreeSet<&str> = matched
                .iter()
                .filter(|r| r.group_id != Some(root))
                .map(|r| r.complaint.complainant.as_str())
                .filter(|p| *p != intake.phone.as_str())
                .collect();
            let counted = group.complainants
                + u32::from(!group.has_phone)
                + u32::try_from(outside.len()).unwrap_or(u32::MAX);
            counted.max(finding.distinct_complainants_30d)
        }
        None => finding.distinct_complainants_30d,
    };
    let known = IntakeFacts {
        repeat: finding.repeat_of.is_some(),
        same_issue_complainants_30d: complainants,
        ..IntakeFacts::default()
    };
    // What was stated stands; what the text says (媒体, 律师, 12345, 十几户…) fills only what
    // was left out. Staff can override.
    let preview = domain::hints::preview(&intake.description, stated, &known, &policy.grading);
    let graded = preview.grade;
    // The level its own facts give, the group's size aside: a group's size is told to the
    // supervisors once, when it crosses a threshold, not with every complaint that joins.
    let own_level = domain::grade(
        &IntakeFacts {
            same_issue_complainants_30d: 1,
            ..preview.filled.facts.clone()
        },
        &policy.grading,
    )
    .level;

    let tx = &mut *conn;
    let code = new_tracking_code();
    let id = insert(
        &mut *tx,
        intake,
        &code,
        &graded,
        group_id,
        finding.repeat_of,
        complainants,
        now,
        rules.utc_offset_minutes,
    )
    .await?;
    similar::index(
        &mut *tx,
        &similar::Indexed {
            id,
            community_id: intake.community_id,
            category: intake.category.code(),
            filed_at: now,
            group_id,
            features: &features,
        },
    )
    .await
    .map_err(db("indexing the text"))?;
    sqlx::query("UPDATE complaints SET stated_facts = $2, level_basis = $3 WHERE id = $1")
        .bind(id)
        .bind(serde_json::to_string(&stated).map_err(|e| internal("encoding facts", e))?)
        .bind(super::regrading::basis_json(&preview.filled.facts))
        .execute(&mut *tx)
        .await
        .map_err(db("recording the facts"))?;
    if let Some(key) = &key {
        // Two copies racing: the unique index lets one through; the other gets its receipt.
        let claimed = sqlx::query("UPDATE complaints SET submission_key = $2 WHERE id = $1")
            .bind(id)
            .bind(key.as_str())
            .execute(&mut *tx)
            .await;
        match claimed {
            Ok(_) => {}
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                return Ok(Written::Duplicate);
            }
            Err(e) => return Err(db("recording the submission key")(e)),
        }
    }
    if let Some(recorded) = &recorded {
        let recording = &recorded.recording;
        sqlx::query(
            "UPDATE complaints SET channel = $2, agent_id = $3, recorded_at = $4,
                external_ref = $5, external_due_at = $6,
                first_contact_at = CASE WHEN $7 = 1 THEN filed_at ELSE first_contact_at END
             WHERE id = $1",
        )
        .bind(id)
        .bind(recording.channel.code())
        .bind(recorded.agent_id)
        .bind(to_ms(entered))
        .bind(recording.external_ref.as_deref())
        .bind(recording.external_due_at.map(to_ms))
        .bind(i64::from(recording.was_contact()))
        .execute(&mut *tx)
        .await
        .map_err(db("recording how it was received"))?;
    }
    link_household(&mut *tx, id, intake.building_id, &intake.unit).await?;
    if let Some(owner) = owner {
        // Filed by a logged-in owner: it shows up under "my complaints".
        sqlx::query("UPDATE complaints SET owner_user_id = $2 WHERE id = $1")
            .bind(id)
            .bind(owner)
            .execute(&mut *tx)
            .await
            .map_err(db("recording the owner"))?;
    }
    let mut filed = NewEvent::public(id, now, EventKind::Filed)
        .by_role(Role::Owner)
        .after(Status::Filed.code());
    if let Some(recorded) = &recorded {
        // Recorded by the agent, in the owner's name: the owner sees it received then.
        filed = filed.by_role(recorded.agent_role);
        filed.actor_id = Some(recorded.agent_id);
    }
    events::append(&mut *tx, filed)
        .await
        .map_err(db("recording the filing"))?;
    if let Some(earlier) = finding.repeat_of {
        let earlier = earlier.to_string();
        let note = NewEvent::internal(id, now, EventKind::Group)
            .after(&earlier)
            .body("repeat");
        events::append(&mut *tx, note)
            .await
            .map_err(db("recording a repeat"))?;
    }
    if let Some(root) = group_id {
        let attach: Vec<(i64, String)> = matched
            .iter()
            .filter(|r| r.group_id.is_none())
            .map(|r| (r.complaint.id, r.complaint.complainant.clone()))
            .collect();
        let joining = Joining {
            new_id: id,
            root,
            phone: intake.phone.as_str(),
            attach: &attach,
            estimated: complainants,
        };
        link_group(&mut *tx, &joining, &rules.policy, now).await?;
    }
    deadlines::refresh(&mut *tx, id, &rules.policy)
        .await
        .map_err(db("computing deadlines"))?;
    // Level one by its own facts tells the level-one chain; level one by its group's size
    // was told once, to the group's chain, when the group crossed the threshold.
    if graded.level == Level::One && (group_id.is_none() || own_level == Level::One) {
        let message = Message::level_one(&code.display(), "新提交", "just filed");
        let policy = rules.policy.current();
        let told = notifications::chain(&mut *tx, &policy.escalation.level_1, None)
            .await
            .map_err(db("finding who is told"))?;
        notifications::notify(&mut *tx, &told, Some(id), &message, now)
            .await
            .map_err(db("notifying"))?;
    }
    // The new complaint, and its group: they now list it and count its complainant.
    let touched = std::iter::once(id)
        .chain(group_id)
        .chain(
            matched
                .iter()
                .filter(|r| r.group_id.is_none())
                .map(|r| r.complaint.id),
        )
        .map(Touched::new)
        .collect::<Vec<_>>();
    Ok(Written::Filed(
        Receipt {
            complaint_id: id,
            tracking_code: code.as_str().to_owned(),
        },
        touched,
    ))
}

/// A key already used by a complaint with another phone: not this owner's form.
/// Complaints this phone filed through the portal since `since` (the daily quota).
async fn filed_online_since(
    pool: &AnyPool,
    phone: &domain::PhoneNumber,
    since: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    sqlx::query(
        "SELECT COUNT(*) FROM complaints WHERE phone = $1 AND filed_at >= $2 AND channel = 'web'",
    )
    .bind(phone.as_str())
    .bind(to_ms(since))
    .fetch_one(pool)
    .await?
    .try_get(0)
}

pub const FILED_ELSEWHERE: &str =
    "这份表单已经提交过，请刷新页面后重新填写 / This form was already sent; reload the page and fill it in again";

/// The complaint a form with `key` already filed, if the same phone filed it (the key
/// alone never reveals a complaint).
pub async fn already_filed(
    conn: &mut AnyConnection,
    key: &SubmissionKey,
    intake: &Intake,
) -> AppResult<Option<Receipt>> {
    let found =
        sqlx::query("SELECT id, tracking_code, phone FROM complaints WHERE submission_key = $1")
            .bind(key.as_str())
            .fetch_optional(&mut *conn)
            .await
            .map_err(db("looking up a submission"))?;
    let Some(row) = found else {
        return Ok(None);
    };
    let phone: String = row.try_get("phone").map_err(db("reading a submission"))?;
    if phone != intake.phone.as_str() {
        return Err(AppError::Conflict(FILED_ELSEWHERE.to_owned()));
    }
    Ok(Some(Receipt {
        complaint_id: row.try_get("id").map_err(db("reading a submission"))?,
        tracking_code: row
            .try_get("tracking_code")
            .map_err(db("reading a submission"))?,
    }))
}

#[allow(clippy::too_many_arguments)]
async fn insert(
    conn: &mut AnyConnection,
    intake: &Intake,
    code: &TrackingCode,
    graded: &Grade,
    group_id: Option<i64>,
    repeat_of: Option<i64>,
    complainants: u32,
    now: DateTime<Utc>,
    utc_offset_minutes: i32,
) -> AppResult<i64> {
    let flags: Vec<&str> = intake.flags.iter().map(|f| f.code()).collect();
    let reasons =
        serde_json::to_string(&graded.reasons).map_err(|e| internal("encoding reasons", e))?;
    let answers =
        serde_json::to_string(&intake.answers).map_err(|e| internal("encoding answers", e))?;
    // A clash among 30^12 codes is practically impossible; the UNIQUE index would refuse
    // it and the owner could simply submit again.
    sqlx::query(
        "INSERT INTO complaints
            (tracking_code, channel, community_id, building_id, unit, complainant_name, phone,
             category, description, people_count, claimed_amount_fen, flags, impact, emergency,
             status, level, level_reasons, group_id, repeat_of, same_issue_complainants,
             filed_at, filed_month, updated_at, unresolved_since, topic, answers, lang)
         VALUES ($1, 'web', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $20, $20, $22, $23, $24)
         RETURNING id",
    )
    .bind(code.as_str())
    .bind(intake.community_id)
    .bind(intake.building_id)
    .bind(&intake.unit)
    .bind(&intake.name)
    .bind(intake.phone.as_str())
    .bind(intake.category.code())
    .bind(&intake.description)
    .bind(i64::from(intake.people_count))
    .bind(i64::try_from(intake.claimed_amount_fen).unwrap_or(i64::MAX))
    .bind(flags.join(","))
    .bind(intake.impact.code())
    .bind(i64::from(intake.emergency))
    .bind(Status::Filed.code())
    .bind(i64::from(graded.level.number()))
    .bind(reasons)
    .bind(group_id)
    .bind(repeat_of)
    .bind(i64::from(complainants))
    .bind(to_ms(now))
    .bind(local_month(now, utc_offset_minutes))
    .bind(intake.topic.as_deref())
    .bind(answers)
    .bind(intake.lang.tag())
    .fetch_one(&mut *conn)
    .await
    .map_err(|e| match &e {
        sqlx::Error::Database(d) if d.is_foreign_key_violation() => AppError::Validation(FieldErrors::one(
            "community_id",
            "所选小区或楼栋不存在，请重新选择 / The chosen community or building does not exist",
        )),
        _ => internal("filing a complaint", e),
    })?
    .try_get(0)
    .map_err(db("reading the new complaint id"))
}

/// A new complaint joining a group.
#[derive(Clone, Copy)]
struct Joining<'a> {
    new_id: i64,
    /// The group, by its first complaint.
    root: i64,
    phone: &'a str,
    /// The matched complaints in no group yet: they join too.
    attach: &'a [(i64, String)],
    /// The complainants counted when the new complaint was graded.
    estimated: u32,
}

/// Puts the new complaint (and the matched ones in no group yet) into the group `root` and
/// counts its complainants. When that count crosses a threshold the group had not reached
/// (rules.md "Group and repeat complaints"), the group's open members are raised and the
/// supervisors told — once per threshold, whatever the group's size.
async fn link_group(
    conn: &mut AnyConnection,
    joining: &Joining<'_>,
    rules: &PolicyHandle,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let Joining {
        new_id,
        root,
        phone,
        attach,
        estimated,
    } = *joining;
    let policy = &*rules.current();
    let group = root.to_string();
    let note = NewEvent::internal(new_id, now, EventKind::Group)
        .after(&group)
        .body("group");
    events::append(&mut *conn, note)
        .await
        .map_err(db("recording a group"))?;
    let joined = groups::join(&mut *conn, root, phone, attach, &policy.groups, now)
        .await
        .map_err(db("linking a group"))?;
    let linked: Vec<i64> = attach.iter().map(|(id, _)| *id).collect();
    similar::grouped(&mut *conn, root, &linked)
        .await
        .map_err(db("indexing a group"))?;
    let members = if joined.crossed.is_some() {
        let open: Vec<&str> = Status::ALL
            .iter()
            .filter(|s| s.is_open())
            .map(|s| s.code())
            .collect();
        groups::open_members(&mut *conn, root, &open)
            .await
            .map_err(db("loading a group's members"))?
    } else if joined.complainants > estimated {
        // Others joined while this one was graded (and one of them crossed the threshold
        // before this was linked): this one is graded again with the group's count.
        vec![new_id]
    } else {
        Vec::new()
    };
    for member in members {
        let Some(complaint) = row::load(&mut *conn, member)
            .await
            .map_err(db("loading a member"))?
        else {
            continue;
        };
        let facts = complaint.facts_at(now);
        let raised = super::regrading::raise(&mut *conn, &complaint, &facts, policy, now)
            .await
            .map_err(db("raising a level"))?;
        if raised.is_some() {
            deadlines::refresh(&mut *conn, complaint.id, rules)
                .await
                .map_err(db("computing deadlines"))?;
        }
    }
    if joined.crossed.is_none() {
        return Ok(());
    }
    let complainants = joined.complainants;
    let message = Message {
        kind: "group",
        zh: format!("群诉：同一问题30天内已有{complainants}位业主投诉。请部门经理和分管副总第一时间出面，统一口径答复，当天内联系业主"),
        en: format!(
            "Group complaint: {complainants} owners raised the same issue within 30 days. The department manager and the deputy in charge take charge in person, answer with one voice and contact the owners today"
        ),
    };
    let told = notifications::chain(&mut *conn, &policy.escalation.group, None)
        .await
        .map_err(db("finding who is told"))?;
    notifications::notify(&mut *conn, &told, Some(new_id), &message, now)
        .await
        .map_err(db("notifying"))?;
    Ok(())
}

fn new_tracking_code() -> TrackingCode {
    let mut rng = rand::rngs::OsRng;
    TrackingCode::generate(|| rng.next_u32())
}

/// Links the complaint to its unit in the estate when what was typed as 单元/房号 names
/// one of the building's units ("2单元1501", or "1501" where the building has no
/// entrances), spaces and "-" aside.
pub async fn link_household(
    conn: &mut sqlx::AnyConnection,
    id: i64,
    building_id: Option<i64>,
    typed_unit: &str,
) -> AppResult<()> {
    let Some(building_id) = building_id else {
        return Ok(());
    };
    let typed: String = typed_unit
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    if typed.is_empty() {
        return Ok(());
    }
    sqlx::query(
        "UPDATE complaints SET household_id =
            (SELECT MIN(h.id) FROM households h
             WHERE h.building_id = $2 AND h.retired = 0 AND h.entrance || h.unit = $3)
         WHERE id = $1",
    )
    .bind(id)
    .bind(building_id)
    .bind(typed)
    .execute(&mut *conn)
    .await
    .map_err(db("linking the unit"))?;
    Ok(())
}
