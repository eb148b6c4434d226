//! Real-time updates: every committed change that owners or staff
//! see is published to a hub; pages follow it over server-sent events and refetch what
//! they show. Events carry no complaint data — only "complaint N changed, newest timeline
//! row M" — so every byte a page shows still goes through the rights checks of the server
//! functions that fetch it.
//!
//! # One hub, behind a trait
//!
//! Stores publish through [`LiveHub`] *after* their transaction commits (see [`commit`]),
//! and the streams in [`stream`] subscribe through it; neither knows how changes travel.
//! [`LocalHub`] fans out inside one process with one `tokio::sync::broadcast` channel per
//! followed complaint and one for the queue.
//!
//! Several instances on one PostgreSQL use [`pg::PgHub`], the same trait around a
//! `LocalHub`: changes travel between instances through `LISTEN/NOTIFY`, and nothing
//! else changes (not the stores, not the streams, not the pages). [`pg::for_db`] picks
//! the hub by engine (SQLite is single-instance by nature).

//! # What "misses nothing" rests on
//!
//! Event ids are timeline row ids, allocated when a row is inserted, not when its
//! transaction commits: of two overlapping transactions the one with the smaller id may
//! commit last, and a stream resumed from the larger id would not replay it. So a page
//! refetches whenever its stream (re)opens — that read sees every commit before it, and
//! the stream, subscribed before the response began, carries every commit after it. The
//! replay serves clients that resume without refetching, and short gaps.

pub mod caps;
mod hub;
pub mod pg;
pub mod stream;

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use sqlx::{Any, Transaction};

pub use hub::LocalHub;

use crate::store::events;

/// Something owners or staff see of one complaint changed, and the change is committed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub complaint_id: i64,
    /// The complaint's newest timeline row at commit: the stream's event id, from which a
    /// reconnecting stream resumes (every change writes at least one row).
    pub event_id: i64,
    /// The complaint's department now (handlers see their department's queue)…
    pub department: Option<i64>,
    /// …and before the change, when a reassignment moved it out of another one.
    pub previous_department: Option<i64>,
}

/// What a stream follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Topic {
    /// Every change of one complaint (its tracking page, its staff page).
    Complaint(i64),
    /// Every change of every complaint (the staff queue; streams filter by department).
    Queue,
}

/// Figures for tests, the benchmark and operators.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HubStats {
    /// Complaints followed by at least one stream.
    pub topics: usize,
    /// Open subscriptions, all topics together.
    pub subscribers: usize,
}

/// Where committed changes go and where streams get them from.
pub trait LiveHub: Send + Sync + 'static {
    /// Hands `change` to every subscriber of its complaint and of the queue. Call it only
    /// after the transaction that made the change has committed.
    fn publish(&self, change: Change);
    /// Follows `topic` until the subscription is dropped or the hub shuts down.
    fn subscribe(&self, topic: Topic) -> Subscription;
    /// Ends every subscription (streams then finish, so a graceful shutdown can complete).
    fn shutdown(&self);
    fn stats(&self) -> HubStats;
}

/// What a subscription yields next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    Change(Change),
    /// The subscriber fell behind and changes were dropped: it must refetch everything.
    Lagged,
    /// The hub shut down.
    Closed,
}

/// A receiver of changes; dropping it unsubscribes.
pub struct Subscription {
    // Dropped before `_guard`, so the guard sees the receiver gone.
    receiver: tokio::sync::broadcast::Receiver<Change>,
    _guard: Option<Box<dyn Send + Sync>>,
}

impl Subscription {
    pub fn new(
        receiver: tokio::sync::broadcast::Receiver<Change>,
        guard: Option<Box<dyn Send + Sync>>,
    ) -> Subscription {
        Subscription {
            receiver,
            _guard: guard,
        }
    }

    pub async fn next(&mut self) -> Next {
        use tokio::sync::broadcast::error::RecvError;
        match self.receiver.recv().await {
            Ok(change) => Next::Change(change),
            Err(RecvError::Lagged(_)) => Next::Lagged,
            Err(RecvError::Closed) => Next::Closed,
        }
    }
}

/// A complaint a transaction changed, and its department before the change (so the queue
/// of a department it just left hears of it too).
#[derive(Debug, Clone, Copy)]
pub struct Touched {
    pub complaint_id: i64,
    pub previous_department: Option<i64>,
}

impl Touched {
    pub fn new(complaint_id: i64) -> Touched {
        Touched {
            complaint_id,
            previous_department: None,
        }
    }

    pub fn was_in(mut self, department: Option<i64>) -> Touched {
        self.previous_department = department;
        self
    }
}

/// Commits `tx` and then publishes what it changed; the messages its timeline rows call
/// for (SMS, e-mail, webhooks) are written into the outbox in the same transaction. The event ids are read inside the
/// transaction (it sees its own rows); nothing is published if the commit fails.
pub async fn commit(
    mut tx: Transaction<'static, Any>,
    hub: &dyn LiveHub,
    touched: &[Touched],
) -> Result<(), sqlx::Error> {
    let mut changes = Vec::with_capacity(touched.len());
    let mut queued = 0;
    let now = chrono::Utc::now();
    for t in touched {
        queued += crate::store::outbox::derive(&mut tx, t.complaint_id, now).await?;
        if let Some((event_id, department)) = events::newest(&mut tx, t.complaint_id).await? {
            changes.push(Change {
                complaint_id: t.complaint_id,
                event_id,
                department,
                previous_department: t.previous_department.filter(|d| Some(*d) != department),
            });
        }
    }
    tx.commit().await?;
    if queued > 0 {
        crate::outbox::WAKE.notify_one();
    }
    for change in changes {
        hub.publish(change);
    }
    Ok(())
}

/// The hub of a single-instance portal.
pub fn local() -> Arc<dyn LiveHub> {
    Arc::new(LocalHub::default())
}

pub use pg::for_db;
