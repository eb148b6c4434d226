//! `server` (or `server serve`) runs the portal; `server create-admin` creates the
//! first administrator of a production installation; `server import-estate FILE` imports
//! its estate; `server backup FILE` and `server restore FILE` back up a SQLite portal
//! while it runs and put a backup in place.

use std::process::ExitCode;

use server::config::Config;
use server::{cli, seed, store, AnyError};
use tracing_subscriber::EnvFilter;

fn main() -> ExitCode {
    // At least four workers, whatever the core count: with a single worker a streamed
    // server-rendered page can wait forever on a resource (a known Leptos 0.8 hazard, seen on
    // one-core machines and in single-threaded tests).
    let workers = std::thread::available_parallelism()
        .map(std::num::NonZero::get)
        .unwrap_or(1)
        .max(4);
    match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime.block_on(run()),
        Err(error) => {
            eprintln!("error: cannot start the runtime: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> ExitCode {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    // One JSON object per line for log collectors; readable lines otherwise.
    if std::env::var("PORTAL_LOG_FORMAT").is_ok_and(|f| f.trim().eq_ignore_ascii_case("json")) {
        tracing_subscriber::fmt()
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .with_env_filter(filter)
            .init();
    } else {
        tracing_subscriber::fmt().with_env_filter(filter).init();
    }
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        None | Some("serve") => serve().await,
        Some("create-admin") => cli::create_admin(&args[1..]).await,
        Some("import-estate") => cli::import_estate(&args[1..]).await,
        Some("backup") => cli::backup(&args[1..]).await,
        Some("restore") => cli::restore(&args[1..]).await,
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

async fn serve() -> Result<(), AnyError> {
    let config = Config::from_env()?;
    let running = server::start(config).await?;
    println!(
        "业主自助投诉门户 / Owner complaint portal: http://{}",
        running.addr
    );
    match &running.demo_logins {
        Some(logins) => seed::demo::print_logins(logins),
        None if store::users::count(&running.db.pool).await? == 0 => println!(
            "No accounts yet. Create the first administrator with:\n  target/release/server create-admin --login admin --name 管理员"
        ),
        None => {}
    }
    running.run_until(shutdown_signal()).await?;
    println!("stopped");
    Ok(())
}

/// Ctrl-C or SIGTERM.
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
