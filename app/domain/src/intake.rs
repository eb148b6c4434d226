//! What an owner types when filing (rules.md "Lifecycle" 1, 受理), parsed into
//! values that can only be valid. Errors name the form field and say why, in both
//! languages, so the form can show each message next to its input.

use serde::{Deserialize, Serialize};

use crate::fields::FieldError;
use crate::guide::{Answers, Topic};
use crate::vocab::{Category, Impact, RiskFlag};

/// Limits on what an owner may type; documented defaults, not literals in logic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct IntakeLimits {
    /// A description shorter than this cannot be acted on (characters, spaces not counted).
    pub description_min_chars: usize,
    /// Longest description accepted (characters).
    pub description_max_chars: usize,
    /// Longest name accepted.
    pub name_max_chars: usize,
    /// Longest unit / room text accepted.
    pub unit_max_chars: usize,
    /// More co-complainants than this is a typo, not a group.
    pub people_max: u32,
}

impl Default for IntakeLimits {
    fn default() -> Self {
        IntakeLimits {
            description_min_chars: 5,
            description_max_chars: 2000,
            name_max_chars: 40,
            unit_max_chars: 40,
            people_max: 9999,
        }
    }
}

/// A mainland mobile number (11 digits, starting 13–19) or a landline with area code,
/// normalised: `13812345678`, `0755-12345678`, `010-12345678-801`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PhoneNumber(String);

impl PhoneNumber {
    /// Accepts spaces, dashes, brackets, full-width digits and a +86/0086 prefix.
    pub fn parse(raw: &str) -> Result<PhoneNumber, FieldError> {
        let folded: String = raw.chars().map(crate::text::fold_char).collect();
        let trimmed = folded.trim();
        if trimmed.is_empty() {
            return Err(FieldError::new(
                "phone",
                "请填写联系电话",
                "Please enter a phone number",
            ));
        }
        let (main, extension) = match trimmed.split_once(['#', 'x', '转']) {
            Some((m, e)) => (m, Some(e)),
            None => (trimmed, None),
        };
        if main
            .chars()
            .any(|c| !(c.is_ascii_digit() || " -()+".contains(c)))
        {
            return Err(Self::bad_format());
        }
        let mut digits: String = main.chars().filter(char::is_ascii_digit).collect();
        if main.trim_start().starts_with('+') || digits.starts_with("0086") {
            digits = digits
                .trim_start_matches("00")
                .trim_start_matches("86")
                .to_owned();
        } else if digits.len() == 13 && digits.starts_with("86") {
            digits = digits[2..].to_owned();
        }
        let extension = match extension.map(|e| e.trim()) {
            Some(e) if !e.is_empty() && e.len() <= 6 && e.chars().all(|c| c.is_ascii_digit()) => {
                Some(e.to_owned())
            }
            Some(_) => return Err(Self::bad_format()),
            None => None,
        };
        let number = if is_mobile(&digits) && extension.is_none() {
            digits
        } else if let Some((area, local)) = split_landline(&digits) {
            match extension {
                Some(ext) => format!("{area}-{local}-{ext}"),
                None => format!("{area}-{local}"),
            }
        } else {
            return Err(Self::bad_format());
        };
        Ok(PhoneNumber(number))
    }

    fn bad_format() -> FieldError {
        FieldError::new(
            "phone",
            "电话格式不正确：请填写11位手机号（如13812345678）或带区号的固话（如0755-12345678）",
            "Invalid phone number: enter an 11-digit mobile (e.g. 13812345678) or a landline \
             with area code (e.g. 0755-12345678)",
        )
    }

    /// The normalised number.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A mainland mobile number (SMS can reach it; a landline cannot).
    pub fn is_mobile(&self) -> bool {
        is_mobile(&self.0)
    }

    /// For showing to staff and on receipts: `138****5678`.
    pub fn masked(&self) -> String {
        let chars: Vec<char> = self.0.chars().collect();
        if chars.len() <= 7 {
            return self.0.clone();
        }
        let head: String = chars[..3].iter().collect();
        let tail: String = chars[chars.len() - 4..].iter().collect();
        format!("{head}****{tail}")
    }
}

fn is_mobile(digits: &str) -> bool {
    let b = digits.as_bytes();
    b.len() == 11 && b[0] == b'1' && (b'3'..=b'9').contains(&b[1])
}

