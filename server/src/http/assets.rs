//! The built site's files (`/pkg/…`, `/favicon.svg`), served straight from memory, never
//! through the page renderer:
//!
//! - every file under its own name with a strong `ETag` (its content's SHA-256) and
//!   `Cache-Control: no-cache`: a browser revalidates and gets `304 Not Modified`;
//! - every file also under a content-hashed name (`portal.3f9a0c1d2e4b5a69.css`) with
//!   `Cache-Control: public, max-age=31536000, immutable`: pages link the stylesheet and
//!   the complaint form's module by these names (`app::ssr::assets`), so a new build gets
//!   new addresses and nothing stale is ever used;
//! - compressed with brotli or gzip when the browser accepts it (`Accept-Encoding`), each
//!   compressed once, on first request, and kept (`Vary: Accept-Encoding`).
//!
//! Files are read when the server starts: a rebuilt site needs a restart (as the server
//! binary does).

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use sha2::{Digest, Sha256};
use tokio::sync::OnceCell;

const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const REVALIDATE: &str = "no-cache";
/// Files larger than this are sent as they are (only debug builds have such files).
const COMPRESS_UP_TO: usize = 16 * 1024 * 1024;

/// Every file of the site, by address.
#[derive(Default)]
pub struct Assets {
    by_path: HashMap<String, Served>,
    /// What pages link: each file's hashed address.
    hashed: app::ssr::assets::HashedAssets,
}

/// One address of one file.
#[derive(Clone)]
struct Served {
    file: Arc<Asset>,
    immutable: bool,
}

struct Asset {
    /// The first 16 hex digits of the content's SHA-256: the hashed name and the ETag.
    digest: String,
    content_type: HeaderValue,
    etag: HeaderValue,
    identity: Bytes,
    compressible: bool,
    brotli: OnceCell<Option<Bytes>>,
    gzip: OnceCell<Option<Bytes>>,
}

impl Assets {
    /// Reads `site_root/pkg/**` and `site_root/favicon.svg`, and learns their hashed
    /// addresses. A missing site (tests, a server run before a build) serves nothing.
    pub fn load(site_root: &Path, pkg_dir: &str) -> Assets {
        let mut assets = Assets::default();
        let mut hashed = HashMap::new();
        let mut files = Vec::new();
        collect(&site_root.join(pkg_dir), &mut files);
        for path in files {
            let Ok(bytes) = std::fs::read(&path) else {
                continue;
            };
            let Ok(relative) = path.strip_prefix(site_root.join(pkg_dir)) else {
                continue;
            };
            let Some(relative) = relative.to_str().map(|r| r.replace('\\', "/")) else {
                continue;
            };
            let asset = Arc::new(Asset::new(&relative, bytes));
            let plain = format!("/{pkg_dir}/{relative}");
            let with_hash = format!("/{pkg_dir}/{}", hashed_name(&relative, &asset.digest));
            hashed.insert(relative.clone(), with_hash.clone());
            assets.by_path.insert(
                plain,
                Served {
                    file: asset.clone(),
                    immutable: false,
                },
            );
            assets.by_path.insert(
                with_hash,
                Served {
                    file: asset,
                    immutable: true,
                },
            );
        }
        if let Ok(bytes) = std::fs::read(site_root.join("favicon.svg")) {
            assets.by_path.insert(
                "/favicon.svg".to_owned(),
                Served {
                    file: Arc::new(Asset::new("favicon.svg", bytes)),
                    immutable: false,
                },
            );
        }
        assets.hashed = app::ssr::assets::HashedAssets(Arc::new(hashed));
        assets
    }
}

fn collect(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if !path.extension().is_some_and(|e| e == "br" || e == "gz") {
            out.push(path);
        }
    }
}

/// `dir/name.ext` → `dir/name.<16 hex>.ext` (`name` alone when there is no extension).
fn hashed_name(relative: &str, digest: &str) -> String {
    let (dir, file) = relative
        .rsplit_once('/')
        .map_or(("", relative), |(d, f)| (d, f));
    let named = match file.split_once('.') {
        Some((stem, ext)) => format!("{stem}.{digest}.{ext}"),
        None => format!("{file}.{digest}"),
    };
    if dir.is_empty() {
        named
    } else {
        format!("{dir}/{named}")
    }
}

impl Asset {
    fn new(name: &str, bytes: Vec<u8>) -> Asset {
        let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
        let (content_type, compressible) = match ext {
            "css" => ("text/css; charset=utf-8", true),
            "js" | "mjs" => ("text/javascript; charset=utf-8", true),
            "wasm" => ("application/wasm", true),
            "json" => ("application/json", true),
            "svg" => ("image/svg+xml", true),
            "html" => ("text/html; charset=utf-8", true),
            "txt" => ("text/plain; charset=utf-8", true),
            "png" => ("image/png", false),
            "jpg" | "jpeg" => ("image/jpeg", false),
            "webp" => ("image/webp", false),
            "ico" => ("image/x-icon", false),
            "woff2" => ("font/woff2", false),
            _ => ("application/octet-stream", false),
        };
        let mut digest = format!("{:x}", Sha256::digest(&bytes));
        digest.truncate(16);
        Asset {
            content_type: HeaderValue::from_static(content_type),
            etag: HeaderValue::from_str(&format!("\"{digest}\""))
                .unwrap_or(HeaderValue::from_static("\"0\"")),
            digest,
            compressible: compressible && bytes.len() <= COMPRESS_UP_TO,
            identity: Bytes::from(bytes),
            brotli: OnceCell::new(),
            gzip: OnceCell::new(),
        }
    }

