//! Danger now (rules.md "The emergency path"): a lift with someone trapped inside, a smell of
//! gas, a burst pipe, fire or smoke, an electrical danger. The form puts the service hotline
//! first ("请立即拨打…") and offers to file the complaint as an emergency; the owner decides.
//!
//! What counts, in the folded text (full-width forms half-width):
//! - **Words that say it alone** ("电梯困人", "煤气泄漏", "爆管", "着火", "漏电"), or **a thing
//!   and what happens to it in the same sentence** ("电梯停了，里面困着两位老人": 电梯 … 困着;
//!   "厨房燃气味很大": 燃气 … 味).
//! - **Not** when the clause says it did not happen or may happen: a negator within the four
//!   characters before the words ("没有燃气味", "没漏电"), a worry, a condition, a near miss or
//!   reported speech earlier in the clause ("担心着火", "万一漏电", "一旦起火", "差点着火",
//!   "公司说爆管了"), something that happens again and again ("电梯经常困人"), or words that make it a thing
//!   and not an event right after ("火灾隐患", "消防通道", "漏电保护器", "fire door"), or a
//!   nuisance in the sentence (a chimney, burning rubbish, cooking fumes, rain water).
//! - **Not** when it is over: a past time earlier in the sentence ("上周电梯困过人",
//!   "去年爆过管") unless the sentence also says it goes on (现在/正在/还在/一直/仍/至今…), or
//!   过 right after the words ("困过人").
//! - English: "trapped in the lift", "stuck in the elevator", "gas leak", "smell gas", "burst
//!   pipe", "on fire", "caught fire", "electric shock", "sparks" (no negation is read).
//!
//! Precision matters more than recall only a little here: a missed emergency still reaches the
//! hotline printed at the top of every form, and a false alarm costs the owner one look at a
//! phone number. Both are kept rare; the cases are tests below.

use serde::{Deserialize, Serialize};

use super::cues::{negated, CLAUSE_ENDS};
use crate::lang::Lang;
use crate::text::fold_char;

/// A danger that needs someone on site now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Danger {
    /// Someone trapped in a lift, or a lift falling.
    LiftEntrapment,
    /// A smell of gas or a gas leak.
    Gas,
    /// A burst pipe or water flooding a home or a building.
    BurstPipe,
    /// Fire or smoke.
    Fire,
    /// Sparks, a live wire, an electric shock.
    Electrical,
}

impl Danger {
    /// Every danger, in the order the form lists them as taps.
    pub const ALL: [Danger; 5] = [
        Danger::LiftEntrapment,
        Danger::Gas,
        Danger::BurstPipe,
        Danger::Fire,
        Danger::Electrical,
    ];

    /// The wire code (`lift_entrapment`, `gas`, …).
    pub fn code(self) -> &'static str {
        match self {
            Danger::LiftEntrapment => "lift_entrapment",
            Danger::Gas => "gas",
            Danger::BurstPipe => "burst_pipe",
            Danger::Fire => "fire",
            Danger::Electrical => "electrical",
        }
    }

    /// The danger named by `code`.
    pub fn parse(code: &str) -> Option<Danger> {
        Danger::ALL.into_iter().find(|d| d.code() == code)
    }

    /// Its name, as an owner would say it.
    pub fn label(self, lang: Lang) -> &'static str {
        pick(self.texts().0, lang)
    }

    /// What to do until help arrives (shown beside the hotline).
    pub fn advice(self, lang: Lang) -> &'static str {
        pick(self.texts().1, lang)
    }

    /// (name, advice), each (zh, en).
    /// A first line for a description left empty when the owner taps the danger.
    pub fn report(self, lang: Lang) -> String {
        match lang {
            Lang::Zh => format!("紧急情况：{}，请尽快派人到场处理。", self.label(lang)),
            Lang::En => format!("Emergency: {}. Please send someone now.", self.label(lang)),
        }
    }

    fn texts(self) -> (Zh2En, Zh2En) {
        match self {
            Danger::LiftEntrapment => (
                ("电梯困人", "Someone trapped in a lift"),
                (
                    "请被困人员按下轿厢内的警铃或对讲按钮，保持冷静，不要扒门或攀爬。",
                    "Tell the people inside to press the alarm or intercom button, stay calm \
                     and not force the doors or climb out.",
                ),
            ),
            Danger::Gas => (
                ("燃气泄漏", "Smell of gas"),
                (
                    "请不要开关电器、不要使用明火或手机靠近，关闭燃气阀门，开窗通风并离开。",
                    "Do not switch anything on or off, no flames; close the gas valve, open \
                     the windows and leave.",
                ),
            ),
            Danger::BurstPipe => (
                ("水管爆裂、进水", "Burst pipe or flooding"),
                (
                    "请关闭进户水阀；水可能碰到插座时先断开电闸。",
                    "Close the main water valve; switch the power off first if water may \
                     reach sockets.",
                ),
            ),
            Danger::Fire => (
                ("起火、冒烟", "Fire or smoke"),
                (
                    "请先拨打119并离开，不要乘坐电梯。",
                    "Call 119 first and get out; do not take the lift.",
                ),
            ),
            Danger::Electrical => (
                ("漏电、电线打火", "Electrical danger"),
                (
                    "请不要触碰，能安全断电时先断开电闸，让其他人远离。",
                    "Do not touch it; switch the power off if it is safe to, and keep \
                     others away.",
                ),
            ),
        }
    }
}

