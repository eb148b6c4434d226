//! Severity cues in the text alone (domain.md "Severity"), so the form can say "按目前信息属于
//! 二级" before the owner ticks anything. Precision over recall: a cue the owner did not mean
//! raises a level on screen, so only unambiguous words count.
//!
//! What is handled:
//! - Risk flags by keyword (媒体/记者/曝光/抖音/微博/热搜 → media; 拉横幅/维权/聚集/堵门 →
//!   protest; 已起诉/立案/开庭 → litigation; 律师/起诉/打官司 → lawyer; 12345/市长热线/住建局/
//!   信访 → government). A threat counts ("不解决就曝光"): the company treats it as exposure risk.
//! - Negation: a flag is dropped when 不/没/未/别/无 stands within the 4 characters before it
//!   in the same clause ("不想找媒体", "还没有起诉", "并不打算找律师"), unless 就/便/则/再
//!   lies between (a condition: "不解决就曝光") or it is 不得不. Impact words are negated only
//!   by a negator right before them ("没有漏水", "不漏了").
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
//! - Platforms count only with a posting verb (发抖音, 上微博): "保安开着抖音外放" is no exposure.
//!
//! Not handled (known misses or false alarms): irony, reported speech ("客服说你去12345好了"
//! still counts), English cues, amounts without a unit ("赔3000"), counts of offenders
//! rather than complainants in a group sentence ("我们楼有三个业主养猫").

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::numbers::{numbers_in, ONE};
use crate::grading::{grade, Grade, GradingPolicy, IntakeFacts};
use crate::text::fold_char;
use crate::vocab::{Impact, RiskFlag};

/// People a whole building or community stands for: a lower bound (a building has dozens).
pub const WHOLE_BUILDING_PEOPLE: u32 = 20;

/// What the text alone says about severity.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextCues {
    /// Risk flags the text mentions (not negated).
    pub flags: BTreeSet<RiskFlag>,
    /// People jointly complaining, when stated (0: not stated).
    pub people_count: u32,
    /// The largest compensation or repair amount claimed, in fen (0: none).
    pub amount_fen: u64,
    /// The most severe impact the text describes.
    pub impact: Impact,
}

impl TextCues {
    /// The form's facts raised by these cues: flags united, the larger count and amount, the
    /// more severe impact. Cues never lower what the owner ticked.
    pub fn combined_with(&self, form: &IntakeFacts) -> IntakeFacts {
        let mut facts = form.clone();
        facts.flags.extend(self.flags.iter().copied());
        facts.people_count = facts.people_count.max(self.people_count);
        facts.claimed_amount_fen = facts.claimed_amount_fen.max(self.amount_fen);
        if severity_rank(self.impact) > severity_rank(facts.impact) {
            facts.impact = self.impact;
        }
        facts
    }

    /// The cues alone as intake facts.
    pub fn facts(&self) -> IntakeFacts {
        self.combined_with(&IntakeFacts::default())
    }
}

fn severity_rank(impact: Impact) -> u8 {
    match impact {
        Impact::None => 0,
        Impact::Cosmetic => 1,
        Impact::Impaired => 2,
        Impact::Severe => 3,
    }
}

/// Reads the severity cues of a description (see the module docs for what counts).
pub fn text_cues(text: &str) -> TextCues {
    let chars: Vec<char> = text.chars().map(fold_char).collect();
    let mut cues = TextCues::default();
    for (flag, words) in FLAG_WORDS {
        if words
            .iter()
            .any(|w| mentions(&chars, w, FLAG_NEGATION_REACH))
        {
            cues.flags.insert(*flag);
        }
    }
    if cues.flags.contains(&RiskFlag::Litigation) {
        // A suit filed says more than the threat of one.
        cues.flags.remove(&RiskFlag::Lawyer);
    }
    for (impact, words) in IMPACT_WORDS {
        if severity_rank(*impact) > severity_rank(cues.impact)
            && words
                .iter()
                .any(|w| mentions(&chars, w, IMPACT_NEGATION_REACH))
        {
            cues.impact = *impact;
        }
    }
    cues.people_count = people(&chars);
    cues.amount_fen = amount(&chars);
    cues
}

/// The level the form's facts plus the text's cues imply so far, with reasons ("按目前信息属于
/// 二级"). The owner's ticks are never lowered by the text.
pub fn preview_level(text: &str, form: &IntakeFacts, policy: &GradingPolicy) -> Grade {
    grade(&text_cues(text).combined_with(form), policy)
}