/// Area codes are 010, 02X (3 digits) or 0XXX (4 digits); local numbers 7–8 digits.
fn split_landline(digits: &str) -> Option<(&str, &str)> {
    if !digits.starts_with('0') || digits.starts_with("00") {
        return None;
    }
    let area_len = if digits.starts_with("01") || digits.starts_with("02") {
        3
    } else {
        4
    };
    if digits.len() < area_len + 7 || digits.len() > area_len + 8 {
        return None;
    }
    let (area, local) = digits.split_at(area_len);
    if local.starts_with('0') {
        return None;
    }
    Some((area, local))
}

impl TryFrom<String> for PhoneNumber {
    type Error = String;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        PhoneNumber::parse(&s).map_err(|e| e.message(crate::Lang::En).to_owned())
    }
}

impl From<PhoneNumber> for String {
    fn from(p: PhoneNumber) -> String {
        p.0
    }
}

impl std::fmt::Display for PhoneNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The alphabet of tracking codes: digits and capitals without 0/O, 1/I/L and U,
/// so a code read out over the phone or copied by hand cannot be mistyped into another.
pub const TRACKING_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTVWXYZ";
/// 12 symbols of 30 ≈ 59 bits: not guessable at any rate the server allows.
pub const TRACKING_CODE_LEN: usize = 12;

/// The code an owner tracks a complaint with, together with their phone number.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TrackingCode(String);

impl TrackingCode {
    /// Draws a code from a source of random `u32`s (the server passes a CSPRNG).
    /// Rejection sampling keeps every symbol equally likely.
    pub fn generate(mut next_u32: impl FnMut() -> u32) -> TrackingCode {
        let n = TRACKING_ALPHABET.len() as u32;
        let limit = u32::MAX - u32::MAX % n;
        let mut code = String::with_capacity(TRACKING_CODE_LEN);
        while code.len() < TRACKING_CODE_LEN {
            let r = next_u32();
            if r < limit {
                code.push(TRACKING_ALPHABET[(r % n) as usize] as char);
            }
        }
        TrackingCode(code)
    }

    /// Accepts lower case, spaces and dashes (`abcd-efgh-jkmn`).
    pub fn parse(raw: &str) -> Result<TrackingCode, FieldError> {
        let code: String = raw
            .chars()
            .map(crate::text::fold_char)
            .filter(|c| !matches!(c, ' ' | '-'))
            .map(|c| c.to_ascii_uppercase())
            .collect();
        if code.is_empty() {
            return Err(FieldError::new(
                "code",
                "请填写查询码",
                "Please enter the tracking code",
            ));
        }
        let valid =
            code.len() == TRACKING_CODE_LEN && code.bytes().all(|b| TRACKING_ALPHABET.contains(&b));
        if !valid {
            return Err(FieldError::new(
                "code",
                "查询码应为12位字母和数字（不含0、O、1、I、L、U），请核对受理回执",
                "A tracking code has 12 letters and digits (no 0, O, 1, I, L or U); \
                 please check your receipt",
            ));
        }
        Ok(TrackingCode(code))
    }

    /// The code without separators, as stored.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Grouped for reading: `ABCD-EFGH-JKMN`.
    pub fn display(&self) -> String {
        let chars: Vec<char> = self.0.chars().collect();
        chars
            .chunks(4)
            .map(|c| c.iter().collect::<String>())
            .collect::<Vec<_>>()
            .join("-")
    }
}

impl TryFrom<String> for TrackingCode {
    type Error = String;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        TrackingCode::parse(&s).map_err(|e| e.message(crate::Lang::En).to_owned())
    }
}

impl From<TrackingCode> for String {
    fn from(c: TrackingCode) -> String {
        c.0
    }
}

/// The complaint form as submitted: every field a string or number the browser sent.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RawIntake {
    /// What happened, where, since when.
    pub description: String,
    /// A category code (snake_case).
    pub category: String,
    /// The community's id.
    pub community_id: String,
    /// The building's id; may be empty.
    pub building_id: String,
    /// Unit / room, free text.
    pub unit: String,
    /// How to address the complainant.
    pub name: String,
    /// Mobile or landline, as typed.
    pub phone: String,
    /// People complaining together, including the complainant; empty means 1.
    pub people_count: String,
    /// Compensation or repair amount claimed, in yuan; empty means none.
    pub claimed_amount_yuan: String,
    /// An impact code; empty means none stated.
    pub impact: String,
    /// Risk flag codes (checkboxes).
    pub flags: Vec<String>,
    /// `on` when the owner marked it an emergency.
    pub emergency: String,
    /// The random key the form was rendered with (see [`SubmissionKey`]); may be empty.
    pub submission_key: String,
    /// The owner's words for what it is about (a [`crate::guide::Topic`] code); may be
    /// empty. With no category chosen, it chooses one.
    pub topic: String,
    /// Answers to the guided questions, keyed by question (`intake[answers][<key>]`).
    pub answers: std::collections::BTreeMap<String, String>,
}

