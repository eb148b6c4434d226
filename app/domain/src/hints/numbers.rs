//! Reading numbers as owners type them: "3", "2,000", "2.5万", "三千多", "一万五", "十几",
//! "二十多", "几十", "上百". Values are lower bounds ("十几" is 11, "二十多" is 20), in
//! hundredths so that money converts to fen without floats ("2.5万" is 2_500_000 = ¥25,000).

/// Hundredths in one unit.
pub const ONE: u64 = 100;

/// A number found at a position: its value in hundredths and the index just past it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Number {
    /// Value × 100 (a lower bound for approximate numbers).
    pub hundredths: u64,
    /// Index just past the number and any 多/余/来 after it.
    pub end: usize,
}

/// The value of a Chinese digit (两 and 俩 are 2; 几 is read where it stands, see `chinese`).
fn chinese_digit(c: char) -> Option<u64> {
    match c {
        '零' | '〇' => Some(0),
        '一' => Some(1),
        '二' | '两' => Some(2),
        '三' => Some(3),
        '四' => Some(4),
        '五' => Some(5),
        '六' => Some(6),
        '七' => Some(7),
        '八' => Some(8),
        '九' => Some(9),
        _ => None,
    }
}

/// The multiplier a unit character stands for.
fn multiplier(c: char) -> Option<u64> {
    match c {
        '十' => Some(10),
        '百' => Some(100),
        '千' | 'k' => Some(1_000),
        '万' | 'w' => Some(10_000),
        _ => None,
    }
}

/// True for characters that may start a number.
pub fn starts_number(c: char) -> bool {
    c.is_ascii_digit() || chinese_digit(c).is_some() || matches!(c, '十' | '几' | '上' | '好')
}

/// True for digits and Chinese numerals (a number continues through them).
pub fn is_numeral(c: char) -> bool {
    c.is_ascii_digit()
        || chinese_digit(c).is_some()
        || matches!(c, '十' | '百' | '千' | '万' | '几')
}

/// Reads the number starting at `at` in folded characters, if there is one.
pub fn read_number(chars: &[char], at: usize) -> Option<Number> {
    let (value, end) = match chars.get(at)? {
        c if c.is_ascii_digit() => arabic(chars, at)?,
        '上' | '好' => {
            // 上百 / 上千: at least that many; 好几: at least three.
            let (v, end) = chinese(chars, at + 1)?;
            (v, end)
        }
        _ => chinese(chars, at)?,
    };
    let mut end = end;
    let mut value = value;
    while chars
        .get(end)
        .is_some_and(|c| matches!(c, '多' | '余' | '来'))
    {
        end += 1;
        // "40多万", "三千多块": the multiplier may follow the approximation.
        if let Some(m) = chars
            .get(end)
            .and_then(|c| multiplier(*c))
            .filter(|m| *m >= 1_000)
        {
            value = value.saturating_mul(m);
            end += 1;
        }
    }
    Some(Number {
        hundredths: value,
        end,
    })
}

/// Every number in `chars`, left to right, each with its start: a number is read once as a
/// whole ("3.5万" is not also "5万"), and one never starts inside a run of numerals.
pub fn numbers_in(chars: &[char]) -> Vec<(usize, Number)> {
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let inside_run = i > 0 && is_numeral(chars[i - 1]);
        match read_number(chars, i).filter(|_| !inside_run && starts_number(chars[i])) {
            Some(n) if n.end > i => {
                found.push((i, n));
                i = n.end;
            }
            _ => i += 1,
        }
    }
    found
}

/// "2,000", "2.5", "2.5万", "3千", "10w": digits, thousands separators, one decimal point
/// (two places kept), then optional multipliers (a `k`/`w` only when no letter follows it).
fn arabic(chars: &[char], at: usize) -> Option<(u64, usize)> {
    let mut whole: u64 = 0;
    let mut fraction: u64 = 0;
    let mut places: Option<u32> = None;
    let mut i = at;
    while let Some(&c) = chars.get(i) {
        match (c.to_digit(10), places) {
            (Some(d), None) => whole = whole.saturating_mul(10).saturating_add(u64::from(d)),
            (Some(d), Some(0)) => fraction = u64::from(d) * 10,
            (Some(d), Some(1)) => fraction += u64::from(d),
            (Some(_), Some(_)) => {}
            (None, None) if c == ',' && next_is_digit(chars, i) => {}
            (None, None) if c == '.' && next_is_digit(chars, i) => places = Some(0),
            (None, _) => break,
        }
        if c.is_ascii_digit() {
            places = places.map(|p| p + 1);
        }
        i += 1;
    }
    let mut value = whole.saturating_mul(ONE).saturating_add(fraction);
    while let Some(m) = chars.get(i).and_then(|c| multiplier(*c)) {
        let ascii = chars[i].is_ascii();
        if ascii && chars.get(i + 1).is_some_and(|n| n.is_ascii_alphabetic()) {
            break;
        }
        value = value.saturating_mul(m);
        i += 1;
        if ascii {
            break;
        }
    }
    Some((value, i))
}

