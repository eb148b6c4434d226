//! Rendered owner pages kept in memory: the knowledge base (`/faq`, its topics, articles and
//! searches), the home page and the tracking look-up form are the same for every visitor who
//! is not logged in, so they are rendered once, compressed once (brotli and gzip) and served
//! from memory until the knowledge base changes or a few seconds pass.
//!
//! - Only anonymous `GET`s are answered from here: a request carrying any cookie but the
//!   language choice (a session, a tracking grant) is rendered as usual. The key is the path,
//!   the query and the language.
//! - Only a plain `200` HTML answer that sets no cookie is kept.
//! - Every page's scripts carry a per-response nonce for the Content-Security-Policy; a kept
//!   page is served to many visitors, so its policy names the SHA-256 of each inline script
//!   instead (as strict: no other inline script runs).
//! - An article served from here still counts as read (`FaqStore::count_view`).
//! - Publishing, editing or withdrawing an article, or changing a hotline, drops every kept
//!   page at once on this instance; other instances drop theirs within [`TTL`] (hotlines:
//!   once they see the change, `HOTLINE_TTL`).
//! - When a page's [`TTL`] has passed, the first request renders it again and the others
//!   are served the kept copy meanwhile (for at most [`STALE_FOR`]), so an expiry under load
//!   costs one render, not one per connection.

use std::collections::HashMap;
use std::io::Write;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use crate::store::directory::HotlineCache;
use crate::store::faq::FaqStore;

/// How long a kept page is served before it is rendered again (other instances' edits, the
/// hotline numbers on the look-up form).
pub const TTL: Duration = Duration::from_secs(10);
/// How long after its [`TTL`] a page may still be served while one request renders it
/// again (a render that failed is retried by everyone after this).
const STALE_FOR: Duration = Duration::from_secs(20);
/// At most this many pages are kept (searches make the key space open-ended); beyond it the
/// oldest half is dropped.
const MAX_PAGES: usize = 2_000;
/// Pages larger than this are not kept.
const MAX_PAGE_BYTES: usize = 1 << 20;

#[derive(Clone)]
pub struct PageCache {
    inner: Arc<Inner>,
}

struct Inner {
    faq: Arc<FaqStore>,
    hotlines: Arc<HotlineCache>,
    pages: RwLock<HashMap<Key, Arc<Page>>>,
}

#[derive(Clone, PartialEq, Eq, Hash)]
struct Key {
    path_and_query: String,
    lang: app::i18n::Lang,
}

struct Page {
    made: Instant,
    /// A request is rendering this page again (its TTL has passed).
    refreshing: std::sync::atomic::AtomicBool,
    generation: u64,
    content_type: HeaderValue,
    csp: HeaderValue,
    identity: Bytes,
    gzip: Bytes,
    brotli: Bytes,
}

impl PageCache {
    pub fn new(faq: Arc<FaqStore>, hotlines: Arc<HotlineCache>) -> PageCache {
        PageCache {
            inner: Arc::new(Inner {
                faq,
                hotlines,
                pages: RwLock::new(HashMap::new()),
            }),
        }
    }

    /// The kept page to serve, or `None` when this request must render it: none is kept,
    /// it is of an older generation, or its TTL has passed and no other request is
    /// rendering it yet (the first one to see it expired renders; the others get this copy).
    fn get(&self, key: &Key, generation: u64) -> Option<Arc<Page>> {
        let pages = self.inner.pages.read().unwrap_or_else(|p| p.into_inner());
        pages.get(key).filter(|p| p.serves(generation)).cloned()
    }

    fn put(&self, key: Key, page: Page) {
        let mut pages = self.inner.pages.write().unwrap_or_else(|p| p.into_inner());
        if pages.len() >= MAX_PAGES {
            let generation = page.generation;
            pages.retain(|_, p| p.generation == generation && p.made.elapsed() < TTL / 2);
            if pages.len() >= MAX_PAGES {
                pages.clear();
            }
        }
        pages.insert(key, Arc::new(page));
    }
}

/// Which owner pages are the same for every anonymous visitor.
fn cacheable_path(path: &str, query: Option<&str>) -> bool {
    let plain = query.is_none_or(str::is_empty);
    match path {
        "/" | "/faq" | "/track" => plain,
        // The query is the search itself.
        "/faq/search" => true,
        _ => {
            let Some(rest) = path.strip_prefix("/faq/") else {
                return false;
            };
            // An article opened from the complaint form carries the visit in its query
            // (counted as a suggestion that was read): rendered every time.
            !rest.is_empty() && !rest.contains('/') && plain
                || rest
                    .strip_prefix("topic/")
                    .is_some_and(|t| !t.contains('/'))
                    && plain
        }
    }
}

