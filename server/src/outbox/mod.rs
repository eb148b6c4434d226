//! Delivery of the outbox (`store::outbox`): a background worker claims due messages,
//! sends each through its channel (SMS gateway, SMTP, WeChat, webhook) and records the
//! outcome — sent, retried later with exponential backoff and jitter, or given up (dead)
//! after the policy's `messages.max_attempts`. Delivery is at least once: a message whose
//! sender died is claimed again when its lease lapses, with the same idempotency key.
//!
//! Operators configure the channels by environment (see `Settings::from_env` and the
//! README); a channel that is not configured writes its messages to the log only.

pub mod channels;
pub mod settings;
pub mod targets;
pub mod worker;

pub use settings::Settings;

/// Wakes the worker as soon as a transaction queued a message (it also polls).
pub static WAKE: tokio::sync::Notify = tokio::sync::Notify::const_new();