/// A text in Chinese and in English.
type Zh2En = (&'static str, &'static str);

fn pick((zh, en): Zh2En, lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

/// A danger and the words it was read from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DangerCue {
    /// What the words say.
    pub danger: Danger,
    /// The words, as they stand in the folded text (e.g. "电梯…困着", "燃气味").
    pub words: String,
}

/// Words that say a danger alone.
const WHOLE: &[(Danger, &str)] = &[
    (
        Danger::LiftEntrapment,
        "电梯困人 困在电梯 被困电梯 困电梯 关在电梯 电梯关人 电梯夹人 电梯下坠 电梯坠落 \
         电梯冲顶 电梯蹲底 梯内困人 轿厢困人",
    ),
    (
        Danger::Gas,
        "燃气泄漏 煤气泄漏 天然气泄漏 液化气泄漏 燃气泄露 煤气泄露 天然气泄露 燃气味 煤气味 \
         天然气味 液化气味 燃气漏气 煤气漏气",
    ),
    (
        Danger::BurstPipe,
        "爆管 水管爆 管道爆 水管破裂 管道破裂 水管裂开 水管断了 水漫金山 水淹 被淹 淹了 \
         水管爆裂",
    ),
    (
        Danger::Fire,
        "着火 起火 失火 火灾 烧起来 浓烟 冒烟 冒黑烟 烧着了",
    ),
    (
        Danger::Electrical,
        "漏电 触电 电线打火 冒火花 电火花 打火花 配电箱冒烟 电箱冒烟 电线冒烟 电线烧 插座冒烟 \
         插座烧",
    ),
];

/// A thing and what happens to it, in the same sentence.
const PAIRS: &[(Danger, &str, &str)] = &[
    (
        Danger::LiftEntrapment,
        "电梯 轿厢 梯内",
        "困着 困住 被困 困了 困在 出不来 被关 关在里面 夹住 夹伤 坠落 下坠",
    ),
    (
        Danger::Gas,
        "燃气 煤气 天然气 液化气",
        "泄漏 泄露 漏气 漏了 气味 味道 味很 闻到 刺鼻",
    ),
    (
        Danger::BurstPipe,
        "水管 管道 水表 阀门",
        "爆了 爆开 裂了 喷 涌出",
    ),
    (
        Danger::Electrical,
        "电线 插座 电箱 配电箱 电表箱 开关",
        "冒火 火花 打火 烧焦 冒烟 带电",
    ),
];

