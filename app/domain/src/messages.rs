//! What owners are told outside the app (SMS, e-mail, WeChat): the occasions, their texts as
//! templates the administrator edits in the policy, and the SMS rules — the company's
//! signature 【…】, 70-character segments, and quiet hours (no SMS at night except for level 1
//! and emergencies; the message waits until morning). `docs/messages.md` has the whole set.
//!
//! ```toml
//! [messages]
//! signature = "物业服务中心"
//! quiet_from_hour = 21
//! quiet_until_hour = 8
//! max_attempts = 8
//! [messages.zh]
//! filed = "您的投诉已受理，查询码{code}，查看进度：{link}"
//! ```

use chrono::{DateTime, Duration, FixedOffset, NaiveTime, TimeZone, Timelike, Utc};
use serde::{Deserialize, Serialize};

use crate::lang::Lang;
use crate::phrases::check_reply;

/// When an owner is told something outside the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Occasion {
    /// The complaint was recorded: its tracking code (also for complaints taken by phone).
    Filed,
    /// Staff answered (the first contact, or any later public reply).
    Replied,
    /// Judged not valid (不成立): the reasoning and the way to dispute it are behind the link.
    NotValid,
    /// A solution was proposed.
    Solution,
    /// The complaint was resolved.
    Resolved,
    /// The revisit survey is waiting (the link is the survey's own).
    Survey,
    /// The complaint was reopened.
    Reopened,
}

impl Occasion {
    /// Every occasion, in the order of a complaint's life.
    pub const ALL: [Occasion; 7] = [
        Occasion::Filed,
        Occasion::Replied,
        Occasion::NotValid,
        Occasion::Solution,
        Occasion::Resolved,
        Occasion::Survey,
        Occasion::Reopened,
    ];

    /// The stable code (stored, and the template's key).
    pub fn code(self) -> &'static str {
        match self {
            Occasion::Filed => "filed",
            Occasion::Replied => "replied",
            Occasion::NotValid => "not_valid",
            Occasion::Solution => "solution",
            Occasion::Resolved => "resolved",
            Occasion::Survey => "survey",
            Occasion::Reopened => "reopened",
        }
    }

    /// The occasion with this code.
    pub fn parse(code: &str) -> Option<Occasion> {
        Occasion::ALL.into_iter().find(|o| o.code() == code)
    }

    /// How staff read it in the delivery log.
    pub fn label(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            Occasion::Filed => ("受理通知（查询码）", "Filed (tracking code)"),
            Occasion::Replied => ("回复通知", "Reply"),
            Occasion::NotValid => ("不成立通知", "Judged not valid"),
            Occasion::Solution => ("方案通知", "Solution proposed"),
            Occasion::Resolved => ("解决通知", "Resolved"),
            Occasion::Survey => ("回访问卷链接", "Survey link"),
            Occasion::Reopened => ("重新处理通知", "Reopened"),
        };
        match lang {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

/// One text per occasion. Placeholders: `{code}` (the tracking code) and `{link}` (the
/// tracking page, or the survey for `survey`). A text left empty is the built-in one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[allow(missing_docs)]
pub struct Templates {
    pub filed: String,
    pub replied: String,
    pub not_valid: String,
    pub solution: String,
    pub resolved: String,
    pub survey: String,
    pub reopened: String,
}

impl Templates {
    fn zh() -> Templates {
        Templates {
            filed: "您的投诉已受理，查询码{code}，查看进度：{link}".to_owned(),
            replied: "您的投诉{code}有新回复，请查看：{link}".to_owned(),
            not_valid: "您的投诉{code}经核实不成立，理由及申诉方式：{link}".to_owned(),
            solution: "您的投诉{code}有处理方案，请查看：{link}".to_owned(),
            resolved: "您的投诉{code}已处理完毕，详情：{link}".to_owned(),
            survey: "请用1分钟评价投诉{code}的处理：{link}".to_owned(),
            reopened: "您的投诉{code}已重新处理，查看进度：{link}".to_owned(),
        }
    }

    fn en() -> Templates {
        Templates {
            filed: "Your complaint is recorded, tracking code {code}: {link}".to_owned(),
            replied: "There is a reply on your complaint {code}: {link}".to_owned(),
            not_valid:
                "Your complaint {code} was judged not valid; reasons and how to dispute: {link}"
                    .to_owned(),
            solution: "A solution is proposed for your complaint {code}: {link}".to_owned(),
            resolved: "Your complaint {code} is resolved: {link}".to_owned(),
            survey: "Please rate how we handled complaint {code} (1 minute): {link}".to_owned(),
            reopened: "Your complaint {code} is being handled again: {link}".to_owned(),
        }
    }

    /// The template of `occasion`.
    pub fn get(&self, occasion: Occasion) -> &str {
        match occasion {
            Occasion::Filed => &self.filed,
            Occasion::Replied => &self.replied,
            Occasion::NotValid => &self.not_valid,
            Occasion::Solution => &self.solution,
            Occasion::Resolved => &self.resolved,
            Occasion::Survey => &self.survey,
            Occasion::Reopened => &self.reopened,
        }
    }
}

/// The messages part of the policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MessagePolicy {
    /// The company's SMS signature, without the brackets: 【物业服务中心】.
    pub signature: String,
    /// No SMS from this hour (local time) ...
    pub quiet_from_hour: u8,
    /// ... until this hour, except for level 1 and emergencies.
    pub quiet_until_hour: u8,
    /// Tries before a message is given up (dead letter).
    pub max_attempts: u32,
    /// Chinese texts.
    pub zh: Templates,
    /// English texts.
    pub en: Templates,
}