/// The key a complaint form carries from the moment it is rendered, so that the same form
/// sent twice (a double tap, a retry on a slow network, two tabs racing) files one
/// complaint. 16–64 letters, digits, `-` or `_`; anything else is no key at all (it is not
/// something a person types, so there is nothing to report).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubmissionKey(String);

impl SubmissionKey {
    /// The key in `raw`, or `None` when it is not one.
    pub fn parse(raw: &str) -> Option<SubmissionKey> {
        let raw = raw.trim();
        let fits = (16..=64).contains(&raw.len())
            && raw
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        fits.then(|| SubmissionKey(raw.to_owned()))
    }

    /// The key as sent.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A complaint that passed intake: every field valid.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Intake {
    /// What happened (trimmed).
    pub description: String,
    /// What it is about.
    pub category: Category,
    /// Where: the community.
    pub community_id: i64,
    /// Where: the building, if given.
    pub building_id: Option<i64>,
    /// Where: unit / room.
    pub unit: String,
    /// How to address the complainant.
    pub name: String,
    /// How to reach them (also proves tracking).
    pub phone: PhoneNumber,
    /// People complaining together (≥ 1).
    pub people_count: u32,
    /// Amount claimed, in fen.
    pub claimed_amount_fen: u64,
    /// Effect on use of the home.
    pub impact: Impact,
    /// Risk flags set at intake, sorted, no duplicates.
    pub flags: Vec<RiskFlag>,
    /// Needs someone on site within the emergency window.
    pub emergency: bool,
    /// The topic the owner started from, if any (a [`crate::guide::Topic`] code).
    #[serde(default)]
    pub topic: Option<String>,
    /// The owner's answers to the category's guided questions.
    #[serde(default)]
    pub answers: Answers,
    /// The language the owner reads: messages to them are written in it (Chinese unless
    /// the owner filed from a page in English).
    #[serde(default)]
    pub lang: crate::Lang,
}

impl Intake {
    /// Checks every field and reports all problems at once (not just the first).
    pub fn parse(raw: &RawIntake, limits: &IntakeLimits) -> Result<Intake, Vec<FieldError>> {
        let mut errors = Vec::new();

        let description = keep(&mut errors, parse_description(&raw.description, limits));
        let topic = Topic::parse(&raw.topic);
        let category = keep(
            &mut errors,
            parse_category(&raw.category).or_else(|missing| {
                // No category chosen: the owner's own words choose it, helped by the text.
                topic
                    .filter(|_| raw.category.trim().is_empty())
                    .and_then(|t| t.category(&crate::hints::suggest(&raw.description)))
                    .ok_or(missing)
            }),
        );
        let answers = match category {
            Some(category) => Answers::parse(category, &raw.answers)
                .map_err(|e| errors.extend(e))
                .ok(),
            None => Some(Answers::default()),
        };
        let community_id = keep(
            &mut errors,
            parse_id(&raw.community_id, "community_id").and_then(|id| {
                id.ok_or_else(|| {
                    FieldError::new("community_id", "请选择小区", "Please choose a community")
                })
            }),
        );
        let building_id = keep(&mut errors, parse_id(&raw.building_id, "building_id"));
        let unit = keep(
            &mut errors,
            bounded(&raw.unit, "unit", limits.unit_max_chars, false),
        );
        let name = keep(
            &mut errors,
            bounded(&raw.name, "name", limits.name_max_chars, true),
        );
        let phone = keep(&mut errors, PhoneNumber::parse(&raw.phone));
        let people_count = keep(
            &mut errors,
            parse_people(&raw.people_count, limits.people_max),
        );
        let claimed_amount_fen = keep(
            &mut errors,
            crate::money::parse_yuan(&raw.claimed_amount_yuan, "claimed_amount_yuan"),
        );
        let impact = keep(&mut errors, parse_impact(&raw.impact));
        let flags = keep(&mut errors, parse_flags(&raw.flags));
        let emergency = matches!(raw.emergency.trim(), "on" | "true" | "1" | "yes");

        match (
            answers,
            description,
            category,
            community_id,
            building_id,
            unit,
            name,
            phone,
            people_count,
            claimed_amount_fen,
            impact,
            flags,
        ) {
            (
                Some(answers),
                Some(description),
                Some(category),
                Some(community_id),
                Some(building_id),
                Some(unit),
                Some(name),
                Some(phone),
                Some(people_count),
                Some(claimed_amount_fen),
                Some(impact),
                Some(flags),
            ) if errors.is_empty() => Ok(Intake {
                description,
                category,
                community_id,
                building_id,
                unit,
                name,
                phone,
                people_count,
                claimed_amount_fen,
                impact,
                flags,
                emergency,
                topic: topic.map(|t| t.code.to_owned()),
                answers,
                lang: crate::Lang::default(),
            }),
            _ => Err(errors),
        }
    }
}

