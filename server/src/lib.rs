//! The portal's server: persistence, workflows, background jobs, the HTTP surface.
//! `main.rs` is the command line; `start` is what it (and the tests) run.

pub mod auth;
pub mod backup;
pub mod cli;
pub mod config;
pub mod db;
pub mod error;
pub mod estate;
pub mod faq;
pub mod files;
pub mod http;
pub mod jobs;
pub mod learning;
pub mod live;
pub mod metrics;
pub mod outbox;
pub mod policy;
pub mod seed;
pub mod sessions;
pub mod store;

use std::sync::Arc;

use app::ssr::Backend;
use tokio::net::TcpListener;
use tower_sessions::ExpiredDeletion;

use crate::config::Config;
use crate::http::Services;
use crate::policy::PolicyHandle;
use crate::store::faq::{FaqSettings, FaqStore};
use crate::store::{complaints::ComplaintStore, directory::DirectoryStore, inbox::InboxStore};

pub type AnyError = Box<dyn std::error::Error + Send + Sync>;

/// A started portal: where it listens, and how to stop it.
pub struct Running {
    pub addr: std::net::SocketAddr,
    /// Where `/metrics` is served, when it is.
    pub metrics_addr: Option<std::net::SocketAddr>,
    pub db: db::Db,
    pub demo_logins: Option<Vec<seed::demo::DemoLogin>>,
    pub policy: Arc<PolicyHandle>,
    pub live: Arc<dyn live::LiveHub>,
    /// Login attempts per login name (the tests read its counts).
    pub login_limiter: Arc<auth::LoginLimiter>,
    /// The knowledge base (the tests flush its counted reads).
    pub faq: Arc<FaqStore>,
    server: tokio::task::JoinHandle<Result<(), std::io::Error>>,
    faq_job: tokio::task::JoinHandle<()>,
    cleanup: tokio::task::JoinHandle<()>,
    sla_job: tokio::task::JoinHandle<()>,
    outbox_job: tokio::task::JoinHandle<()>,
    learning_job: tokio::task::JoinHandle<()>,
    metrics_server: Option<tokio::task::JoinHandle<()>>,
    settings_job: tokio::task::JoinHandle<()>,
    stop: tokio::sync::oneshot::Sender<()>,
}

impl Running {
    /// Stops accepting, lets requests in flight finish, closes the database.
    pub async fn stop(self) -> Result<(), AnyError> {
        let _ = self.stop.send(());
        // Open event streams end, so the graceful shutdown does not wait on them forever.
        self.live.shutdown();
        self.server.await??;
        self.cleanup.abort();
        self.sla_job.abort();
        self.outbox_job.abort();
        self.learning_job.abort();
        self.faq_job.abort();
        self.settings_job.abort();
        if let Some(metrics) = &self.metrics_server {
            metrics.abort();
        }
        // The reads counted since the last flush.
        if let Err(error) = self.faq.flush_reads().await {
            tracing::warn!(%error, "counted FAQ reads not written at shutdown");
        }
        self.db.pool.close().await;
        Ok(())
    }

    /// Runs until `signal` completes, then stops gracefully.
    pub async fn run_until(
        self,
        signal: impl std::future::Future<Output = ()>,
    ) -> Result<(), AnyError> {
        signal.await;
        self.stop().await
    }
}