/// English phrases (lower case) that say a danger alone.
const ENGLISH: &[(Danger, &str)] = &[
    (Danger::LiftEntrapment, "trapped in the lift"),
    (Danger::LiftEntrapment, "trapped in the elevator"),
    (Danger::LiftEntrapment, "trapped in a lift"),
    (Danger::LiftEntrapment, "stuck in the lift"),
    (Danger::LiftEntrapment, "stuck in the elevator"),
    (Danger::LiftEntrapment, "stuck in a lift"),
    (Danger::Gas, "gas leak"),
    (Danger::Gas, "smell gas"),
    (Danger::Gas, "smell of gas"),
    (Danger::Gas, "smells of gas"),
    (Danger::BurstPipe, "burst pipe"),
    (Danger::BurstPipe, "pipe burst"),
    (Danger::BurstPipe, "pipe has burst"),
    (Danger::Fire, "on fire"),
    (Danger::Fire, "caught fire"),
    (Danger::Fire, "there is a fire"),
    (Danger::Fire, "there's a fire"),
    (Danger::Fire, "fire in the"),
    (Danger::Fire, "fire broke out"),
    (Danger::Fire, "smoke coming"),
    (Danger::Electrical, "electric shock"),
    (Danger::Electrical, "sparks"),
    (Danger::Electrical, "sparking"),
    (Danger::Electrical, "live wire"),
];

/// How far before the words a negator still negates them (characters, same clause).
const NEGATION_REACH: usize = 4;
/// Earlier in the clause: it may happen, it has not ("担心着火", "容易触电").
const MAY_HAPPEN: &[&str] = &[
    "如果",
    "要是",
    "假如",
    "万一",
    "担心",
    "害怕",
    "怕",
    "可能",
    "以免",
    "避免",
    "防止",
    "预防",
    "容易",
    "会不会",
    "隐患",
    "存在",
    "风险",
    "一旦",
    "差点",
    "差一点",
    "险些",
    "后果",
    "说",
];
/// Anywhere in the sentence: smoke or fire that is someone else's nuisance, not a danger here
/// (a chimney, burning rubbish, cooking fumes, smokers).
const NUISANCE: &[&str] = &[
    "烟囱",
    "焚烧",
    "烧垃圾",
    "油烟",
    "烟道",
    "工厂",
    "电厂",
    "火葬场",
    "搅拌站",
    "抽烟",
    "吸烟",
    "烧烤",
    "烟花",
    "鞭炮",
    "雨水",
    "暴雨",
    "下雨",
    "大雨",
];
/// Earlier in the clause: it happens again and again, which is a complaint about upkeep or a
/// nuisance, not a danger now ("电梯经常困人", "工厂天天冒黑烟").
const HABITUAL: &[&str] = &[
    "经常",
    "天天",
    "每天",
    "总是",
    "老是",
    "每晚",
    "时常",
    "常常",
    "动不动",
    "三天两头",
];
/// Right after the words: a thing, not an event ("火灾隐患", "漏电保护器").
const NOT_AN_EVENT_AFTER: &[&str] = &[
    "隐患", "风险", "演练", "演习", "报警", "通道", "保护", "开关", "预防", "防范", "逃生", "器",
    "险", "安全", "检查", "设施", "池", "头",
];
/// Right before the words: a thing, not an event ("消防", "防火").
const NOT_AN_EVENT_BEFORE: &[&str] = &["消防", "防", "灭", "排放", "排出", "一", "雨", "下"];
/// Earlier in the sentence: it is over…
const PAST: &[&str] = &[
    "昨天",
    "前天",
    "上周",
    "上星期",
    "上次",
    "上回",
    "上个月",
    "上月",
    "之前",
    "以前",
    "去年",
    "曾经",
    "那次",
    "前几天",
    "前段时间",
    "年前",
    "有一次",
    "当时",
    "那天",
    "那年",
    "一场",
];
/// …unless the sentence says it goes on.
const GOING_ON: &[&str] = &[
    "现在",
    "正在",
    "还在",
    "一直",
    "仍",
    "至今",
    "目前",
    "依然",
    "还是",
    "到现在",
    "此刻",
];
/// English words right after a phrase that make it a thing ("there is a fire door").
const ENGLISH_NOT_AN_EVENT_AFTER: &[&str] = &[
    " door",
    " exit",
    " alarm",
    " extinguisher",
    " escape",
    " hazard",
    " drill",
    " safety",
    " risk",
    " lane",
    " route",
    " equipment",
];