/// A visitor whose request no other visitor's copy can answer: any cookie but the language.
fn personal(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('=').map(|(name, _)| name))
        .any(|name| name != super::lang::COOKIE_NAME)
        || headers.contains_key(header::AUTHORIZATION)
}

pub async fn serve(State(cache): State<PageCache>, request: Request, next: Next) -> Response {
    let uri = request.uri();
    if request.method() != Method::GET
        || !cacheable_path(uri.path(), uri.query())
        || personal(request.headers())
    {
        return next.run(request).await;
    }
    let key = Key {
        path_and_query: uri
            .path_and_query()
            .map_or_else(|| uri.path().to_owned(), |p| p.as_str().to_owned()),
        lang: super::lang::from_headers(request.headers()),
    };
    let article = uri
        .path()
        .strip_prefix("/faq/")
        .filter(|rest| *rest != "search" && !rest.starts_with("topic/"))
        .map(|slug| {
            percent_encoding::percent_decode_str(slug)
                .decode_utf8_lossy()
                .into_owned()
        });
    // What the kept pages show that can change: the articles, and the hotlines every
    // page's footer and the articles give.
    let generation = cache
        .inner
        .faq
        .generation()
        .wrapping_add(cache.inner.hotlines.generation());
    let accept = Encoding::chosen(request.headers());
    if let Some(page) = cache.get(&key, generation) {
        if let Some(slug) = &article {
            cache.inner.faq.count_view(slug, chrono::Utc::now());
        }
        return page.response(accept);
    }
    // Rendered as usual (the article counts its read there); kept when it is the same
    // for everybody.
    let response = next.run(request).await;
    if response.status() != StatusCode::OK
        || response.headers().contains_key(header::SET_COOKIE)
        || response.headers().contains_key(header::CONTENT_ENCODING)
        || !response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/html"))
    {
        return response;
    }
    let (parts, body) = response.into_parts();
    let Ok(identity) = axum::body::to_bytes(body, MAX_PAGE_BYTES).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "").into_response();
    };
    let content_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .cloned()
        .unwrap_or_else(|| HeaderValue::from_static("text/html; charset=utf-8"));
    let kept = {
        let identity = identity.clone();
        tokio::task::spawn_blocking(move || Page::make(identity, content_type, generation)).await
    };
    match kept {
        Ok(Some(page)) => {
            let response = page.response(accept);
            cache.put(key, page);
            response
        }
        // Not kept (a script it could not name): the page as rendered, with its nonce.
        _ => Response::from_parts(parts, Body::from(identity)),
    }
}

#[derive(Clone, Copy)]
enum Encoding {
    Brotli,
    Gzip,
    Identity,
}

impl Encoding {
    fn chosen(headers: &HeaderMap) -> Encoding {
        if super::assets::accepts(headers, "br") {
            Encoding::Brotli
        } else if super::assets::accepts(headers, "gzip") {
            Encoding::Gzip
        } else {
            Encoding::Identity
        }
    }
}

impl Page {
    /// Whether this kept page answers a request of `generation` now; `false` tells the
    /// request to render it (see [`PageCache::get`]).
    fn serves(&self, generation: u64) -> bool {
        if self.generation != generation {
            return false;
        }
        let age = self.made.elapsed();
        if age < TTL {
            return true;
        }
        let someone_renders = self
            .refreshing
            .swap(true, std::sync::atomic::Ordering::AcqRel);
        someone_renders && age < TTL + STALE_FOR
    }

    fn make(identity: Bytes, content_type: HeaderValue, generation: u64) -> Option<Page> {
        let html = std::str::from_utf8(&identity).ok()?;
        let csp = HeaderValue::from_str(&super::middleware::content_security_policy_hashed(
            &inline_script_hashes(html)?,
        ))
        .ok()?;
        let mut brotli = Vec::with_capacity(identity.len() / 4);
        let params = brotli::enc::BrotliEncoderParams {
            quality: 9,
            lgwin: 22,
            ..Default::default()
        };
        brotli::BrotliCompress(&mut identity.as_ref(), &mut brotli, &params).ok()?;
        let mut gzip = flate2::write::GzEncoder::new(
            Vec::with_capacity(identity.len() / 3),
            flate2::Compression::best(),
        );
        gzip.write_all(&identity).ok()?;
        let gzip = gzip.finish().ok()?;
        Some(Page {
            made: Instant::now(),
            refreshing: std::sync::atomic::AtomicBool::new(false),
            generation,
            content_type,
            csp,
            identity,
            gzip: Bytes::from(gzip),
            brotli: Bytes::from(brotli),
        })
    }

