//! The HTTP surface: Leptos pages and server functions, the JSON API, middleware.

pub mod api_v1;
pub mod assets;
pub mod estate;
pub mod evidence;
pub mod lang;
pub mod limits;
pub mod middleware;
pub mod page_cache;
pub mod quotas;
pub mod reports;

use std::sync::Arc;

use app::ssr::{Backend, RequestSession};
use axum::extract::DefaultBodyLimit;
use axum::routing::get;
use axum::Router;
use axum_login::{AuthManagerLayerBuilder, AuthSession};
use leptos::config::LeptosOptions;
use leptos::prelude::{provide_context, use_context};
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

use crate::auth::{LoginLimiter, SessionHandle, Users};
use crate::config::Config;
use crate::db::Db;
use crate::sessions::Sessions;

/// Form posts and server-function calls are small; uploads get their own limit.
const BODY_LIMIT_BYTES: usize = 256 * 1024;

/// Everything the router needs, built once at start.
#[derive(Clone)]
pub struct Services {
    pub db: Db,
    pub backend: Backend,
    pub limiter: Arc<LoginLimiter>,
    pub policy: Arc<crate::policy::PolicyHandle>,
    pub live: Arc<dyn crate::live::LiveHub>,
    /// The per-phone evidence budget and the free-disk guard.
    pub uploads: Arc<quotas::UploadGuard>,
    /// Where evidence files are kept.
    pub files: Arc<crate::files::FileStore>,
    /// The caps on open event streams.
    pub streams: Arc<crate::live::caps::StreamCaps>,
    /// What the SMS provider's reply callback must present, if it is open.
    pub sms_inbound_token: Option<Arc<str>>,
    /// The knowledge base (the page cache asks it what changed and counts reads).
    pub faq: Arc<crate::store::faq::FaqStore>,
    /// The hotlines pages show (the page cache asks what changed).
    pub hotlines: Arc<crate::store::directory::HotlineCache>,
}

/// Run by `cargo leptos watch` (development): pages reload themselves when it rebuilds.
pub fn watching() -> bool {
    std::env::var_os("LEPTOS_WATCH").is_some()
}

/// The whole application router.
pub fn router(config: &Config, services: Services, sessions: Sessions) -> Router {
    // Under `cargo leptos watch`, the options it passes (the reload port among them);
    // otherwise the portal's own settings.
    let options = watching()
        .then(|| leptos::config::get_configuration(None).ok())
        .flatten()
        .map(|conf| conf.leptos_options)
        .unwrap_or_else(|| {
            LeptosOptions::builder()
                .output_name("portal")
                .site_root(config.site_root.as_str())
                .site_pkg_dir("pkg")
                .site_addr(config.addr)
                .build()
        });
    let routes = generate_route_list(app::App);

    let session_layer = SessionManagerLayer::new(sessions)
        .with_name("portal_session")
        .with_secure(config.cookie_secure || config.public_url_is_https())
        .with_http_only(true)
        .with_same_site(SameSite::Strict)
        .with_expiry(Expiry::OnInactivity(
            tower_sessions::cookie::time::Duration::days(7),
        ));
    let auth_layer = AuthManagerLayerBuilder::new(
        Users {
            db: services.db.clone(),
        },
        session_layer,
    )
    .build();

    let assets = Arc::new(assets::Assets::load(
        std::path::Path::new(&config.site_root),
        "pkg",
    ));
    let context = request_context(services.clone(), assets.hashed());
    let pages = Router::new()
        .route("/lang/{tag}", get(lang::switch))
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz).with_state(services.clone()))
        .nest("/api/v1", api_v1::router().with_state(services.clone()))
        .merge(evidence::router().with_state(services.clone()))
        .merge(estate::public_router().with_state(services.clone()))
        .nest(
            "/staff/admin/estate",
            estate::router().with_state(services.clone()),
        )
        .nest(
            "/staff/reports/export",
            reports::router().with_state(services.clone()),
        )
        .merge(crate::live::stream::router(services.clone()))
        .leptos_routes_with_context(&options, routes, context.clone(), {
            let options = options.clone();
            move || app::shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context(
            context,
            app::shell,
        ))
        .with_state(options)
        .layer(auth_layer)
        .layer(axum::middleware::from_fn(middleware::server_fn_status))
        .layer(axum::middleware::from_fn(
            middleware::newest_form_error_only,
        ))
        .layer(axum::middleware::from_fn(middleware::local_redirects_only))
        .layer(axum::middleware::from_fn(middleware::reject_cross_site))
        .layer(axum::middleware::from_fn_with_state(
            page_cache::PageCache::new(services.faq.clone(), services.hotlines.clone()),
            page_cache::serve,
        ))
        .layer(axum::middleware::from_fn_with_state(
            limits::Limiters::new(&config.rate_limits, config.trusted_proxies.clone()),
            limits::rate_limit,
        ))
        .layer(axum::middleware::from_fn_with_state(
            middleware::HeaderPolicy {
                https: config.public_url_is_https(),
            },
            middleware::security_headers,
        ))
        .layer(DefaultBodyLimit::max(BODY_LIMIT_BYTES))
        .layer(CompressionLayer::new())
        .layer(axum::middleware::from_fn(crate::metrics::record))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(middleware::request_log())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid));
    assets::router(assets, "pkg").merge(pages)
}

/// Ready to serve: the database answers and its schema is this version's (for load
/// balancers; `/healthz` says only that the process is up).
async fn readyz(
    axum::extract::State(services): axum::extract::State<Services>,
) -> (axum::http::StatusCode, String) {
    match services.db.readiness().await {
        Ok(()) => (axum::http::StatusCode::OK, "ready".to_owned()),
        Err(reason) => {
            tracing::warn!(%reason, "not ready");
            (axum::http::StatusCode::SERVICE_UNAVAILABLE, reason)
        }
    }
}

/// What every page render and server-function call gets in its context: the
/// language, the ports, and the visitor's session.
fn request_context(
    services: Services,
    hashed: app::ssr::assets::HashedAssets,
) -> impl Fn() + Clone + Send + Sync + 'static {
    move || {
        provide_context(hashed.clone());
        let parts = use_context::<axum::http::request::Parts>();
        // The nonce of this response's CSP header (`middleware::security_headers`), in
        // place of the one leptos_axum drew, so the scripts and the header agree.
        if let Some(nonce) = parts
            .as_ref()
            .and_then(|p| p.extensions.get::<leptos::nonce::Nonce>())
        {
            provide_context(nonce.clone());
        }
        let lang = parts
            .as_ref()
            .map(|p| lang::from_headers(&p.headers))
            .unwrap_or_default();
        provide_context(lang);
        provide_context(services.backend.clone());
        let auth = parts.and_then(|p| p.extensions.get::<AuthSession<Users>>().cloned());
        if let Some(auth) = auth {
            let handle = SessionHandle {
                auth,
                limiter: services.limiter.clone(),
            };
            provide_context(RequestSession(Arc::new(handle)));
        }
    }
}