/// The first danger the text says is happening now, with its words; `None` for none.
pub fn danger_in(text: &str) -> Option<DangerCue> {
    let folded: String = text.chars().map(fold_char).collect();
    // Words with a character the text lacks are not looked for (most of the lists, in most
    // texts): one sorted list of the text's characters instead of a search per word.
    let present: Vec<char> = {
        let mut chars: Vec<char> = folded.chars().collect();
        chars.sort_unstable();
        chars.dedup();
        chars
    };
    let may_occur = |word: &str| word.chars().all(|c| present.binary_search(&c).is_ok());
    let mut found: Option<(usize, DangerCue)> = None;
    let mut keep = |at: usize, cue: DangerCue| {
        if found.as_ref().is_none_or(|(first, _)| at < *first) {
            found = Some((at, cue));
        }
    };
    for (danger, words) in WHOLE {
        for word in words.split_whitespace().filter(|w| may_occur(w)) {
            for (at, _) in folded.match_indices(word) {
                if happening(&folded, at, at + word.len()) {
                    keep(
                        at,
                        DangerCue {
                            danger: *danger,
                            words: word.to_owned(),
                        },
                    );
                }
            }
        }
    }
    for (danger, things, events) in PAIRS {
        let things: Vec<&str> = things.split_whitespace().filter(|w| may_occur(w)).collect();
        let events: Vec<&str> = events.split_whitespace().filter(|w| may_occur(w)).collect();
        if things.is_empty() || events.is_empty() {
            continue;
        }
        for sentence in sentences(&folded) {
            let text = &folded[sentence.clone()];
            let Some((thing_at, thing)) = things
                .iter()
                .filter_map(|t| text.find(t).map(|at| (at, *t)))
                .min()
            else {
                continue;
            };
            for event in &events {
                for (at, _) in text.match_indices(event) {
                    let (start, end) = (sentence.start + at, sentence.start + at + event.len());
                    if at != thing_at && happening(&folded, start, end) {
                        keep(
                            sentence.start + thing_at.min(at),
                            DangerCue {
                                danger: *danger,
                                words: if thing_at < at {
                                    format!("{thing}…{event}")
                                } else {
                                    format!("{event}…{thing}")
                                },
                            },
                        );
                    }
                }
            }
        }
    }
    for (danger, phrase) in ENGLISH.iter().filter(|(_, p)| may_occur(p)) {
        for (at, _) in folded.match_indices(phrase) {
            let after = &folded[at + phrase.len()..];
            let a_thing = ENGLISH_NOT_AN_EVENT_AFTER
                .iter()
                .any(|w| after.starts_with(w));
            let before = &folded[..at];
            let negated = before.ends_with("no ") || before.ends_with("not ");
            if !a_thing && !negated {
                keep(
                    at,
                    DangerCue {
                        danger: *danger,
                        words: (*phrase).to_owned(),
                    },
                );
            }
        }
    }
    found.map(|(_, cue)| cue)
}

/// True when the words at `start..end` of `folded` say it happens now (module docs).
fn happening(folded: &str, start: usize, end: usize) -> bool {
    let clause_start = folded[..start].rfind(CLAUSE_ENDS).map_or(0, |i| {
        i + folded[i..].chars().next().map_or(1, char::len_utf8)
    });
    let clause_before = &folded[clause_start..start];
    let before: Vec<char> = folded[..start].chars().rev().collect();
    if negated(&before, NEGATION_REACH, "就便则") {
        return false;
    }
    if MAY_HAPPEN
        .iter()
        .chain(HABITUAL)
        .any(|w| clause_before.contains(w))
    {
        return false;
    }
    let sentence = sentence_around(folded, start);
    if NUISANCE
        .iter()
        .any(|w| folded[sentence.clone()].contains(w))
    {
        return false;
    }
    let after = &folded[end..];
    if after.starts_with('过') || NOT_AN_EVENT_AFTER.iter().any(|w| after.starts_with(w)) {
        return false;
    }
    if NOT_AN_EVENT_BEFORE
        .iter()
        .any(|w| clause_before.ends_with(w))
    {
        return false;
    }
    let sentence_before = &folded[sentence.start..start];
    let over = PAST.iter().any(|w| sentence_before.contains(w));
    let whole = &folded[sentence];
    !over || GOING_ON.iter().any(|w| whole.contains(w))
}

/// Sentence ends: a thing and its event are read within one sentence.
const SENTENCE_ENDS: &[char] = &['.', ';', '!', '?', '。', '；', '！', '？', '\n'];

