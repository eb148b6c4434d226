//! Staff correct the record (rules.md "Stated facts win"; the desk's corrections): what an
//! owner chose or ticked can be wrong — the category, the unit, the people affected, the
//! amount, the impact, the risk flags, emergency. A correction is a stated fact from then
//! on; the level is worked out again from the corrected facts (a level set by hand stays,
//! and only a new fact may raise it), with the reasons shown. Each correction is an audit
//! row and an internal timeline entry with before → after and why; the owner sees the
//! corrections they should know of (the category). Handing a complaint to another
//! department or handler is a correction of who owns it, with a public entry.

use std::collections::BTreeSet;

use app::error::{AppError, AppResult};
use app::model::EventKind;
use domain::fields::{bounded_text, Field};
use domain::{Category, Impact, Lang, Level, Policy, RiskFlag, StatedFacts, Status};

use super::Ctx;
use crate::error::{db, internal};
use crate::store::complaints::row::{self, ComplaintRow};
use crate::store::events::{self, NewEvent};
use crate::store::to_ms;
use crate::store::users;

const REASON: Field = Field {
    name: "reason",
    zh: "更正原因",
    en: "reason for the correction",
};

/// One field that changed: its name in both languages, before and after.
struct Change {
    zh: &'static str,
    en: &'static str,
    before: (String, String),
    after: (String, String),
}

impl Change {
    fn line(&self, lang: Lang) -> String {
        match lang {
            Lang::Zh => format!("{}：{} → {}", self.zh, self.before.0, self.after.0),
            Lang::En => format!("{}: {} → {}", self.en, self.before.1, self.after.1),
        }
    }
}

fn both(zh: impl Into<String>, en: impl Into<String>) -> (String, String) {
    (zh.into(), en.into())
}

fn flags_text(flags: &BTreeSet<RiskFlag>) -> (String, String) {
    if flags.is_empty() {
        return both("无", "none");
    }
    let joined = |lang| {
        flags
            .iter()
            .map(|f| f.label(lang))
            .collect::<Vec<_>>()
            .join("、")
    };
    (joined(Lang::Zh), joined(Lang::En))
}

fn yes_no(on: bool) -> (String, String) {
    if on {
        both("是", "yes")
    } else {
        both("否", "no")
    }
}