impl Default for MessagePolicy {
    fn default() -> Self {
        MessagePolicy {
            signature: "物业服务中心".to_owned(),
            quiet_from_hour: 21,
            quiet_until_hour: 8,
            max_attempts: 8,
            zh: Templates::zh(),
            en: Templates::en(),
        }
    }
}

/// The states of a message in the outbox, in the order of its life: waiting, being sent,
/// sent, waiting to be tried again, given up, written to the log only (no channel
/// configured), cancelled (the owner turned the channel off).
pub const DELIVERY_STATUSES: [&str; 7] = [
    "queued",
    "sending",
    "sent",
    "retrying",
    "dead",
    "logged",
    "cancelled",
];

/// The SMS unsubscribe keyword, appended to every SMS.
pub const SMS_UNSUBSCRIBE: &str = "回T退订";

/// Whether an owner's reply to an SMS asks for no more SMS: `T` (as every text offers),
/// `TD`, `N`, `0000`, `退订`, `取消`, `STOP`, `unsubscribe`, in any case, with spaces or
/// punctuation around it. Anything else is not taken as an unsubscription.
pub fn is_unsubscribe(reply: &str) -> bool {
    let word: String = reply
        .chars()
        .filter(|c| {
            !c.is_whitespace() && !c.is_ascii_punctuation() && !"。,!?、;:“”‘’【】".contains(*c)
        })
        .flat_map(char::to_uppercase)
        .collect();
    matches!(
        word.as_str(),
        "T" | "TD" | "N" | "0000" | "退订" | "取消" | "退订短信" | "STOP" | "UNSUBSCRIBE"
    )
}

impl MessagePolicy {
    /// The text of `occasion` for an owner, placeholders filled.
    pub fn render(&self, occasion: Occasion, lang: Lang, code: &str, link: &str) -> String {
        let template = match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
        .get(occasion);
        let builtin;
        let template = if template.trim().is_empty() {
            builtin = match lang {
                Lang::Zh => Templates::zh(),
                Lang::En => Templates::en(),
            };
            builtin.get(occasion)
        } else {
            template
        };
        template.replace("{code}", code).replace("{link}", link)
    }

    /// The SMS as sent: signature first, the unsubscribe keyword last.
    pub fn sms(&self, text: &str) -> String {
        format!("【{}】{text} {SMS_UNSUBSCRIBE}", self.signature)
    }

    /// When an SMS made at `now` may go out: `now`, or the end of the quiet hours.
    /// `urgent` (level 1, emergencies) ignores them.
    pub fn sms_not_before(
        &self,
        now: DateTime<Utc>,
        zone: FixedOffset,
        urgent: bool,
    ) -> DateTime<Utc> {
        if urgent || self.quiet_from_hour == self.quiet_until_hour {
            return now;
        }
        let local = now.with_timezone(&zone);
        let hour = local.hour();
        let (from, until) = (
            u32::from(self.quiet_from_hour),
            u32::from(self.quiet_until_hour),
        );
        let quiet = if from > until {
            hour >= from || hour < until
        } else {
            hour >= from && hour < until
        };
        if !quiet {
            return now;
        }
        // The next `until:00` after now, local time.
        let day = if hour >= until {
            local.date_naive() + Duration::days(1)
        } else {
            local.date_naive()
        };
        let morning = day.and_time(NaiveTime::from_hms_opt(until, 0, 0).unwrap_or_default());
        zone.from_local_datetime(&morning)
            .single()
            .map_or(now, |t| t.with_timezone(&Utc))
    }

    /// Lists every problem found: texts that are empty, lack their placeholders, or say a
    /// forbidden phrase (禁语); hours out of range.
    pub fn check(&self, problems: &mut Vec<String>) {
        let signature = self.signature.trim();
        if signature.is_empty()
            || signature.chars().count() > 12
            || signature.contains(['【', '】'])
        {
            problems.push(
                "messages.signature must be 1–12 characters, without 【】 (they are added)"
                    .to_owned(),
            );
        }
        if self.quiet_from_hour > 23 || self.quiet_until_hour > 23 {
            problems.push("messages.quiet_from_hour and quiet_until_hour must be 0–23".to_owned());
        }
        if !(1..=50).contains(&self.max_attempts) {
            problems.push(format!(
                "messages.max_attempts ({}) must be between 1 and 50",
                self.max_attempts
            ));
        }
        for (lang, templates) in [("zh", &self.zh), ("en", &self.en)] {
            for occasion in Occasion::ALL {
                let text = templates.get(occasion);
                if text.trim().is_empty() {
                    continue;
                }
                let name = format!("messages.{lang}.{}", occasion.code());
                if !text.contains("{link}") {
                    problems.push(format!("{name} must contain {{link}}"));
                }
                if text.chars().count() > 200 {
                    problems.push(format!("{name} is longer than 200 characters"));
                }
                let hits = check_reply(text);
                if !hits.is_empty() {
                    let phrases: Vec<&str> = hits.iter().map(|h| h.phrase).collect();
                    problems.push(format!(
                        "{name} says a forbidden phrase (禁语): {}",
                        phrases.join("、")
                    ));
                }
            }
        }
    }
}

