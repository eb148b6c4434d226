//! A complaint an agent records for an owner (rules.md "Channels"): how it reached us, when
//! it was received — the clocks start then, not when it is typed in — and, for a
//! government transfer (12345/政府转办), the transfer's reference and the date the
//! government expects an answer by.

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};

use crate::fields::FieldError;
use crate::vocab::Channel;

/// The recording fields as the agent's form sends them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RawRecording {
    /// A [`Channel`] code.
    pub channel: String,
    /// Local time, as a `datetime-local` input sends it: `2026-12-05T09:30`.
    pub received_at: String,
    /// The transfer's or letter's reference (工单编号 / 来函编号).
    pub external_ref: String,
    /// The date a government transfer must be answered by: `2026-12-12`.
    pub external_due: String,
}

/// A checked recording.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recording {
    /// How it reached us.
    pub channel: Channel,
    /// When it was received: the clocks start then.
    pub received_at: DateTime<Utc>,
    /// The transfer's or letter's reference, trimmed.
    pub external_ref: Option<String>,
    /// The end of the due date, local time.
    pub external_due_at: Option<DateTime<Utc>>,
}

/// How far back a complaint may be recorded as received: 30 days.
pub const OLDEST_RECEIPT_DAYS: i64 = 30;
/// Most characters in a reference.
pub const REFERENCE_MAX_CHARS: usize = 40;

impl Recording {
    /// Checks what the agent entered; `now` and the portal's UTC offset read the local
    /// times. Every problem is reported, each on its field.
    pub fn parse(
        raw: &RawRecording,
        now: DateTime<Utc>,
        utc_offset_minutes: i32,
    ) -> Result<Recording, Vec<FieldError>> {
        let mut errors = Vec::new();
        let offset = chrono::FixedOffset::east_opt(utc_offset_minutes * 60)
            .unwrap_or_else(|| chrono::FixedOffset::east_opt(0).expect("zero is a valid offset"));
        let channel = Channel::parse(raw.channel.trim());
        if channel.is_none() {
            errors.push(FieldError::new(
                "channel",
                "请选择投诉是从哪个渠道收到的",
                "Choose the channel the complaint came by",
            ));
        }
        let received_at = match raw.received_at.trim() {
            "" => {
                errors.push(FieldError::new(
                    "received_at",
                    "请填写收到投诉的时间",
                    "Enter when the complaint was received",
                ));
                None
            }
            text => match parse_local_minute(text) {
                None => {
                    errors.push(FieldError::new(
                        "received_at",
                        "收到时间的格式应为 2026-12-05 09:30",
                        "The time received reads like 2026-12-05 09:30",
                    ));
                    None
                }
                Some(local) => {
                    let at = offset
                        .from_local_datetime(&local)
                        .single()
                        .map(|t| t.with_timezone(&Utc));
                    match at {
                        Some(at) if at > now + Duration::minutes(5) => {
                            errors.push(FieldError::new(
                                "received_at",
                                "收到时间不能晚于现在",
                                "The time received cannot be in the future",
                            ));
                            None
                        }
                        Some(at) if at < now - Duration::days(OLDEST_RECEIPT_DAYS) => {
                            errors.push(FieldError::new(
                                "received_at",
                                format!("收到时间早于{OLDEST_RECEIPT_DAYS}天前，请核对"),
                                format!(
                                    "The time received is more than {OLDEST_RECEIPT_DAYS} days ago; please check it"
                                ),
                            ));
                            None
                        }
                        other => other,
                    }
                }
            },
        };
        let reference = raw.external_ref.trim();
        let external_ref = if reference.is_empty() {
            if channel == Some(Channel::Hotline) {
                errors.push(FieldError::new(
                    "external_ref",
                    "政府转办的投诉请填写转办工单编号",
                    "A government transfer needs its reference number",
                ));
            }
            None
        } else if reference.chars().count() > REFERENCE_MAX_CHARS
            || reference.chars().any(char::is_control)
        {
            errors.push(FieldError::new(
                "external_ref",
                format!("编号最多{REFERENCE_MAX_CHARS}个字符"),
                format!("A reference has at most {REFERENCE_MAX_CHARS} characters"),
            ));
            None
        } else {
            Some(reference.to_owned())
        };
        let due = raw.external_due.trim();
        let external_due_at = if due.is_empty() {
            None
        } else {
            match NaiveDate::parse_from_str(due, "%Y-%m-%d") {
                Err(_) => {
                    errors.push(FieldError::new(
                        "external_due",
                        "答复期限的格式应为 2026-12-12",
                        "The due date reads like 2026-12-12",
                    ));
                    None
                }
                Ok(date) => {
                    let end = date
                        .and_hms_opt(23, 59, 59)
                        .and_then(|local| offset.from_local_datetime(&local).single())
                        .map(|t| t.with_timezone(&Utc));
                    match (end, received_at) {
                        (Some(end), Some(received)) if end < received => {
                            errors.push(FieldError::new(
                                "external_due",
                                "答复期限不能早于收到时间",
                                "The due date cannot be before the time received",
                            ));
                            None
                        }
                        (end, _) => end,
                    }
                }
            }
        };
        match (channel, received_at) {
            (Some(channel), Some(received_at)) if errors.is_empty() => Ok(Recording {
                channel,
                received_at,
                external_ref,
                external_due_at,
            }),
            _ => Err(errors),
        }
    }