/// Opens and migrates the database, seeds demo data in demo mode, and starts serving.
pub async fn start(config: Config) -> Result<Running, AnyError> {
    let db = db::connect(&config.database_url).await?;
    let files = Arc::new(files::FileStore::from_setting(
        config.files.as_deref(),
        &config.database_url,
    )?);
    files.open(&db.pool).await?;
    let policy = Arc::new(PolicyHandle::load(&db.pool, config.policy_file.as_deref()).await?);
    store::reports::backfill::clocks(&db, &policy).await?;
    let live = live::for_db(&db).await?;
    let faq_settings = FaqSettings {
        utc_offset_minutes: policy.current().utc_offset_minutes,
        ..FaqSettings::default()
    };
    let complaints = Arc::new(ComplaintStore::new(
        db.clone(),
        policy.clone(),
        config.public_url(),
        live.clone(),
        config.quotas.phone_filings_per_day,
    ));
    let deflection_window = faq_settings.deflection_window;
    let faq = Arc::new(FaqStore::open(db.clone(), faq_settings).await?);
    let learning = learning::Learning::open(db.clone()).await?;
    let hotlines = Arc::new(store::directory::HotlineCache::default());
    let backend = Backend {
        learning: learning.clone(),
        estate: Arc::new(store::estate_admin::EstateStore {
            db: db.clone(),
            hotlines: Arc::clone(&hotlines),
        }),
        complaints: complaints.clone(),
        surveys: complaints,
        directory: Arc::new(DirectoryStore {
            db: db.clone(),
            hotlines: Arc::clone(&hotlines),
        }),
        inbox: Arc::new(InboxStore { db: db.clone() }),
        accounts: Arc::new(store::accounts::AccountStore { db: db.clone() }),
        admin: Arc::new(store::admin::AdminStore {
            db: db.clone(),
            policy: policy.clone(),
        }),
        deliveries: Arc::new(store::deliveries::DeliveryStore {
            db: db.clone(),
            channels: config.outbox.configured(),
        }),
        reports: Arc::new(store::reports::ReportStore {
            db: db.clone(),
            utc_offset_minutes: policy.current().utc_offset_minutes,
            deflection_window,
        }),
        faq: faq.clone(),
    };
    let demo_logins = if config.demo {
        Some(seed::demo::ensure(&db, &backend, &policy.current(), config.demo_history).await?)
    } else {
        None
    };
    // Complaints not yet in the similar-complaint index (a database from before it, the demo
    // history) are indexed before the first filing compares with them.
    {
        let mut tx = db.pool.begin().await?;
        let since = chrono::Utc::now() - policy.current().groups.window();
        let indexed = store::complaints::similar::index_missing(&mut tx, since).await?;
        tx.commit().await?;
        if indexed > 0 {
            tracing::info!(indexed, "complaints added to the similar-complaint index");
        }
    }
    match &config.outbox.webhook {
        Some((url, secret)) => {
            store::outbox::ensure_env_endpoint(&db.pool, url, secret, chrono::Utc::now()).await?
        }
        None => store::outbox::retire_env_endpoint(&db.pool).await?,
    }
    let outbox_job = outbox::worker::Worker::new(
        db.clone(),
        policy.clone(),
        config.outbox.clone(),
        config.public_url(),
    )?
    .spawn();
    let sessions = sessions::Sessions::open(&db).await?;
    let cleanup = tokio::spawn({
        let sessions = sessions.clone();
        async move {
            let _ = sessions
                .continuously_delete_expired(tokio::time::Duration::from_secs(3600))
                .await;
        }
    });
    let period = std::time::Duration::from_secs(config.sla_tick_seconds);
    let learning_job = learning::spawn(learning, policy.current().utc_offset_minutes);
    let sla_job = jobs::sla::spawn(db.clone(), policy.clone(), live.clone(), period);
    let faq_flush = std::time::Duration::from_secs(config.faq_flush_seconds);
    let faq_job = tokio::spawn({
        let faq = faq.clone();
        async move {
            // The first flush one period after start (nothing is counted before).
            let mut interval =
                tokio::time::interval_at(tokio::time::Instant::now() + faq_flush, faq_flush);
            interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                interval.tick().await;
                if let Err(error) = faq.background(chrono::Utc::now()).await {
                    tracing::error!(?error, "FAQ background work failed");
                }
            }
        }
    });
    // Several instances: what an administrator saves on one (the policy, the calendar)
    // reaches the others within a quarter of a minute.
    let settings_job = tokio::spawn({
        let policy = policy.clone();
        let pool = db.pool.clone();
        let several = db.engine == db::Engine::Postgres;
        async move {
            if !several {
                return;
            }
            let mut interval = tokio::time::interval(std::time::Duration::from_secs(15));
            interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                interval.tick().await;
                match policy.refresh(&pool).await {
                    Ok(true) => tracing::info!(
                        "the policy or calendar changed on another instance; reloaded"
                    ),
                    Ok(false) => {}
                    Err(error) => tracing::warn!(%error, "cannot refresh the policy"),
                }
            }
        }
    });
    let login_limiter = Arc::new(auth::LoginLimiter::new(
        db.pool.clone(),
        auth::LoginPolicy::default(),
    ));
    let services = Services {
        db: db.clone(),
        backend,
        limiter: login_limiter.clone(),
        policy: policy.clone(),
        live: live.clone(),
        streams: live::caps::StreamCaps::new(config.live_limits),
        uploads: Arc::new(http::quotas::UploadGuard::new(config.quotas, files.root())),
        files,
        sms_inbound_token: config.outbox.inbound_token.as_deref().map(Arc::from),
        faq: faq.clone(),
        hotlines: hotlines.clone(),
    };
    let mut metrics_addr = None;
    let metrics_server = match config.metrics_addr {
        Some(addr) => {
            if metrics::handle().is_none() {
                return Err("cannot start the metrics recorder".into());
            }
            let listener = TcpListener::bind(addr)
                .await
                .map_err(|e| format!("cannot listen for metrics on {addr}: {e}"))?;
            metrics_addr = Some(listener.local_addr()?);
            let router = metrics::router(metrics::Sources {
                db: db.clone(),
                live: live.clone(),
            });
            Some(tokio::spawn(async move {
                if let Err(error) = axum::serve(listener, router).await {
                    tracing::error!(%error, "the metrics address stopped");
                }
            }))
        }
        None => None,
    };
    let router = http::router(&config, services, sessions);
    let listener = TcpListener::bind(config.addr)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", config.addr))?;
    let addr = listener.local_addr()?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .with_graceful_shutdown(async {
            let _ = stopped.await;
        })
        .await
    });
    Ok(Running {
        addr,
        metrics_addr,
        db,
        demo_logins,
        policy,
        live,
        login_limiter,
        faq,
        server,
        faq_job,
        cleanup,
        sla_job,
        outbox_job,
        learning_job,
        metrics_server,
        settings_job,
        stop,
    })
}
