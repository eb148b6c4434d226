//! Evidence in S3-compatible object storage (`PORTAL_FILES=s3://bucket/prefix`): uploads
//! sent in parts, downloads streamed with single ranges, orphans swept.

use std::path::Path;
use std::sync::Arc;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use futures::StreamExt;
use object_store::buffered::BufWriter;
use object_store::{path::Path as Key, GetOptions, GetRange, ObjectStore};
use sqlx::AnyPool;
use tokio::io::AsyncWriteExt;

use super::{AnyError, FilesError};

/// An object store and the prefix of the portal's files in it.
#[derive(Clone)]
pub(super) struct Remote {
    store: Arc<dyn ObjectStore>,
    prefix: String,
}

impl std::fmt::Debug for Remote {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Remote({}, prefix {:?})", self.store, self.prefix)
    }
}

impl Remote {
    /// Sends a received file to the bucket as evidence `id` (in parts when large), then
    /// removes the local copy.
    pub(super) async fn put(&self, from: &Path, id: i64) -> std::io::Result<()> {
        let mut file = tokio::fs::File::open(from).await?;
        let mut writer = BufWriter::new(Arc::clone(&self.store), self.key(id));
        if let Err(error) = tokio::io::copy(&mut file, &mut writer).await {
            let _ = writer.abort().await;
            return Err(error);
        }
        writer.shutdown().await?;
        drop(file);
        let _ = tokio::fs::remove_file(from).await;
        Ok(())
    }

    /// Deletes evidence `id`'s object; a failure is left to the sweep.
    pub(super) async fn delete(&self, id: i64) {
        if let Err(error) = self.store.delete(&self.key(id)).await {
            tracing::warn!(%error, evidence = id, "cannot remove an evidence object (the sweep will)");
        }
    }

    /// Evidence `id` streamed from the bucket: whole, or the one range asked for.
    pub(super) async fn serve(&self, id: i64, request: axum::extract::Request) -> Response {
        let key = self.key(id);
        let size = match self.store.head(&key).await {
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
        let got = match self.store.get_opts(&key, options).await {
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

    /// `s3://bucket/prefix?option=value&…`: the bucket, the prefix of the portal's keys,
    /// and S3 options (credentials and the rest also from the `AWS_*` environment).
    pub(super) fn from_url(url: &str) -> Result<Remote, FilesError> {
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

    pub(super) fn key(&self, id: i64) -> Key {
        let relative = format!("evidence/{}/{id}", id / 1000);
        if self.prefix.is_empty() {
            Key::from(relative)
        } else {
            Key::from(format!("{}/{relative}", self.prefix))
        }
    }

    pub(super) fn evidence_prefix(&self) -> Key {
        if self.prefix.is_empty() {
            Key::from("evidence")
        } else {
            Key::from(format!("{}/evidence", self.prefix))
        }
    }

    /// Deletes objects an hour old or more whose row never committed.
    pub(super) async fn sweep(&self, pool: &AnyPool) -> Result<(), AnyError> {
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
            if !crate::store::evidence::exists(pool, id).await? {
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
}
