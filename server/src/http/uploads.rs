//! Limits on what owners may store, beyond the request rate: a daily budget of evidence
//! bytes per complainant phone (one owner cannot fill the disk from many addresses), and
//! a free-disk guard that refuses every upload (507) while the database's disk is nearly
//! full, so filing and handling keep working. The rules are in README "Security".

use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, Utc};
use sqlx::{AnyPool, Row};

use app::error::AppResult;

use crate::error::db;

/// `PORTAL_UPLOAD_LIMITS`, e.g. `phone_mb_per_day=300,min_free_disk_mb=1024` (0 turns one off).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UploadLimits {
    /// Evidence one complainant phone may add in 24 hours, over all its complaints:
    /// 300 MB (nine 10 MB photos and five 50 MB videos, with room to spare).
    pub phone_bytes_per_day: u64,
    /// Uploads stop while the disk holding the database has less free space than this:
    /// 1 GB.
    pub min_free_disk_bytes: u64,
}

const MB: u64 = 1024 * 1024;

impl Default for UploadLimits {
    fn default() -> Self {
        UploadLimits {
            phone_bytes_per_day: 300 * MB,
            min_free_disk_bytes: 1024 * MB,
        }
    }
}

#[derive(Debug, thiserror::Error)]
#[error("PORTAL_UPLOAD_LIMITS takes `phone_mb_per_day=N,min_free_disk_mb=N` (got `{0}`)")]
pub struct UploadLimitsError(String);

impl UploadLimits {
    pub const OFF: UploadLimits = UploadLimits {
        phone_bytes_per_day: 0,
        min_free_disk_bytes: 0,
    };

    /// The defaults with what `text` sets.
    pub fn parse(text: &str) -> Result<UploadLimits, UploadLimitsError> {
        let mut limits = UploadLimits::default();
        for pair in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let bad = || UploadLimitsError(pair.to_owned());
            let (name, value) = pair.split_once('=').ok_or_else(bad)?;
            let megabytes: u64 = value.trim().parse().map_err(|_| bad())?;
            let bytes = megabytes.checked_mul(MB).ok_or_else(bad)?;
            match name.trim() {
                "phone_mb_per_day" => limits.phone_bytes_per_day = bytes,
                "min_free_disk_mb" => limits.min_free_disk_bytes = bytes,
                _ => return Err(bad()),
            }
        }
        Ok(limits)
    }
}

/// The limits with where to measure free space.
#[derive(Debug, Clone)]
pub struct UploadGuard {
    pub limits: UploadLimits,
    /// The directory of the SQLite file; `None` for PostgreSQL, whose disk is the
    /// database server's (its operator watches it; the per-phone budget still holds).
    pub data_dir: Option<PathBuf>,
}

/// Why an upload may not start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The disk is nearly full (507).
    DiskFull,
    /// This phone used its daily budget.
    PhoneBudget,
}

impl UploadGuard {
    /// From the database URL: a `sqlite://path` measures the path's directory.
    pub fn new(limits: UploadLimits, database_url: &str) -> UploadGuard {
        let data_dir = database_url.strip_prefix("sqlite:").map(|rest| {
            let path = rest.trim_start_matches("//");
            let path = path.split('?').next().unwrap_or(path);
            Path::new(path)
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
        });
        UploadGuard { limits, data_dir }
    }

    /// Whether a new upload to complaint `complaint_id` may begin.
    pub async fn check(
        &self,
        pool: &AnyPool,
        complaint_id: i64,
        now: DateTime<Utc>,
    ) -> AppResult<Option<Refusal>> {
        if self.disk_nearly_full() {
            return Ok(Some(Refusal::DiskFull));
        }
        if self.limits.phone_bytes_per_day > 0
            && self.phone_bytes_since(pool, complaint_id, now).await?
                >= self.limits.phone_bytes_per_day
        {
            return Ok(Some(Refusal::PhoneBudget));
        }
        Ok(None)
    }

    /// What this phone may still add today (a file beyond it is refused whole).
    pub async fn phone_bytes_left(
        &self,
        pool: &AnyPool,
        complaint_id: i64,
        now: DateTime<Utc>,
    ) -> AppResult<u64> {
        if self.limits.phone_bytes_per_day == 0 {
            return Ok(u64::MAX);
        }
        let used = self.phone_bytes_since(pool, complaint_id, now).await?;
        Ok(self.limits.phone_bytes_per_day.saturating_sub(used))
    }

    fn disk_nearly_full(&self) -> bool {
        let (Some(dir), minimum) = (&self.data_dir, self.limits.min_free_disk_bytes) else {
            return false;
        };
        if minimum == 0 {
            return false;
        }
        match rustix::fs::statvfs(dir) {
            Ok(stat) => stat.f_bavail.saturating_mul(stat.f_frsize) < minimum,
            // A disk that cannot be measured is not refused for it.
            Err(_) => false,
        }
    }

    /// Evidence bytes added in the last 24 hours to complaints with the same phone as
    /// complaint `complaint_id`.
    async fn phone_bytes_since(
        &self,
        pool: &AnyPool,
        complaint_id: i64,
        now: DateTime<Utc>,
    ) -> AppResult<u64> {
        let since = crate::store::to_ms(now - Duration::hours(24));
        let row = sqlx::query(
            "SELECT CAST(COALESCE(SUM(e.size_bytes), 0) AS BIGINT) AS used
             FROM evidence e JOIN complaints c ON c.id = e.complaint_id
             WHERE c.phone = (SELECT phone FROM complaints WHERE id = $1) AND e.uploaded_at >= $2",
        )
        .bind(complaint_id)
        .bind(since)
        .fetch_one(pool)
        .await
        .map_err(db("measuring a phone's uploads"))?;
        let used: i64 = row
            .try_get("used")
            .map_err(db("reading a phone's uploads"))?;
        Ok(u64::try_from(used).unwrap_or(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_parse_by_name_and_refuse_what_they_do_not_know() {
        assert_eq!(UploadLimits::parse("").unwrap(), UploadLimits::default());
        let set = UploadLimits::parse("phone_mb_per_day=5, min_free_disk_mb=0").unwrap();
        assert_eq!(set.phone_bytes_per_day, 5 * MB);
        assert_eq!(set.min_free_disk_bytes, 0);
        for bad in [
            "phone=5",
            "phone_mb_per_day",
            "min_free_disk_mb=-1",
            "phone_mb_per_day=x",
        ] {
            assert!(UploadLimits::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_data_directory_comes_from_a_sqlite_url_only() {
        let dir = |url| UploadGuard::new(UploadLimits::default(), url).data_dir;
        assert_eq!(dir("sqlite://data/portal.db"), Some(PathBuf::from("data")));
        assert_eq!(
            dir("sqlite:///tmp/x/p.db?mode=rwc"),
            Some(PathBuf::from("/tmp/x"))
        );
        assert_eq!(dir("sqlite://portal.db"), Some(PathBuf::from(".")));
        assert_eq!(dir("postgres://u@h/db"), None);
    }

    #[test]
    fn a_disk_with_less_than_the_minimum_free_refuses() {
        let everything = UploadGuard {
            limits: UploadLimits {
                phone_bytes_per_day: 0,
                min_free_disk_bytes: u64::MAX,
            },
            data_dir: Some(PathBuf::from(".")),
        };
        assert!(everything.disk_nearly_full());
        let nothing = UploadGuard {
            limits: UploadLimits {
                phone_bytes_per_day: 0,
                min_free_disk_bytes: 1,
            },
            data_dir: Some(PathBuf::from(".")),
        };
        assert!(!nothing.disk_nearly_full());
    }
}