const FLAG_WORDS: &[(RiskFlag, &[&str])] = &[
    (
        RiskFlag::Media,
        &[
            "媒体",
            "记者",
            "曝光",
            "热搜",
            "电视台",
            "报社",
            "发抖音",
            "上抖音",
            "发到抖音",
            "发微博",
            "上微博",
            "发到微博",
            "发小红书",
            "发到网上",
        ],
    ),
    (
        RiskFlag::Protest,
        &[
            "拉横幅",
            "挂横幅",
            "维权",
            "业主聚集",
            "聚集在",
            "堵门",
            "堵路",
            "静坐",
            "游行",
            "示威",
            "围堵",
            "集体上访",
        ],
    ),
    (
        RiskFlag::Litigation,
        &[
            "已起诉",
            "已经起诉",
            "起诉了",
            "立案",
            "开庭",
            "传票",
            "判决",
            "告上法庭",
        ],
    ),
    (
        RiskFlag::Lawyer,
        &[
            "请律师",
            "找律师",
            "咨询律师",
            "咨询过律师",
            "委托律师",
            "律师函",
            "起诉",
            "打官司",
            "法律途径",
            "法院",
            "法庭",
            "告到法院",
        ],
    ),
    (
        RiskFlag::Government,
        &[
            "12345",
            "市长热线",
            "住建局",
            "住建委",
            "房管局",
            "信访",
            "街道办",
            "消协",
            "市场监管局",
            "环保局",
        ],
    ),
];

const IMPACT_WORDS: &[(Impact, &[&str])] = &[
    (
        Impact::Severe,
        &[
            "无法居住",
            "不能住",
            "没法住",
            "住不了",
            "无法入住",
            "不能入住",
            "没法入住",
            "淹了",
            "被淹",
            "泡水",
            "坍塌",
            "塌了",
            "倒塌",
            "漏电",
            "触电",
            "燃气泄漏",
            "煤气泄漏",
            "困人",
            "困在电梯",
            "砸伤",
            "受伤",
        ],
    ),
    (
        Impact::Impaired,
        &[
            "漏水",
            "渗水",
            "漏雨",
            "渗漏",
            "返水",
            "反水",
            "坏了",
            "故障",
            "失灵",
            "堵塞",
            "堵了",
            "打不开",
            "关不上",
            "关不严",
            "不出水",
            "停水",
            "停电",
            "跳闸",
            "不亮",
            "不制热",
            "暖气不热",
            "裂缝",
        ],
    ),
    (
        Impact::Cosmetic,
        &[
            "划痕",
            "掉漆",
            "起皮",
            "脱皮",
            "色差",
            "不美观",
            "难看",
            "污渍",
        ],
    ),
];

/// How far before a flag word a negator still negates it (characters, same clause).
const FLAG_NEGATION_REACH: usize = 4;
/// Impact words are negated only by a negator right before them.
const IMPACT_NEGATION_REACH: usize = 2;
const NEGATORS: &str = "不没未别无";
/// Between a negator and the cue these make the negation a condition ("不解决就曝光").
const CONDITION_MARKERS: &str = "就便则再";
/// Clause ends: negation and compensation words never reach across them.
const CLAUSE_ENDS: &str = ",.;:!?。，；：！？、\n";
const SENTENCE_ENDS: &str = ".;!?。；！？\n";

/// True when `word` occurs in `chars` at least once without a negator before it.
fn mentions(chars: &[char], word: &str, reach: usize) -> bool {
    let word: Vec<char> = word.chars().collect();
    if word.is_empty() || chars.len() < word.len() {
        return false;
    }
    let digit_at = |i: Option<usize>| {
        i.and_then(|i| chars.get(i))
            .is_some_and(char::is_ascii_digit)
    };
    // "12345" inside "1234567" is not the hotline.
    let inside_longer_number = |i: usize| {
        let digits_before = word[0].is_ascii_digit() && digit_at(i.checked_sub(1));
        let digits_after = word[word.len() - 1].is_ascii_digit() && digit_at(Some(i + word.len()));
        digits_before || digits_after
    };
    (0..=chars.len() - word.len())
        .filter(|&i| chars[i..].starts_with(&word) && !inside_longer_number(i))
        .any(|i| !negated(chars, i, reach))
}

/// True when a negator stands within `reach` characters before `at`, in the same clause, with
/// no condition marker between, and is not part of 不得不.
fn negated(chars: &[char], at: usize, reach: usize) -> bool {
    let start = at.saturating_sub(reach);
    for n in (start..at).rev() {
        let c = chars[n];
        if CLAUSE_ENDS.contains(c) || CONDITION_MARKERS.contains(c) {
            return false;
        }
        let must = n >= 2 && chars[n - 2] == '不' && chars[n - 1] == '得' && c == '不';
        let must_middle = chars.get(n + 1) == Some(&'得') && chars.get(n + 2) == Some(&'不');
        if NEGATORS.contains(c) && !must && !must_middle {
            return true;
        }
    }
    false
}

