//! Severity cues in the text alone (rules.md "Severity"), so the form can say "按目前信息属于
//! 二级" before the owner ticks anything. Cues only fill facts a person left out and are offered
//! to confirm ([`TextCues::fill`]; rules.md, Amendments: "Stated facts win"). Precision over
//! recall: a cue the owner did not mean raises a level on screen, so only unambiguous words
//! count, and where a word may be a threat or an event the less severe reading wins. The rules
//! with examples are in app/domain/docs/grading.md, "Text cues".
//!
//! What is handled:
//! - **What happened vs. a threat.** Media words (媒体/记者/曝光/热搜/电视台/报道/上新闻/发抖音/
//!   发微博/发到网上…) and protest words (拉横幅/业主聚集/堵门/静坐/游行/集体上访…) are read in
//!   their clause. The nearest marker before the word decides: a completed action (了/过/已/曾/
//!   被: "联系了记者", "已曝光", "被媒体报道") means it happened; an intention (要/想/准备/打算/
//!   考虑/扬言/威胁/号召/明天…: "我要曝光", "准备拉横幅") means a threat. Without a marker before,
//!   the first marker right after decides ("记者来了", "曝光了" happened; "记者要来" not yet). A
//!   condition makes it a threat whatever follows: 如果/要是/假如/万一/否则/不然/再不/再这样 in
//!   the sentence before the word, 可能/也许/担心/以免 in its clause ("可能被媒体曝光"), or
//!   就/便/则 after a negator in the sentence ("不解决就曝光"; but "没人管,我们就找了媒体"
//!   happened: the 了 is nearer). With no marker at all a media word is a threat (it names
//!   someone the owner may only be thinking of) and a protest word an event (it names something
//!   being done: "业主聚集在售楼处"). What happened sets `media` or `protest` (level 1), a threat
//!   `media_threat` (level 2); 维权 alone is always a threat ("我要维权", "准备维权"). A threat is
//!   dropped when media or a protest is already involved, as `lawyer` is when a suit was filed.
//!   Platforms count only with a posting verb (发抖音, 上微博): "保安开着抖音外放" is no exposure.
//! - Litigation and the rest: 已起诉/立案/开庭 → litigation; 请律师/起诉/打官司/法律途径 → lawyer
//!   (a threat of a suit: "不解决就起诉"); 12345/市长热线/住建局/信访 → government.
//! - **Negation** of flags: a flag is dropped when 不/没/未/别/无 stands within the 4 characters
//!   before it in the same clause ("不想找媒体", "还没有起诉", "并不打算找律师"), unless 就/便/则/
//!   再 lies between (a condition: "不解决就曝光") or it is 不得不.
//! - **Negation of impact** words: a negator within the 3 characters before, in the clause, with
//!   no 就/便/则 between ("没有漏水", "并未渗水", "没有再漏水", "不漏了"). A negator that starts
//!   another word does not negate: 不停/不断/不时/不少/不仅/不光/不只/不止/不知/不管/不论/不久/
//!   没人/没多久/无数/无故 ("水管不断渗水" leaks). A sentence that says the use is not affected
//!   (不影响/没有影响/不耽误/不妨碍 followed by 使用/生活/居住/正常/用/住) caps its impact at
//!   cosmetic ("墙上有裂缝,不影响使用"; "没有影响到楼下" is not about use).
//! - **Hedges** soften an impact word by one step (severe → impaired → cosmetic, never below
//!   cosmetic): 有点/一点/稍微/稍稍/轻微/略/微微/些许/少许/一丝 in the 4 characters before it,
//!   or 一点/一些/少许 right after it ("漏了一点"; not 一点都/一点也, which intensify). A trace
//!   after it (痕迹/印子/水印/水渍/水迹: "渗水的痕迹") is a second step. So "有点渗水的痕迹" is
//!   cosmetic, and a hedged safety word ("有点漏电") still impairs use.
//! - People and money: see [`counts`](super::counts).
//!
//! Not handled (known misses or false alarms): irony, reported speech ("客服说你去12345好了"
//! still counts), English cues, hypotheticals about impact ("万一漏电" reads severe), an
//! intention word earlier in the clause than a completion after the word ("我想说记者来过了"
//! reads as a threat), a negator farther away ("从来都没有这样漏过水").

