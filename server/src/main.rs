//! The portal's server: `server` (or `server serve`) runs it; `server create-admin`
//! creates the first administrator of a production installation.

mod auth;
mod cli;
mod config;
mod db;
mod error;
mod http;
mod seed;
mod sessions;
mod store;

use std::process::ExitCode;
use std::sync::Arc;

use app::ssr::Backend;
use tokio::net::TcpListener;
use tower_sessions::ExpiredDeletion;
use tracing_subscriber::EnvFilter;

use crate::config::Config;
use crate::http::Services;
use crate::store::{complaints::ComplaintStore, directory::DirectoryStore};

/// China Standard Time, the default zone of reports and local times.
const UTC_OFFSET_MINUTES: i32 = 480;

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn")))
        .init();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        None | Some("serve") => serve().await,
        Some("create-admin") => cli::create_admin(&args[1..]).await,
        Some("help" | "--help" | "-h") => {
            println!("{}", cli::USAGE);
            Ok(())
        }
        Some(other) => Err(format!("unknown command `{other}`\n\n{}", cli::USAGE).into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

type AnyError = Box<dyn std::error::Error + Send + Sync>;

async fn serve() -> Result<(), AnyError> {
    let config = Config::from_env()?;
    let db = db::connect(&config.database_url).await?;
    let backend = Backend {
        complaints: Arc::new(ComplaintStore { db: db.clone(), utc_offset_minutes: UTC_OFFSET_MINUTES }),
        directory: Arc::new(DirectoryStore { db: db.clone() }),
    };
    let demo_logins = if config.demo { Some(seed::demo::ensure(&db, &backend).await?) } else { None };
    let sessions = sessions::Sessions::open(&db).await?;
    let cleanup = tokio::spawn(sessions.clone().continuously_delete_expired(tokio::time::Duration::from_secs(3600)));

    let services = Services { db: db.clone(), backend, limiter: Arc::default() };
    let router = http::router(&config, services, sessions);
    let listener = TcpListener::bind(config.addr)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", config.addr))?;

    println!("业主自助投诉门户 / Owner complaint portal: http://{}", config.addr);
    match demo_logins {
        Some(logins) => seed::demo::print_logins(&logins),
        None if store::users::count(&db.pool).await? == 0 => {
            println!("No accounts yet. Create the first administrator with:\n  target/release/server create-admin --login admin --name 管理员");
        }
        None => {}
    }
    axum::serve(listener, router).with_graceful_shutdown(shutdown_signal()).await?;
    cleanup.abort();
    db.pool.close().await;
    println!("stopped");
    Ok(())
}

/// Ctrl-C or SIGTERM: stop accepting, finish what is in flight, close the database.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
