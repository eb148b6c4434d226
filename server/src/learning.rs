//! Retraining the category classifier from the company's own cases.
//!
//! The rules (split, promotion, masking) are `domain::classifier::learning` and
//! `domain::classifier::privacy`; this module gathers the cases from the store, trains off
//! the async runtime, stores every candidate with its report, and keeps the model in use in
//! memory for the hints (`/api/v1/hints`, the form's no-script rendering, and the browser
//! asset `/api/v1/hints/model/<version>`). Other instances pick up a promotion within one
//! poll ([`spawn`]).

use std::sync::{Arc, RwLock};

use app::error::{AppError, AppResult};
use app::model::classifier::{
    CategoryScore, ChangedCase, ClassifierAdmin, Scores, TrainedModel, TrainingOutcome,
    TrainingReport,
};
use app::model::Actor;
use app::ssr::ModelInUse;
use async_trait::async_trait;
use chrono::{DateTime, TimeDelta, Utc};
use domain::classifier::learning::{self, Case, Evaluation, Verdict};
use domain::classifier::{privacy, shipped, train, Model, MODEL_BYTES};
use domain::{Category, Lang};
use sha2::{Digest, Sha256};

use crate::db::Db;
use crate::error::{db, internal};
use crate::store::{classifier as store, from_ms, users};

/// Changed cases listed in a report, each way.
const CHANGED_LISTED: usize = 20;
/// Characters of a changed case's text quoted in a report.
const EXCERPT_CHARS: usize = 80;
/// Models listed on the administrator's page.
const MODELS_LISTED: i64 = 20;

pub struct Learning {
    db: Db,
    in_use: RwLock<Arc<ModelInUse>>,
    /// One training at a time on this instance (training takes seconds of CPU).
    training: tokio::sync::Mutex<()>,
}