use std::collections::BTreeSet;
use std::ops::Range;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::counts::{amount_fen, people_count};
use super::fill::CueFact;
use crate::grading::{Grade, GradingPolicy, IntakeFacts, StatedFacts};
use crate::text::fold_char;
use crate::vocab::{Impact, RiskFlag};

/// What the text alone says about severity, with the words each cue was read from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextCues {
    /// Risk flags the text mentions (not negated).
    pub flags: BTreeSet<RiskFlag>,
    /// People jointly complaining, when stated (0: not stated).
    pub people_count: u32,
    /// The largest compensation or repair amount claimed, in fen (0: none).
    pub amount_fen: u64,
    /// The most severe impact the text describes (after negation, hedges and caps).
    pub impact: Impact,
    /// Every counted cue with its words as they stand in the text (folded: full-width forms
    /// half-width), in the order found.
    pub words: Vec<CueWord>,
}

/// One cue and the words it was read from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CueWord {
    /// What the words say.
    pub fact: CueFact,
    /// The words, e.g. "记者来了", "有点渗水的痕迹", "10户", "8000元".
    pub words: String,
}

impl TextCues {
    /// The cues alone as intake facts (nothing stated).
    pub fn facts(&self) -> IntakeFacts {
        self.fill(&StatedFacts::nothing()).facts
    }

    /// The words of every cue that says `fact`, without repeats, in the order found; words
    /// inside longer words of the same fact are left out ("热搜" in "上了热搜").
    pub fn words_for(&self, fact: CueFact) -> Vec<String> {
        let all: Vec<&str> = self
            .words
            .iter()
            .filter(|w| w.fact == fact)
            .map(|w| w.words.as_str())
            .collect();
        let mut words: Vec<String> = Vec::new();
        for w in &all {
            let inside_longer = all.iter().any(|o| o.len() > w.len() && o.contains(w));
            if !inside_longer && !words.iter().any(|k| k == w) {
                words.push((*w).to_owned());
            }
        }
        words
    }
}

pub(super) fn severity_rank(impact: Impact) -> u8 {
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
            if !folded[at..].starts_with(word) {
                continue;
            }
            let Some((fact, span)) = read_cue(&folded, at, word, *cue) else {
                continue;
            };
            match fact {
                CueFact::Flag(flag) => {
                    cues.flags.insert(flag);
                }
                CueFact::Impact(impact) if severity_rank(impact) > severity_rank(cues.impact) => {
                    cues.impact = impact;
                }
                _ => {}
            }
            cues.words.push(CueWord {
                fact,
                words: folded[span].to_owned(),
            });
        }
    }
    // What happened says more than the threat of it.
    if cues.flags.contains(&RiskFlag::Litigation) {
        cues.flags.remove(&RiskFlag::Lawyer);
    }
    if cues.flags.contains(&RiskFlag::Media) || cues.flags.contains(&RiskFlag::Protest) {
        cues.flags.remove(&RiskFlag::MediaThreat);
    }
    let (flags, impact) = (&cues.flags, cues.impact);
    cues.words.retain(|w| match w.fact {
        CueFact::Flag(f) => flags.contains(&f),
        CueFact::Impact(i) => i == impact,
        _ => true,
    });
    if let Some(people) = people_count(&folded) {
        cues.people_count = u32::try_from(people.value).unwrap_or(u32::MAX);
        cues.words.push(CueWord {
            fact: CueFact::People(cues.people_count),
            words: people.words,
        });
    }
    if let Some(amount) = amount_fen(&folded) {
        cues.amount_fen = amount.value;
        cues.words.push(CueWord {
            fact: CueFact::Amount(amount.value),
            words: amount.words,
        });
    }
    cues
}

/// The level the stated facts plus the text's cues imply so far, with reasons ("按目前信息属于
/// 二级"): the cues fill only the facts left out, never a stated one.
pub fn preview_level(text: &str, stated: &StatedFacts, policy: &GradingPolicy) -> Grade {
    super::fill::preview(text, stated, &IntakeFacts::default(), policy).grade
}

