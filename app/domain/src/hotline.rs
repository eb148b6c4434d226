//! A community's service hotline (服务热线), as the administrator types it: shown as typed
//! (full-width digits made half-width, spaces tidied), dialled from its digits (`tel:`).

use serde::{Deserialize, Serialize};

use crate::fields::FieldError;
use crate::text::fold_char;

/// A phone number people can call: 3 to 15 digits, written with spaces, hyphens, a leading
/// `+` or brackets ("400-820-1234", "0571 8888 6666", "(0571)88886666", "+86 571 8888 6666").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hotline(String);

/// The form field the administrator types it in.
pub const HOTLINE_FIELD: &str = "hotline";
/// Fewest and most digits of a number that can be dialled (119 … an international number).
const DIGITS: std::ops::RangeInclusive<usize> = 3..=15;
/// Most characters as written.
const MAX_CHARS: usize = 24;

impl Hotline {
    /// Reads what was typed; `Ok(None)` for nothing (no hotline).
    pub fn parse(input: &str) -> Result<Option<Hotline>, FieldError> {
        let folded: String = input.chars().map(fold_char).collect();
        let written = folded.split_whitespace().collect::<Vec<_>>().join(" ");
        if written.is_empty() {
            return Ok(None);
        }
        let refused = || {
            FieldError::new(
                HOTLINE_FIELD,
                "服务热线请填写电话号码，例如 400-820-1234 或 0571-88886666",
                "Please give the hotline as a phone number, e.g. 400-820-1234 or 0571-88886666",
            )
        };
        let allowed = |(i, c): (usize, char)| {
            c.is_ascii_digit() || matches!(c, '-' | ' ' | '(' | ')') || (c == '+' && i == 0)
        };
        if written.chars().count() > MAX_CHARS || !written.chars().enumerate().all(allowed) {
            return Err(refused());
        }
        let digits = written.chars().filter(char::is_ascii_digit).count();
        if !DIGITS.contains(&digits) {
            return Err(refused());
        }
        Ok(Some(Hotline(written)))
    }

    /// A number read back from storage, which [`Hotline::parse`] accepted when it was saved;
    /// `None` for an empty or unreadable one.
    pub fn stored(stored: &str) -> Option<Hotline> {
        Hotline::parse(stored).ok().flatten()
    }

    /// As written ("400-820-1234").
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The address a phone dials ("tel:4008201234", "tel:+865718888666").
    pub fn tel_uri(&self) -> String {
        let dial: String = self
            .0
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == '+')
            .collect();
        format!("tel:{dial}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Lang;

    #[test]
    fn numbers_as_written_are_kept_and_dialled_by_their_digits() {
        for (typed, shown, tel) in [
            ("400-820-1234", "400-820-1234", "tel:4008201234"),
            (
                " ０５７１－８８８８６６６６ ",
                "0571-88886666",
                "tel:057188886666",
            ),
            ("(0571) 8888  6666", "(0571) 8888 6666", "tel:057188886666"),
            (
                "+86 571 8888 6666",
                "+86 571 8888 6666",
                "tel:+8657188886666",
            ),
            ("119", "119", "tel:119"),
        ] {
            let hotline = Hotline::parse(typed).unwrap().unwrap();
            assert_eq!((hotline.as_str(), hotline.tel_uri().as_str()), (shown, tel));
        }
        assert_eq!(Hotline::parse("  ").unwrap(), None);
    }

    #[test]
    fn anything_else_is_refused_with_the_reason() {
        for typed in [
            "见公告栏",
            "12",
            "400-820-1234 转 8",
            "1+2",
            "1234567890123456",
        ] {
            let error = Hotline::parse(typed).unwrap_err();
            assert_eq!(error.field(), HOTLINE_FIELD);
            assert!(error.message(Lang::Zh).contains("电话号码"), "{typed}");
        }
    }
}
