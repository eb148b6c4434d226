//! The SLA and grading policy in force: the spec's defaults, overridden by a TOML file
//! (`PORTAL_POLICY_FILE`) and then by what an administrator saved in the database.

use std::sync::{Arc, RwLock};

use domain::Policy;
use sqlx::{AnyPool, Row};

use crate::store::to_ms;

const SETTINGS_KEY: &str = "policy";

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

/// The current policy, shared by every request and the background job.
pub struct PolicyHandle {
    current: RwLock<Arc<Policy>>,
}

impl PolicyHandle {
    /// A handle on a fixed policy (tests, benchmarks).
    pub fn fixed(policy: Policy) -> PolicyHandle {
        PolicyHandle {
            current: RwLock::new(Arc::new(policy)),
        }
    }

    /// Defaults ← TOML file (if given) ← saved settings (if any); validated.
    pub async fn load(pool: &AnyPool, file: Option<&str>) -> Result<PolicyHandle, PolicyError> {
        let mut policy = match file {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .map_err(|e| PolicyError::File(path.to_owned(), e))?;
                toml::from_str::<Policy>(&text)
                    .map_err(|e| PolicyError::Toml(path.to_owned(), e))?
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
        Ok(PolicyHandle::fixed(policy))
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
        *self.current.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(policy);
        Ok(())
    }
}
