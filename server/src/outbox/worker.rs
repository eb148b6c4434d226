//! The delivery worker: claims due messages, sends them side by side (bounded), records
//! each outcome. On SQLite one portal runs one worker; on PostgreSQL every instance runs
//! one and they share the queue through `FOR UPDATE SKIP LOCKED` claims with a lease.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use domain::{Lang, Occasion};
use futures::StreamExt;
use rand::Rng;

use super::channels::{self, Channel, Outgoing};
use super::{targets, Settings, WAKE};
use crate::db::Db;
use crate::policy::PolicyHandle;
use crate::store::outbox::{self, Claimed, Outcome};

/// What the worker needs.
pub struct Worker {
    pub db: Db,
    pub policy: Arc<PolicyHandle>,
    pub settings: Settings,
    pub public_url: String,
    client: reqwest::Client,
    sms: Option<channels::SmsGateway>,
    email: Option<channels::Email>,
    wechat: Option<channels::Wechat>,
}

impl Worker {
    pub fn new(
        db: Db,
        policy: Arc<PolicyHandle>,
        settings: Settings,
        public_url: String,
    ) -> Result<Worker, String> {
        let client = channels::client(settings.timeout);
        let sms = settings.sms.clone().map(|s| channels::SmsGateway {
            client: client.clone(),
            settings: s,
            signature: policy.current().messages.signature.clone(),
        });
        let email = settings
            .smtp
            .as_ref()
            .map(|s| channels::Email::new(s, settings.timeout))
            .transpose()?;
        let wechat = settings.wechat.clone().map(|s| channels::Wechat {
            client: client.clone(),
            settings: s,
            token: tokio::sync::Mutex::new(None),
        });
        Ok(Worker {
            db,
            policy,
            settings,
            public_url: public_url.trim_end_matches('/').to_owned(),
            client,
            sms,
            email,
            wechat,
        })
    }

    /// Runs until aborted.
    pub fn spawn(self) -> tokio::task::JoinHandle<()> {
        let worker = Arc::new(self);
        tokio::spawn(async move {
            loop {
                match worker.round(Utc::now()).await {
                    // A full batch: there may be more.
                    Ok(n) if n as i64 >= worker.settings.batch => continue,
                    Ok(_) => {}
                    Err(error) => tracing::error!(%error, "outbox: claiming failed"),
                }
                tokio::select! {
                    () = WAKE.notified() => {}
                    () = tokio::time::sleep(worker.settings.poll) => {}
                }
            }
        })
    }

    /// Claims one batch and delivers it; returns how many were claimed.
    pub async fn round(&self, now: DateTime<Utc>) -> Result<usize, sqlx::Error> {
        let lease = chrono::Duration::from_std(self.settings.lease).unwrap_or_default();
        let claimed = outbox::claim(&self.db, now, now + lease, self.settings.batch).await?;
        let n = claimed.len();
        futures::stream::iter(claimed)
            .for_each_concurrent(self.settings.concurrency.max(1), |message| async move {
                let now = Utc::now();
                let outcome = self.attempt(&message, now).await;
                match &outcome {
                    Outcome::Failed { error, retry_at, .. } => tracing::warn!(
                        channel = %message.channel, kind = %message.kind, to = %message.recipient_shown,
                        key = %message.key, attempt = message.attempts, %error,
                        dead = retry_at.is_none(), "outbox: delivery failed"
                    ),
                    Outcome::Logged => tracing::info!(
                        channel = %message.channel, kind = %message.kind, to = %message.recipient_shown,
                        key = %message.key, "outbox: no channel configured, logged only"
                    ),
                    _ => {}
                }
                if let Err(error) = outbox::settle(&self.db.pool, message.id, &outcome, now).await {
                    tracing::error!(%error, key = %message.key, "outbox: recording an outcome failed");
                }
            })
            .await;
        Ok(n)
    }

    fn backoff(&self, attempt: i64) -> chrono::Duration {
        let base = self.settings.retry_base.as_millis() as f64;
        let cap = self.settings.retry_cap.as_millis() as f64;
        let exponent = i32::try_from(attempt.saturating_sub(1).clamp(0, 30)).unwrap_or(30);
        let full = (base * 2f64.powi(exponent)).min(cap);
        // Equal jitter: half fixed, half random, so retries of a burst spread out.
        let millis = full / 2.0 + rand::thread_rng().gen_range(0.0..=full / 2.0);
        chrono::Duration::milliseconds(millis as i64)
    }

