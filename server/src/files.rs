//! Evidence files, kept out of the database: a directory on the portal's disk
//! (`PORTAL_FILES=file:///srv/portal/files`; by default `files/` next to the SQLite file,
//! or `data/files` with PostgreSQL). The database keeps what a file is and who may read
//! it; the directory keeps the bytes, so backups and replication of the database stay
//! small and an upload streams to disk instead of into memory.
//!
//! - An upload is written to `tmp/` as it arrives, then moved to `evidence/<n>/<id>`
//!   before its row commits; if the commit fails the file is removed again. A file left
//!   in `tmp/` by a crash, or one without a row, is swept at start.
//! - Files stored in the database by earlier versions (`evidence_blobs`) are moved here
//!   at start, a few at a time, each deleted from the database once written.
//! - Several instances share files through a directory they all mount (NFS, a volume);
//!   object storage (S3) is not built in.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use rand::RngCore;
use sqlx::{AnyPool, Row};
use tokio::io::AsyncWriteExt;

type AnyError = Box<dyn std::error::Error + Send + Sync>;

/// Where evidence files live.
#[derive(Debug, Clone)]
pub struct FileStore {
    root: PathBuf,
}

#[derive(Debug, thiserror::Error)]
pub enum FilesError {
    #[error("PORTAL_FILES takes a directory as file:///absolute/path or file://relative/path (got `{0}`); object storage is not supported")]
    Url(String),
}

/// A file being received: written to `tmp/` as it arrives.
#[derive(Debug)]
pub struct Incoming {
    pub path: PathBuf,
    pub file: tokio::fs::File,
}

