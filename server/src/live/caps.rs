//! How many event streams may be open: per session (a page open in a few tabs is normal;
//! a script opening hundreds is not) and on the whole instance (each stream holds a
//! connection and a subscription), and how long a stream with nothing to say stays open.
//! Beyond a cap the stream is answered 429 with `Retry-After`; a stream idle for the idle
//! time ends, and a page still open reconnects and resumes from its `Last-Event-ID`, so
//! nothing is lost. The rules are in README "Security".

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// `PORTAL_LIVE_LIMITS`, e.g. `per_session=8,total=2000,idle_minutes=30`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LiveLimits {
    /// Streams one session may hold at once: 8 (a tracking page and a few staff tabs).
    pub per_session: usize,
    /// Streams the instance holds at once: 2,000.
    pub total: usize,
    /// A stream that delivered no change for this long ends: 30 minutes.
    pub idle: Duration,
}

impl Default for LiveLimits {
    fn default() -> Self {
        LiveLimits {
            per_session: 8,
            total: 2000,
            idle: Duration::from_secs(30 * 60),
        }
    }
}

#[derive(Debug, thiserror::Error)]
#[error(
    "PORTAL_LIVE_LIMITS takes `per_session=N,total=N,idle_minutes=N`, each at least 1 (got `{0}`)"
)]
pub struct LiveLimitsError(String);

impl LiveLimits {
    /// The defaults with what `text` sets.
    pub fn parse(text: &str) -> Result<LiveLimits, LiveLimitsError> {
        let mut limits = LiveLimits::default();
        for pair in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let bad = || LiveLimitsError(pair.to_owned());
            let (name, value) = pair.split_once('=').ok_or_else(bad)?;
            let number: usize = value.trim().parse().map_err(|_| bad())?;
            if number == 0 {
                return Err(bad());
            }
            match name.trim() {
                "per_session" => limits.per_session = number,
                "total" => limits.total = number,
                "idle_minutes" => {
                    let minutes = u64::try_from(number).map_err(|_| bad())?;
                    limits.idle = Duration::from_secs(minutes.checked_mul(60).ok_or_else(bad)?);
                }
                _ => return Err(bad()),
            }
        }
        Ok(limits)
    }
}

/// The open streams, counted.
#[derive(Debug, Default)]
pub struct StreamCaps {
    pub limits: LiveLimits,
    open: Mutex<Open>,
}

#[derive(Debug, Default)]
struct Open {
    total: usize,
    by_session: HashMap<String, usize>,
}

/// One open stream; dropping it (the response body ends) frees its place.
#[derive(Debug)]
pub struct StreamPermit {
    caps: Arc<StreamCaps>,
    session: Option<String>,
}

impl StreamCaps {
    pub fn new(limits: LiveLimits) -> Arc<StreamCaps> {
        Arc::new(StreamCaps {
            limits,
            open: Mutex::new(Open::default()),
        })
    }

    /// A place for one more stream of `session`, or `None` when a cap is reached.
    /// Counting and taking happen under one lock, so parallel opens cannot pass a cap.
    pub fn admit(self: &Arc<Self>, session: Option<String>) -> Option<StreamPermit> {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        if open.total >= self.limits.total {
            return None;
        }
        if let Some(key) = &session {
            let held = open.by_session.get(key).copied().unwrap_or(0);
            if held >= self.limits.per_session {
                return None;
            }
            open.by_session.insert(key.clone(), held + 1);
        }
        open.total += 1;
        Some(StreamPermit {
            caps: self.clone(),
            session,
        })
    }

    /// Streams open now.
    pub fn open(&self) -> usize {
        self.open.lock().unwrap_or_else(|e| e.into_inner()).total
    }
}

impl Drop for StreamPermit {
    fn drop(&mut self) {
        let mut open = self.caps.open.lock().unwrap_or_else(|e| e.into_inner());
        open.total = open.total.saturating_sub(1);
        if let Some(key) = &self.session {
            if let Some(held) = open.by_session.get_mut(key) {
                *held = held.saturating_sub(1);
                if *held == 0 {
                    open.by_session.remove(key);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_parse_by_name_and_refuse_zero_and_unknown_names() {
        assert_eq!(LiveLimits::parse("").unwrap(), LiveLimits::default());
        let set = LiveLimits::parse("per_session=2, idle_minutes=1").unwrap();
        assert_eq!(set.per_session, 2);
        assert_eq!(set.total, 2000);
        assert_eq!(set.idle, Duration::from_secs(60));
        for bad in ["per_session=0", "streams=3", "total", "total=-1"] {
            assert!(LiveLimits::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_session_holds_its_share_and_the_instance_its_total() {
        let caps = StreamCaps::new(LiveLimits {
            per_session: 2,
            total: 3,
            idle: Duration::from_secs(60),
        });
        let a1 = caps.admit(Some("a".into())).unwrap();
        let _a2 = caps.admit(Some("a".into())).unwrap();
        assert!(
            caps.admit(Some("a".into())).is_none(),
            "a third for one session"
        );
        let _b1 = caps.admit(Some("b".into())).unwrap();
        assert!(caps.admit(Some("c".into())).is_none(), "past the total");
        drop(a1);
        assert_eq!(caps.open(), 2);
        assert!(
            caps.admit(Some("a".into())).is_some(),
            "a freed place is taken again"
        );
    }
}
