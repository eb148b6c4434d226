//! The SLA and grading policy in force: the spec's defaults, overridden by a TOML file
//! (`PORTAL_POLICY_FILE`) and then by what an administrator saved in the database; and the
//! business calendar the clocks count working time with: the official schedules shipped in
//! the domain crate, each year replaced by what an administrator saved for it.

use std::sync::{Arc, RwLock};

use domain::calendar::{BusinessCalendar, CalendarYear};
use domain::Policy;
use sqlx::{AnyPool, Row};

use crate::store::to_ms;

const SETTINGS_KEY: &str = "policy";
/// Settings key of one calendar year: `calendar:2027`.
const CALENDAR_KEY_PREFIX: &str = "calendar:";

#[derive(Debug, thiserror::Error)]
pub enum PolicyError {
    #[error("cannot read the policy file {0}: {1}")]
    File(String, std::io::Error),
    #[error("the policy file {0} is not valid TOML for the policy: {1}")]
    Toml(String, toml::de::Error),
    #[error("the policy is inconsistent: {0}")]
    Invalid(String),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error("the saved policy is unreadable: {0}")]
    Json(#[from] serde_json::Error),
}

/// The current policy and calendar, shared by every request and the background job.
/// With several instances, each notices another's saves with [`PolicyHandle::refresh`].
pub struct PolicyHandle {
    current: RwLock<Arc<Policy>>,
    calendar: RwLock<Arc<BusinessCalendar>>,
    /// The policy file the saved settings override.
    file: Option<String>,
    /// What the saved settings looked like when last read: (rows, newest change).
    seen: std::sync::Mutex<(i64, i64)>,
}

/// How many policy and calendar settings are saved, and the newest change.
async fn fingerprint(pool: &AnyPool) -> Result<(i64, i64), sqlx::Error> {
    let row = sqlx::query(
        "SELECT COUNT(*), COALESCE(MAX(updated_at), 0) FROM settings WHERE key = $1 OR key LIKE $2",
    )
    .bind(SETTINGS_KEY)
    .bind(format!("{CALENDAR_KEY_PREFIX}%"))
    .fetch_one(pool)
    .await?;
    Ok((row.try_get(0)?, row.try_get(1)?))
}

/// The policy (defaults ← file ← saved) and the calendar (official ← saved years).
async fn read(
    pool: &AnyPool,
    file: Option<&str>,
) -> Result<(Policy, BusinessCalendar), PolicyError> {
    let mut policy = match file {
        Some(path) => {
            let text =
                std::fs::read_to_string(path).map_err(|e| PolicyError::File(path.to_owned(), e))?;
            toml::from_str::<Policy>(&text).map_err(|e| PolicyError::Toml(path.to_owned(), e))?
        }
        None => Policy::default(),
    };
    let saved = sqlx::query("SELECT value FROM settings WHERE key = $1")
        .bind(SETTINGS_KEY)
        .fetch_optional(pool)
        .await?;
    if let Some(row) = saved {
        policy = serde_json::from_str(&row.try_get::<String, _>(0)?)?;
    }
    policy
        .validate()
        .map_err(|problems| PolicyError::Invalid(problems.join("; ")))?;
    let saved_years = sqlx::query("SELECT value FROM settings WHERE key LIKE $1")
        .bind(format!("{CALENDAR_KEY_PREFIX}%"))
        .fetch_all(pool)
        .await?;
    let mut calendar = BusinessCalendar::official();
    for row in saved_years {
        let year: CalendarYear = serde_json::from_str(&row.try_get::<String, _>(0)?)?;
        calendar.insert(year);
    }
    Ok((policy, calendar))
}

impl PolicyHandle {
    /// A handle on a fixed policy and the official calendar (tests, benchmarks).
    pub fn fixed(policy: Policy) -> PolicyHandle {
        PolicyHandle {
            current: RwLock::new(Arc::new(policy)),
            calendar: RwLock::new(Arc::new(BusinessCalendar::official())),
            file: None,
            seen: std::sync::Mutex::new((0, 0)),
        }
    }