/// How many SMS a text is billed as: one of up to 70 characters, or parts of 67 when longer
/// (the rest of each part carries the concatenation header).
pub fn sms_segments(text: &str) -> u32 {
    let n = u32::try_from(text.chars().count()).unwrap_or(u32::MAX);
    if n <= 70 {
        1
    } else {
        n.div_ceil(67)
    }
}

/// An e-mail address as staff may see it: `w***@example.com`.
pub fn masked_email(address: &str) -> String {
    match address.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => "***".to_owned(),
    }
}

/// A plausible e-mail address (one `@`, a dotted domain, no spaces, at most 254 bytes).
pub fn is_email(address: &str) -> bool {
    let Some((local, domain)) = address.split_once('@') else {
        return false;
    };
    address.len() <= 254
        && !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !address.contains(char::is_whitespace)
        && !domain.contains('@')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(local: &str) -> DateTime<Utc> {
        let zone = FixedOffset::east_opt(8 * 3600).unwrap();
        let naive = chrono::NaiveDateTime::parse_from_str(local, "%Y-%m-%d %H:%M").unwrap();
        zone.from_local_datetime(&naive)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn the_default_texts_pass_their_own_check_and_fit_one_or_two_segments() {
        let policy = MessagePolicy::default();
        let mut problems = Vec::new();
        policy.check(&mut problems);
        assert!(problems.is_empty(), "{problems:?}");
        for occasion in Occasion::ALL {
            let text = policy.render(
                occasion,
                Lang::Zh,
                "ABCD-2345",
                "https://wy.example.com/track/ABCD2345",
            );
            assert!(sms_segments(&policy.sms(&text)) <= 2, "{text}");
        }
    }

    #[test]
    fn a_template_with_a_forbidden_phrase_or_without_its_link_is_refused() {
        let mut policy = MessagePolicy::default();
        policy.zh.replied = "这不归我们管,请看{link}".to_owned();
        policy.en.filed = "Your code is {code}".to_owned();
        let mut problems = Vec::new();
        policy.check(&mut problems);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].contains("messages.zh.replied"));
        assert!(problems[1].contains("messages.en.filed"));
    }

    #[test]
    fn quiet_hours_hold_an_sms_until_eight_unless_it_is_urgent() {
        let policy = MessagePolicy::default();
        let zone = FixedOffset::east_opt(8 * 3600).unwrap();
        assert_eq!(
            policy.sms_not_before(at("2026-03-02 22:30"), zone, false),
            at("2026-03-03 08:00")
        );
        assert_eq!(
            policy.sms_not_before(at("2026-03-03 06:59"), zone, false),
            at("2026-03-03 08:00")
        );
        assert_eq!(
            policy.sms_not_before(at("2026-03-03 08:00"), zone, false),
            at("2026-03-03 08:00")
        );
        assert_eq!(
            policy.sms_not_before(at("2026-03-03 20:59"), zone, false),
            at("2026-03-03 20:59")
        );
        assert_eq!(
            policy.sms_not_before(at("2026-03-02 23:00"), zone, true),
            at("2026-03-02 23:00")
        );
    }

    #[test]
    fn segments_and_masks() {
        assert_eq!(sms_segments(&"字".repeat(70)), 1);
        assert_eq!(sms_segments(&"字".repeat(71)), 2);
        assert_eq!(sms_segments(&"字".repeat(134)), 2);
        assert_eq!(sms_segments(&"字".repeat(135)), 3);
        assert_eq!(masked_email("wang@example.com"), "w***@example.com");
        assert!(is_email("wang@example.com"));
        assert!(!is_email("wang@example"));
        assert!(!is_email("wang example@x.cn"));
    }

    #[test]
    fn unsubscribe_replies_are_recognised_and_nothing_else() {
        for reply in [
            "T",
            "t",
            " T ",
            "T。",
            "td",
            "退订",
            "取消",
            "STOP",
            "Unsubscribe",
            "0000",
        ] {
            assert!(is_unsubscribe(reply), "{reply}");
        }
        for reply in ["", "谢谢", "TT", "收到,什么时候来修?", "不要退订", "1"] {
            assert!(!is_unsubscribe(reply), "{reply}");
        }
    }
}