    /// Whether receiving it was itself a contact with the owner (a call, a visit): the
    /// first-contact clock is kept at once (rules.md "First contact").
    pub fn was_contact(&self) -> bool {
        matches!(self.channel, Channel::Phone | Channel::Visit)
    }
}

/// `2026-12-05T09:30`, `2026-12-05 09:30` or with seconds.
fn parse_local_minute(text: &str) -> Option<NaiveDateTime> {
    [
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
    ]
    .iter()
    .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
}

/// The `datetime-local` value for `at` in the portal's zone (the form's default: now).
pub fn local_minute(at: DateTime<Utc>, utc_offset_minutes: i32) -> String {
    let local = at + Duration::minutes(i64::from(utc_offset_minutes));
    local.format("%Y-%m-%dT%H:%M").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        // 2026-12-05 10:00 in Beijing.
        Utc.with_ymd_and_hms(2026, 12, 5, 2, 0, 0).unwrap()
    }

    fn raw(channel: &str, received: &str, reference: &str, due: &str) -> RawRecording {
        RawRecording {
            channel: channel.into(),
            received_at: received.into(),
            external_ref: reference.into(),
            external_due: due.into(),
        }
    }

    fn fields(result: Result<Recording, Vec<FieldError>>) -> Vec<String> {
        result
            .unwrap_err()
            .iter()
            .map(|e| e.field().to_owned())
            .collect()
    }

    #[test]
    fn a_call_received_this_morning_starts_its_clocks_then() {
        let recording =
            Recording::parse(&raw("phone", "2026-12-05T08:40", "", ""), now(), 480).unwrap();
        assert_eq!(recording.channel, Channel::Phone);
        assert_eq!(
            recording.received_at,
            Utc.with_ymd_and_hms(2026, 12, 5, 0, 40, 0).unwrap()
        );
        assert!(recording.was_contact());
        assert_eq!(local_minute(recording.received_at, 480), "2026-12-05T08:40");
    }

    #[test]
    fn a_government_transfer_keeps_its_reference_and_due_date() {
        let recording = Recording::parse(
            &raw(
                "hotline",
                "2026-12-04 16:00",
                " 12345-2026-1204-0087 ",
                "2026-12-11",
            ),
            now(),
            480,
        )
        .unwrap();
        assert_eq!(
            recording.external_ref.as_deref(),
            Some("12345-2026-1204-0087")
        );
        assert_eq!(
            recording.external_due_at,
            Some(Utc.with_ymd_and_hms(2026, 12, 11, 15, 59, 59).unwrap())
        );
        assert!(!recording.was_contact());
        assert_eq!(
            fields(Recording::parse(
                &raw("hotline", "2026-12-04 16:00", "", ""),
                now(),
                480
            )),
            ["external_ref"]
        );
    }

    #[test]
    fn every_problem_is_reported_on_its_field() {
        assert_eq!(
            fields(Recording::parse(&raw("", "", "", "12/11"), now(), 480)),
            ["channel", "received_at", "external_due"]
        );
        assert_eq!(
            fields(Recording::parse(
                &raw("fax", "yesterday", "", ""),
                now(),
                480
            )),
            ["channel", "received_at"]
        );
        // In the future, or too long ago.
        assert_eq!(
            fields(Recording::parse(
                &raw("visit", "2026-12-05T11:00", "", ""),
                now(),
                480
            )),
            ["received_at"]
        );
        assert_eq!(
            fields(Recording::parse(
                &raw("letter", "2026-10-01T09:00", "", ""),
                now(),
                480
            )),
            ["received_at"]
        );
        // Due before it was received; a reference too long.
        assert_eq!(
            fields(Recording::parse(
                &raw("hotline", "2026-12-04T09:00", "x", "2026-12-03"),
                now(),
                480
            )),
            ["external_due"]
        );
        assert_eq!(
            fields(Recording::parse(
                &raw("letter", "2026-12-04T09:00", &"号".repeat(41), ""),
                now(),
                480
            )),
            ["external_ref"]
        );
    }
}