/// What a cue word says.
#[derive(Debug, Clone, Copy)]
enum Cue {
    /// Litigation, lawyer, government: the flag unless negated.
    Flag(RiskFlag),
    /// Media or a protest: happened or threatened, by its context.
    Event(Event),
    /// 维权: a threat unless negated.
    Threat,
    /// An effect on use, softened by hedges and capped by "不影响使用".
    Impact(Impact),
}

/// What a media or protest word may say happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Event {
    Media,
    Protest,
}

impl Event {
    fn happened(self) -> RiskFlag {
        match self {
            Event::Media => RiskFlag::Media,
            Event::Protest => RiskFlag::Protest,
        }
    }
}

/// Every cue word with its first character, sorted by it (built once).
fn cue_table() -> &'static [(char, &'static str, Cue)] {
    static TABLE: OnceLock<Vec<(char, &'static str, Cue)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let flags = FLAG_WORDS.iter().map(|(f, w)| (Cue::Flag(*f), *w));
        let events = [
            (Cue::Event(Event::Media), MEDIA_WORDS),
            (Cue::Event(Event::Protest), PROTEST_WORDS),
            (Cue::Threat, THREAT_WORDS),
        ];
        let impacts = IMPACT_WORDS.iter().map(|(i, w)| (Cue::Impact(*i), *w));
        let mut table: Vec<(char, &'static str, Cue)> = flags
            .chain(events)
            .chain(impacts)
            .flat_map(|(cue, words)| words.split_whitespace().map(move |w| (w, cue)))
            .filter_map(|(w, cue)| w.chars().next().map(|first| (first, w, cue)))
            .collect();
        table.sort_by_key(|(first, _, _)| *first);
        table
    })
}