    async fn attempt(&self, message: &Claimed, now: DateTime<Utc>) -> Outcome {
        let policy = self.policy.current();
        let max = i64::from(policy.messages.max_attempts);
        let result = self.send(message, &policy, now).await;
        match result {
            Ok(outcome) => outcome,
            Err(failure) => Outcome::Failed {
                error: failure.error,
                code: failure.code,
                retry_at: (message.attempts < max).then(|| now + self.backoff(message.attempts)),
            },
        }
    }

    async fn send(
        &self,
        message: &Claimed,
        policy: &domain::Policy,
        now: DateTime<Utc>,
    ) -> Result<Outcome, channels::Failure> {
        let fail = |error: &str| channels::Failure {
            error: error.to_owned(),
            code: None,
        };
        if message.channel == outbox::WEBHOOK {
            let Some(endpoint) = message.endpoint_id else {
                return Err(fail("no endpoint"));
            };
            let target = outbox::endpoint(&self.db.pool, endpoint)
                .await
                .map_err(|e| fail(&e.to_string()))?
                .filter(|t| t.active)
                .ok_or_else(|| fail("the endpoint was removed"))?;
            let url = targets::check(&target.url, target.allow_private)
                .await
                .map_err(|refused| fail(&refused.en))?;
            let payload = message.payload.as_deref().unwrap_or("{}");
            let code = channels::webhook(
                &self.client,
                url,
                &target.secret,
                &message.kind,
                &message.key,
                payload,
                now,
            )
            .await?;
            return Ok(Outcome::Sent {
                code,
                segments: None,
            });
        }
        // A message for the owner.
        let lang = Lang::from_tag(&message.lang).unwrap_or(Lang::Zh);
        let code = message.tracking_code.as_deref().unwrap_or_default();
        let shown_code = domain::TrackingCode::parse(code)
            .map(|c| c.display())
            .unwrap_or_else(|_| code.to_owned());
        let track_link = format!("{}/track/{code}", self.public_url);
        let (text, link) = match (message.kind.as_str(), Occasion::parse(&message.kind)) {
            ("legacy", _) | ("test", _) | (outbox::STAFF, _) => (
                message.secret.clone().unwrap_or_default(),
                self.public_url.clone(),
            ),
            (_, Some(Occasion::Survey)) => {
                let link = message
                    .secret
                    .clone()
                    .ok_or_else(|| fail("the survey link is no longer stored"))?;
                (
                    policy
                        .messages
                        .render(Occasion::Survey, lang, &shown_code, &link),
                    link,
                )
            }
            (_, Some(occasion)) => (
                policy
                    .messages
                    .render(occasion, lang, &shown_code, &track_link),
                track_link.clone(),
            ),
            (kind, None) => return Err(fail(&format!("unknown message kind {kind}"))),
        };
        let subject = match lang {
            Lang::Zh => format!("【{}】投诉进度通知", policy.messages.signature),
            Lang::En => format!("[{}] About your complaint", policy.messages.signature),
        };
        let (channel, text): (Option<&dyn Channel>, String) = match message.channel.as_str() {
            outbox::SMS if self.sms.is_none() => (None, text),
            outbox::SMS => {
                let held = policy
                    .messages
                    .sms_not_before(now, policy.time_zone(), message.urgent);
                if held > now {
                    return Ok(Outcome::Held(held));
                }
                (
                    self.sms.as_ref().map(|c| c as &dyn Channel),
                    policy.messages.sms(&text),
                )
            }
            outbox::EMAIL => (self.email.as_ref().map(|c| c as &dyn Channel), text),
            outbox::WECHAT => (self.wechat.as_ref().map(|c| c as &dyn Channel), text),
            other => return Err(fail(&format!("unknown channel {other}"))),
        };
        let Some(channel) = channel else {
            return Ok(Outcome::Logged);
        };
        let outgoing = Outgoing {
            key: &message.key,
            recipient: &message.recipient,
            text: &text,
            subject: &subject,
            code: &shown_code,
            link: &link,
        };
        let code = channel.send(&outgoing).await?;
        Ok(Outcome::Sent {
            code,
            segments: (message.channel == outbox::SMS)
                .then(|| domain::messages::sms_segments(&text)),
        })
    }
}
