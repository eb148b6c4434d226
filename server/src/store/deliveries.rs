//! The administrator's side of the outbox: the delivery log, retries, webhook endpoints and
//! test messages. Every change is audited.

use app::error::{AppError, AppResult, FieldErrors};
use app::model::{Actor, DeliveryLog};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use domain::{Lang, PhoneNumber};
use sqlx::AnyConnection;

use super::outbox::{self, NewDelivery, EMAIL, SMS, WEBHOOK, WEBHOOK_EVENTS, WECHAT};
use super::to_ms;
use crate::db::Db;
use crate::error::db;

pub struct DeliveryStore {
    pub db: Db,
    /// The channels the operator configured (the others only log).
    pub channels: Vec<String>,
}

fn invalid(field: &str, lang: Lang, zh: &str, en: &str, echo: &[(&str, &str)]) -> AppError {
    let mut errors = FieldErrors::one(
        field,
        match lang {
            Lang::Zh => zh,
            Lang::En => en,
        },
    );
    for (name, value) in echo {
        errors.echo.insert((*name).to_owned(), (*value).to_owned());
    }
    AppError::Validation(errors)
}

async fn audit(
    conn: &mut AnyConnection,
    actor: &Actor,
    action: &str,
    target: &str,
    after: Option<&str>,
    now: DateTime<Utc>,
) -> AppResult<()> {
    sqlx::query("INSERT INTO audit_log (at, actor_id, action, target, before_value, after_value) VALUES ($1, $2, $3, $4, NULL, $5)")
        .bind(to_ms(now))
        .bind(actor.user_id)
        .bind(action)
        .bind(target)
        .bind(after)
        .execute(&mut *conn)
        .await
        .map_err(db("auditing"))
        .map(|_| ())
}

/// A signing secret: 256 random bits, hex.
fn new_secret() -> String {
    format!("{}{}", outbox::new_key(), outbox::new_key())
}

#[async_trait]
impl app::ssr::Deliveries for DeliveryStore {
    async fn log(&self, status: &str) -> AppResult<DeliveryLog> {
        let status = domain::messages::DELIVERY_STATUSES
            .iter()
            .find(|s| **s == status)
            .copied();
        Ok(DeliveryLog {
            lines: outbox::log(&self.db.pool, status, 200)
                .await
                .map_err(db("reading the delivery log"))?,
            counts: outbox::counts(&self.db.pool)
                .await
                .map_err(db("counting deliveries"))?,
            endpoints: outbox::endpoints(&self.db.pool)
                .await
                .map_err(db("reading webhook endpoints"))?,
            channels: self.channels.clone(),
        })
    }

    async fn retry(&self, actor: &Actor, id: i64, lang: Lang, now: DateTime<Utc>) -> AppResult<()> {
        if !outbox::retry(&self.db.pool, id, now)
            .await
            .map_err(db("retrying a delivery"))?
        {
            return Err(AppError::Conflict(
                match lang {
                    Lang::Zh => "这条消息已发送或已取消，无需重发",
                    Lang::En => "This message was sent or cancelled; there is nothing to retry",
                }
                .to_owned(),
            ));
        }
        let mut conn = self.db.pool.acquire().await.map_err(db("connecting"))?;
        audit(
            &mut conn,
            actor,
            "delivery_retried",
            &format!("delivery:{id}"),
            None,
            now,
        )
        .await?;
        crate::outbox::WAKE.notify_one();
        Ok(())
    }

    async fn add_endpoint(
        &self,
        actor: &Actor,
        url: &str,
        events: &str,
        allow_private: bool,
        lang: Lang,
        now: DateTime<Utc>,
    ) -> AppResult<String> {
        let url = url.trim();
        let echo = [("url", url), ("events", events)];
        let checked = crate::outbox::targets::check(url, allow_private)
            .await
            .map_err(|refused| invalid("url", lang, &refused.zh, &refused.en, &echo))?;
        let wanted: Vec<&str> = events
            .split([',', ' ', '\n'])
            .map(str::trim)
            .filter(|e| !e.is_empty())
            .collect();
        if let Some(unknown) = wanted
            .iter()
            .find(|e| **e != "*" && !WEBHOOK_EVENTS.contains(e))
        {
            return Err(invalid(
                "events",
                lang,
                &format!("未知的事件 {unknown}；可选：{}", WEBHOOK_EVENTS.join(", ")),
                &format!(
                    "Unknown event {unknown}; choose from {}",
                    WEBHOOK_EVENTS.join(", ")
                ),
                &echo,
            ));
        }
        let events = if wanted.is_empty() || wanted.contains(&"*") {
            "*".to_owned()
        } else {
            wanted.join(",")
        };
        let secret = new_secret();
        let mut tx = self.db.begin().await.map_err(db("starting"))?;
        let id = outbox::add_endpoint(
            &mut tx,
            checked.as_str(),
            &secret,
            &events,
            allow_private,
            now,
        )
        .await
        .map_err(db("adding a webhook endpoint"))?;
        audit(
            &mut tx,
            actor,
            "webhook_added",
            &format!("webhook:{id}"),
            Some(&format!(
                "{} [{events}]{}",
                checked,
                if allow_private {
                    " private allowed"
                } else {
                    ""
                }
            )),
            now,
        )
        .await?;
        tx.commit().await.map_err(db("committing"))?;
        Ok(secret)
    }