/// Records a field's error and goes on, so the form reports every problem at once.
fn keep<T>(errors: &mut Vec<FieldError>, result: Result<T, FieldError>) -> Option<T> {
    result.map_err(|e| errors.push(e)).ok()
}

fn parse_description(raw: &str, limits: &IntakeLimits) -> Result<String, FieldError> {
    let text = raw.trim();
    let meaningful = text.chars().filter(|c| !c.is_whitespace()).count();
    if meaningful == 0 {
        return Err(FieldError::new(
            "description",
            "请描述您遇到的问题",
            "Please describe the problem",
        ));
    }
    if meaningful < limits.description_min_chars {
        return Err(FieldError::new(
            "description",
            format!(
                "描述太短了，请至少写{}个字，说明发生了什么、在哪里",
                limits.description_min_chars
            ),
            format!(
                "Too short: please write at least {} characters on what happened and where",
                limits.description_min_chars
            ),
        ));
    }
    let len = text.chars().count();
    if len > limits.description_max_chars {
        return Err(FieldError::new(
            "description",
            format!(
                "描述最多{}字，当前{}字，请精简",
                limits.description_max_chars, len
            ),
            format!(
                "At most {} characters (now {len}); please shorten it",
                limits.description_max_chars
            ),
        ));
    }
    Ok(text.to_owned())
}

fn parse_category(raw: &str) -> Result<Category, FieldError> {
    Category::parse(raw.trim())
        .ok_or_else(|| FieldError::new("category", "请选择投诉类别", "Please choose a category"))
}

fn parse_id(raw: &str, field: &str) -> Result<Option<i64>, FieldError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    raw.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .map(Some)
        .ok_or_else(|| FieldError::new(field, "请从列表中选择", "Please choose from the list"))
}

fn bounded(raw: &str, field: &str, max: usize, required: bool) -> Result<String, FieldError> {
    let text = raw.trim();
    if required && text.is_empty() {
        return Err(FieldError::new(field, "此项必填", "This field is required"));
    }
    let len = text.chars().count();
    if len > max {
        return Err(FieldError::new(
            field,
            format!("最多{max}个字（当前{len}个）"),
            format!("At most {max} characters (now {len})"),
        ));
    }
    Ok(text.to_owned())
}

fn parse_people(raw: &str, max: u32) -> Result<u32, FieldError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(1);
    }
    match raw.parse::<u32>() {
        Ok(n) if (1..=max).contains(&n) => Ok(n),
        _ => Err(FieldError::new(
            "people_count",
            format!("投诉人数应为1到{max}之间的整数"),
            format!("Number of people must be a whole number from 1 to {max}"),
        )),
    }
}

fn parse_impact(raw: &str) -> Result<Impact, FieldError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(Impact::None);
    }
    Impact::parse(raw).ok_or_else(|| {
        FieldError::new(
            "impact",
            "请从列表中选择影响程度",
            "Please choose the impact from the list",
        )
    })
}

