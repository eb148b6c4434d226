//! One writer for filings, committing several per transaction (group commit).
//!
//! When hundreds of owners report one burst pipe within minutes, every filing wants the
//! database's single write lock (SQLite) and a flush to disk at commit. Filings are queued
//! to one task instead; it takes every filing waiting (up to [`MAX_BATCH`]), writes each in
//! its own savepoint inside one transaction, commits once — one flush for the lot — and
//! only then answers each owner. So:
//! - an owner's receipt means the complaint is on disk (`synchronous = FULL` on SQLite);
//! - a filing that fails (a duplicate form, a community that is gone) is undone alone and
//!   answered with its own error; the others in its batch stand;
//! - filings in one batch see each other: the tenth report of a leak joins the group the
//!   first nine formed, as if they had come one by one.
//!
//! The queue is bounded: when it is full, requests wait for room (the rate limits in front
//! keep that short).

use std::sync::Arc;

use app::error::{AppError, AppResult};
use app::model::Receipt;
use sqlx::{Any, Transaction};
use tokio::sync::{mpsc, oneshot};

use super::filing::{self, Filing, Rules, Written};
use crate::db::Db;
use crate::error::db;
use crate::live::{self, LiveHub, Touched};

/// At most this many filings share one commit.
pub const MAX_BATCH: usize = 64;
/// Filings waiting beyond the one being written.
const QUEUE: usize = 1024;

struct Job {
    filing: Filing,
    reply: oneshot::Sender<AppResult<Receipt>>,
}

pub struct Writer {
    jobs: mpsc::Sender<Job>,
}

impl Writer {
    /// Starts the writer task (it ends when the store is dropped).
    pub fn start(db: Db, rules: Rules, live: Arc<dyn LiveHub>) -> Writer {
        let (jobs, queue) = mpsc::channel(QUEUE);
        tokio::spawn(run(queue, db, rules, live));
        Writer { jobs }
    }

    /// Files one complaint; answers once it is committed.
    pub async fn file(&self, filing: Filing) -> AppResult<Receipt> {
        let (reply, answer) = oneshot::channel();
        self.jobs
            .send(Job { filing, reply })
            .await
            .map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }
}

fn stopped() -> AppError {
    tracing::error!("the filing writer has stopped");
    AppError::Internal
}

async fn run(mut queue: mpsc::Receiver<Job>, db: Db, rules: Rules, live: Arc<dyn LiveHub>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while queue.recv_many(&mut batch, MAX_BATCH).await > 0 {
        commit(&db, &rules, &*live, std::mem::take(&mut batch)).await;
    }
}

/// Writes `batch` in one transaction and answers each filing.
async fn commit(database: &Db, rules: &Rules, live: &dyn LiveHub, batch: Vec<Job>) {
    // Batches are at most `MAX_BATCH` long: the conversion is exact.
    metrics::histogram!("portal_filings_per_commit").record(batch.len() as f64);
    let mut tx = match database.begin().await {
        Ok(tx) => tx,
        Err(error) => {
            let error = db("starting to file")(error);
            for job in batch {
                let _ = job.reply.send(Err(error.clone()));
            }
            return;
        }
    };
    let mut answers = Vec::with_capacity(batch.len());
    let mut touched: Vec<Touched> = Vec::new();
    for job in batch {
        let (answer, changed) = one(&mut tx, rules, &job.filing).await;
        for t in changed {
            if !touched.iter().any(|k| k.complaint_id == t.complaint_id) {
                touched.push(t);
            }
        }
        answers.push((job.reply, answer));
    }
    match live::commit(tx, live, &touched).await {
        Ok(()) => {
            for (reply, answer) in answers {
                let _ = reply.send(answer);
            }
        }
        Err(error) => {
            let error = db("committing filings")(error);
            for (reply, answer) in answers {
                // Nothing of the batch is kept: a filing that had failed keeps its own error.
                let _ = reply.send(answer.and(Err(error.clone())));
            }
        }
    }
}

/// One filing in its own savepoint: undone alone when it fails.
async fn one(
    tx: &mut Transaction<'static, Any>,
    rules: &Rules,
    filing: &Filing,
) -> (AppResult<Receipt>, Vec<Touched>) {
    let mut savepoint = match sqlx::Connection::begin(&mut **tx).await {
        Ok(savepoint) => savepoint,
        Err(error) => return (Err(db("starting a filing")(error)), Vec::new()),
    };
    match filing::write(&mut savepoint, rules, filing).await {
        Ok(Written::Filed(receipt, touched)) => match savepoint.commit().await {
            Ok(()) => (Ok(receipt), touched),
            Err(error) => (Err(db("keeping a filing")(error)), Vec::new()),
        },
        Ok(Written::Duplicate) => {
            if let Err(error) = savepoint.rollback().await {
                return (Err(db("undoing a filing")(error)), Vec::new());
            }
            // Two copies of one form: the copy already filed answers both.
            let earlier = match &filing.key {
                Some(key) => filing::already_filed(tx, key, &filing.intake).await,
                None => Ok(None),
            };
            let answer = earlier.and_then(|found| {
                found.ok_or_else(|| AppError::Conflict(filing::FILED_ELSEWHERE.to_owned()))
            });
            (answer, Vec::new())
        }
        Err(error) => {
            if let Err(undo) = savepoint.rollback().await {
                tracing::error!(error = %undo, "undoing a failed filing");
            }
            (Err(error), Vec::new())
        }
    }
}