    /// The brotli bytes, compressed once (on a blocking thread); `None` if not smaller.
    async fn brotli(&self) -> Option<Bytes> {
        let identity = self.identity.clone();
        self.brotli
            .get_or_init(|| async move {
                let compressed = tokio::task::spawn_blocking(move || {
                    let mut out = Vec::with_capacity(identity.len() / 3);
                    let params = brotli::enc::BrotliEncoderParams {
                        quality: 9,
                        lgwin: 22,
                        ..Default::default()
                    };
                    brotli::BrotliCompress(&mut identity.as_ref(), &mut out, &params)
                        .ok()
                        .filter(|_| out.len() < identity.len())
                        .map(|_| Bytes::from(out))
                })
                .await;
                compressed.ok().flatten()
            })
            .await
            .clone()
    }

    /// The gzip bytes, compressed once; `None` if not smaller.
    async fn gzip(&self) -> Option<Bytes> {
        let identity = self.identity.clone();
        self.gzip
            .get_or_init(|| async move {
                let compressed = tokio::task::spawn_blocking(move || {
                    let mut encoder = flate2::write::GzEncoder::new(
                        Vec::with_capacity(identity.len() / 3),
                        flate2::Compression::best(),
                    );
                    encoder
                        .write_all(&identity)
                        .and_then(|()| encoder.finish())
                        .ok()
                        .filter(|out| out.len() < identity.len())
                        .map(Bytes::from)
                })
                .await;
                compressed.ok().flatten()
            })
            .await
            .clone()
    }
}

/// The router of the site's files, with no page middleware in the way.
impl Assets {
    /// The hashed addresses, for every render's context.
    pub fn hashed(&self) -> app::ssr::assets::HashedAssets {
        self.hashed.clone()
    }
}

pub fn router(assets: Arc<Assets>, pkg_dir: &str) -> Router {
    Router::new()
        .route(&format!("/{pkg_dir}/{{*file}}"), get(serve))
        .route("/favicon.svg", get(serve))
        .with_state(assets)
}

/// Which encodings the client accepts, by preference (`q=0` refuses one).
pub(crate) fn accepts(headers: &HeaderMap, coding: &str) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|item| {
            let mut parts = item.split(';').map(str::trim);
            let name = parts.next().unwrap_or_default();
            let refused = parts.any(|p| {
                p.strip_prefix("q=")
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            name.eq_ignore_ascii_case(coding) && !refused
        })
}

async fn serve(State(assets): State<Arc<Assets>>, request: Request) -> Response {
    let Some(served) = assets.by_path.get(request.uri().path()).cloned() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let file = &served.file;
    let headers = request.headers();
    let mut response = if headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|tag| tag.trim() == "*" || tag.trim().trim_start_matches("W/") == file.etag)
    {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut body = None;
        let mut encoding = None;
        if file.compressible && accepts(headers, "br") {
            if let Some(bytes) = file.brotli().await {
                body = Some(bytes);
                encoding = Some("br");
            }
        }
        if body.is_none() && file.compressible && accepts(headers, "gzip") {
            if let Some(bytes) = file.gzip().await {
                body = Some(bytes);
                encoding = Some("gzip");
            }
        }
        let mut response = body
            .unwrap_or_else(|| file.identity.clone())
            .into_response();
        let out = response.headers_mut();
        out.insert(header::CONTENT_TYPE, file.content_type.clone());
        if let Some(encoding) = encoding {
            out.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
        }
        response
    };
    let out = response.headers_mut();
    out.insert(header::ETAG, file.etag.clone());
    out.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(if served.immutable {
            IMMUTABLE
        } else {
            REVALIDATE
        }),
    );
    if file.compressible {
        out.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    out.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_names_keep_the_directory_and_the_extension() {
        assert_eq!(
            hashed_name("portal.css", "0123456789abcdef"),
            "portal.0123456789abcdef.css"
        );
        assert_eq!(
            hashed_name("snippets/x/inline0.js", "0123456789abcdef"),
            "snippets/x/inline0.0123456789abcdef.js"
        );
        assert_eq!(
            hashed_name("LICENSE", "0123456789abcdef"),
            "LICENSE.0123456789abcdef"
        );
    }

    #[test]
    fn encodings_are_read_with_their_weights() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_static("gzip, deflate, br;q=0"),
        );
        assert!(accepts(&headers, "gzip"));
        assert!(!accepts(&headers, "br"));
        headers.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_static("br;q=1.0, gzip;q=0.8"),
        );
        assert!(accepts(&headers, "br"));
    }
}