    fn response(&self, encoding: Encoding) -> Response {
        let (body, coding) = match encoding {
            Encoding::Brotli => (self.brotli.clone(), Some("br")),
            Encoding::Gzip => (self.gzip.clone(), Some("gzip")),
            Encoding::Identity => (self.identity.clone(), None),
        };
        let mut response = Response::new(Body::from(body));
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, self.content_type.clone());
        headers.insert(header::CONTENT_SECURITY_POLICY, self.csp.clone());
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        if let Some(coding) = coding {
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(coding));
        }
        response
    }
}

/// The base64 SHA-256 of every inline `<script>`'s text, as a CSP source list names them;
/// `None` when the page's markup cannot be read with certainty (it is then not kept).
fn inline_script_hashes(html: &str) -> Option<Vec<String>> {
    use base64::Engine as _;
    let mut hashes = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find("<script") {
        let tag_and_after = &rest[at..];
        let tag_end = tag_and_after.find('>')?;
        let tag = &tag_and_after[..tag_end];
        let after = &tag_and_after[tag_end + 1..];
        let close = after.find("</script>")?;
        let text = &after[..close];
        if !tag.contains(" src=") {
            let digest = Sha256::digest(text.as_bytes());
            let hash = format!(
                "'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            );
            if !hashes.contains(&hash) {
                hashes.push(hash);
            }
        }
        rest = &after[close + "</script>".len()..];
    }
    Some(hashes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page_made(ago: Duration, generation: u64) -> Page {
        Page {
            made: Instant::now().checked_sub(ago).unwrap_or_else(Instant::now),
            refreshing: std::sync::atomic::AtomicBool::new(false),
            generation,
            content_type: HeaderValue::from_static("text/html"),
            csp: HeaderValue::from_static("default-src 'self'"),
            identity: Bytes::new(),
            gzip: Bytes::new(),
            brotli: Bytes::new(),
        }
    }

    #[test]
    fn an_expired_page_is_rendered_by_one_request_while_the_others_get_the_kept_copy() {
        let fresh = page_made(Duration::from_secs(1), 7);
        assert!(fresh.serves(7) && fresh.serves(7));
        assert!(!fresh.serves(8), "another generation is rendered at once");

        let expired = page_made(TTL + Duration::from_secs(1), 7);
        assert!(!expired.serves(7), "the first request renders it");
        assert!(expired.serves(7), "the next ones get the kept copy");
        assert!(expired.serves(7));
        assert!(!expired.serves(8), "never a copy of another generation");

        let abandoned = page_made(TTL + STALE_FOR + Duration::from_secs(1), 7);
        assert!(!abandoned.serves(7));
        assert!(
            !abandoned.serves(7),
            "a render that never came is not waited for"
        );
    }

    #[test]
    fn owner_pages_are_kept_and_personal_ones_are_not() {
        for path in ["/", "/faq", "/track", "/faq/lift", "/faq/topic/repair"] {
            assert!(cacheable_path(path, None), "{path}");
        }
        assert!(cacheable_path("/faq/search", Some("q=%E6%BC%8F")));
        for (path, query) in [
            ("/track/ABCD", None),
            ("/faq/lift", Some("from=complaint&visit=k")),
            ("/track", Some("code=X")),
            ("/me", None),
            ("/staff", None),
            ("/survey/t0k3n", None),
            ("/complaints/new", None),
            ("/faq/a/b", None),
        ] {
            assert!(!cacheable_path(path, query), "{path} {query:?}");
        }
    }

    #[test]
    fn only_the_language_cookie_is_anonymous() {
        let mut headers = HeaderMap::new();
        assert!(!personal(&headers));
        headers.insert(header::COOKIE, HeaderValue::from_static("lang=en"));
        assert!(!personal(&headers));
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("lang=en; portal_session=abc"),
        );
        assert!(personal(&headers));
    }

    #[test]
    fn inline_scripts_are_named_by_their_digest() {
        let html = r#"<p>x</p><script nonce="n">a()</script><script src="/pkg/x.js"></script><script type="module">b()</script><script>a()</script>"#;
        let hashes = inline_script_hashes(html).unwrap_or_default();
        assert_eq!(hashes.len(), 2);
        let a = base64::Engine::encode(
            &base64::engine::general_purpose::STANDARD,
            Sha256::digest(b"a()"),
        );
        assert_eq!(hashes[0], format!("'sha256-{a}'"));
        assert_eq!(inline_script_hashes("<script>never closed"), None);
    }
}
