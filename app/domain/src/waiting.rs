//! Waiting for the owner (待业主补充/待业主确认): time the company cannot act because the
//! owner must send information, give access to the unit, or confirm something. It stops the
//! progress-update and resolution clocks ("reasons on our side" only; see
//! `docs/working-time.md`). Staff start and end a wait with a reason; a message from the
//! owner ends it too.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::calendar::Pause;
use crate::fields::{bounded_text, Field, FieldError};
use crate::lang::Lang;
use crate::vocab::vocabulary;

/// What the company is waiting for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Awaiting {
    /// The owner must send information (photos, documents, a description).
    Information,
    /// The owner must give access to the unit (入户).
    Access,
    /// The owner must confirm (a plan, a date, the result).
    Confirmation,
}

vocabulary!(Awaiting {
    Information => "information", "待业主补充信息", "Waiting for information from the owner";
    Access => "access", "待业主安排入户", "Waiting for access to the home";
    Confirmation => "confirmation", "待业主确认", "Waiting for the owner's confirmation";
});

impl Awaiting {
    /// What the owner reads on the tracking page: what we wait for and how to answer.
    pub fn owner_sentence(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Awaiting::Information, Lang::Zh) => {
                "我们正在等待您补充信息。请在下方留言或上传照片，处理人会立即看到。"
            }
            (Awaiting::Information, Lang::En) => {
                "We are waiting for more information from you. Send a message or a photo below; your handler sees it at once."
            }
            (Awaiting::Access, Lang::Zh) => {
                "我们需要入户查看。请在下方留言告诉我们方便的时间。"
            }
            (Awaiting::Access, Lang::En) => {
                "We need to come into your home. Tell us below when suits you."
            }
            (Awaiting::Confirmation, Lang::Zh) => {
                "我们正在等待您的确认。请在下方留言答复。"
            }
            (Awaiting::Confirmation, Lang::En) => {
                "We are waiting for your confirmation. Please answer below."
            }
        }
    }
}

/// One wait: from when, until when (`None` while it lasts), for what, and the staff
/// member's words to the owner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Wait {
    /// When the wait began.
    pub from: DateTime<Utc>,
    /// When it ended; `None` while the company is still waiting.
    pub to: Option<DateTime<Utc>>,
    /// What is awaited.
    pub awaiting: Awaiting,
    /// What staff told the owner is needed (shown on the tracking page).
    #[serde(default)]
    pub note: String,
}

impl Wait {
    /// The interval the clocks leave out.
    pub fn pause(&self) -> Pause {
        Pause {
            from: self.from,
            to: self.to,
        }
    }
}

/// The wait in progress, if any (the last one, when it has not ended).
pub fn current(waits: &[Wait]) -> Option<&Wait> {
    waits.last().filter(|w| w.to.is_none())
}

/// Every wait as a pause of the clocks.
pub fn pauses(waits: &[Wait]) -> Vec<Pause> {
    waits.iter().map(Wait::pause).collect()
}

/// Time spent waiting for the owner up to `now` (a running wait counts up to `now`).
pub fn waited(waits: &[Wait], now: DateTime<Utc>) -> chrono::Duration {
    waits
        .iter()
        .map(|w| {
            let end = w.to.unwrap_or(now).min(now);
            (end - w.from).max(chrono::Duration::zero())
        })
        .fold(chrono::Duration::zero(), |a, b| a + b)
}

/// The moment days unresolved count from, once every finished wait is left out: filing
/// moved on by the time waited (a running wait is not included; the clock stands still).
pub fn unresolved_since(filed_at: DateTime<Utc>, waits: &[Wait]) -> DateTime<Utc> {
    let finished: Vec<Wait> = waits.iter().filter(|w| w.to.is_some()).cloned().collect();
    filed_at + waited(&finished, DateTime::<Utc>::MAX_UTC)
}

/// The field of the staff member's note.
pub const NOTE: Field = Field {
    name: "reason",
    zh: "需要业主做什么",
    en: "what the owner needs to do",
};