    /// Defaults ← TOML file (if given) ← saved settings (if any); validated.
    pub async fn load(pool: &AnyPool, file: Option<&str>) -> Result<PolicyHandle, PolicyError> {
        let seen = fingerprint(pool).await?;
        let (policy, calendar) = read(pool, file).await?;
        app::ui::shared::set_local_offset(policy.utc_offset_minutes);
        let mut handle = PolicyHandle::fixed(policy);
        handle.file = file.map(str::to_owned);
        *handle.calendar.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(calendar);
        *handle.seen.lock().unwrap_or_else(|p| p.into_inner()) = seen;
        Ok(handle)
    }

    /// Reads the saved policy and calendar again if they changed since last read (another
    /// instance saved them); says whether they had. Cheap when nothing changed: one query.
    pub async fn refresh(&self, pool: &AnyPool) -> Result<bool, PolicyError> {
        let now = fingerprint(pool).await?;
        if *self.seen.lock().unwrap_or_else(|p| p.into_inner()) == now {
            return Ok(false);
        }
        let (policy, calendar) = read(pool, self.file.as_deref()).await?;
        app::ui::shared::set_local_offset(policy.utc_offset_minutes);
        *self.current.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(policy);
        *self.calendar.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(calendar);
        *self.seen.lock().unwrap_or_else(|p| p.into_inner()) = now;
        Ok(true)
    }

    /// The business calendar in force.
    pub fn calendar(&self) -> Arc<BusinessCalendar> {
        self.calendar
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Saves one year of the calendar (replacing the shipped or earlier data for that
    /// year), with an audit row, and switches to it.
    pub async fn save_calendar_year(
        &self,
        pool: &AnyPool,
        year: CalendarYear,
        actor_id: i64,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), PolicyError> {
        let key = format!("{CALENDAR_KEY_PREFIX}{}", year.year);
        let before = self
            .calendar()
            .year(year.year)
            .map(serde_json::to_string)
            .transpose()?;
        let after = serde_json::to_string(&year)?;
        let mut tx = pool.begin().await?;
        sqlx::query(
            "INSERT INTO settings (key, value, updated_at, updated_by) VALUES ($1, $2, $3, $4)
             ON CONFLICT (key) DO UPDATE SET value = $2, updated_at = $3, updated_by = $4",
        )
        .bind(&key)
        .bind(&after)
        .bind(to_ms(now))
        .bind(actor_id)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO audit_log (at, actor_id, action, target, before_value, after_value)
             VALUES ($1, $2, 'calendar_changed', $3, $4, $5)",
        )
        .bind(to_ms(now))
        .bind(actor_id)
        .bind(&key)
        .bind(before)
        .bind(&after)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        let mut calendar = (*self.calendar()).clone();
        calendar.insert(year);
        *self.calendar.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(calendar);
        Ok(())
    }

    pub fn current(&self) -> Arc<Policy> {
        self.current
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Validates, saves and switches to `policy`, with an audit row.
    pub async fn save(
        &self,
        pool: &AnyPool,
        policy: Policy,
        actor_id: i64,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<(), PolicyError> {
        policy
            .validate()
            .map_err(|problems| PolicyError::Invalid(problems.join("; ")))?;
        let before = serde_json::to_string(&*self.current())?;
        let after = serde_json::to_string(&policy)?;
        let mut tx = pool.begin().await?;
        sqlx::query(
            "INSERT INTO settings (key, value, updated_at, updated_by) VALUES ($1, $2, $3, $4)
             ON CONFLICT (key) DO UPDATE SET value = $2, updated_at = $3, updated_by = $4",
        )
        .bind(SETTINGS_KEY)
        .bind(&after)
        .bind(to_ms(now))
        .bind(actor_id)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO audit_log (at, actor_id, action, target, before_value, after_value)
             VALUES ($1, $2, 'policy_changed', 'policy', $3, $4)",
        )
        .bind(to_ms(now))
        .bind(actor_id)
        .bind(&before)
        .bind(&after)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        // Pages print times in the policy's zone.
        app::ui::shared::set_local_offset(policy.utc_offset_minutes);
        *self.current.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(policy);
        Ok(())
    }
}
