//! Evidence files, kept out of the database. The database keeps what a file is and who
//! may read it; the store keeps the bytes, so backups and replication of the database
//! stay small and an upload streams to disk instead of into memory. Two stores:
//!
//! - a directory on the portal's disk (`PORTAL_FILES=file:///srv/portal/files`; by
//!   default `files/` next to the SQLite file, or `data/files` with PostgreSQL), which
//!   several instances can share by mounting it (a volume, NFS);
//! - object storage, any S3-compatible service (`PORTAL_FILES=s3://bucket/prefix`), for
//!   several instances without a shared disk. Credentials and region come the usual way
//!   (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_REGION`, `AWS_ENDPOINT_URL`, an
//!   instance role…); options may also follow in the query, e.g.
//!   `s3://evidence/portal?endpoint=http://minio:9000&allow_http=true&region=cn-north-1`.
//!
//! In both, an upload is written to a local `tmp/` as it arrives (with object storage,
//! under the system's temporary directory) (limits checked on
//! the way), then moved to `evidence/<n>/<id>` (a thousand to a directory) before its
//! row commits; if the commit fails the file is removed again. A file left in `tmp/` by a
//! crash, or a stored file without a row, is swept at start once it is an hour old (so no
//! upload in progress on another instance is touched). Files stored in the database by
//! earlier versions (`evidence_blobs`) are moved to the store at start. Downloads stream,
//! with range requests (a video can be scrubbed).

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use rand::RngCore;
use sqlx::{AnyPool, Row};
use tokio::io::AsyncWriteExt;
use tower::ServiceExt;

type AnyError = Box<dyn std::error::Error + Send + Sync>;

/// Where evidence files live.
mod remote;

use remote::Remote;

#[derive(Debug, Clone)]
pub struct FileStore {
    /// The directory of the files (local store), or of uploads being received (both).
    root: PathBuf,
    remote: Option<Remote>,
}

#[derive(Debug, thiserror::Error)]
pub enum FilesError {
    #[error("PORTAL_FILES takes a directory as file:///absolute/path or file://relative/path, or object storage as s3://bucket/prefix (got `{0}`)")]
    Url(String),
    #[error("PORTAL_FILES: `{0}` is not an S3 option (try endpoint, region, allow_http, virtual_hosted_style_request…)")]
    Option(String),
    #[error("PORTAL_FILES: cannot use the object store: {0}")]
    ObjectStore(#[from] object_store::Error),
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
        match setting.map(str::trim).filter(|s| !s.is_empty()) {
            // Uploads are received in the system's temporary directory, then sent on.
            Some(url) if url.starts_with("s3://") => Ok(FileStore {
                root: std::env::temp_dir().join("portal-uploads"),
                remote: Some(Remote::from_url(url)?),
            }),
            Some(url) => {
                let path = url
                    .strip_prefix("file://")
                    .filter(|p| !p.is_empty())
                    .ok_or_else(|| FilesError::Url(url.to_owned()))?;
                Ok(FileStore::at(PathBuf::from(path)))
            }
            None => Ok(FileStore::at(default_root(database_url))),
        }
    }

    /// The store in the directory `root`.
    pub fn at(root: PathBuf) -> FileStore {
        FileStore { root, remote: None }
    }

    /// The local directory: the files themselves, or (with object storage) the uploads
    /// being received.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Whether the files are in object storage.
    pub fn is_remote(&self) -> bool {
        self.remote.is_some()
    }

    /// Creates the directories; moves files still in the database here; sweeps what a
    /// crash left behind.
    pub async fn open(&self, pool: &AnyPool) -> Result<(), AnyError> {
        tokio::fs::create_dir_all(self.root.join("tmp")).await?;
        if self.remote.is_none() {
            tokio::fs::create_dir_all(self.root.join("evidence")).await?;
        }
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

    /// Moves a received file to its place as evidence `id` (in object storage: uploads
    /// it, in parts when large, then removes the local copy).
    pub async fn place(&self, from: &Path, id: i64) -> std::io::Result<()> {
        if let Some(remote) = &self.remote {
            return remote.put(from, id).await;
        }
        let to = self.path_of(id);
        if let Some(parent) = to.parent() {
            tokio::fs::create_dir_all(parent).await?;
        }
        tokio::fs::rename(from, &to).await
    }

    /// Removes evidence `id`'s file, if there is one.
    pub async fn remove(&self, id: i64) {
        match &self.remote {
            Some(remote) => remote.delete(id).await,
            None => {
                let _ = tokio::fs::remove_file(self.path_of(id)).await;
            }
        }
    }

    /// Evidence `id`'s bytes as a response: the whole file, or the one range asked for
    /// (`Range: bytes=…`, 206), streamed. Type, name and cache headers are the caller's.
    pub async fn serve(&self, id: i64, request: axum::extract::Request) -> Response {
        let Some(remote) = &self.remote else {
            // Range requests, conditional requests and streaming from tower-http.
            return match tower_http::services::ServeFile::new(self.path_of(id))
                .oneshot(request)
                .await
            {
                Ok(response) if response.status() == StatusCode::NOT_FOUND => {
                    tracing::error!(
                        evidence = id,
                        "an evidence file is missing from the file store"
                    );
                    StatusCode::NOT_FOUND.into_response()
                }
                Ok(response) => response.into_response(),
                Err(never) => match never {},
            };
        };
        remote.serve(id, request).await
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
        if let Some(remote) = &self.remote {
            return remote.sweep(pool).await;
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
                if !crate::store::evidence::exists(pool, id).await? {
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
        let s3 = FileStore::from_setting(
            Some("s3://bucket/x?endpoint=http://127.0.0.1:9000&allow_http=true&region=cn-north-1"),
            "sqlite://p.db",
        )
        .unwrap();
        assert!(s3.is_remote());
        assert_eq!(s3.remote.unwrap().key(1234).as_ref(), "x/evidence/1/1234");
        assert!(
            FileStore::from_setting(Some("s3://bucket/x?colour=blue"), "sqlite://p.db").is_err()
        );
        assert!(FileStore::from_setting(Some("s3:///x"), "sqlite://p.db").is_err());
        assert!(FileStore::from_setting(Some("file://"), "sqlite://p.db").is_err());
    }
}
