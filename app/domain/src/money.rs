//! Money is integer fen (分) everywhere: ¥10,000 = 1_000_000 fen. No floats near money.

use crate::fields::FieldError;

/// Fen in one yuan.
pub const FEN_PER_YUAN: u64 = 100;

/// Formats fen as yuan for people: `¥10,000`, `¥12,345.60` (cents only when there are some).
pub fn format_yuan(fen: u64) -> String {
    let yuan = fen / FEN_PER_YUAN;
    let cents = fen % FEN_PER_YUAN;
    let digits: Vec<char> = yuan.to_string().chars().collect();
    let groups: Vec<String> = digits
        .rchunks(3)
        .rev()
        .map(|g| g.iter().collect())
        .collect();
    let grouped = groups.join(",");
    if cents == 0 {
        format!("¥{grouped}")
    } else {
        format!("¥{grouped}.{cents:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yuan_are_grouped_by_thousands_and_cents_shown_only_when_present() {
        assert_eq!(format_yuan(0), "¥0");
        assert_eq!(format_yuan(1), "¥0.01");
        assert_eq!(format_yuan(1_000_000), "¥10,000");
        assert_eq!(format_yuan(123_456_760), "¥1,234,567.60");
        assert_eq!(format_yuan(99_900), "¥999");
    }
}

/// Reads yuan with at most two decimals as typed ("12000", "12,000.50", "¥300", "300元")
/// into fen; empty means 0. Errors name `field`.
pub fn parse_yuan(raw: &str, field: &str) -> Result<u64, FieldError> {
    let cleaned: String = raw
        .chars()
        .map(crate::text::fold_char)
        .filter(|c| !matches!(c, ',' | ' ' | '¥' | '￥') && *c != '元')
        .collect();
    if cleaned.is_empty() {
        return Ok(0);
    }
    let bad = || {
        FieldError::new(
            field,
            "金额请填写数字（单位：元，最多两位小数）",
            "Enter the amount in yuan as a number (at most two decimals)",
        )
    };
    let (whole, frac) = cleaned.split_once('.').unwrap_or((&cleaned, ""));
    if whole.is_empty()
        || frac.len() > 2
        || !whole
            .bytes()
            .chain(frac.bytes())
            .all(|b| b.is_ascii_digit())
    {
        return Err(bad());
    }
    let whole: u64 = whole.parse().map_err(|_| bad())?;
    let frac: u64 = format!("{frac:0<2}").parse().map_err(|_| bad())?;
    whole
        .checked_mul(100)
        .and_then(|f| f.checked_add(frac))
        .filter(|fen| *fen <= 100_000_000_000)
        .ok_or_else(bad)
}

#[cfg(test)]
mod parse_tests {
    use super::parse_yuan;

    #[test]
    fn amounts_are_read_in_yuan_and_kept_in_fen() {
        assert_eq!(parse_yuan("12,000.5", "x").unwrap(), 1_200_050);
        assert_eq!(parse_yuan("￥300", "x").unwrap(), 30_000);
        assert_eq!(parse_yuan("300元", "x").unwrap(), 30_000);
        assert_eq!(parse_yuan("", "x").unwrap(), 0);
        assert!(parse_yuan("-5", "x").is_err());
        assert_eq!(parse_yuan("1.234", "amount").unwrap_err().field(), "amount");
        assert!(parse_yuan("99999999999999999999", "x").is_err());
    }
}
