//! Severity cues in the text alone (domain.md "Severity"), so the form can say "按目前信息属于
//! 二级" before the owner ticks anything. Precision over recall: a cue the owner did not mean
//! raises a level on screen, so only unambiguous words count.
//!
//! What is handled:
//! - Risk flags by keyword (媒体/记者/曝光/发抖音/发微博/热搜 → media; 拉横幅/维权/业主聚集/
//!   堵门 → protest; 已起诉/立案/开庭 → litigation; 请律师/起诉/打官司/法律途径 → lawyer;
//!   12345/市长热线/住建局/信访 → government). A threat counts ("不解决就曝光"): the company
//!   treats it as exposure risk. Platforms count only with a posting verb (发抖音, 上微博):
//!   "保安开着抖音外放" is no exposure.
//! - Negation: a flag is dropped when 不/没/未/别/无 stands within the 4 characters before it
//!   in the same clause ("不想找媒体", "还没有起诉", "并不打算找律师"), unless 就/便/则/再
//!   lies between (a condition: "不解决就曝光") or it is 不得不. Impact words are negated only
//!   by a negator right before them ("没有漏水", "不漏了").
//! - People and money: see [`counts`](super::counts).
//!
//! Not handled (known misses or false alarms): irony, reported speech ("客服说你去12345好了"
//! still counts), English cues, hypotheticals ("万一漏电").

use std::collections::BTreeSet;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::counts::{amount_fen, people_count};
use crate::grading::{grade, Grade, GradingPolicy, IntakeFacts};
use crate::text::fold_char;
use crate::vocab::{Impact, RiskFlag};

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
    let folded: String = text.chars().map(fold_char).collect();
    let mut cues = TextCues::default();
    let table = cue_table();
    // One pass: at each character, only the words starting with it are tried.
    for (at, c) in folded.char_indices() {
        let from = table.partition_point(|(first, _, _)| *first < c);
        for (_, word, cue) in table[from..].iter().take_while(|(first, _, _)| *first == c) {
            if !folded[at..].starts_with(word) || !counts_at(&folded, at, word, *cue) {
                continue;
            }
            match *cue {
                Cue::Flag(flag) => {
                    cues.flags.insert(flag);
                }
                Cue::Impact(impact) if severity_rank(impact) > severity_rank(cues.impact) => {
                    cues.impact = impact;
                }
                Cue::Impact(_) => {}
            }
        }
    }
    if cues.flags.contains(&RiskFlag::Litigation) {
        // A suit filed says more than the threat of one.
        cues.flags.remove(&RiskFlag::Lawyer);
    }
    cues.people_count = people_count(&folded);
    cues.amount_fen = amount_fen(&folded);
    cues
}

/// What a cue word says.
#[derive(Debug, Clone, Copy)]
enum Cue {
    Flag(RiskFlag),
    Impact(Impact),
}

/// Every cue word with its first character, sorted by it (built once).
fn cue_table() -> &'static [(char, &'static str, Cue)] {
    static TABLE: OnceLock<Vec<(char, &'static str, Cue)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let flags = FLAG_WORDS.iter().map(|(f, w)| (Cue::Flag(*f), *w));
        let impacts = IMPACT_WORDS.iter().map(|(i, w)| (Cue::Impact(*i), *w));
        let mut table: Vec<(char, &'static str, Cue)> = flags
            .chain(impacts)
            .flat_map(|(cue, words)| words.split(' ').map(move |w| (w, cue)))
            .filter_map(|(w, cue)| w.chars().next().map(|first| (first, w, cue)))
            .collect();
        table.sort_by_key(|(first, _, _)| *first);
        table
    })
}

/// The level the form's facts plus the text's cues imply so far, with reasons ("按目前信息属于
/// 二级"). The owner's ticks are never lowered by the text.
pub fn preview_level(text: &str, form: &IntakeFacts, policy: &GradingPolicy) -> Grade {
    grade(&text_cues(text).combined_with(form), policy)
}