fn next_is_digit(chars: &[char], i: usize) -> bool {
    chars.get(i + 1).is_some_and(|c| c.is_ascii_digit())
}

/// Chinese numerals up to 万 (amounts of 亿 do not occur in complaints): "三千五百", "一万五" (the trailing digit is one unit below the
/// last multiplier), "十几" (几 as the last digit is 1), "几十" (几 before a multiplier is 2),
/// "几" alone (3: several).
fn chinese(chars: &[char], at: usize) -> Option<(u64, usize)> {
    let mut total: u64 = 0; // completed 万 groups
    let mut section: u64 = 0; // within the current group
    let mut digit: Option<u64> = None;
    let mut last_multiplier: u64 = 1;
    let mut i = at;
    while let Some(&c) = chars.get(i) {
        if let Some(d) = chinese_digit(c) {
            digit = Some(d);
        } else if c == '几' {
            let before_multiplier = chars.get(i + 1).is_some_and(|n| multiplier(*n).is_some());
            // 几十 / 几万: at least 2; 几 alone: several (3); 十几 / 十几万: 1 more.
            digit = Some(match (i == at, before_multiplier) {
                (true, true) => 2,
                (true, false) => 3,
                (false, _) => 1,
            });
        } else if let Some(m) = multiplier(c).filter(|_| c != 'k' && c != 'w') {
            if m >= 10_000 {
                // 十万, 三百万: everything so far is counted in 万 (一 when nothing came before).
                let group = match section.saturating_add(digit.take().unwrap_or(0)) {
                    0 => 1,
                    g => g,
                };
                total = total.saturating_add(group.saturating_mul(m));
                section = 0;
            } else {
                let d = digit.take().unwrap_or(1);
                section = section.saturating_add(d.saturating_mul(m));
            }
            last_multiplier = m;
        } else {
            break;
        }
        i += 1;
    }
    if i == at {
        return None;
    }
    // 一万五 is 15,000 and 两千五 is 2,500: a lone digit right after a multiplier.
    let tail = match digit {
        Some(d)
            if last_multiplier > 10
                && i >= 2
                && chars.get(i - 2).and_then(|c| multiplier(*c)).is_some() =>
        {
            d.saturating_mul(last_multiplier / 10)
        }
        Some(d) => d,
        None => 0,
    };
    let value = total.saturating_add(section).saturating_add(tail);
    Some((value.saturating_mul(ONE), i))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(s: &str) -> Option<u64> {
        let chars: Vec<char> = s.chars().collect();
        read_number(&chars, 0).map(|n| n.hundredths / ONE)
    }

    #[test]
    fn numbers_read_as_owners_write_them() {
        for (text, value) in [
            ("3", 3),
            ("2,000元", 2_000),
            ("2.5万", 25_000),
            ("10w", 100_000),
            ("三千多", 3_000),
            ("一万五", 15_000),
            ("两千五百", 2_500),
            ("两千五", 2_500),
            ("十几户", 11),
            ("二十多位", 20),
            ("几十户", 20),
            ("几户", 3),
            ("上百户", 100),
            ("好几户", 3),
            ("十几万", 110_000),
            ("40多万", 400_000),
            ("三千多块", 3_000),
            ("十万", 100_000),
            ("三百万", 3_000_000),
            ("一万五千", 15_000),
            ("5kg", 5),
        ] {
            assert_eq!(read(text), Some(value), "{text}");
        }
        assert_eq!(read("户"), None);
    }

    #[test]
    fn decimals_keep_two_places() {
        let chars: Vec<char> = "12.34元".chars().collect();
        assert_eq!(read_number(&chars, 0).map(|n| n.hundredths), Some(1_234));
    }
}
