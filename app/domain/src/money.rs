//! Money is integer fen (分) everywhere: ¥10,000 = 1_000_000 fen. No floats near money.

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