/// `correct`: the corrected record, re-graded, audited and on the timeline.
pub async fn correct(
    conn: &mut sqlx::AnyConnection,
    ctx: &Ctx<'_>,
    complaint: &ComplaintRow,
    policy: &Policy,
) -> AppResult<()> {
    if !app::access::may(Some(ctx.actor), app::access::Doing::CorrectRecord) {
        return Err(AppError::Forbidden);
    }
    if complaint.status == Status::Closed {
        return Err(AppError::Conflict(
            match ctx.lang {
                Lang::Zh => "已结案的投诉不能再更正",
                Lang::En => "A closed complaint cannot be corrected",
            }
            .to_owned(),
        ));
    }
    let input = ctx.input;
    let category = Category::parse(input.category.trim())
        .ok_or_else(|| ctx.invalid("category", "请选择投诉类别", "Choose a category"))?;
    let people = match input.people_count.trim() {
        "" => 1,
        text => text
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=9999).contains(n))
            .ok_or_else(|| {
                ctx.invalid(
                    "people_count",
                    "人数应为1到9999之间的整数",
                    "People affected is a whole number from 1 to 9999",
                )
            })?,
    };
    let amount = domain::money::parse_yuan(&input.claimed_amount_yuan, "claimed_amount_yuan")
        .map_err(|e| ctx.field_error(e))?;
    let impact = match input.impact.trim() {
        "" => None,
        code => Some(Impact::parse(code).ok_or_else(|| {
            ctx.invalid("impact", "请选择对使用的影响", "Choose the effect on use")
        })?),
    };
    let mut flags = BTreeSet::new();
    for code in input
        .flags
        .iter()
        .map(|f| f.trim())
        .filter(|f| !f.is_empty())
    {
        flags.insert(
            RiskFlag::parse(code)
                .ok_or_else(|| ctx.invalid("flags", "未知的风险标记", "Unknown risk flag"))?,
        );
    }
    let emergency = input.emergency == "on";
    let unit = input.unit.trim();
    if unit.chars().count() > 40 || unit.chars().any(char::is_control) {
        return Err(ctx.invalid(
            "unit",
            "单元/房号最多40个字符",
            "A unit has at most 40 characters",
        ));
    }
    let reason = bounded_text(REASON, &input.reason, 2, 500).map_err(|e| ctx.field_error(e))?;

    let mut changes = Vec::new();
    if category != complaint.category {
        changes.push(Change {
            zh: "投诉类别",
            en: "Category",
            before: both(
                complaint.category.label(Lang::Zh),
                complaint.category.label(Lang::En),
            ),
            after: both(category.label(Lang::Zh), category.label(Lang::En)),
        });
    }
    if unit != complaint.unit {
        changes.push(Change {
            zh: "单元/房号",
            en: "Unit",
            before: both(complaint.unit.clone(), complaint.unit.clone()),
            after: both(unit, unit),
        });
    }
    if people != complaint.people_count.max(1) {
        changes.push(Change {
            zh: "共同投诉人数",
            en: "People complaining together",
            before: both(
                complaint.people_count.to_string(),
                complaint.people_count.to_string(),
            ),
            after: both(people.to_string(), people.to_string()),
        });
    }
    if amount != complaint.claimed_amount_fen {
        let (before, after) = (
            domain::format_yuan(complaint.claimed_amount_fen),
            domain::format_yuan(amount),
        );
        changes.push(Change {
            zh: "诉求金额",
            en: "Amount claimed",
            before: both(before.clone(), before),
            after: both(after.clone(), after),
        });
    }
    // What was stated before: a fact left to the description stays so unless changed.
    let earlier = complaint.stated.clone().unwrap_or_else(|| {
        StatedFacts::non_defaults_of(&domain::IntakeFacts {
            people_count: complaint.people_count,
            claimed_amount_fen: complaint.claimed_amount_fen,
            flags: complaint.flags.iter().copied().collect(),
            impact: complaint.impact,
            ..domain::IntakeFacts::default()
        })
    });
    if impact != earlier.impact {
        let label = |i: Option<Impact>, lang| i.map_or("未说明", |i| i.label(lang));
        let label_en = |i: Option<Impact>| i.map_or("not stated", |i| i.label(Lang::En));
        changes.push(Change {
            zh: "对使用的影响",
            en: "Effect on use",
            before: both(label(earlier.impact, Lang::Zh), label_en(earlier.impact)),
            after: both(label(impact, Lang::Zh), label_en(impact)),
        });
    }
    let old_flags: BTreeSet<RiskFlag> = complaint.flags.iter().copied().collect();
    if flags != old_flags {
        changes.push(Change {
            zh: "风险标记",
            en: "Risk flags",
            before: flags_text(&old_flags),
            after: flags_text(&flags),
        });
    }
    if emergency != complaint.emergency {
        changes.push(Change {
            zh: "紧急",
            en: "Emergency",
            before: yes_no(complaint.emergency),
            after: yes_no(emergency),
        });
    }
    if changes.is_empty() {
        return Err(ctx.invalid(
            "form",
            "没有需要更正的内容：请先修改要更正的项目",
            "Nothing to correct: change what is wrong first",
        ));
    }

    // What staff changed is stated from now on (the text no longer fills it); what they
    // left as it was keeps how it was known.
    let stated = StatedFacts {
        impact,
        amount_fen: if amount != complaint.claimed_amount_fen {
            Some(amount)
        } else {
            earlier.amount_fen
        },
        people_count: if people != complaint.people_count.max(1) {
            Some(people)
        } else {
            earlier.people_count
        },
        flags: if flags != old_flags {
            Some(flags.clone())
        } else {
            earlier.flags.clone()
        },
    };
    let flag_codes: Vec<&str> = flags.iter().map(|f| f.code()).collect();
    sqlx::query(
        "UPDATE complaints SET category = $2, unit = $3, people_count = $4, claimed_amount_fen = $5,
            impact = $6, flags = $7, emergency = $8, stated_facts = $9, updated_at = $10
         WHERE id = $1",
    )
    .bind(complaint.id)
    .bind(category.code())
    .bind(unit)
    .bind(i64::from(people))
    .bind(i64::try_from(amount).unwrap_or(i64::MAX))
    .bind(impact.unwrap_or(Impact::None).code())
    .bind(flag_codes.join(","))
    .bind(i64::from(emergency))
    .bind(serde_json::to_string(&stated).map_err(|e| internal("encoding facts", e))?)
    .bind(to_ms(ctx.now))
    .execute(&mut *conn)
    .await
    .map_err(db("correcting a complaint"))?;
    if category != complaint.category {
        crate::store::classifier::record_label(
            conn,
            complaint.id,
            category,
            crate::store::classifier::CORRECTED,
            ctx.actor.user_id,
            ctx.now,
        )
        .await
        .map_err(db("recording a corrected category"))?;
        crate::store::complaints::similar::recategorised(conn, complaint.id, category.code())
            .await
            .map_err(db("indexing the corrected category"))?;
    }
    if unit != complaint.unit {
        crate::store::complaints::filing::link_household(
            conn,
            complaint.id,
            complaint.building_id,
            unit,
        )
        .await?;
    }
    regrade(conn, ctx, complaint.id, policy).await?;

    let lines = |lang| -> Vec<String> { changes.iter().map(|c| c.line(lang)).collect() };
    let body = format!("{}\n更正原因：{reason}", lines(Lang::Zh).join("\n"));
    let body_en = format!("{}\nReason: {reason}", lines(Lang::En).join("\n"));
    let note = NewEvent::internal(complaint.id, ctx.now, EventKind::Correction)
        .by(ctx.actor)
        .body_both(&body, &body_en);
    events::append(&mut *conn, note)
        .await
        .map_err(db("recording a correction"))?;
    // The owner chose the category: they see it corrected, in the words of the catalogue.
    if let Some(change) = changes.iter().find(|c| c.zh == "投诉类别") {
        let (line, line_en) = (change.line(Lang::Zh), change.line(Lang::En));
        let public = NewEvent::public(complaint.id, ctx.now, EventKind::Correction)
            .by(ctx.actor)
            .body_both(&line, &line_en);
        events::append(&mut *conn, public)
            .await
            .map_err(db("recording a correction"))?;
    }
    let audit = format!(
        "{}: {}; {reason}",
        complaint.tracking_code,
        changes
            .iter()
            .map(|c| c.line(Lang::En))
            .collect::<Vec<_>>()
            .join("; ")
    );
    users::audit(
        &mut *conn,
        ctx.now,
        Some(ctx.actor.user_id),
        "correct_complaint",
        Some(&audit),
    )
    .await
    .map_err(db("auditing a correction"))
}