/// Nouns for the people who complain (not staff).
const PEOPLE_NOUNS: &[&str] = &["业主", "邻居", "住户", "居民", "商户", "租户", "人家"];
/// Counting words before a people noun.
const MEASURE_WORDS: &str = "位名个家";
/// Whole-building words, counted only when a people noun follows.
const WHOLE_BUILDING: &[&str] = &[
    "全楼",
    "整栋楼",
    "整幢楼",
    "全小区",
    "整个小区",
    "全单元",
    "整个单元",
];
/// A count is of complainants only in a sentence that speaks for a group.
const GROUP_MARKERS: &[&str] = &[
    "我们", "咱们", "联名", "联合", "集体", "一起", "共同", "大家",
];
/// A number after these describes the building, not who complains (两梯四户, 总户数).
const NOT_PEOPLE_BEFORE: &str = "梯总";

/// The largest number of complaining people stated in any sentence that speaks for a group.
fn people(chars: &[char]) -> u32 {
    let most = split_at(chars, SENTENCE_ENDS)
        .into_iter()
        .filter(|s| GROUP_MARKERS.iter().any(|m| contains(s, m)))
        .map(people_in)
        .max()
        .unwrap_or(0);
    u32::try_from(most).unwrap_or(u32::MAX)
}

fn people_in(chars: &[char]) -> u64 {
    let mut most: u64 = 0;
    let noun_at = |i: usize| {
        let rest = chars.get(i..).unwrap_or_default();
        let rest = rest.strip_prefix(&['的']).unwrap_or(rest);
        PEOPLE_NOUNS.iter().any(|n| starts_with(rest, n))
    };
    for i in 0..chars.len() {
        for word in WHOLE_BUILDING {
            if starts_with(&chars[i..], word) && noun_at(i + word.chars().count()) {
                most = most.max(u64::from(WHOLE_BUILDING_PEOPLE));
            }
        }
    }
    for (start, n) in numbers_in(chars) {
        if start > 0 && NOT_PEOPLE_BEFORE.contains(chars[start - 1]) {
            continue;
        }
        let counted = match chars.get(n.end) {
            // 户型 and 户口 are not households.
            Some('户') => !matches!(chars.get(n.end + 1), Some('型' | '口')),
            Some(m) if MEASURE_WORDS.contains(*m) => noun_at(n.end + 1),
            _ => false,
        };
        if counted {
            most = most.max(n.hundredths / ONE);
        }
    }
    most
}

/// Splits at any of `ends`, except a ',' or '.' between digits ("2,500", "3.5万").
fn split_at<'a>(chars: &'a [char], ends: &str) -> Vec<&'a [char]> {
    let digit = |i: Option<usize>| {
        i.and_then(|i| chars.get(i))
            .is_some_and(char::is_ascii_digit)
    };
    let mut parts = Vec::new();
    let mut start = 0;
    for (i, c) in chars.iter().enumerate() {
        let in_number = matches!(c, ',' | '.') && digit(i.checked_sub(1)) && digit(Some(i + 1));
        if ends.contains(*c) && !in_number {
            parts.push(&chars[start..i]);
            start = i + 1;
        }
    }
    parts.push(&chars[start..]);
    parts
}

fn starts_with(chars: &[char], word: &str) -> bool {
    let mut rest = chars.iter();
    word.chars().all(|w| rest.next() == Some(&w))
}

fn contains(chars: &[char], word: &str) -> bool {
    (0..chars.len()).any(|i| starts_with(&chars[i..], word))
}

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

/// The largest amount of money claimed, in fen: in a clause with a claim word, or with a
/// spending word in a sentence that has a claim word. "已付房款186万,违约金…" is a price beside a
/// claim, not the claim.
fn amount(chars: &[char]) -> u64 {
    let has = |text: &[char], words: &[&str]| words.iter().any(|w| contains(text, w));
    let mut best = 0;
    for sentence in split_at(chars, SENTENCE_ENDS) {
        let claim_sentence = has(sentence, CLAIM_WORDS);
        for clause in split_at(sentence, CLAUSE_ENDS) {
            if has(clause, CLAIM_WORDS) || (claim_sentence && has(clause, SPENDING_WORDS)) {
                best = best.max(money_in(clause));
            }
        }
    }
    best
}

/// The largest amount written with a currency sign or unit in `chars`, in fen.
fn money_in(chars: &[char]) -> u64 {
    let mut best = 0;
    for (start, n) in numbers_in(chars) {
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
