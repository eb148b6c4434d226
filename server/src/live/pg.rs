//! The hub of several instances on one PostgreSQL: changes travel through
//! `LISTEN/NOTIFY` on the `portal_live` channel, so a change committed on any instance
//! reaches the streams of every instance.
//!
//! - `publish` hands the change to a sender task, which sends what has gathered as one
//!   `pg_notify` (a JSON array of [`Change`]s, a few dozen bytes each, far below NOTIFY's
//!   8000-byte limit). One task keeps one instance's changes in commit order.
//! - A listener task holds a `PgListener` and hands every notification it receives — its
//!   own instance's included — to the inner [`LocalHub`], which fans out to the streams.
//! - Notifications sent while the listener's connection is down are lost to it. When it
//!   notices (and reconnects), it ends every open stream of its instance: browsers
//!   reconnect with `Last-Event-ID` and replay what they missed from the timeline table,
//!   which every instance shares, and refetch as every (re)opened stream does.
//! - If a notification cannot be sent (the database is away), the change still reaches
//!   this instance's own streams.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use sqlx::postgres::PgListener;
use tokio::sync::mpsc;

use super::{Change, HubStats, LiveHub, LocalHub, Subscription, Topic};
use crate::db::Db;

/// The PostgreSQL channel every instance listens on.
pub const CHANNEL: &str = "portal_live";

/// Changes sent in one notification at most (about 100 bytes each).
const PER_NOTIFICATION: usize = 50;

pub struct PgHub {
    local: LocalHub,
    outgoing: mpsc::UnboundedSender<Change>,
    tasks: Mutex<Vec<tokio::task::JoinHandle<()>>>,
}

impl PgHub {
    /// Starts listening (failing if the database cannot be reached) and the sender.
    pub async fn start(db: &Db) -> Result<PgHub, sqlx::Error> {
        let mut listener = PgListener::connect(&db.url).await?;
        listener.listen(CHANNEL).await?;
        let local = LocalHub::default();
        let (outgoing, incoming) = mpsc::unbounded_channel();
        let sender = tokio::spawn(send(db.pool.clone(), incoming, local.clone()));
        let receiver = tokio::spawn(listen(listener, local.clone()));
        Ok(PgHub {
            local,
            outgoing,
            tasks: Mutex::new(vec![sender, receiver]),
        })
    }
}

async fn send(pool: sqlx::AnyPool, mut incoming: mpsc::UnboundedReceiver<Change>, local: LocalHub) {
    let mut batch = Vec::with_capacity(PER_NOTIFICATION);
    while incoming.recv_many(&mut batch, PER_NOTIFICATION).await > 0 {
        let payload = match serde_json::to_string(&batch) {
            Ok(payload) => payload,
            Err(error) => {
                tracing::error!(%error, "live: cannot encode changes");
                batch.clear();
                continue;
            }
        };
        let sent = sqlx::query("SELECT pg_notify($1, $2)")
            .bind(CHANNEL)
            .bind(payload)
            .execute(&pool)
            .await;
        if let Err(error) = sent {
            tracing::warn!(%error, "live: cannot notify the other instances; this one's streams still hear");
            for change in batch.iter().copied() {
                local.publish(change);
            }
        }
        batch.clear();
    }
}

async fn listen(mut listener: PgListener, local: LocalHub) {
    loop {
        match listener.try_recv().await {
            Ok(Some(notification)) => {
                match serde_json::from_str::<Vec<Change>>(notification.payload()) {
                    Ok(changes) => changes.into_iter().for_each(|c| local.publish(c)),
                    Err(error) => {
                        tracing::warn!(%error, "live: a notification that is not a list of changes")
                    }
                }
            }
            Ok(None) => {
                tracing::warn!("live: lost the PostgreSQL listener; reconnecting, open streams resume from the timeline");
                local.resync();
            }
            Err(error) => {
                tracing::error!(%error, "live: the PostgreSQL listener failed; retrying");
                local.resync();
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
}

impl LiveHub for PgHub {
    fn publish(&self, change: Change) {
        if self.outgoing.send(change).is_err() {
            self.local.publish(change);
        }
    }

    fn subscribe(&self, topic: Topic) -> Subscription {
        self.local.subscribe(topic)
    }

    fn shutdown(&self) {
        for task in self
            .tasks
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .drain(..)
        {
            task.abort();
        }
        self.local.shutdown();
    }

    fn stats(&self) -> HubStats {
        self.local.stats()
    }
}

/// The hub for `db`: fan-out through PostgreSQL when several instances may share it,
/// in-process for SQLite (one instance by nature).
pub async fn for_db(db: &Db) -> Result<Arc<dyn LiveHub>, sqlx::Error> {
    Ok(match db.engine {
        crate::db::Engine::Sqlite => Arc::new(LocalHub::default()),
        crate::db::Engine::Postgres => Arc::new(PgHub::start(db).await?),
    })
}