fn digest(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The model shipped with the build (version 0).
pub fn shipped_model() -> ModelInUse {
    ModelInUse {
        version: 0,
        digest: digest(MODEL_BYTES),
        bytes: Arc::from(MODEL_BYTES),
    }
}

impl Learning {
    /// Loads the model in use from the database (the shipped one if none was promoted).
    pub async fn open(db: Db) -> Result<Arc<Learning>, sqlx::Error> {
        let learning = Arc::new(Learning {
            db,
            in_use: RwLock::new(Arc::new(shipped_model())),
            training: tokio::sync::Mutex::new(()),
        });
        learning.reload().await?;
        Ok(learning)
    }

    fn set_in_use(&self, model: ModelInUse) {
        if let Ok(mut in_use) = self.in_use.write() {
            *in_use = Arc::new(model);
        }
    }

    /// Reads the active model if it is not the one in memory (another instance promoted or
    /// rolled back).
    pub async fn reload(&self) -> Result<(), sqlx::Error> {
        let id = store::active_id(&self.db.pool).await?;
        if id == self.current().version {
            return Ok(());
        }
        match store::active(&self.db.pool).await? {
            Some(row) if Model::parse(&row.bytes).is_some() => self.set_in_use(ModelInUse {
                version: row.id,
                digest: row.digest,
                bytes: Arc::from(row.bytes),
            }),
            Some(row) => {
                tracing::error!(
                    version = row.id,
                    "the active model cannot be read; using the shipped one"
                );
                self.set_in_use(shipped_model());
            }
            None => self.set_in_use(shipped_model()),
        }
        Ok(())
    }

    fn current(&self) -> Arc<ModelInUse> {
        self.in_use
            .read()
            .map(|m| m.clone())
            .unwrap_or_else(|_| Arc::new(shipped_model()))
    }

    /// The bytes of `version` (0: shipped), for the browser asset.
    async fn load_version(&self, version: i64) -> AppResult<Option<ModelInUse>> {
        if version == 0 {
            return Ok(Some(shipped_model()));
        }
        let current = self.current();
        if current.version == version {
            return Ok(Some((*current).clone()));
        }
        Ok(store::model(&self.db.pool, version)
            .await
            .map_err(db("reading a model"))?
            .map(|row| ModelInUse {
                version: row.id,
                digest: row.digest,
                bytes: Arc::from(row.bytes),
            }))
    }

    /// The company's cases, masked, oldest label first.
    async fn cases(&self) -> AppResult<Vec<Case>> {
        let names = store::user_names(&self.db.pool)
            .await
            .map_err(db("reading names to mask"))?;
        let rows = store::cases(&self.db.pool)
            .await
            .map_err(db("reading labelled complaints"))?;
        Ok(rows
            .into_iter()
            .filter_map(|row| {
                let category = Category::parse(&row.category)?;
                let mut known: Vec<&str> = names.iter().map(String::as_str).collect();
                known.push(&row.complainant_name);
                Some(Case {
                    complaint_id: row.complaint_id,
                    category,
                    text: privacy::mask(&row.description, &known),
                })
            })
            .collect())
    }

    /// Trains a candidate from the shipped corpus and the company's cases, compares it with
    /// the model in use, stores it with its report, and promotes it if the rules allow.
    /// `by` is `None` for the nightly run. `Ok(None)`: too few cases to train.
    pub async fn train(
        &self,
        by: Option<&Actor>,
        now: DateTime<Utc>,
    ) -> AppResult<Option<TrainingOutcome>> {
        let _one_at_a_time = self.training.lock().await;
        let cases = self.cases().await?;
        if cases.len() < learning::MIN_CASES {
            return Ok(None);
        }
        let in_use = self.current();
        let (bytes, report, verdict) =
            tokio::task::spawn_blocking(move || train_and_compare(&cases, &in_use))
                .await
                .map_err(|e| internal("training a model", e))?;
        let promote = verdict == Verdict::Promoted;
        let report_json =
            serde_json::to_string(&report).map_err(|e| internal("encoding a report", e))?;
        let model_digest = digest(&bytes);
        let mut tx = self.db.begin().await.map_err(db("storing a model"))?;
        let version = store::insert(
            &mut tx,
            &store::NewModel {
                trained_by: by.map(|a| a.user_id),
                verdict: verdict.code(),
                digest: &model_digest,
                bytes: &bytes,
                cases: i64::from(report.cases),
                trained_on: i64::from(report.trained_on),
                report: &report_json,
            },
            promote,
            now,
        )
        .await
        .map_err(db("storing a model"))?;
        users::audit(
            &mut *tx,
            now,
            by.map(|a| a.user_id),
            if promote {
                "classifier_promoted"
            } else {
                "classifier_rejected"
            },
            Some(&format!("classifier_model:{version}")),
        )
        .await
        .map_err(db("auditing a model"))?;
        tx.commit().await.map_err(db("storing a model"))?;
        if promote {
            self.set_in_use(ModelInUse {
                version,
                digest: model_digest,
                bytes: Arc::from(bytes),
            });
        }
        tracing::info!(
            version,
            verdict = verdict.code(),
            cases = report.cases,
            training_ms = report.training_ms,
            "classifier trained"
        );
        Ok(Some(TrainingOutcome {
            version,
            verdict: verdict.code().to_owned(),
        }))
    }

    /// The nightly run: trains when enough cases were labelled since the last training.
    pub async fn nightly(&self, now: DateTime<Utc>) -> AppResult<Option<TrainingOutcome>> {
        let since = store::last_trained_at(&self.db.pool)
            .await
            .map_err(db("reading the last training"))?;
        let (_, new) = store::label_counts(&self.db.pool, since)
            .await
            .map_err(db("counting labelled complaints"))?;
        if usize::try_from(new).unwrap_or(0) < learning::NIGHTLY_MIN_NEW {
            return Ok(None);
        }
        self.train(None, now).await
    }
}

/// Training and both comparisons, on a blocking thread: (model bytes, report, verdict).
fn train_and_compare(cases: &[Case], in_use: &ModelInUse) -> (Vec<u8>, TrainingReport, Verdict) {
    let started = std::time::Instant::now();
    let corpus = shipped::corpus();
    let (train_cases, slice) = learning::split(cases);
    let examples = learning::training_examples(&corpus.training, train_cases);
    let bytes = train::train(&examples, &train::TrainConfig::default());
    let shipped_fallback = Model::parse(MODEL_BYTES);
    let (Some(candidate), Some(current)) =
        (Model::parse(&bytes), in_use.model().or(shipped_fallback))
    else {
        // Training always writes a readable model; should it not, nothing is promoted.
        return (
            bytes,
            TrainingReport::default(),
            Verdict::NotBetterForCompany,
        );
    };
    let on_slice = |model: &Model<'_>| {
        learning::evaluate(model, slice.iter().map(|c| (c.category, c.text.as_str())))
    };
    let (candidate_company, current_company) = (on_slice(&candidate), on_slice(&current));
    let candidate_shipped = learning::evaluate_shipped(&candidate, &corpus.held_out);
    let current_shipped = learning::evaluate_shipped(&current, &corpus.held_out);
    let verdict = learning::verdict(
        &candidate_company,
        &current_company,
        &candidate_shipped,
        &current_shipped,
    );
    let scores = |candidate: &Evaluation, current: &Evaluation| Scores {
        total: candidate.total,
        candidate: candidate.correct,
        in_use: current.correct,
    };
    let by_category = Category::ALL
        .iter()
        .zip(candidate_company.by_category())
        .zip(current_company.by_category())
        .map(
            |((category, (candidate, total)), (in_use, _))| CategoryScore {
                category: category.code().to_owned(),
                total,
                candidate,
                in_use,
            },
        )
        .collect();
    let (mut now_right, mut now_wrong) = (Vec::new(), Vec::new());
    for case in slice {
        let before = learning::predict(&current, &case.text);
        let after = learning::predict(&candidate, &case.text);
        let changed = ChangedCase {
            complaint_id: case.complaint_id,
            truth: case.category.code().to_owned(),
            before: before.code().to_owned(),
            after: after.code().to_owned(),
            excerpt: case.text.chars().take(EXCERPT_CHARS).collect(),
        };
        if after == case.category && before != case.category {
            now_right.push(changed);
        } else if before == case.category && after != case.category {
            now_wrong.push(changed);
        }
    }
    now_right.truncate(CHANGED_LISTED);
    now_wrong.truncate(CHANGED_LISTED);
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    let report = TrainingReport {
        against_version: in_use.version,
        cases: count(cases.len()),
        trained_on: count(train_cases.len()),
        company: scores(&candidate_company, &current_company),
        shipped: scores(&candidate_shipped, &current_shipped),
        by_category,
        confusion: candidate_company.confusion.clone(),
        now_right,
        now_wrong,
        training_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
    };
    (bytes, report, verdict)
}

