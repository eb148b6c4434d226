//! Free-text form fields that validate on construction ("parse, don't validate"): the error
//! names the form field and says why, in the user's language.

use crate::lang::Lang;

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

/// A refused form field (reasons, replies, reports, plans).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldError {
    field: Field,
    problem: Problem,
}

impl FieldError {
    /// The error for `field`.
    pub fn new(field: Field, problem: Problem) -> FieldError {
        FieldError { field, problem }
    }

    /// The form field name, e.g. `reason`.
    pub fn field(&self) -> &'static str {
        self.field.name
    }

    /// What is wrong with it.
    pub fn problem(&self) -> Problem {
        self.problem
    }

    /// What to tell the user.
    pub fn message(&self, lang: Lang) -> String {
        let (zh, en) = (self.field.zh, self.field.en);
        match (self.problem, lang) {
            (Problem::Required, Lang::Zh) => format!("请填写{zh}"),
            (Problem::Required, Lang::En) => format!("Please fill in the {en}"),
            (Problem::TooShort { min }, Lang::Zh) => format!("{zh}至少需要{min}个字"),
            (Problem::TooShort { min }, Lang::En) => {
                format!("The {en} needs at least {min} characters")
            }
            (Problem::TooLong { max }, Lang::Zh) => format!("{zh}不能超过{max}个字"),
            (Problem::TooLong { max }, Lang::En) => {
                format!("The {en} can be at most {max} characters")
            }
        }
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(Lang::En))
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
        Some(problem) => Err(FieldError::new(field, problem)),
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
        assert_eq!(err.problem(), Problem::TooLong { max: 2 });
        assert_eq!(err.field(), "note");
        assert_eq!(err.message(Lang::Zh), "备注不能超过2个字");
    }

    #[test]
    fn blank_text_is_missing_rather_than_short() {
        let err = bounded_text(NOTE, " \n ", 5, 10).unwrap_err();
        assert_eq!(err.problem(), Problem::Required);
        assert_eq!(err.message(Lang::En), "Please fill in the note");
    }
}
