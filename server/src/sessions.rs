//! Where sessions are kept, through tower-sessions' sqlx store for whichever engine is
//! configured: on PostgreSQL the same database as everything else; on SQLite a file of their
//! own beside it (`portal.db` → `portal-sessions.db`), so that signing in, or the session a
//! filing visitor gets to follow their complaint, never waits for SQLite's one write lock
//! while a burst of filings holds it. Sessions are not in backups: after a restore people
//! sign in again.

use async_trait::async_trait;
use sqlx::postgres::PgPoolOptions;
use std::str::FromStr;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, ExpiredDeletion, SessionStore};
use tower_sessions_sqlx_store::{PostgresStore, SqliteStore};

use crate::db::{Db, Engine};

#[derive(Debug, Clone)]
pub enum Sessions {
    Sqlite(SqliteStore),
    Postgres(PostgresStore),
}

impl Sessions {
    /// Opens a small pool of the engine's own kind (the store needs it) and creates
    /// the session table if it is missing.
    pub async fn open(db: &Db) -> Result<Sessions, sqlx::Error> {
        let store = match db.engine {
            Engine::Sqlite => {
                let options = SqliteConnectOptions::from_str(&sessions_url(&db.url))?
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    // A session lost to a power cut means signing in again.
                    .synchronous(SqliteSynchronous::Normal)
                    .busy_timeout(std::time::Duration::from_secs(5));
                let pool = SqlitePoolOptions::new()
                    .max_connections(4)
                    .connect_with(options)
                    .await?;
                Sessions::Sqlite(SqliteStore::new(pool))
            }
            Engine::Postgres => {
                let pool = PgPoolOptions::new()
                    .max_connections(4)
                    .connect(&db.url)
                    .await?;
                Sessions::Postgres(PostgresStore::new(pool))
            }
        };
        match &store {
            Sessions::Sqlite(s) => s.migrate().await?,
            Sessions::Postgres(s) => s.migrate().await?,
        }
        Ok(store)
    }
}

#[async_trait]
impl SessionStore for Sessions {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        match self {
            Sessions::Sqlite(s) => s.create(record).await,
            Sessions::Postgres(s) => s.create(record).await,
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        match self {
            Sessions::Sqlite(s) => s.save(record).await,
            Sessions::Postgres(s) => s.save(record).await,
        }
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        match self {
            Sessions::Sqlite(s) => s.load(id).await,
            Sessions::Postgres(s) => s.load(id).await,
        }
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        match self {
            Sessions::Sqlite(s) => s.delete(id).await,
            Sessions::Postgres(s) => s.delete(id).await,
        }
    }
}

#[async_trait]
impl ExpiredDeletion for Sessions {
    async fn delete_expired(&self) -> session_store::Result<()> {
        match self {
            Sessions::Sqlite(s) => s.delete_expired().await,
            Sessions::Postgres(s) => s.delete_expired().await,
        }
    }
}

/// The sessions' own SQLite file beside the database's (`…/portal.db` → `…/portal-sessions.db`,
/// the address's options kept); an in-memory database keeps them in memory too.
fn sessions_url(url: &str) -> String {
    let (path, options) = url.split_once('?').unwrap_or((url, ""));
    if path.contains(":memory:") {
        return url.to_owned();
    }
    let path = match path.strip_suffix(".db") {
        Some(stem) => format!("{stem}-sessions.db"),
        None => format!("{path}-sessions"),
    };
    if options.is_empty() {
        path
    } else {
        format!("{path}?{options}")
    }
}

#[cfg(test)]
mod tests {
    use super::sessions_url;

    #[test]
    fn sessions_sit_beside_the_database() {
        assert_eq!(
            sessions_url("sqlite://data/portal.db?mode=rwc"),
            "sqlite://data/portal-sessions.db?mode=rwc"
        );
        assert_eq!(
            sessions_url("sqlite:///tmp/x/p"),
            "sqlite:///tmp/x/p-sessions"
        );
        assert_eq!(sessions_url("sqlite::memory:"), "sqlite::memory:");
    }
}