/// The byte ranges of the sentences of `folded`.
fn sentences(folded: &str) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    let mut start = 0;
    folded
        .char_indices()
        .filter(|(_, c)| SENTENCE_ENDS.contains(c))
        .map(|(i, c)| (i, i + c.len_utf8()))
        .chain(std::iter::once((folded.len(), folded.len())))
        .filter_map(move |(end, next)| {
            let range = start..end;
            start = next;
            (range.start < range.end).then_some(range)
        })
}

/// The sentence of `folded` that holds byte `at`.
fn sentence_around(folded: &str, at: usize) -> std::ops::Range<usize> {
    sentences(folded)
        .find(|s| s.start <= at && at < s.end)
        .unwrap_or(at..at)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn danger(text: &str) -> Option<Danger> {
        danger_in(text).map(|c| c.danger)
    }

    #[test]
    fn dangers_said_alone_or_as_a_thing_and_its_event() {
        for (text, expected) in [
            ("电梯困人了，里面有两位老人", Danger::LiftEntrapment),
            (
                "3号楼电梯停在两层中间，里面困着一个小孩，快来人",
                Danger::LiftEntrapment,
            ),
            ("我被困在电梯里了！", Danger::LiftEntrapment),
            ("楼道里一股很浓的煤气味", Danger::Gas),
            ("厨房燃气管好像漏气了，味道很大", Danger::Gas),
            ("楼上水管爆了，水从天花板往下流", Danger::BurstPipe),
            ("地下车库爆管，水已经漫到车轮", Danger::BurstPipe),
            ("家里被淹了，水管一直在喷水", Danger::BurstPipe),
            ("5楼走廊着火了，有很多烟", Danger::Fire),
            ("垃圾房冒黑烟", Danger::Fire),
            ("楼道的配电箱冒烟，还有焦味", Danger::Electrical),
            ("卫生间插座打火，小孩碰了一下说麻", Danger::Electrical),
            ("热水器漏电，刚才被电了一下", Danger::Electrical),
            (
                "Someone is trapped in the lift on floor 12",
                Danger::LiftEntrapment,
            ),
            ("I can smell gas in the stairwell", Danger::Gas),
            ("A pipe burst in the car park", Danger::BurstPipe),
            ("The bin room caught fire", Danger::Fire),
        ] {
            assert_eq!(danger(text), Some(expected), "{text}");
        }
    }

    #[test]
    fn no_danger_when_denied_feared_over_or_a_thing() {
        for text in [
            "楼道里没有燃气味了，谢谢",
            "检查过了，没漏电",
            "消防通道被堵，存在火灾隐患",
            "担心电线老化会着火",
            "万一漏电怎么办",
            "漏电保护器经常跳闸",
            "上周电梯困过人，希望加强维保",
            "去年爆过管，至今墙面还有水渍",
            "燃气费收得太高了",
            "电梯经常坏，等了很久",
            "电梯经常困人，希望换新电梯",
            "旁边工厂天天冒黑烟",
            "化工厂排放浓烟",
            "小区喷水池坏了",
            "附近城中村焚烧垃圾，浓烟飘入小区",
            "车库里一旦起火后果不堪设想",
            "孔明灯掉在车棚上差点着火",
            "灭火器过期了",
            "消防演练太吵",
            "小区绿化太少，规划和宣传的不一样",
            "物业费涨价没有公示",
            "The fire door is propped open",
            "There is a fire door that does not close",
            "There is no gas leak any more",
            "The lift is slow",
        ] {
            assert_eq!(danger(text), None, "{text}");
        }
    }

    #[test]
    fn going_on_wins_over_a_past_time() {
        assert_eq!(
            danger("昨天开始到现在一直有煤气味"),
            Some(Danger::Gas),
            "it goes on"
        );
    }

    #[test]
    fn the_words_are_reported_and_codes_round_trip() {
        let cue = danger_in("电梯停了，里面困着人").map(|c| c.words);
        assert_eq!(cue.as_deref(), Some("电梯…困着"));
        for d in Danger::ALL {
            assert_eq!(Danger::parse(d.code()), Some(d));
            assert!(!d.label(Lang::Zh).is_empty() && !d.advice(Lang::En).is_empty());
        }
    }
}
