//! The database: SQLite by default (one file, WAL), PostgreSQL for larger deployments.
//! One `AnyPool` serves both; SQL in `store/` is written to run on either.

use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{install_default_drivers, AnyPoolOptions};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{AnyPool, Executor};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// The pool and which engine is behind it.
#[derive(Debug, Clone)]
pub struct Db {
    pub pool: AnyPool,
    pub engine: Engine,
    pub url: String,
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("cannot create the database folder {0}: {1}")]
    Folder(String, std::io::Error),
    #[error("cannot open the database: {0}")]
    Connect(#[source] sqlx::Error),
    #[error("cannot migrate the database: {0}")]
    Migrate(#[source] sqlx::migrate::MigrateError),
}

impl Db {
    /// Starts a transaction that may write. On SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`): a deferred transaction that reads first and writes later must
    /// upgrade its lock, which SQLite refuses at once ("database is locked") when another
    /// writer committed in between, busy timeout or not. Taken up front, the lock is waited
    /// for like any other. PostgreSQL's plain `BEGIN` needs no such care.
    pub async fn begin(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
        match self.engine {
            Engine::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Engine::Postgres => self.pool.begin().await,
        }
    }
}

impl Db {
    /// Whether this instance can serve: the database answers and holds every migration
    /// this binary knows (an instance started against an older schema is not ready).
    pub async fn readiness(&self) -> Result<(), String> {
        use sqlx::Row;
        let migrator = match self.engine {
            Engine::Sqlite => &SQLITE_MIGRATIONS,
            Engine::Postgres => &POSTGRES_MIGRATIONS,
        };
        let newest_known = migrator.iter().map(|m| m.version).max().unwrap_or(0);
        let row =
            sqlx::query("SELECT COALESCE(MAX(version), 0) FROM _sqlx_migrations WHERE success")
                .fetch_one(&self.pool)
                .await
                .map_err(|e| format!("database unreachable: {e}"))?;
        let applied: i64 = row
            .try_get(0)
            .map_err(|e| format!("database unreadable: {e}"))?;
        if applied < newest_known {
            return Err(format!(
                "migrations pending: the database is at {applied}, this version needs {newest_known}"
            ));
        }
        Ok(())
    }
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// Opens (creating if needed) and migrates the database at `url`.
pub async fn connect(url: &str) -> Result<Db, DbError> {
    install_default_drivers();
    let engine = if url.starts_with("sqlite:") {
        Engine::Sqlite
    } else {
        Engine::Postgres
    };
    let url = match engine {
        Engine::Sqlite => prepare_sqlite(url)?,
        Engine::Postgres => url.to_owned(),
    };
    let pool = AnyPoolOptions::new()
        .max_connections(match engine {
            Engine::Sqlite => 8,
            Engine::Postgres => 16,
        })
        .acquire_timeout(Duration::from_secs(10))
        .after_connect(move |conn, _meta| {
            Box::pin(async move {
                if engine == Engine::Sqlite {
                    // Per connection: enforce references, wait for the writer instead of
                    // failing, and flush the log at every commit: a complaint whose receipt
                    // reached its owner survives a power cut. (Filings reach their speed by
                    // sharing commits, `store::complaints::writer`, not by flushing less.)
                    conn.execute("PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA synchronous = FULL;")
                        .await?;
                }
                Ok(())
            })
        })
        .connect(&url)
        .await
        .map_err(DbError::Connect)?;
    if engine == Engine::Sqlite {
        pool.execute("PRAGMA journal_mode = WAL;")
            .await
            .map_err(DbError::Connect)?;
    }
    let migrator = match engine {
        Engine::Sqlite => &SQLITE_MIGRATIONS,
        Engine::Postgres => &POSTGRES_MIGRATIONS,
    };
    migrator.run(&pool).await.map_err(DbError::Migrate)?;
    Ok(Db { pool, engine, url })
}

/// Creates the file's folder and asks SQLite to create the file.
fn prepare_sqlite(url: &str) -> Result<String, DbError> {
    let options = SqliteConnectOptions::from_str(url).map_err(DbError::Connect)?;
    let path = options.get_filename();
    if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(folder)
            .map_err(|e| DbError::Folder(folder.display().to_string(), e))?;
    }
    Ok(if url.contains("mode=") {
        url.to_owned()
    } else if url.contains('?') {
        format!("{url}&mode=rwc")
    } else {
        format!("{url}?mode=rwc")
    })
}
