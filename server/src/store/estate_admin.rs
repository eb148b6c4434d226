//! The administrator's estate page: the communities and buildings with their unit
//! counts, one building's units, adding a unit or changing its owner (the import of a
//! one-row file), retiring and bringing back, and the outcome of browser imports.

use app::error::{AppError, AppResult, FieldErrors};
use app::model::{
    Actor, EstateBuilding, EstateCommunity, EstateImportReport, EstateUnitInput, EstateUnitView,
};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use domain::estate::{parse_estate, EstateColumn, RowError};
use domain::{Hotline, Lang};
use serde::{Deserialize, Serialize};
use sqlx::Row;
use std::sync::Arc;

use super::directory::HotlineCache;
use super::estate::{import, ImportSummary};
use super::{from_ms, to_ms};
use crate::db::Db;
use crate::error::{db, internal};

pub struct EstateStore {
    pub db: Db,
    /// The footer's hotlines, forgotten when one changes.
    pub hotlines: Arc<HotlineCache>,
}

fn require_admin(actor: &Actor) -> AppResult<()> {
    if app::access::may(Some(actor), app::access::Doing::Administer) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// A bad row as kept with an import, in both languages.
#[derive(Serialize, Deserialize)]
struct StoredError {
    zh: String,
    en: String,
}

/// Keeps the outcome of a browser import; the page reads it back by id.
pub async fn record_import(
    database: &Db,
    actor: i64,
    file_name: &str,
    outcome: &Result<ImportSummary, Vec<RowError>>,
    now: DateTime<Utc>,
) -> AppResult<i64> {
    let (ok, summary, errors) = match outcome {
        Ok(summary) => (
            1i64,
            Some(serde_json::to_string(summary).map_err(|e| internal("keeping an import", e))?),
            None,
        ),
        Err(errors) => {
            let errors: Vec<StoredError> = errors
                .iter()
                .map(|e| StoredError {
                    zh: e.describe(Lang::Zh),
                    en: e.describe(Lang::En),
                })
                .collect();
            (
                0,
                None,
                Some(serde_json::to_string(&errors).map_err(|e| internal("keeping an import", e))?),
            )
        }
    };
    let name: String = file_name.chars().take(200).collect();
    sqlx::query(
        "INSERT INTO estate_imports (at, actor_id, file_name, ok, summary, errors)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(to_ms(now))
    .bind(actor)
    .bind(name)
    .bind(ok)
    .bind(summary)
    .bind(errors)
    .fetch_one(&database.pool)
    .await
    .map_err(db("keeping an import"))?
    .try_get(0)
    .map_err(db("keeping an import"))
}

/// The columns a [`caller`] row is read from: a current household with its place.
const CALLER_SELECT: &str = "SELECT h.id, c.id AS community_id, c.name AS community,
        b.id AS building_id, b.name AS building, h.entrance || h.unit AS unit, h.owner_name,
        h.owner_phone
     FROM households h JOIN buildings b ON b.id = h.building_id
     JOIN communities c ON c.id = b.community_id
     WHERE h.retired = 0 AND b.retired = 0 AND c.retired = 0";

fn caller(r: &sqlx::any::AnyRow) -> Result<app::model::Caller, sqlx::Error> {
    Ok(app::model::Caller {
        household_id: r.try_get("id")?,
        community_id: r.try_get("community_id")?,
        community: r.try_get("community")?,
        building_id: r.try_get("building_id")?,
        building: r.try_get("building")?,
        unit: r.try_get("unit")?,
        owner_name: r.try_get("owner_name")?,
        owner_phone: r.try_get("owner_phone")?,
    })
}

#[async_trait]
impl app::ssr::Estate for EstateStore {
    async fn find_households(&self, query: &str) -> AppResult<Vec<app::model::HouseholdHit>> {
        let query = query.trim();
        if query.is_empty() || query.chars().count() > 60 {
            return Ok(Vec::new());
        }
        // What cannot be a phone or a code matches nothing as one.
        const NONE: &str = "\u{1}";
        let phone = domain::PhoneNumber::parse(query)
            .map(|p| p.as_str().to_owned())
            .unwrap_or_else(|_| NONE.to_owned());
        let code = domain::TrackingCode::parse(query)
            .map(|c| c.as_str().to_owned())
            .unwrap_or_else(|_| NONE.to_owned());
        let unit: String = query
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect();
        let rows = sqlx::query(
            "SELECT h.id, m.name AS community, b.name AS building, h.entrance || h.unit AS unit,
                    h.owner_name,
                    (SELECT COUNT(*) FROM complaints x WHERE x.household_id = h.id) AS complaints
             FROM households h JOIN buildings b ON b.id = h.building_id
             JOIN communities m ON m.id = b.community_id
             WHERE h.owner_phone = $1 OR h.owner_name = $2
                OR REPLACE(REPLACE(h.entrance || h.unit, ' ', ''), '-', '') = $3
                OR h.id IN (SELECT c.household_id FROM complaints c
                            WHERE c.household_id IS NOT NULL
                              AND (c.tracking_code = $4 OR c.phone = $1 OR c.complainant_name = $2))
             ORDER BY m.name, b.name, h.entrance, h.unit LIMIT 50",
        )
        .bind(&phone)
        .bind(query)
        .bind(&unit)
        .bind(&code)
        .fetch_all(&self.db.pool)
        .await
        .map_err(db("finding households"))?;
        rows.iter()
            .map(|r| {
                let place = format!(
                    "{} {} {}",
                    r.try_get::<String, _>("community")?,
                    r.try_get::<String, _>("building")?,
                    r.try_get::<String, _>("unit")?
                );
                Ok(app::model::HouseholdHit {
                    id: r.try_get("id")?,
                    place,
                    owner_name: r.try_get("owner_name")?,
                    complaints: r.try_get("complaints")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(db("reading households"))
    }

    async fn units_of(
        &self,
        account: &app::model::Actor,
        phone: Option<&domain::PhoneNumber>,
    ) -> AppResult<Vec<app::model::Caller>> {
        let rows = sqlx::query(&format!(
            "{CALLER_SELECT}
               AND (h.owner_phone = $1
                    OR h.id IN (SELECT household_id FROM household_accounts WHERE user_id = $2))
             ORDER BY h.id LIMIT 20"
        ))
        .bind(phone.map_or("\u{1}", |p| p.as_str()))
        .bind(account.user_id)
        .fetch_all(&self.db.pool)
        .await
        .map_err(db("finding an owner's units"))?;
        rows.iter()
            .map(caller)
            .collect::<Result<_, sqlx::Error>>()
            .map_err(db("reading an owner's units"))
    }

    async fn link_account(
        &self,
        agent: &app::model::Actor,
        id: i64,
        phone: &domain::PhoneNumber,
        lang: Lang,
        now: DateTime<Utc>,
    ) -> AppResult<()> {
        let mut tx = self.db.begin().await.map_err(db("starting"))?;
        let account: Option<i64> =
            sqlx::query("SELECT id FROM users WHERE login = $1 AND role = 'owner' AND active = 1")
                .bind(phone.as_str())
                .fetch_optional(&mut *tx)
                .await
                .map_err(db("finding an owner account"))?
                .map(|r| r.try_get(0))
                .transpose()
                .map_err(db("reading an owner account"))?;
        let Some(account) = account else {
            return Err(AppError::Validation(FieldErrors::one(
                "phone",
                if lang == Lang::Zh {
                    "这个手机号还没有注册业主账号"
                } else {
                    "No owner account is registered with this phone number"
                },
            )));
        };
        let exists = sqlx::query("SELECT 1 FROM households WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(db("finding a household"))?
            .is_some();
        if !exists {
            return Err(AppError::NotFound);
        }
        let linked = sqlx::query(
            "SELECT 1 FROM household_accounts WHERE household_id = $1 AND user_id = $2",
        )
        .bind(id)
        .bind(account)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db("reading a link"))?
        .is_some();
        if !linked {
            sqlx::query(
                "INSERT INTO household_accounts (household_id, user_id, confirmed_by, confirmed_at)
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(id)
            .bind(account)
            .bind(agent.user_id)
            .bind(to_ms(now))
            .execute(&mut *tx)
            .await
            .map_err(db("linking an account"))?;
            crate::store::users::audit(
                &mut *tx,
                now,
                Some(agent.user_id),
                "link_household_account",
                Some(&format!("household {id}: {}", phone.masked())),
            )
            .await
            .map_err(db("auditing"))?;
        }
        tx.commit().await.map_err(db("committing"))
    }

    async fn household(&self, id: i64) -> AppResult<Option<app::model::HouseholdFile>> {
        use crate::store::complaints::row::{parse_category, parse_level, parse_status};
        let Some(h) = sqlx::query(
            "SELECT h.id, m.name AS community, b.name AS building, h.entrance || h.unit AS unit,
                    h.owner_name, h.owner_phone, h.retired
             FROM households h JOIN buildings b ON b.id = h.building_id
             JOIN communities m ON m.id = b.community_id WHERE h.id = $1",
        )
        .bind(id)
        .fetch_optional(&self.db.pool)
        .await
        .map_err(db("loading a household"))?
        else {
            return Ok(None);
        };
        let rows = sqlx::query(
            "SELECT c.id, c.tracking_code, c.filed_at, c.category, c.status, c.level, c.channel,
                    c.description, c.complainant_name, c.department_id, c.handler_id,
                    u.display_name AS handler, c.group_id, c.repeat_of, c.closed_at,
                    (SELECT r.overall FROM revisits r
                     WHERE r.complaint_id = c.id AND r.overall IS NOT NULL
                     ORDER BY r.round DESC LIMIT 1) AS satisfaction
             FROM complaints c LEFT JOIN users u ON u.id = c.handler_id
             WHERE c.household_id = $1 ORDER BY c.filed_at DESC LIMIT 200",
        )
        .bind(id)
        .fetch_all(&self.db.pool)
        .await
        .map_err(db("loading a household's complaints"))?;
        let read = || -> Result<app::model::HouseholdFile, sqlx::Error> {
            let complaints = rows
                .iter()
                .map(|r| {
                    let description: String = r.try_get("description")?;
                    Ok(app::model::HouseholdComplaint {
                        id: r.try_get("id")?,
                        tracking_code: r.try_get("tracking_code")?,
                        filed_at: from_ms(r.try_get("filed_at")?),
                        category: parse_category(&r.try_get::<String, _>("category")?),
                        status: parse_status(&r.try_get::<String, _>("status")?),
                        level: parse_level(r.try_get("level")?),
                        channel: domain::Channel::parse(&r.try_get::<String, _>("channel")?)
                            .unwrap_or_default(),
                        summary: description.chars().take(80).collect(),
                        complainant: r.try_get("complainant_name")?,
                        department_id: r.try_get("department_id")?,
                        handler_id: r.try_get("handler_id")?,
                        handler: r.try_get("handler")?,
                        satisfaction: r.try_get("satisfaction")?,
                        group_id: r.try_get("group_id")?,
                        repeat_of: r.try_get("repeat_of")?,
                        closed_at: r
                            .try_get::<Option<i64>, _>("closed_at")?
                            .map(super::from_ms),
                    })
                })
                .collect::<Result<Vec<_>, sqlx::Error>>()?;
            Ok(app::model::HouseholdFile {
                id: h.try_get("id")?,
                community: h.try_get("community")?,
                building: h.try_get("building")?,
                unit: h.try_get("unit")?,
                owner_name: h.try_get("owner_name")?,
                owner_phone: h.try_get("owner_phone")?,
                retired: h.try_get::<i64, _>("retired")? == 1,
                complaints,
                hidden: 0,
                may_link: false,
            })
        };
        read().map(Some).map_err(db("reading a household"))
    }

    async fn callers(
        &self,
        phone: Option<&domain::PhoneNumber>,
        building_id: Option<i64>,
        unit: &str,
    ) -> AppResult<Vec<app::model::Caller>> {
        const SELECT: &str = CALLER_SELECT;
        let rows = if let Some(phone) = phone {
            sqlx::query(&format!(
                "{SELECT} AND h.owner_phone = $1 ORDER BY h.id LIMIT 10"
            ))
            .bind(phone.as_str())
            .fetch_all(&self.db.pool)
            .await
        } else if let Some(building) = building_id {
            // As the form writes it ("2单元1501"), or the 房号 alone, spaces and "-" aside.
            let wanted: String = unit
                .chars()
                .filter(|c| !c.is_whitespace() && *c != '-')
                .collect();
            sqlx::query(&format!(
                "{SELECT} AND h.building_id = $1
                   AND (REPLACE(REPLACE(h.entrance || h.unit, ' ', ''), '-', '') = $2
                        OR (h.entrance = '' AND REPLACE(REPLACE(h.unit, ' ', ''), '-', '') = $2))
                 ORDER BY h.id LIMIT 10"
            ))
            .bind(building)
            .bind(wanted)
            .fetch_all(&self.db.pool)
            .await
        } else {
            return Ok(Vec::new());
        }
        .map_err(db("finding a caller"))?;
        rows.iter()
            .map(caller)
            .collect::<Result<_, sqlx::Error>>()
            .map_err(db("reading a caller"))
    }

    async fn overview(&self) -> AppResult<Vec<EstateCommunity>> {
        let rows = sqlx::query(
            "SELECT c.id AS community_id, c.name AS community_name, c.retired AS community_retired,
                    c.hotline AS community_hotline,
                    b.id AS building_id, b.name AS building_name, b.retired AS building_retired,
                    (SELECT COUNT(*) FROM households h WHERE h.building_id = b.id AND h.retired = 0) AS units
             FROM communities c LEFT JOIN buildings b ON b.community_id = c.id
             ORDER BY c.retired, c.name, c.id, LENGTH(b.name), b.name",
        )
        .fetch_all(&self.db.pool)
        .await
        .map_err(db("listing the estate"))?;
        let mut communities: Vec<EstateCommunity> = Vec::new();
        for row in rows {
            let read = db("reading the estate");
            let id: i64 = row.try_get("community_id").map_err(&read)?;
            if communities.last().map(|c| c.id) != Some(id) {
                let retired: i64 = row.try_get("community_retired").map_err(&read)?;
                communities.push(EstateCommunity {
                    id,
                    name: row.try_get("community_name").map_err(&read)?,
                    hotline: row.try_get("community_hotline").map_err(&read)?,
                    retired: retired != 0,
                    buildings: Vec::new(),
                });
            }
            let building: Option<i64> = row.try_get("building_id").map_err(&read)?;
            if let (Some(building), Some(last)) = (building, communities.last_mut()) {
                let retired: i64 = row.try_get("building_retired").map_err(&read)?;
                last.buildings.push(EstateBuilding {
                    id: building,
                    name: row.try_get("building_name").map_err(&read)?,
                    retired: retired != 0,
                    units: row.try_get("units").map_err(&read)?,
                });
            }
        }
        Ok(communities)
    }

    async fn units(&self, building_id: i64) -> AppResult<Vec<EstateUnitView>> {
        #[derive(sqlx::FromRow)]
        struct UnitRow {
            id: i64,
            entrance: String,
            unit: String,
            owner_name: String,
            owner_phone: String,
            retired: i64,
        }
        let rows: Vec<UnitRow> = sqlx::query_as(
            "SELECT id, entrance, unit, owner_name, owner_phone, retired FROM households
             WHERE building_id = $1 ORDER BY retired, entrance, LENGTH(unit), unit",
        )
        .bind(building_id)
        .fetch_all(&self.db.pool)
        .await
        .map_err(db("listing units"))?;
        Ok(rows
            .into_iter()
            .map(|r| EstateUnitView {
                id: r.id,
                entrance: r.entrance,
                unit: r.unit,
                owner_name: r.owner_name,
                owner_phone: r.owner_phone,
                retired: r.retired != 0,
            })
            .collect())
    }

    async fn save_unit(
        &self,
        actor: &Actor,
        unit: EstateUnitInput,
        lang: Lang,
        now: DateTime<Utc>,
    ) -> AppResult<()> {
        require_admin(actor)?;
        let fields = [
            (EstateColumn::Community, "community", &unit.community),
            (EstateColumn::Building, "building", &unit.building),
            (EstateColumn::Entrance, "entrance", &unit.entrance),
            (EstateColumn::Unit, "unit", &unit.unit),
            (EstateColumn::OwnerName, "owner_name", &unit.owner_name),
            (EstateColumn::Phone, "phone", &unit.phone),
        ];
        let sheet = vec![
            fields
                .iter()
                .map(|(c, _, _)| c.header_en().to_owned())
                .collect(),
            fields.iter().map(|(_, _, v)| (*v).clone()).collect(),
        ];
        let rows = parse_estate(&sheet).map_err(|errors| {
            let mut invalid = FieldErrors::default();
            for error in errors {
                let field = fields
                    .iter()
                    .find(|(c, _, _)| Some(*c) == error.column)
                    .map_or("unit", |(_, name, _)| name);
                invalid
                    .fields
                    .insert(field.to_owned(), error.reason.get(lang).to_owned());
            }
            for (_, name, value) in &fields {
                invalid.echo.insert((*name).to_owned(), (*value).clone());
            }
            AppError::Validation(invalid)
        })?;
        import(&self.db, &rows, Some(actor.user_id), now)
            .await
            .map(|_| ())
    }

    async fn set_hotline(
        &self,
        actor: &Actor,
        community_id: i64,
        hotline: Option<Hotline>,
        now: DateTime<Utc>,
    ) -> AppResult<()> {
        require_admin(actor)?;
        let hotline = hotline.map(|h| h.as_str().to_owned()).unwrap_or_default();
        let mut tx = self.db.begin().await.map_err(db("saving a hotline"))?;
        let before: Option<String> =
            sqlx::query_scalar("SELECT hotline FROM communities WHERE id = $1")
                .bind(community_id)
                .fetch_optional(&mut *tx)
                .await
                .map_err(db("saving a hotline"))?;
        let Some(before) = before else {
            return Err(AppError::NotFound);
        };
        if before == hotline {
            return Ok(());
        }
        sqlx::query("UPDATE communities SET hotline = $1 WHERE id = $2")
            .bind(&hotline)
            .bind(community_id)
            .execute(&mut *tx)
            .await
            .map_err(db("saving a hotline"))?;
        sqlx::query(
            "INSERT INTO audit_log (at, actor_id, action, target, before_value, after_value)
             VALUES ($1, $2, 'community_hotline', $3, $4, $5)",
        )
        .bind(to_ms(now))
        .bind(actor.user_id)
        .bind(format!("community:{community_id}"))
        .bind(before)
        .bind(hotline)
        .execute(&mut *tx)
        .await
        .map_err(db("auditing"))?;
        tx.commit().await.map_err(db("saving a hotline"))?;
        self.hotlines.forget();
        Ok(())
    }

    async fn set_retired(
        &self,
        actor: &Actor,
        kind: &str,
        id: i64,
        retired: bool,
        now: DateTime<Utc>,
    ) -> AppResult<()> {
        require_admin(actor)?;
        let table = match kind {
            "community" => "communities",
            "building" => "buildings",
            "unit" => "households",
            _ => return Err(AppError::NotFound),
        };
        let mut tx = self.db.begin().await.map_err(db("retiring"))?;
        let done = sqlx::query(&format!("UPDATE {table} SET retired = $1 WHERE id = $2"))
            .bind(i64::from(retired))
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(db("retiring"))?;
        if done.rows_affected() == 0 {
            return Err(AppError::NotFound);
        }
        sqlx::query(
            "INSERT INTO audit_log (at, actor_id, action, target, before_value, after_value)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(to_ms(now))
        .bind(actor.user_id)
        .bind(if retired {
            "estate_retired"
        } else {
            "estate_restored"
        })
        .bind(format!("{kind}:{id}"))
        .bind(Some(i64::from(!retired).to_string()))
        .bind(Some(i64::from(retired).to_string()))
        .execute(&mut *tx)
        .await
        .map_err(db("auditing"))?;
        tx.commit().await.map_err(db("retiring"))
    }

    async fn import_report(&self, id: i64, lang: Lang) -> AppResult<Option<EstateImportReport>> {
        let Some(row) = sqlx::query(
            "SELECT id, file_name, ok, summary, errors FROM estate_imports WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.db.pool)
        .await
        .map_err(db("reading an import"))?
        else {
            return Ok(None);
        };
        let read = db("reading an import");
        let ok: i64 = row.try_get("ok").map_err(&read)?;
        let summary: Option<String> = row.try_get("summary").map_err(&read)?;
        let errors: Option<String> = row.try_get("errors").map_err(&read)?;
        let summary: ImportSummary = summary
            .map(|s| serde_json::from_str(&s))
            .transpose()
            .map_err(|e| internal("reading an import", e))?
            .unwrap_or_default();
        let errors: Vec<StoredError> = errors
            .map(|s| serde_json::from_str(&s))
            .transpose()
            .map_err(|e| internal("reading an import", e))?
            .unwrap_or_default();
        Ok(Some(EstateImportReport {
            id: row.try_get("id").map_err(&read)?,
            file_name: row.try_get("file_name").map_err(&read)?,
            ok: ok != 0,
            units_created: summary.units_created as i64,
            units_updated: summary.units_updated as i64,
            units_unchanged: summary.units_unchanged as i64,
            errors: errors
                .into_iter()
                .map(|e| if lang == Lang::Zh { e.zh } else { e.en })
                .collect(),
        }))
    }
}
