//! Limits on what owners may store, beyond the request rate (which counts per address):
//! per complainant phone, a daily number of complaints and a daily budget of evidence
//! bytes, so one owner cannot flood the queue or fill the disk from many addresses; and a
//! free-disk guard that refuses every upload (507) while the disk of the evidence files
//! is nearly full, so filing and handling keep working. The rules are in README "Security".

use std::path::{Path, PathBuf};
use std::sync::Arc;

use tokio::sync::Semaphore;

use chrono::{DateTime, Duration, Utc};
use sqlx::{AnyPool, Row};

use app::error::AppResult;

use crate::error::db;

/// `PORTAL_QUOTAS`, e.g. `phone_filings_per_day=10,phone_evidence_mb_per_day=300,min_free_disk_mb=1024`
/// (0 turns one off).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quotas {
    /// Complaints one phone may file through the portal's form in 24 hours: 10 (a burst
    /// pipe is one complaint; a tenth in one day is already unusual).
    pub phone_filings_per_day: u32,
    /// Evidence one complainant phone may add in 24 hours, over all its complaints:
    /// 300 MB (nine 10 MB photos and five 50 MB videos, with room to spare).
    pub phone_evidence_bytes_per_day: u64,
    /// Uploads stop while the disk holding the database has less free space than this:
    /// 1 GB.
    pub min_free_disk_bytes: u64,
}

const MB: u64 = 1024 * 1024;

/// Uploads received at once: 16, so photos being cleaned take at most ~160 MB.
pub const UPLOADS_AT_ONCE: usize = 16;

impl Default for Quotas {
    fn default() -> Self {
        Quotas {
            phone_filings_per_day: 10,
            phone_evidence_bytes_per_day: 300 * MB,
            min_free_disk_bytes: 1024 * MB,
        }
    }
}

#[derive(Debug, thiserror::Error)]
#[error("PORTAL_QUOTAS takes `phone_filings_per_day=N,phone_evidence_mb_per_day=N,min_free_disk_mb=N` (got `{0}`)")]
pub struct QuotasError(String);

impl Quotas {
    pub const OFF: Quotas = Quotas {
        phone_filings_per_day: 0,
        phone_evidence_bytes_per_day: 0,
        min_free_disk_bytes: 0,
    };

    /// The defaults with what `text` sets.
    pub fn parse(text: &str) -> Result<Quotas, QuotasError> {
        let mut limits = Quotas::default();
        for pair in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let bad = || QuotasError(pair.to_owned());
            let (name, value) = pair.split_once('=').ok_or_else(bad)?;
            let number: u64 = value.trim().parse().map_err(|_| bad())?;
            let bytes = || number.checked_mul(MB).ok_or_else(bad);
            match name.trim() {
                "phone_filings_per_day" => {
                    limits.phone_filings_per_day = u32::try_from(number).map_err(|_| bad())?
                }
                "phone_evidence_mb_per_day" => limits.phone_evidence_bytes_per_day = bytes()?,
                "min_free_disk_mb" => limits.min_free_disk_bytes = bytes()?,
                _ => return Err(bad()),
            }
        }
        Ok(limits)
    }
}

/// The limits with where to measure free space.
#[derive(Debug, Clone)]
pub struct UploadGuard {
    pub limits: Quotas,
    /// Uploads received at once (each streams to disk; a photo, at most 10 MB, is read
    /// whole to remove its position): `UPLOADS_AT_ONCE`.
    pub at_once: Arc<Semaphore>,
    /// The evidence file store's directory, whose disk uploads fill.
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
    /// Measuring the disk that holds `files` (where uploads are written).
    pub fn new(limits: Quotas, files: &Path) -> UploadGuard {
        UploadGuard {
            limits,
            data_dir: Some(files.to_path_buf()),
            at_once: Arc::new(Semaphore::new(UPLOADS_AT_ONCE)),
        }
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
        if self.limits.phone_evidence_bytes_per_day > 0
            && self.phone_bytes_since(pool, complaint_id, now).await?
                >= self.limits.phone_evidence_bytes_per_day
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
        if self.limits.phone_evidence_bytes_per_day == 0 {
            return Ok(u64::MAX);
        }
        let used = self.phone_bytes_since(pool, complaint_id, now).await?;
        Ok(self
            .limits
            .phone_evidence_bytes_per_day
            .saturating_sub(used))
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
        assert_eq!(Quotas::parse("").unwrap(), Quotas::default());
        let set = Quotas::parse("phone_evidence_mb_per_day=5, min_free_disk_mb=0").unwrap();
        assert_eq!(set.phone_filings_per_day, 10);
        let set = Quotas::parse("phone_filings_per_day=3").unwrap();
        assert_eq!(set.phone_filings_per_day, 3);
        let set = Quotas::parse("phone_evidence_mb_per_day=5, min_free_disk_mb=0").unwrap();
        assert_eq!(set.phone_evidence_bytes_per_day, 5 * MB);
        assert_eq!(set.min_free_disk_bytes, 0);
        for bad in [
            "phone=5",
            "phone_evidence_mb_per_day",
            "min_free_disk_mb=-1",
            "phone_evidence_mb_per_day=x",
            "phone_filings_per_day=99999999999",
        ] {
            assert!(Quotas::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_disk_with_less_than_the_minimum_free_refuses() {
        let everything = UploadGuard {
            limits: Quotas {
                phone_filings_per_day: 0,
                phone_evidence_bytes_per_day: 0,
                min_free_disk_bytes: u64::MAX,
            },
            data_dir: Some(PathBuf::from(".")),
            at_once: Arc::new(Semaphore::new(1)),
        };
        assert!(everything.disk_nearly_full());
        let nothing = UploadGuard {
            limits: Quotas {
                phone_filings_per_day: 0,
                phone_evidence_bytes_per_day: 0,
                min_free_disk_bytes: 1,
            },
            data_dir: Some(PathBuf::from(".")),
            at_once: Arc::new(Semaphore::new(1)),
        };
        assert!(!nothing.disk_nearly_full());
    }
}