/// The level from the corrected facts: worked out anew, unless it was set by hand (then
/// only a new fact raises it). A change of level is on the timeline with its reasons.
async fn regrade(
    conn: &mut sqlx::AnyConnection,
    ctx: &Ctx<'_>,
    id: i64,
    policy: &Policy,
) -> AppResult<()> {
    let updated = row::load(&mut *conn, id)
        .await
        .map_err(db("loading a complaint"))?
        .ok_or(AppError::NotFound)?;
    let facts = updated.facts_at(ctx.now);
    if updated.level_manual {
        crate::store::complaints::regrading::raise(conn, &updated, &facts, policy, ctx.now)
            .await
            .map_err(db("raising a level"))?;
        return Ok(());
    }
    let grade = domain::grade(&facts, &policy.grading);
    let reasons =
        serde_json::to_string(&grade.reasons).map_err(|e| internal("encoding reasons", e))?;
    sqlx::query(
        "UPDATE complaints SET level = $2, level_reasons = $3, level_basis = $4 WHERE id = $1",
    )
    .bind(id)
    .bind(i64::from(grade.level.number()))
    .bind(reasons)
    .bind(crate::store::complaints::regrading::basis_json(&facts))
    .execute(&mut *conn)
    .await
    .map_err(db("re-grading a correction"))?;
    if grade.level != updated.level {
        let why = grade
            .reasons
            .iter()
            .map(|r| r.message.get(Lang::Zh).to_owned())
            .collect::<Vec<_>>()
            .join(";");
        let (before, after) = (
            updated.level.number().to_string(),
            grade.level.number().to_string(),
        );
        let body = format!("更正记录后重新定级：{why}");
        let event = NewEvent::internal(id, ctx.now, EventKind::Level)
            .by(ctx.actor)
            .before(&before)
            .after(&after)
            .body(&body);
        events::append(&mut *conn, event)
            .await
            .map_err(db("recording a new level"))?;
        if grade.level == Level::One && updated.level != Level::One {
            let message = crate::store::notifications::Message::level_one(
                &updated.tracking_code,
                "记录更正后为一级",
                "level 1 after a correction",
            );
            let told = crate::store::notifications::chain(
                &mut *conn,
                &policy.escalation.level_1,
                updated.department_id,
            )
            .await
            .map_err(db("finding who is told"))?;
            crate::store::notifications::notify(&mut *conn, &told, Some(id), &message, ctx.now)
                .await
                .map_err(db("notifying"))?;
        }
    }
    Ok(())
}

