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
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use futures::StreamExt;
use object_store::{path::Path as Key, GetOptions, GetRange, ObjectStore};
use rand::RngCore;
use sqlx::{AnyPool, Row};
use tokio::io::AsyncWriteExt;
use tower::ServiceExt;

type AnyError = Box<dyn std::error::Error + Send + Sync>;

/// Where evidence files live.
#[derive(Debug, Clone)]
pub struct FileStore {
    /// The directory of the files (local store), or of uploads being received (both).
    root: PathBuf,
    remote: Option<Remote>,
}

/// An object store and the prefix of the portal's files in it.
#[derive(Clone)]
struct Remote {
    store: Arc<dyn ObjectStore>,
    prefix: String,
}

impl std::fmt::Debug for Remote {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Remote({}, prefix {:?})", self.store, self.prefix)
    }
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
            let mut file = tokio::fs::File::open(from).await?;
            let mut writer =
                object_store::buffered::BufWriter::new(Arc::clone(&remote.store), remote.key(id));
            if let Err(error) = tokio::io::copy(&mut file, &mut writer).await {
                let _ = writer.abort().await;
                return Err(error);
            }
            writer.shutdown().await?;
            drop(file);
            let _ = tokio::fs::remove_file(from).await;
            return Ok(());
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
            Some(remote) => {
                if let Err(error) = remote.store.delete(&remote.key(id)).await {
                    tracing::warn!(%error, evidence = id, "cannot remove an evidence object (the sweep will)");
                }
            }
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
        let key = remote.key(id);
        let size = match remote.store.head(&key).await {
            Ok(meta) => meta.size,
            Err(object_store::Error::NotFound { .. }) => {
                tracing::error!(
                    evidence = id,
                    "an evidence object is missing from the object store"
                );
                return StatusCode::NOT_FOUND.into_response();
            }
            Err(error) => {
                tracing::error!(%error, evidence = id, "cannot reach the object store");
                return StatusCode::BAD_GATEWAY.into_response();
            }
        };
        let asked = request
            .headers()
            .get(header::RANGE)
            .and_then(|v| v.to_str().ok())
            .map(|v| byte_range(v, size));
        let range = match asked {
            None | Some(Asked::Whole) => None,
            Some(Asked::Part(range)) => Some(range),
            Some(Asked::Unsatisfiable) => {
                let mut response = StatusCode::RANGE_NOT_SATISFIABLE.into_response();
                if let Ok(value) = HeaderValue::from_str(&format!("bytes */{size}")) {
                    response.headers_mut().insert(header::CONTENT_RANGE, value);
                }
                return response;
            }
        };
        let options = GetOptions {
            range: range
                .clone()
                .filter(|r| r.start < r.end)
                .map(GetRange::Bounded),
            ..GetOptions::default()
        };
        let got = match remote.store.get_opts(&key, options).await {
            Ok(got) => got,
            Err(error) => {
                tracing::error!(%error, evidence = id, "cannot read from the object store");
                return StatusCode::BAD_GATEWAY.into_response();
            }
        };
        let length = got.range.end - got.range.start;
        let stream = got
            .into_stream()
            .map(|chunk| chunk.map_err(std::io::Error::other));
        let mut response = axum::body::Body::from_stream(stream).into_response();
        let headers = response.headers_mut();
        headers.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
        headers.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
        if let Some(range) = range {
            *response.status_mut() = StatusCode::PARTIAL_CONTENT;
            if let Ok(value) = HeaderValue::from_str(&format!(
                "bytes {}-{}/{size}",
                range.start,
                range.end.saturating_sub(1)
            )) {
                response.headers_mut().insert(header::CONTENT_RANGE, value);
            }
        }
        response
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

impl Remote {
    /// `s3://bucket/prefix?option=value&…`: the bucket, the prefix of the portal's keys,
    /// and S3 options (credentials and the rest also from the `AWS_*` environment).
    fn from_url(url: &str) -> Result<Remote, FilesError> {
        use object_store::aws::{AmazonS3Builder, AmazonS3ConfigKey};
        use std::str::FromStr;
        let rest = url.strip_prefix("s3://").unwrap_or(url);
        let (location, query) = rest.split_once('?').unwrap_or((rest, ""));
        let (bucket, prefix) = location.split_once('/').unwrap_or((location, ""));
        if bucket.is_empty() {
            return Err(FilesError::Url(url.to_owned()));
        }
        let mut builder = AmazonS3Builder::from_env().with_bucket_name(bucket);
        for (name, value) in form_urlencoded::parse(query.as_bytes()) {
            let key = AmazonS3ConfigKey::from_str(&name)
                .or_else(|_| AmazonS3ConfigKey::from_str(&format!("aws_{name}")))
                .map_err(|_| FilesError::Option(name.to_string()))?;
            builder = builder.with_config(key, value.to_string());
        }
        Ok(Remote {
            store: Arc::new(builder.build()?),
            prefix: prefix.trim_matches('/').to_owned(),
        })
    }