fn refused(lang: Lang, zh: &str, en: &str) -> AppError {
    AppError::Conflict(
        match lang {
            Lang::Zh => zh,
            Lang::En => en,
        }
        .to_owned(),
    )
}

#[async_trait]
impl app::ssr::Learning for Learning {
    fn in_use(&self) -> Arc<ModelInUse> {
        self.current()
    }

    async fn version(&self, version: i64) -> AppResult<Option<ModelInUse>> {
        self.load_version(version).await
    }

    async fn overview(&self) -> AppResult<ClassifierAdmin> {
        let pool = &self.db.pool;
        let since = store::last_trained_at(pool)
            .await
            .map_err(db("reading the last training"))?;
        let (cases, new_cases) = store::label_counts(pool, since)
            .await
            .map_err(db("counting labelled complaints"))?;
        let models = store::models(pool, MODELS_LISTED)
            .await
            .map_err(db("listing models"))?
            .into_iter()
            .map(|row| TrainedModel {
                version: row.id,
                created_at: from_ms(row.created_at),
                trainer: row.trainer,
                verdict: row.verdict,
                active: row.active == 1,
                size: row.size,
                report: serde_json::from_str(&row.report).unwrap_or_default(),
            })
            .collect();
        Ok(ClassifierAdmin {
            active_version: self.current().version,
            cases,
            new_cases,
            min_cases: i64::try_from(learning::MIN_CASES).unwrap_or(i64::MAX),
            nightly_min_new: i64::try_from(learning::NIGHTLY_MIN_NEW).unwrap_or(i64::MAX),
            models,
        })
    }

    async fn retrain(
        &self,
        actor: &Actor,
        lang: Lang,
        now: DateTime<Utc>,
    ) -> AppResult<TrainingOutcome> {
        self.train(Some(actor), now).await?.ok_or_else(|| {
            refused(
                lang,
                &format!(
                    "已确认类别的投诉不足 {} 件，暂不能训练（分派或更正类别后即计入）",
                    learning::MIN_CASES
                ),
                &format!(
                    "Fewer than {} complaints have a confirmed category; assigning or correcting a complaint's category counts",
                    learning::MIN_CASES
                ),
            )
        })
    }

    async fn activate(
        &self,
        actor: &Actor,
        version: i64,
        lang: Lang,
        now: DateTime<Utc>,
    ) -> AppResult<()> {
        let mut tx = self.db.begin().await.map_err(db("switching models"))?;
        let target = (version != 0).then_some(version);
        if !store::activate(&mut tx, target)
            .await
            .map_err(db("switching models"))?
        {
            return Err(refused(
                lang,
                "只能启用曾被采用的模型",
                "Only a model that was once promoted can be put back in use",
            ));
        }
        users::audit(
            &mut *tx,
            now,
            Some(actor.user_id),
            "classifier_activated",
            Some(&format!("classifier_model:{version}")),
        )
        .await
        .map_err(db("auditing a model"))?;
        tx.commit().await.map_err(db("switching models"))?;
        self.reload().await.map_err(db("loading the model"))?;
        Ok(())
    }
}

/// Every minute: picks up a model another instance promoted; once a night (02:00–03:00 in
/// the portal's zone) trains if enough cases are new.
pub fn spawn(learning: Arc<Learning>, utc_offset_minutes: i32) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(std::time::Duration::from_secs(60));
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut last_night: Option<chrono::NaiveDate> = None;
        loop {
            interval.tick().await;
            if let Err(error) = learning.reload().await {
                tracing::warn!(%error, "could not check the model in use");
            }
            let now = Utc::now();
            let local = now.naive_utc() + TimeDelta::minutes(i64::from(utc_offset_minutes));
            if chrono::Timelike::hour(&local) == 2 && last_night != Some(local.date()) {
                last_night = Some(local.date());
                // One instance trains; another that comes after it finds nothing new.
                let run = crate::store::leader::exclusively(
                    &learning.db,
                    crate::store::leader::Job::NightlyTraining,
                    learning.nightly(now),
                );
                match run.await {
                    Ok(Some(Ok(Some(outcome)))) => {
                        tracing::info!(version = outcome.version, verdict = %outcome.verdict, "nightly training")
                    }
                    Ok(Some(Ok(None))) | Ok(None) => {}
                    Ok(Some(Err(error))) => tracing::error!(?error, "nightly training failed"),
                    Err(error) => tracing::error!(%error, "nightly training: cannot take its lock"),
                }
            }
        }
    })
}