/// Words for the flags read by negation alone, space-separated, on folded text.
const FLAG_WORDS: &[(RiskFlag, &str)] = &[
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

/// The press and online media, and posting verbs with a platform.
const MEDIA_WORDS: &str =
    "媒体 记者 曝光 热搜 上了热搜 电视台 报社 报道 上电视 上新闻 上了电视 上了新闻 \
     发抖音 上抖音 发到抖音 发了抖音 发微博 上微博 发到微博 发了微博 发小红书 发了小红书 \
     发到网上 发网上 发到了网上 发在网上";

/// A protest being done.
const PROTEST_WORDS: &str = "拉横幅 挂横幅 业主聚集 聚集在 堵门 堵路 静坐 游行 示威 围堵 集体上访";

/// Words that are a threat wherever they stand.
const THREAT_WORDS: &str = "维权";

/// Words for each impact, most severe first, space-separated, on folded text.
const IMPACT_WORDS: &[(Impact, &str)] = &[
    (
        Impact::Severe,
        "无法居住 不能住 没法住 住不了 无法入住 不能入住 没法入住 淹了 被淹 泡水 坍塌 塌了 \
         倒塌 漏电 触电 燃气泄漏 煤气泄漏 困人 困在电梯 砸伤 受伤",
    ),
    (
        Impact::Impaired,
        "漏水 渗水 漏雨 渗漏 返水 反水 漏了 坏了 故障 失灵 堵塞 堵了 打不开 关不上 关不严 \
         不出水 停水 停电 跳闸 不亮 不制热 暖气不热 裂缝",
    ),
    (
        Impact::Cosmetic,
        "划痕 掉漆 起皮 脱皮 色差 不美观 难看 污渍",
    ),
];

/// How far before a flag word a negator still negates it (characters, same clause).
const FLAG_NEGATION_REACH: usize = 4;
/// How far before an impact word a negator still negates it.
const IMPACT_NEGATION_REACH: usize = 3;
const NEGATORS: &str = "不没未别无";
/// After a negator these make another word, not a negation (不停 漏水: it leaks non-stop).
const NOT_NEGATING_AFTER: &str = "停断时少仅光只止知管论久人多数故";
/// Between a negator and a flag these make the negation a condition ("不解决就曝光").
const CONDITION_MARKERS: &str = "就便则再";
/// Between a negator and an impact word these make it a condition ("不到一年就漏水").
const IMPACT_CONDITION_MARKERS: &str = "就便则";
/// Clause ends: negation never reaches across them.
pub(super) const CLAUSE_ENDS: &[char] = &[
    ',', '.', ';', ':', '!', '?', '。', '，', '；', '：', '！', '？', '、', '\n',
];
/// Sentence ends: a condition reaches across clauses, not across these.
const SENTENCE_ENDS: &[char] = &['.', ';', '!', '?', '。', '；', '！', '？', '\n'];

/// In the sentence before a media or protest word: a condition, so a threat.
const HYPOTHETICAL: &[&str] = &[
    "如果",
    "要是",
    "假如",
    "万一",
    "否则",
    "不然",
    "再不",
    "再这样",
    "再拖",
];
/// In the clause before a media or protest word: a possibility, so a threat.
const POSSIBLE: &[&str] = &["可能", "也许", "或许", "担心", "害怕", "以免", "避免"];
/// Before these a `HYPOTHETICAL` is another word (主要是, 还要是).
const NOT_HYPOTHETICAL_AFTER: &str = "主还就只总可但倒";
/// Before a media or protest word (nearest first decides): an intention, so a threat.
const INTENT: &[&str] = &[
    "为了", "准备", "打算", "考虑", "扬言", "威胁", "希望", "等着", "号召", "计划", "即将", "马上",
    "明天", "下周", "到时", "会去", "要", "想", "将",
];
/// Words that hold an intention marker without meaning one.
const NOT_INTENT: &[&str] = &[
    "主要", "需要", "重要", "只要", "要求", "要是", "想法", "将近", "将军",
];
/// … or a completed action, so it happened (过 not in 通过/不过/超过; 被 not in 被迫).
const DONE: &[&str] = &["已", "曾", "了", "过", "被"];
/// … or a condition marker, a threat when a negator comes earlier in the sentence.
const THEN: &[&str] = &["就", "便", "则"];
/// After a media or protest word, only this far (characters) is read for a marker.
const AFTER_REACH: usize = 6;

/// Hedges before an impact word ("有点渗水"), read in this many characters before it.
const HEDGES_BEFORE: &[&str] = &[
    "有点",
    "有一点",
    "一点点",
    "一点",
    "稍微",
    "稍稍",
    "轻微",
    "略",
    "微微",
    "些许",
    "少许",
    "一丝",
];
const HEDGE_REACH: usize = 4;
/// Hedges right after an impact word ("漏了一点").
const HEDGES_AFTER: &[&str] = &["一点", "一些", "少许", "些许"];
/// A trace after an impact word: it was, it is not ("渗水的痕迹").
const TRACES: &[&str] = &["痕迹", "印子", "水印", "水渍", "水迹", "印记", "水痕"];
/// Words before 略 that make it another word (忽略, 策略).
const NOT_HEDGE_BEFORE_LUE: &str = "忽策省领侵攻战";
/// In a sentence, one of these followed by a word of use says the use is not affected: its
/// impact is at most cosmetic ("不影响正常使用"; "没有影响到楼下" is not about use).
const NO_EFFECT: &[&str] = &["不影响", "没影响", "没有影响", "不耽误", "不妨碍"];
/// Words of use after `NO_EFFECT`, looked for in the next characters.
const USE_WORDS: &[&str] = &["使用", "生活", "居住", "入住", "正常", "用", "住"];
const USE_REACH: usize = 5;

/// What the cue `word` found at byte `at` of folded `text` says, with the span of its words;
/// `None` when it does not count (negated, a number inside a longer number).
fn read_cue(text: &str, at: usize, word: &str, cue: Cue) -> Option<(CueFact, Range<usize>)> {
    let end = at + word.len();
    let digit = |c: char| c.is_ascii_digit();
    if word.starts_with(digit) && (text[..at].ends_with(digit) || text[end..].starts_with(digit)) {
        return None;
    }
    let clause_start = text[..at].rfind(CLAUSE_ENDS).map_or(0, |i| {
        i + text[i..].chars().next().map_or(1, char::len_utf8)
    });
    let clause_end = text[end..]
        .find(CLAUSE_ENDS)
        .map_or(text.len(), |i| end + i);
    let sentence_start = text[..at].rfind(SENTENCE_ENDS).map_or(0, |i| {
        i + text[i..].chars().next().map_or(1, char::len_utf8)
    });
    let before = &text[clause_start..at];
    let after = &text[end..clause_end];
    let nearest_first: Vec<char> = before.chars().rev().take(FLAG_NEGATION_REACH + 2).collect();
    match cue {
        Cue::Impact(impact) => {
            if negated(
                &nearest_first,
                IMPACT_NEGATION_REACH,
                IMPACT_CONDITION_MARKERS,
            ) || (word.starts_with('漏') && before.ends_with(['遗', '疏', '泄']))
            {
                return None;
            }
            let sentence_end = text[end..]
                .find(SENTENCE_ENDS)
                .map_or(text.len(), |i| end + i);
            let sentence = &text[sentence_start..sentence_end];
            let (impact, span) = soften(impact, before, after, at..end);
            let capped = if says_no_effect(sentence) {
                at_most(impact, Impact::Cosmetic)
            } else {
                impact
            };
            Some((CueFact::Impact(capped), span))
        }
        _ if negated(&nearest_first, FLAG_NEGATION_REACH, CONDITION_MARKERS) => None,
        Cue::Flag(flag) => Some((CueFact::Flag(flag), at..end)),
        Cue::Threat => Some((CueFact::Flag(RiskFlag::MediaThreat), at..end)),
        Cue::Event(event) => {
            let sentence_before = &text[sentence_start..at];
            match happened(event, word, sentence_before, before, after) {
                (true, through) => Some((CueFact::Flag(event.happened()), at..end + through)),
                (false, _) => Some((CueFact::Flag(RiskFlag::MediaThreat), at..end)),
            }
        }
    }
}

/// Whether a media or protest word tells of something that happened (true) or a threat, and
/// how many bytes after the word the deciding marker ends ("记者来了": the words to show).
/// Module docs: conditions, then the nearest marker before, then right after, then the word.
fn happened(
    event: Event,
    word: &str,
    sentence_before: &str,
    before: &str,
    after: &str,
) -> (bool, usize) {
    let conditional = HYPOTHETICAL
        .iter()
        .any(|h| has_marker(sentence_before, h, NOT_HYPOTHETICAL_AFTER));
    if conditional || POSSIBLE.iter().any(|p| before.contains(p)) {
        return (false, 0);
    }
    if word.contains('了') {
        return (true, 0);
    }
    // Words that hold an intention marker without meaning one (主要, 要求).
    let covered: Vec<Range<usize>> = NOT_INTENT
        .iter()
        .flat_map(|w| before.match_indices(w).map(|(i, w)| i..i + w.len()))
        .collect();
    // The nearest marker before the word, in its clause.
    let mut ends: Vec<usize> = before
        .char_indices()
        .map(|(i, c)| i + c.len_utf8())
        .collect();
    ends.reverse();
    for end in ends {
        let head = &before[..end];
        let rest = &before[end..];
        let intent = INTENT.iter().any(|m| {
            head.ends_with(m)
                && !covered
                    .iter()
                    .any(|r| r.start <= end - m.len() && end <= r.end)
        });
        if intent {
            return (false, 0);
        }
        let done = DONE.iter().any(|m| head.ends_with(m))
            && !["通过", "不过", "超过"].iter().any(|m| head.ends_with(m))
            && !(head.ends_with('被') && rest.starts_with('迫'));
        if done {
            return (true, 0);
        }
        if THEN.iter().any(|m| head.ends_with(m)) {
            // The condition's negator is earlier in the sentence ("不解决就曝光").
            let earlier = &sentence_before[..sentence_before.len() - before.len() + end];
            if earlier.contains(['不', '没', '未']) {
                return (false, 0);
            }
        }
    }
    // Nothing before: the first marker right after it ("记者来了", "记者要来").
    let mut rest = after;
    for _ in 0..AFTER_REACH {
        let intent = INTENT.iter().any(|m| rest.starts_with(m))
            && !NOT_INTENT.iter().any(|w| rest.starts_with(w));
        if intent {
            return (false, 0);
        }
        if rest.starts_with(['了', '过']) {
            let through = after.len() - rest.len() + '了'.len_utf8();
            return (true, through);
        }
        // "记者已经来采访" / "记者曾来过": a completion marker right after the word.
        if rest.starts_with(['已', '曾']) {
            let through = after.len() - rest.len() + '已'.len_utf8();
            return (true, through);
        }
        let mut chars = rest.chars();
        if chars.next().is_none() {
            break;
        }
        rest = chars.as_str();
    }
    // No marker: a protest word names something being done, a media word someone the owner
    // may only be thinking of.
    (event == Event::Protest, 0)
}

/// The impact after hedges and traces (one step each, never below cosmetic), and the span of
/// its words with them ("有点渗水的痕迹").
fn soften(impact: Impact, before: &str, after: &str, word: Range<usize>) -> (Impact, Range<usize>) {
    let mut span = word.clone();
    let mut steps = 0;
    let window_start = before
        .char_indices()
        .rev()
        .nth(HEDGE_REACH - 1)
        .map_or(0, |(i, _)| i);
    let window = &before[window_start..];
    let hedge_before = HEDGES_BEFORE
        .iter()
        .filter_map(|h| window.find(h).map(|i| (i, *h)))
        .filter(|(i, h)| {
            let follows = &window[i + h.len()..];
            let intensifier = h.ends_with("一点") && follows.starts_with(['都', '也']);
            let lue = *h == "略" && window[..*i].ends_with(|c| NOT_HEDGE_BEFORE_LUE.contains(c));
            !intensifier && !lue
        })
        .map(|(i, _)| i)
        .min();
    if let Some(i) = hedge_before {
        steps += 1;
        span.start = word.start - window.len() + i;
    }
    let near_after: String = after.chars().take(3).collect();
    let hedge_after = HEDGES_AFTER.iter().find_map(|h| {
        let i = near_after.find(h)?;
        let follows = &after[i + h.len()..];
        (!follows.starts_with(['都', '也'])).then_some(i + h.len())
    });
    if let Some(end) = hedge_after {
        steps += 1;
        span.end = span.end.max(word.end + end);
    }
    let trace_window: String = after.chars().take(4).collect();
    let trace = TRACES
        .iter()
        .find_map(|t| trace_window.find(t).map(|i| i + t.len()));
    if let Some(end) = trace {
        steps += 1;
        span.end = span.end.max(word.end + end);
    }
    let mut softened = impact;
    for _ in 0..steps {
        softened = match softened {
            Impact::Severe => Impact::Impaired,
            _ => Impact::Cosmetic,
        };
    }
    (softened, span)
}

/// True when `sentence` says the use is not affected (`NO_EFFECT` then a word of use).
fn says_no_effect(sentence: &str) -> bool {
    NO_EFFECT.iter().any(|p| {
        sentence.match_indices(p).any(|(i, _)| {
            let next: String = sentence[i + p.len()..].chars().take(USE_REACH).collect();
            USE_WORDS.iter().any(|u| next.contains(u))
        })
    })
}

/// True when `text` has `marker` not right after one of `not_after` (主要是 is no 要是).
fn has_marker(text: &str, marker: &str, not_after: &str) -> bool {
    text.match_indices(marker)
        .any(|(i, _)| !text[..i].ends_with(|c| not_after.contains(c)))
}

/// The less severe of `impact` and `cap`.
fn at_most(impact: Impact, cap: Impact) -> Impact {
    if severity_rank(impact) > severity_rank(cap) {
        cap
    } else {
        impact
    }
}

/// True when a negator stands within `reach` characters before the cue (`before` holds the
/// characters before it, nearest first), in the same clause, with none of `conditions` between,
/// and is not part of 不得不 nor the start of another word (不停, 没人: `NOT_NEGATING_AFTER`).
pub(super) fn negated(before: &[char], reach: usize, conditions: &str) -> bool {
    let at = |k: usize| before.get(k).copied();
    for (k, &c) in before.iter().enumerate().take(reach) {
        if CLAUSE_ENDS.contains(&c) || conditions.contains(c) {
            return false;
        }
        if !NEGATORS.contains(c) {
            continue;
        }
        let last_of_must = c == '不' && at(k + 1) == Some('得') && at(k + 2) == Some('不');
        let first_of_must =
            c == '不' && k >= 2 && at(k - 1) == Some('得') && at(k - 2) == Some('不');
        // The character after the negator, when it is still before the cue.
        let other_word = k >= 1
            && before[k - 1..k]
                .iter()
                .any(|n| NOT_NEGATING_AFTER.contains(*n));
        if !last_of_must && !first_of_must && !other_word {
            return true;
        }
    }
    false
}