    fn key(&self, id: i64) -> Key {
        let relative = format!("evidence/{}/{id}", id / 1000);
        if self.prefix.is_empty() {
            Key::from(relative)
        } else {
            Key::from(format!("{}/{relative}", self.prefix))
        }
    }

    fn evidence_prefix(&self) -> Key {
        if self.prefix.is_empty() {
            Key::from("evidence")
        } else {
            Key::from(format!("{}/evidence", self.prefix))
        }
    }

    /// Deletes objects an hour old or more whose row never committed.
    async fn sweep(&self, pool: &AnyPool) -> Result<(), AnyError> {
        let hour_ago = chrono::Utc::now() - chrono::Duration::hours(1);
        let mut listing = self.store.list(Some(&self.evidence_prefix()));
        while let Some(meta) = listing.next().await {
            let meta = meta?;
            let Some(id) = meta.location.filename().and_then(|n| n.parse::<i64>().ok()) else {
                continue;
            };
            if meta.last_modified > hour_ago {
                continue;
            }
            let known = sqlx::query("SELECT 1 FROM evidence WHERE id = $1")
                .bind(id)
                .fetch_optional(pool)
                .await?
                .is_some();
            if !known {
                self.store.delete(&meta.location).await?;
            }
        }
        Ok(())
    }
}

/// What a `Range` header asks of a file of `size` bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Asked {
    Whole,
    /// Bytes `start..end` (end exclusive).
    Part(std::ops::Range<u64>),
    Unsatisfiable,
}

/// One range (`bytes=a-b`, `bytes=a-`, `bytes=-n`); several ranges, or a header that is
/// not understood, get the whole file (which RFC 9110 allows).
fn byte_range(value: &str, size: u64) -> Asked {
    let Some(spec) = value.trim().strip_prefix("bytes=") else {
        return Asked::Whole;
    };
    if spec.contains(',') {
        return Asked::Whole;
    }
    let Some((first, last)) = spec.trim().split_once('-') else {
        return Asked::Whole;
    };
    let (first, last) = (first.trim(), last.trim());
    let parse = |s: &str| s.parse::<u64>().ok();
    let range = match (first.is_empty(), last.is_empty()) {
        (true, false) => match parse(last) {
            Some(0) => return Asked::Unsatisfiable,
            Some(n) => size.saturating_sub(n)..size,
            None => return Asked::Whole,
        },
        (false, _) => {
            let Some(start) = parse(first) else {
                return Asked::Whole;
            };
            let end = if last.is_empty() {
                size
            } else {
                match parse(last) {
                    Some(last) if last >= start => last.saturating_add(1).min(size),
                    _ => return Asked::Whole,
                }
            };
            if start >= size {
                return Asked::Unsatisfiable;
            }
            start..end
        }
        (true, true) => return Asked::Whole,
    };
    Asked::Part(range)
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
    fn ranges_are_read_as_rfc_9110_says() {
        assert_eq!(byte_range("bytes=0-99", 1000), Asked::Part(0..100));
        assert_eq!(byte_range("bytes=900-", 1000), Asked::Part(900..1000));
        assert_eq!(byte_range("bytes=-100", 1000), Asked::Part(900..1000));
        assert_eq!(byte_range("bytes=-5000", 1000), Asked::Part(0..1000));
        assert_eq!(byte_range("bytes=990-2000", 1000), Asked::Part(990..1000));
        assert_eq!(byte_range("bytes=1000-", 1000), Asked::Unsatisfiable);
        assert_eq!(byte_range("bytes=-0", 1000), Asked::Unsatisfiable);
        assert_eq!(byte_range("bytes=0-1,5-9", 1000), Asked::Whole);
        assert_eq!(byte_range("bytes=9-1", 1000), Asked::Whole);
        assert_eq!(byte_range("items=0-1", 1000), Asked::Whole);
    }

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