/// Words for each flag, space-separated, on folded text.
const FLAG_WORDS: &[(RiskFlag, &str)] = &[
    (
        RiskFlag::Media,
        "媒体 记者 曝光 热搜 电视台 报社 发抖音 上抖音 发到抖音 发微博 上微博 发到微博 \
         发小红书 发到网上",
    ),
    (
        RiskFlag::Protest,
        "拉横幅 挂横幅 维权 业主聚集 聚集在 堵门 堵路 静坐 游行 示威 围堵 集体上访",
    ),
    (
        RiskFlag::Litigation,
        "已起诉 已经起诉 起诉了 立案 开庭 传票 判决 告上法庭",
    ),
    (
        RiskFlag::Lawyer,
        "请律师 找律师 咨询律师 咨询过律师 委托律师 律师函 起诉 打官司 法律途径 法院 法庭 \
         告到法院",
    ),
    (
        RiskFlag::Government,
        "12345 市长热线 住建局 住建委 房管局 信访 街道办 消协 市场监管局 环保局",
    ),
];

/// Words for each impact, most severe first, space-separated, on folded text.
const IMPACT_WORDS: &[(Impact, &str)] = &[
    (
        Impact::Severe,
        "无法居住 不能住 没法住 住不了 无法入住 不能入住 没法入住 淹了 被淹 泡水 坍塌 塌了 \
         倒塌 漏电 触电 燃气泄漏 煤气泄漏 困人 困在电梯 砸伤 受伤",
    ),
    (
        Impact::Impaired,
        "漏水 渗水 漏雨 渗漏 返水 反水 坏了 故障 失灵 堵塞 堵了 打不开 关不上 关不严 不出水 \
         停水 停电 跳闸 不亮 不制热 暖气不热 裂缝",
    ),
    (
        Impact::Cosmetic,
        "划痕 掉漆 起皮 脱皮 色差 不美观 难看 污渍",
    ),
];

/// How far before a flag word a negator still negates it (characters, same clause; the
/// widest reach).
const FLAG_NEGATION_REACH: usize = 4;
/// Impact words are negated only by a negator right before them.
const IMPACT_NEGATION_REACH: usize = 2;
const NEGATORS: &str = "不没未别无";
/// Between a negator and the cue these make the negation a condition ("不解决就曝光").
const CONDITION_MARKERS: &str = "就便则再";
/// Clause ends: negation never reaches across them.
pub(super) const CLAUSE_ENDS: &[char] = &[
    ',', '.', ';', ':', '!', '?', '。', '，', '；', '：', '！', '？', '、', '\n',
];

/// True when the cue `word` found at byte `at` of folded `text` counts: not negated, and a
/// number word ("12345") not inside a longer number ("1234567").
fn counts_at(text: &str, at: usize, word: &str, cue: Cue) -> bool {
    let before = &text[..at];
    let digit = |c: char| c.is_ascii_digit();
    let inside_longer_number = word.starts_with(digit)
        && (before.ends_with(digit) || text[at + word.len()..].starts_with(digit));
    let reach = match cue {
        Cue::Flag(_) => FLAG_NEGATION_REACH,
        Cue::Impact(_) => IMPACT_NEGATION_REACH,
    };
    let mut nearest_first = [' '; FLAG_NEGATION_REACH + 2];
    let mut n = 0;
    for (slot, c) in nearest_first.iter_mut().zip(before.chars().rev()) {
        *slot = c;
        n += 1;
    }
    !inside_longer_number && !negated(&nearest_first[..n], reach)
}

/// True when a negator stands within `reach` characters before the cue (`before` holds the
/// characters before it, nearest first), in the same clause, with no condition marker between,
/// and is not part of 不得不.
fn negated(before: &[char], reach: usize) -> bool {
    let at = |k: usize| before.get(k).copied();
    for (k, &c) in before.iter().enumerate().take(reach) {
        if CLAUSE_ENDS.contains(&c) || CONDITION_MARKERS.contains(c) {
            return false;
        }
        let last_of_must = c == '不' && at(k + 1) == Some('得') && at(k + 2) == Some('不');
        let first_of_must =
            c == '不' && k >= 2 && at(k - 1) == Some('得') && at(k - 2) == Some('不');
        if NEGATORS.contains(c) && !last_of_must && !first_of_must {
            return true;
        }
    }
    false
}
