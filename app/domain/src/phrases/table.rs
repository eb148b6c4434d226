//! The ten phrases never to use in a reply (rules.md "How staff speak", 000 "处理投诉十大禁语",
//! 004), the close variants checked for each, and what to say instead.
//!
//! Precision first: a warning on an innocent sentence teaches agents to click "send anyway".
//! So 我不知道 counts only at the end of a clause ("我不知道。", not "我不知道您是否方便"),
//! 这问题很容易 only as a verdict ("这个问题很简单!", not "这个问题很容易解决,今天就修"), and
//! "不在我们管理范围内", which a reasoned not-valid reply may need, is not flagged.

/// One forbidden phrase: its canonical form, its variants (see `pattern`), a better phrasing.
pub struct Forbidden {
    /// The phrase as the spec lists it.
    pub phrase: &'static str,
    /// Variant patterns.
    pub patterns: &'static [&'static str],
    /// What to say instead (中文).
    pub instead_zh: &'static str,
    /// What to say instead (English).
    pub instead_en: &'static str,
}

/// The ten, in the spec's order.
pub const FORBIDDEN: &[Forbidden] = &[
    Forbidden {
        phrase: "这问题很容易",
        patterns: &[
            "(这|这个|这种|这点)(问题|事|事情|事儿)(很|太|非常|特别|挺|再)(容易|简单)(了|)$",
            "(很|太|这么|那么|多)(简单|容易)的(问题|事|事情|事儿)",
        ],
        instead_zh: "感谢您反映，这个问题我们会认真处理，今天就为您安排。",
        instead_en:
            "Thank you for raising this; we will deal with it properly and arrange it today.",
    },
    Forbidden {
        phrase: "小儿科",
        patterns: &["小儿科"],
        instead_zh: "这个问题对您很重要，我们会认真对待，尽快为您处理。",
        instead_en:
            "We understand this matters to you; we will take it seriously and sort it out soon.",
    },
    Forbidden {
        phrase: "一分钱一分货",
        patterns: &["一分(钱|价钱|价)一分货", "便宜没好货"],
        instead_zh: "我们理解您对质量的关心，会对照合同和标准逐项核实，并把结果告诉您。",
        instead_en:
            "We understand your concern about quality; we will check it against the contract \
                     and the standards and tell you what we find.",
    },
    Forbidden {
        phrase: "绝对你搞错了",
        patterns: &[
            "(绝对|肯定|一定)(是|)你(自己|)(搞|弄|记|看)错了",
            "你(绝对|肯定|一定)(是|)(搞|弄|记|看)错了",
            "你(自己|)(搞|弄)错了",
        ],
        instead_zh: "我们一起再核对一下情况，看看问题出在哪里。",
        instead_en: "Let's go over the details together to see where the problem lies.",
    },
    Forbidden {
        phrase: "绝对不会有这事",
        patterns: &[
            "(绝对|根本|肯定)(不会|不可能)(有|发生|出)这(种|样的|个|)事",
            "不可能(有|发生|出)这(种|样的|个|)事",
            "(绝对|根本)没有这(种|样的|个|)事",
        ],
        instead_zh: "谢谢您告诉我们，我们马上核实您反映的情况，X点前给您答复。",
        instead_en: "Thank you for telling us; we will check what you describe right away and get \
                     back to you by …",
    },
    Forbidden {
        phrase: "这是××部门的事",
        patterns: &[
            "(这|那)(是|归)*部(门|)的事",
            "(这|那)是(开发商|施工方|施工单位|总包|厂家|物业公司)的事",
        ],
        instead_zh: "这个问题由××部门负责，我帮您联系他们并跟进，X点前给您答复。",
        instead_en: "This is handled by the … department; I will contact them for you, follow up \
                     and get back to you by …",
    },
    Forbidden {
        phrase: "与我无关",
        patterns: &[
            "(与|跟|和)我(们|)(无关|没关系|没有关系|不相干)",
            "不关我(们|)(的|)事",
            "关我(们|)(什么|啥)事",
            "不是我(们|)的事",
        ],
        instead_zh: "这件事由我负责跟进，有任何进展我都会及时告诉您。",
        instead_en: "I will take charge of following this up and keep you posted on every step.",
    },
    Forbidden {
        phrase: "我不知道",
        patterns: &["我(们|)(也|)不(知道|清楚)$", "我(哪|怎么)知道"],
        instead_zh: "这个问题我马上帮您确认，X点前给您答复。",
        instead_en: "Let me find out for you and get back to you by …",
    },
    Forbidden {
        phrase: "不归我们管",
        patterns: &[
            "不归我(们|)(物业|)管",
            "(不是|不由)我(们|)(物业|)管的",
            "我(们|)管不(了|着)",
            "我(们|)不管$",
        ],
        instead_zh: "这个问题需要由××单位处理，我帮您联系并跟进结果。",
        instead_en: "This needs to be handled by …; I will contact them for you and follow up on \
                     the outcome.",
    },
    Forbidden {
        phrase: "这是上头的事",
        patterns: &["(这|那|)是(上头|上面|上级|领导)的(事|意思|决定)"],
        instead_zh: "这个问题我会向主管反映，X点前给您答复。",
        instead_en: "I will raise this with my supervisor and get back to you by …",
    },
];