/// Longest note, in characters.
pub const MAX_NOTE_CHARS: usize = 500;

/// Starts a wait at `now`. Refused while one is already running, or without a note.
pub fn start(
    waits: &[Wait],
    awaiting: Awaiting,
    note: &str,
    now: DateTime<Utc>,
) -> Result<Wait, WaitError> {
    if current(waits).is_some() {
        return Err(WaitError::AlreadyWaiting);
    }
    let note = bounded_text(NOTE, note, 1, MAX_NOTE_CHARS).map_err(WaitError::Note)?;
    Ok(Wait {
        from: now,
        to: None,
        awaiting,
        note,
    })
}

/// Ends the running wait at `now` (never before it began). Refused when nothing is awaited.
pub fn end(waits: &mut [Wait], now: DateTime<Utc>) -> Result<(), WaitError> {
    match waits.last_mut() {
        Some(wait) if wait.to.is_none() => {
            wait.to = Some(now.max(wait.from));
            Ok(())
        }
        _ => Err(WaitError::NotWaiting),
    }
}

/// Why a wait could not start or end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WaitError {
    /// A wait is already running.
    AlreadyWaiting,
    /// Nothing is awaited.
    NotWaiting,
    /// The note is missing or too long.
    Note(FieldError),
}

impl WaitError {
    /// The message for staff.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (WaitError::AlreadyWaiting, Lang::Zh) => "已在等待业主，请先结束当前等待".to_owned(),
            (WaitError::AlreadyWaiting, Lang::En) => {
                "Already waiting for the owner: end that wait first".to_owned()
            }
            (WaitError::NotWaiting, Lang::Zh) => "当前没有在等待业主".to_owned(),
            (WaitError::NotWaiting, Lang::En) => "Nothing is awaited from the owner".to_owned(),
            (WaitError::Note(e), lang) => e.message(lang).to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 1, h, 0, 0).unwrap()
    }

    #[test]
    fn a_wait_starts_once_and_ends_once() {
        let mut waits = vec![start(&[], Awaiting::Access, "请告知方便入户的时间", at(1)).unwrap()];
        assert_eq!(
            start(&waits, Awaiting::Information, "照片", at(2)),
            Err(WaitError::AlreadyWaiting)
        );
        assert_eq!(current(&waits).map(|w| w.awaiting), Some(Awaiting::Access));
        end(&mut waits, at(3)).unwrap();
        assert_eq!(waits[0].to, Some(at(3)));
        assert_eq!(current(&waits), None);
        assert_eq!(end(&mut waits, at(4)), Err(WaitError::NotWaiting));
        assert_eq!(pauses(&waits)[0].to, Some(at(3)));
    }

    #[test]
    fn waits_are_left_out_of_the_days_unresolved() {
        let filed = at(0);
        let day = chrono::Duration::days(1);
        let waits = vec![Wait {
            from: filed + day * 2,
            to: Some(filed + day * 7),
            awaiting: Awaiting::Access,
            note: "入户".to_owned(),
        }];
        // 20 days since filing, 5 of them waiting for the owner.
        assert_eq!(waited(&waits, filed + day * 20), day * 5);
        assert_eq!(
            crate::sla::days_unresolved(filed, filed + day * 20, &pauses(&waits)),
            15
        );
        assert_eq!(unresolved_since(filed, &waits), filed + day * 5);
        // A wait still running counts up to now, and does not move the start yet.
        let running = vec![Wait {
            to: None,
            ..waits[0].clone()
        }];
        assert_eq!(waited(&running, filed + day * 10), day * 8);
        assert_eq!(unresolved_since(filed, &running), filed);
    }

    #[test]
    fn a_wait_needs_a_note() {
        assert!(matches!(
            start(&[], Awaiting::Confirmation, "  ", at(1)),
            Err(WaitError::Note(_))
        ));
    }
}
