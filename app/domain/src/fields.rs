//! Free-text form fields that validate on construction ("parse, don't validate"): the error
//! names the form field and says why, in the user's language.

use crate::lang::{Lang, Text};

/// A form field: its wire name and its label in both languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    /// The form field / JSON name, e.g. `root_cause`.
    pub name: &'static str,
    /// 中文 label.
    pub zh: &'static str,
    /// English label.
    pub en: &'static str,
}

/// Why a field was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// Empty after trimming.
    Required,
    /// Fewer characters than `min` after trimming.
    TooShort {
        /// Fewest characters accepted.
        min: usize,
    },
    /// More characters than `max` after trimming.
    TooLong {
        /// Most characters accepted.
        max: usize,
    },
}

/// A refused form field: which one (its HTML `name`) and why, in both languages.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FieldError {
    field: String,
    message: Text,
}

impl FieldError {
    /// An error with its own wording, e.g. a phone number's expected format.
    pub fn new(field: &str, zh: impl Into<String>, en: impl Into<String>) -> FieldError {
        FieldError {
            field: field.to_owned(),
            message: Text::new(zh, en),
        }
    }

    /// An error for a length rule on `field`, worded from its labels.
    pub fn invalid(field: Field, problem: Problem) -> FieldError {
        let (zh, en) = (field.zh, field.en);
        let (zh_text, en_text) = match problem {
            Problem::Required => (format!("请填写{zh}"), format!("Please fill in the {en}")),
            Problem::TooShort { min } => (
                format!("{zh}至少需要{min}个字"),
                format!("The {en} needs at least {min} characters"),
            ),
            Problem::TooLong { max } => (
                format!("{zh}不能超过{max}个字"),
                format!("The {en} can be at most {max} characters"),
            ),
        };
        FieldError::new(field.name, zh_text, en_text)
    }

    /// The form field name, e.g. `reason`.
    pub fn field(&self) -> &str {
        &self.field
    }

    /// What to tell the user.
    pub fn message(&self, lang: Lang) -> &str {
        self.message.get(lang)
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.message(Lang::En))
    }
}

impl std::error::Error for FieldError {}

/// Trims `input` and checks its length in characters: required, at least `min`, at most `max`.
pub fn bounded_text(
    field: Field,
    input: &str,
    min: usize,
    max: usize,
) -> Result<String, FieldError> {
    let text = input.trim();
    let len = text.chars().count();
    let problem = if len == 0 {
        Some(Problem::Required)
    } else if len < min {
        Some(Problem::TooShort { min })
    } else if len > max {
        Some(Problem::TooLong { max })
    } else {
        None
    };
    match problem {
        Some(problem) => Err(FieldError::invalid(field, problem)),
        None => Ok(text.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOTE: Field = Field {
        name: "note",
        zh: "备注",
        en: "note",
    };

    #[test]
    fn text_is_trimmed_and_measured_in_characters_not_bytes() {
        assert_eq!(bounded_text(NOTE, "  漏水  ", 2, 2).unwrap(), "漏水");
        let err = bounded_text(NOTE, "漏水了", 1, 2).unwrap_err();
        assert_eq!(err.field(), "note");
        assert_eq!(err.message(Lang::Zh), "备注不能超过2个字");
    }

    #[test]
    fn blank_text_is_missing_rather_than_short() {
        let err = bounded_text(NOTE, " \n ", 5, 10).unwrap_err();
        assert_eq!(err.message(Lang::En), "Please fill in the note");
    }
}