    async fn set_endpoint_active(
        &self,
        actor: &Actor,
        id: i64,
        active: bool,
        now: DateTime<Utc>,
    ) -> AppResult<()> {
        let mut tx = self.db.begin().await.map_err(db("starting"))?;
        if !outbox::set_endpoint_active(&mut tx, id, active)
            .await
            .map_err(db("switching a webhook endpoint"))?
        {
            return Err(AppError::Validation(FieldErrors::one(
                "id",
                "没有这个推送地址（由环境变量配置的地址不能在此停用） / No such endpoint (one set by the environment cannot be switched here)",
            )));
        }
        let action = if active {
            "webhook_enabled"
        } else {
            "webhook_disabled"
        };
        audit(&mut tx, actor, action, &format!("webhook:{id}"), None, now).await?;
        tx.commit().await.map_err(db("committing"))
    }

    async fn send_test(
        &self,
        actor: &Actor,
        channel: &str,
        to: &str,
        lang: Lang,
        now: DateTime<Utc>,
    ) -> AppResult<()> {
        let to = to.trim();
        let echo = [("channel", channel), ("to", to)];
        let (recipient, shown, endpoint, payload) = match channel {
            SMS => {
                let phone = PhoneNumber::parse(to)
                    .ok()
                    .filter(PhoneNumber::is_mobile)
                    .ok_or_else(|| {
                        invalid(
                            "to",
                            lang,
                            "请填写11位手机号",
                            "Enter an 11-digit mobile number",
                            &echo,
                        )
                    })?;
                (phone.as_str().to_owned(), phone.masked(), None, None)
            }
            EMAIL => {
                if !domain::messages::is_email(to) {
                    return Err(invalid(
                        "to",
                        lang,
                        "邮箱格式不正确",
                        "Not an e-mail address",
                        &echo,
                    ));
                }
                (
                    to.to_owned(),
                    domain::messages::masked_email(to),
                    None,
                    None,
                )
            }
            WECHAT => {
                if to.is_empty() || to.len() > 64 {
                    return Err(invalid(
                        "to",
                        lang,
                        "请填写微信 openid",
                        "Enter a WeChat openid",
                        &echo,
                    ));
                }
                (
                    to.to_owned(),
                    format!("{}…", to.chars().take(4).collect::<String>()),
                    None,
                    None,
                )
            }
            WEBHOOK => {
                let endpoint = outbox::endpoints(&self.db.pool)
                    .await
                    .map_err(db("reading webhook endpoints"))?
                    .into_iter()
                    .find(|e| e.id.to_string() == to && e.active)
                    .ok_or_else(|| {
                        invalid(
                            "to",
                            lang,
                            "请选择一个启用的推送地址",
                            "Choose an active endpoint",
                            &echo,
                        )
                    })?;
                let payload = serde_json::json!({
                    "event": "ping",
                    "occurred_at": now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
                });
                (
                    endpoint.id.to_string(),
                    crate::outbox::targets::host_of(&endpoint.url),
                    Some(endpoint.id),
                    Some(payload.to_string()),
                )
            }
            _ => {
                return Err(invalid(
                    "channel",
                    lang,
                    "请选择渠道",
                    "Choose a channel",
                    &echo,
                ));
            }
        };
        let text = match lang {
            Lang::Zh => "这是一条测试消息：投诉门户的消息通道已接通。",
            Lang::En => "A test message: the complaint portal's channel works.",
        };
        let mut tx = self.db.begin().await.map_err(db("starting"))?;
        outbox::insert(
            &mut tx,
            &NewDelivery {
                complaint_id: None,
                event_id: None,
                channel,
                kind: if channel == WEBHOOK { "ping" } else { "test" },
                recipient: &recipient,
                recipient_shown: &shown,
                endpoint_id: endpoint,
                payload: payload.as_deref(),
                secret: (channel != WEBHOOK).then_some(text),
                // A test is sent now, whatever the hour.
                urgent: true,
                at: now,
                lang: lang.tag(),
            },
        )
        .await
        .map_err(db("queueing a test message"))?;
        audit(&mut tx, actor, "test_message", channel, Some(&shown), now).await?;
        tx.commit().await.map_err(db("committing"))?;
        crate::outbox::WAKE.notify_one();
        Ok(())
    }
}