impl FileStore {
    /// `PORTAL_FILES` if set, else the default for the database URL.
    pub fn from_setting(
        setting: Option<&str>,
        database_url: &str,
    ) -> Result<FileStore, FilesError> {
        let root = match setting.map(str::trim).filter(|s| !s.is_empty()) {
            Some(url) => {
                let path = url
                    .strip_prefix("file://")
                    .filter(|p| !p.is_empty())
                    .ok_or_else(|| FilesError::Url(url.to_owned()))?;
                PathBuf::from(path)
            }
            None => default_root(database_url),
        };
        Ok(FileStore { root })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Creates the directories; moves files still in the database here; sweeps what a
    /// crash left behind.
    pub async fn open(&self, pool: &AnyPool) -> Result<(), AnyError> {
        tokio::fs::create_dir_all(self.root.join("tmp")).await?;
        tokio::fs::create_dir_all(self.root.join("evidence")).await?;
        self.move_blobs_out(pool).await?;
        self.sweep(pool).await?;
        Ok(())
    }

    /// A new file in `tmp/` for an upload.
    pub async fn incoming(&self) -> std::io::Result<Incoming> {
        let mut name = [0u8; 12];
        rand::thread_rng().fill_bytes(&mut name);
        let name: String = name.iter().map(|b| format!("{b:02x}")).collect();
        let path = self.root.join("tmp").join(format!("{name}.part"));
        let file = tokio::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .await?;
        Ok(Incoming { path, file })
    }

    /// Where evidence `id` is kept (a thousand to a directory).
    pub fn path_of(&self, id: i64) -> PathBuf {
        self.root
            .join("evidence")
            .join((id / 1000).to_string())
            .join(id.to_string())
    }

    /// Moves a received file to its place as evidence `id`.
    pub async fn place(&self, from: &Path, id: i64) -> std::io::Result<()> {
        let to = self.path_of(id);
        if let Some(parent) = to.parent() {
            tokio::fs::create_dir_all(parent).await?;
        }
        tokio::fs::rename(from, &to).await
    }

    /// Removes evidence `id`'s file, if there is one.
    pub async fn remove(&self, id: i64) {
        let _ = tokio::fs::remove_file(self.path_of(id)).await;
    }

    /// Writes the bytes of evidence `id` (files moved out of the database).
    async fn write(&self, id: i64, bytes: &[u8]) -> std::io::Result<()> {
        let mut incoming = self.incoming().await?;
        incoming.file.write_all(bytes).await?;
        incoming.file.sync_all().await?;
        drop(incoming.file);
        self.place(&incoming.path, id).await
    }

    async fn move_blobs_out(&self, pool: &AnyPool) -> Result<(), AnyError> {
        let mut moved = 0usize;
        loop {
            let rows = sqlx::query(
                "SELECT evidence_id, bytes FROM evidence_blobs ORDER BY evidence_id LIMIT 20",
            )
            .fetch_all(pool)
            .await?;
            if rows.is_empty() {
                break;
            }
            for row in rows {
                let id: i64 = row.try_get(0)?;
                let bytes: Vec<u8> = row.try_get(1)?;
                self.write(id, &bytes).await?;
                sqlx::query("DELETE FROM evidence_blobs WHERE evidence_id = $1")
                    .bind(id)
                    .execute(pool)
                    .await?;
                moved += 1;
            }
        }
        if moved > 0 {
            tracing::info!(moved, root = %self.root.display(), "evidence files moved out of the database");
        }
        Ok(())
    }

    /// Removes uploads a crash left in `tmp/` (older than an hour, so none in progress
    /// on another instance) and files whose row never committed.
    async fn sweep(&self, pool: &AnyPool) -> Result<(), AnyError> {
        let hour_ago = SystemTime::now() - Duration::from_secs(3600);
        let mut tmp = tokio::fs::read_dir(self.root.join("tmp")).await?;
        while let Some(entry) = tmp.next_entry().await? {
            let old = entry
                .metadata()
                .await
                .and_then(|m| m.modified())
                .is_ok_and(|at| at < hour_ago);
            if old {
                let _ = tokio::fs::remove_file(entry.path()).await;
            }
        }
        let mut groups = tokio::fs::read_dir(self.root.join("evidence")).await?;
        while let Some(group) = groups.next_entry().await? {
            let Ok(mut files) = tokio::fs::read_dir(group.path()).await else {
                continue;
            };
            while let Some(file) = files.next_entry().await? {
                let Some(id) = file
                    .file_name()
                    .to_str()
                    .and_then(|n| n.parse::<i64>().ok())
                else {
                    continue;
                };
                let old = file
                    .metadata()
                    .await
                    .and_then(|m| m.modified())
                    .is_ok_and(|at| at < hour_ago);
                if !old {
                    continue;
                }
                let known = sqlx::query("SELECT 1 FROM evidence WHERE id = $1")
                    .bind(id)
                    .fetch_optional(pool)
                    .await?
                    .is_some();
                if !known {
                    let _ = tokio::fs::remove_file(file.path()).await;
                }
            }
        }
        Ok(())
    }
}

/// `files/` next to a SQLite file; `data/files` otherwise.
fn default_root(database_url: &str) -> PathBuf {
    database_url
        .strip_prefix("sqlite:")
        .map(|rest| {
            let path = rest.trim_start_matches("//");
            let path = path.split('?').next().unwrap_or(path);
            Path::new(path)
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .map_or_else(|| PathBuf::from("files"), |dir| dir.join("files"))
        })
        .unwrap_or_else(|| PathBuf::from("data/files"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_directory_comes_from_the_setting_or_the_database() {
        let root = |setting, url| FileStore::from_setting(setting, url).unwrap().root;
        assert_eq!(
            root(None, "sqlite://data/portal.db"),
            PathBuf::from("data/files")
        );
        assert_eq!(
            root(None, "sqlite:///tmp/x/p.db?mode=rwc"),
            PathBuf::from("/tmp/x/files")
        );
        assert_eq!(root(None, "postgres://u@h/db"), PathBuf::from("data/files"));
        assert_eq!(
            root(Some("file:///srv/files"), "postgres://u@h/db"),
            PathBuf::from("/srv/files")
        );
        assert!(FileStore::from_setting(Some("s3://bucket/x"), "sqlite://p.db").is_err());
        assert!(FileStore::from_setting(Some("file://"), "sqlite://p.db").is_err());
    }
}