/// `reassign`: another department or handler takes it over while it is being handled.
/// The owner sees it handed on; the new handler is told; the old one no longer acts.
pub async fn reassign(
    conn: &mut sqlx::AnyConnection,
    ctx: &Ctx<'_>,
    complaint: &ComplaintRow,
) -> AppResult<()> {
    if !app::access::may(Some(ctx.actor), app::access::Doing::CorrectRecord) {
        return Err(AppError::Forbidden);
    }
    if !may_reassign(complaint.status) {
        return Err(AppError::Conflict(
            match ctx.lang {
                Lang::Zh => "只有已分派、处理中的投诉可以转交",
                Lang::En => "Only an assigned complaint being handled can be handed on",
            }
            .to_owned(),
        ));
    }
    let before = complaint
        .department_zh
        .clone()
        .zip(complaint.handler_name.clone())
        .map(|(d, h)| format!("{d} · {h}"))
        .unwrap_or_default();
    if ctx.input.handler_id.trim().parse::<i64>().ok() == complaint.handler_id {
        return Err(ctx.invalid(
            "handler_id",
            "已经由这位处理人负责",
            "This handler already has it",
        ));
    }
    let to = super::lifecycle::assign(conn, ctx, complaint).await?;
    let event = NewEvent::public(complaint.id, ctx.now, EventKind::Assignment)
        .by(ctx.actor)
        .before(&before)
        .body(&to);
    events::append(&mut *conn, event)
        .await
        .map_err(db("recording a hand-over"))?;
    users::audit(
        &mut *conn,
        ctx.now,
        Some(ctx.actor.user_id),
        "reassign_complaint",
        Some(&format!("{}: {before} → {to}", complaint.tracking_code)),
    )
    .await
    .map_err(db("auditing a hand-over"))
}

/// Statuses in which a named handler owns the complaint.
pub fn may_reassign(status: Status) -> bool {
    matches!(
        status,
        Status::Assigned
            | Status::Investigating
            | Status::SolutionProposed
            | Status::AwaitingApproval
            | Status::Reopened
    )
}
