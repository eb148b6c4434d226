//! People and money in a description (domain.md "Severity": group size, claimed amount).
//!
//! - People: a number before 户, or before 位/名/个/家 followed by 业主/邻居/住户/居民/商户/
//!   租户/人家 ("我们10户", "十几户", "二十多位业主"); 全楼/整栋楼/全小区 followed by such a
//!   noun counts as [`WHOLE_BUILDING_PEOPLE`]. Only in a sentence that speaks for a group
//!   (我们/联名/大家…), and not after 梯/总 (两梯四户, 总户数 describe the building). Staff
//!   counts ("两名保安") are not people. 全体业主 is not counted: it is mostly a legal phrase
//!   ("属于全体业主").
//! - Money: an amount with ¥/元/块/万/千 ("¥2,000", "两万块", "2.5万", "十几万") counts only
//!   when a claim word (赔/补偿/损失/维修费/退款…) is in the same clause, or a spending word
//!   (花了/自费/垫付) is and the sentence has a claim word: a fee of "2.8元/平" or a price
//!   beside a claim is not the claim. The largest such amount wins.
//!
//! Known misses and false alarms: amounts without a unit ("赔3000"), counts of offenders in a
//! group sentence ("我们楼有三个业主养猫").

use super::cues::CLAUSE_ENDS;
use super::numbers::{numbers_in, ONE};

/// People a whole building or community stands for: a lower bound (a building has dozens).
pub const WHOLE_BUILDING_PEOPLE: u32 = 20;

/// Nouns for the people who complain (not staff).
const PEOPLE_NOUNS: &[&str] = &["业主", "邻居", "住户", "居民", "商户", "租户", "人家"];
/// Counting words before a people noun.
const MEASURE_WORDS: &str = "位名个家";
/// Whole-building words, counted only when a people noun follows.
const WHOLE_BUILDING: &[&str] = &["全楼", "整栋楼", "整幢楼", "全小区", "整个小区", "全单元"];
/// A count is of complainants only in a sentence that speaks for a group.
const GROUP_MARKERS: &[&str] = &[
    "我们", "咱们", "联名", "联合", "集体", "一起", "共同", "大家",
];
/// A number after these describes the building, not who complains (两梯四户, 总户数).
const NOT_PEOPLE_BEFORE: &str = "梯总";
const SENTENCE_ENDS: &[char] = &['.', ';', '!', '?', '。', '；', '！', '？', '\n'];

/// Words that make an amount in their clause a claim for repair or compensation.
const CLAIM_WORDS: &[&str] = &[
    "赔",
    "补偿",
    "损失",
    "维修费",
    "修理费",
    "报销",
    "退还",
    "退款",
    "违约金",
    "承担",
];
/// Spending words: a claim only when the sentence also has a claim word ("装修花了十几万,这个
/// 损失…"), not in "物业用维修基金花了40多万".
const SPENDING_WORDS: &[&str] = &["花了", "自费", "垫付"];

/// The largest number of complaining people stated in any sentence that speaks for a group
/// (0: none stated), in folded text.
pub fn people_count(folded: &str) -> u32 {
    let most = split_at(folded, SENTENCE_ENDS)
        .into_iter()
        .filter(|s| GROUP_MARKERS.iter().any(|m| s.contains(m)))
        .map(people_in)
        .max()
        .unwrap_or(0);
    u32::try_from(most).unwrap_or(u32::MAX)
}

/// True when a people noun starts `rest` (after an optional 的).
fn people_noun(rest: &str) -> bool {
    let rest = rest.strip_prefix('的').unwrap_or(rest);
    PEOPLE_NOUNS.iter().any(|n| rest.starts_with(n))
}

fn people_in(sentence: &str) -> u64 {
    let mut most: u64 = 0;
    for word in WHOLE_BUILDING {
        let whole = sentence
            .match_indices(word)
            .any(|(at, _)| people_noun(&sentence[at + word.len()..]));
        if whole {
            most = most.max(u64::from(WHOLE_BUILDING_PEOPLE));
        }
    }
    let chars: Vec<char> = sentence.chars().collect();
    for (start, n) in numbers_in(&chars) {
        if start > 0 && NOT_PEOPLE_BEFORE.contains(chars[start - 1]) {
            continue;
        }
        let after: String = chars.get(n.end + 1..).unwrap_or_default().iter().collect();
        let counted = match chars.get(n.end) {
            // 户型 and 户口 are not households.
            Some('户') => !matches!(chars.get(n.end + 1), Some('型' | '口')),
            Some(m) if MEASURE_WORDS.contains(*m) => people_noun(&after),
            _ => false,
        };
        if counted {
            most = most.max(n.hundredths / ONE);
        }
    }
    most
}

/// The largest amount of money claimed, in fen (0: none), in folded text: in a clause with a
/// claim word, or with a spending word in a sentence that has a claim word. "已付房款186万,
/// 违约金…" is a price beside a claim, not the claim.
pub fn amount_fen(folded: &str) -> u64 {
    let has = |text: &str, words: &[&str]| words.iter().any(|w| text.contains(w));
    let mut best = 0;
    for sentence in split_at(folded, SENTENCE_ENDS) {
        let claim_sentence = has(sentence, CLAIM_WORDS);
        if !claim_sentence {
            continue;
        }
        for clause in split_at(sentence, CLAUSE_ENDS) {
            if has(clause, CLAIM_WORDS) || has(clause, SPENDING_WORDS) {
                best = best.max(money_in(clause));
            }
        }
    }
    best
}

/// The largest amount written with a currency sign or unit in `clause`, in fen.
fn money_in(clause: &str) -> u64 {
    let chars: Vec<char> = clause.chars().collect();
    let mut best = 0;
    for (start, n) in numbers_in(&chars) {
        let after_sign = start > 0 && matches!(chars[start - 1], '¥' | '￥' | '$');
        let unit = matches!(chars.get(n.end), Some('元' | '块'))
            || chars[start..n.end]
                .iter()
                .any(|c| matches!(c, '万' | 'w' | 'k' | '千'));
        if after_sign || unit {
            // Hundredths of a yuan are fen.
            best = best.max(n.hundredths);
        }
    }
    best
}

/// Splits at any of `ends`, except a ',' or '.' between digits ("2,500", "3.5万").
fn split_at<'a>(text: &'a str, ends: &[char]) -> Vec<&'a str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut previous: Option<char> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if crate::text::is_cjk(c) {
            // No ideograph ends a sentence or clause: skip the lookup for most characters.
            previous = Some(c);
            continue;
        }
        let next = chars.peek().map(|(_, n)| *n);
        let in_number = matches!(c, ',' | '.')
            && previous.is_some_and(|p| p.is_ascii_digit())
            && next.is_some_and(|n| n.is_ascii_digit());
        if ends.contains(&c) && !in_number {
            parts.push(&text[start..at]);
            start = at + c.len_utf8();
        }
        previous = Some(c);
    }
    parts.push(&text[start..]);
    parts
}