fn parse_flags(raw: &[String]) -> Result<Vec<RiskFlag>, FieldError> {
    let mut flags = Vec::new();
    for code in raw.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        let flag = RiskFlag::parse(code)
            .ok_or_else(|| FieldError::new("flags", "未知的风险选项", "Unknown risk option"))?;
        if !flags.contains(&flag) {
            flags.push(flag);
        }
    }
    flags.sort();
    Ok(flags)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mobile_numbers_are_normalised_to_eleven_digits() {
        for raw in [
            "13812345678",
            "138 1234 5678",
            "+86 138-1234-5678",
            "００８６１３８１２３４５６７８",
            "8613812345678",
        ] {
            assert_eq!(
                PhoneNumber::parse(raw).unwrap().as_str(),
                "13812345678",
                "{raw}"
            );
        }
    }

    #[test]
    fn landlines_need_an_area_code() {
        assert_eq!(
            PhoneNumber::parse("0755-12345678").unwrap().as_str(),
            "0755-12345678"
        );
        assert_eq!(
            PhoneNumber::parse("(010) 1234 5678").unwrap().as_str(),
            "010-12345678"
        );
        assert_eq!(
            PhoneNumber::parse("021-2345678转801").unwrap().as_str(),
            "021-2345678-801"
        );
        for bad in [
            "12345678",
            "1381234567",
            "23812345678",
            "abc",
            "0755-123",
            "138123456789",
        ] {
            assert_eq!(
                PhoneNumber::parse(bad).unwrap_err().field(),
                "phone",
                "{bad}"
            );
        }
    }

    #[test]
    fn tracking_codes_use_only_unambiguous_symbols() {
        let mut state = 7u32;
        let code = TrackingCode::generate(|| {
            state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            state
        });
        assert_eq!(code.as_str().len(), TRACKING_CODE_LEN);
        assert!(code
            .as_str()
            .bytes()
            .all(|b| TRACKING_ALPHABET.contains(&b)));
        let typed = code.display().to_lowercase();
        assert_eq!(TrackingCode::parse(&typed).unwrap(), code);
        assert!(TrackingCode::parse("ABCD-EFGH-JKM0").is_err());
    }

    fn valid_raw() -> RawIntake {
        RawIntake {
            description: "卫生间天花板漏水，已经三天了".into(),
            category: "engineering_quality".into(),
            community_id: "1".into(),
            building_id: "2".into(),
            unit: "2单元1501".into(),
            name: "王先生".into(),
            phone: "13812345678".into(),
            ..RawIntake::default()
        }
    }

    #[test]
    fn a_complete_form_parses() {
        let intake = Intake::parse(&valid_raw(), &IntakeLimits::default()).unwrap();
        assert_eq!(intake.people_count, 1);
        assert_eq!(intake.category, Category::EngineeringQuality);
        assert_eq!(intake.building_id, Some(2));
    }

    #[test]
    fn the_owners_topic_chooses_the_category_left_unchosen() {
        let raw = RawIntake {
            category: String::new(),
            topic: "staff_conduct".into(),
            answers: [("staff_member".to_owned(), "保安".to_owned())].into(),
            ..valid_raw()
        };
        let intake = Intake::parse(&raw, &IntakeLimits::default()).unwrap();
        assert_eq!(intake.category, Category::ServiceConduct);
        assert_eq!(intake.topic.as_deref(), Some("staff_conduct"));
        assert_eq!(intake.answers.get("staff_member"), Some("保安"));
        // A category the owner chose stands; the answers follow it.
        let chosen = Intake::parse(
            &RawIntake {
                category: "repair_service".into(),
                ..raw.clone()
            },
            &IntakeLimits::default(),
        )
        .unwrap();
        assert_eq!(chosen.category, Category::RepairService);
        assert!(chosen.answers.is_empty());
        // Neither chosen nor implied: the owner is asked.
        let none = RawIntake {
            category: String::new(),
            ..valid_raw()
        };
        let errors = Intake::parse(&none, &IntakeLimits::default()).unwrap_err();
        assert_eq!(errors[0].field(), "category");
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let raw = RawIntake {
            description: "漏".into(),
            phone: "12345".into(),
            people_count: "0".into(),
            claimed_amount_yuan: "12.345".into(),
            ..valid_raw()
        };
        let fields: Vec<_> = Intake::parse(&raw, &IntakeLimits::default())
            .unwrap_err()
            .into_iter()
            .map(|e| e.field().to_owned())
            .collect();
        assert_eq!(
            fields,
            [
                "description",
                "phone",
                "people_count",
                "claimed_amount_yuan"
            ]
        );
    }
}
