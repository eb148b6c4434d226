//! The guided complaint form (rules.md "The guided form"): the owner starts from their own
//! words (a topic such as "家里需要维修"), not from the eight internal categories, and is
//! asked a few questions that fit the category, defined here once so that the browser module,
//! the server's no-script page and the agents' intake page ask the same.
//!
//! - A [`Topic`] maps to the categories it may mean; the category hint chooses among them,
//!   otherwise the first is taken. The "something else" topic leaves the choice to the hint.
//! - Each category has a short list of [`Question`]s, all optional; a yes/no question may
//!   have follow-ups asked only on "yes".
//! - [`Answers::parse`] keeps the answers that belong to the chosen category (an owner who
//!   changed category leaves the other answers behind), checks choices and lengths, and
//!   reports every problem at once under the field `answer_<key>`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::fields::FieldError;
use crate::hints::CategoryHint;
use crate::lang::Lang;
use crate::vocab::Category;

/// Where the browser keeps the form typed so far (the complaint form's module writes it, the
/// tracking page a filing lands on removes it).
pub const DRAFT_STORAGE_KEY: &str = "portal.complaint-draft";

/// What the owner says the problem is about, in their words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Topic {
    /// The wire code (snake_case).
    pub code: &'static str,
    /// How the owner would say it.
    pub zh: &'static str,
    /// The same in English.
    pub en: &'static str,
    /// Examples under the label.
    pub examples_zh: &'static str,
    /// The examples in English.
    pub examples_en: &'static str,
    /// The categories it may mean, the likeliest first; empty for "something else".
    pub categories: &'static [Category],
}

use Category::*;

/// Every topic, in the order the form shows them.
pub const TOPICS: &[Topic] = &[
    Topic {
        code: "home_repair",
        zh: "家里需要维修",
        en: "Something at home needs repair",
        examples_zh: "水电、门锁、报修没人来",
        examples_en: "plumbing, power, locks, a repair nobody came for",
        categories: &[RepairService, EngineeringQuality],
    },
    Topic {
        code: "house_quality",
        zh: "房屋质量",
        en: "Quality of the building",
        examples_zh: "漏水、裂缝、渗水、门窗",
        examples_en: "leaks, cracks, seepage, doors and windows",
        categories: &[EngineeringQuality, RepairService],
    },
    Topic {
        code: "common_areas",
        zh: "公共区域/设施",
        en: "Shared areas and facilities",
        examples_zh: "电梯、楼道、照明、消防通道",
        examples_en: "lifts, stairwells, lighting, fire exits",
        categories: &[PropertyManagement, RepairService, EngineeringQuality],
    },
    Topic {
        code: "fees_service",
        zh: "物业服务与收费",
        en: "Property services and fees",
        examples_zh: "物业费、保洁、安保、停水停电",
        examples_en: "fees, cleaning, security, water or power cut",
        categories: &[PropertyManagement],
    },
    Topic {
        code: "parking",
        zh: "停车",
        en: "Parking",
        examples_zh: "车位被占、停车收费、车位捆绑销售",
        examples_en: "space taken, parking fees, spaces sold with flats",
        categories: &[PropertyManagement, SalesManagement],
    },
    Topic {
        code: "noise_environment",
        zh: "噪音与环境",
        en: "Noise and surroundings",
        examples_zh: "装修噪音、宠物、周边工地、异味",
        examples_en: "renovation noise, pets, building sites nearby, smells",
        categories: &[PropertyManagement, ExternalEnvironment],
    },
    Topic {
        code: "staff_conduct",
        zh: "工作人员态度",
        en: "How staff behaved",
        examples_zh: "态度差、推诿、不作为",
        examples_en: "rude, passing the buck, doing nothing",
        categories: &[ServiceConduct],
    },
    Topic {
        code: "purchase_delivery",
        zh: "买房/合同/交付",
        en: "Purchase, contract, handover",
        examples_zh: "交房延期、承诺未兑现、房产证",
        examples_en: "late handover, promises not kept, property certificate",
        categories: &[SalesManagement, PlanningDesign],
    },
    Topic {
        code: "layout_design",
        zh: "户型与规划",
        en: "Layout and planning",
        examples_zh: "规划变更、绿化减少、户型设计",
        examples_en: "plan changes, less green space, flat layout",
        categories: &[PlanningDesign],
    },
    Topic {
        code: "shops_leasing",
        zh: "商铺/租赁",
        en: "Shops and leasing",
        examples_zh: "租金、押金、招商",
        examples_en: "rent, deposits, tenant recruitment",
        categories: &[LeasingCommercial, SalesManagement],
    },
    Topic {
        code: "other",
        zh: "其他/不确定",
        en: "Something else / not sure",
        examples_zh: "写下情况，我们帮您归类",
        examples_en: "describe it and we will sort it",
        categories: &[],
    },
];

impl Topic {
    /// The topic with this code.
    pub fn parse(code: &str) -> Option<&'static Topic> {
        TOPICS.iter().find(|t| t.code == code.trim())
    }

    /// The label in `lang`.
    pub fn label(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.zh,
            Lang::En => self.en,
        }
    }

    /// The examples in `lang`.
    pub fn examples(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.examples_zh,
            Lang::En => self.examples_en,
        }
    }

    /// The category this topic means, given what the text suggests: the hint's guess when
    /// it is one of the topic's categories (or any guess for "something else"), else the
    /// topic's likeliest. `None` only for "something else" with no confident guess.
    pub fn category(&self, hint: &CategoryHint) -> Option<Category> {
        match hint.category {
            Some(c) if self.categories.is_empty() || self.categories.contains(&c) => Some(c),
            _ => self.categories.first().copied(),
        }
    }
}

/// How a question is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A short text, at most this many characters.
    Text(usize),
    /// One of these choices.
    Choice(&'static [Choice]),
}

/// One choice of a [`Kind::Choice`] question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Choice {
    /// The stored code.
    pub code: &'static str,
    /// 中文.
    pub zh: &'static str,
    /// English.
    pub en: &'static str,
}

impl Choice {
    /// The label in `lang`.
    pub fn label(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.zh,
            Lang::En => self.en,
        }
    }
}

/// A question of the guided form. Every question is optional.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Question {
    /// The stored key (snake_case), also the form field `intake[answers][<key>]`.
    pub key: &'static str,
    /// The question in Chinese.
    pub zh: &'static str,
    /// The question in English.
    pub en: &'static str,
    /// A placeholder or example, in Chinese (may be empty).
    pub example_zh: &'static str,
    /// The example in English (may be empty).
    pub example_en: &'static str,
    /// How it is answered.
    pub kind: Kind,
    /// Asked only when this question is answered "yes".
    pub follow_ups: &'static [Question],
}

impl Question {
    /// The question in `lang`.
    pub fn label(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.zh,
            Lang::En => self.en,
        }
    }

    /// The example in `lang`.
    pub fn example(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.example_zh,
            Lang::En => self.example_en,
        }
    }

    /// This question, then its follow-ups, in the order asked.
    pub fn with_follow_ups(&'static self) -> impl Iterator<Item = &'static Question> {
        std::iter::once(self).chain(self.follow_ups)
    }

    /// The form's error and echo name for this question.
    pub fn field(&self) -> String {
        format!("answer_{}", self.key)
    }

    /// The label of a stored answer: a choice's label, or the text as typed.
    pub fn answer_label(&self, value: &str, lang: Lang) -> String {
        match self.kind {
            Kind::Choice(choices) => choices
                .iter()
                .find(|c| c.code == value)
                .map_or_else(|| value.to_owned(), |c| c.label(lang).to_owned()),
            Kind::Text(_) => value.to_owned(),
        }
    }
}

const fn text(
    key: &'static str,
    zh: &'static str,
    en: &'static str,
    example_zh: &'static str,
    example_en: &'static str,
    max: usize,
) -> Question {
    Question {
        key,
        zh,
        en,
        example_zh,
        example_en,
        kind: Kind::Text(max),
        follow_ups: &[],
    }
}

const fn choice(
    key: &'static str,
    zh: &'static str,
    en: &'static str,
    choices: &'static [Choice],
) -> Question {
    Question {
        key,
        zh,
        en,
        example_zh: "",
        example_en: "",
        kind: Kind::Choice(choices),
        follow_ups: &[],
    }
}

const fn c(code: &'static str, zh: &'static str, en: &'static str) -> Choice {
    Choice { code, zh, en }
}

/// The answer that opens a question's follow-ups.
pub const YES: &str = "yes";
const YES_NO: &[Choice] = &[c(YES, "是", "Yes"), c("no", "否", "No")];

const WHERE_HOME: Question = choice(
    "where_home",
    "问题在家里哪个位置？",
    "Where in your home?",
    &[
        c("kitchen", "厨房", "Kitchen"),
        c("bathroom", "卫生间", "Bathroom"),
        c("rooms", "客厅/卧室", "Living room / bedroom"),
        c("balcony", "阳台", "Balcony"),
        c("doors_windows", "门窗", "Doors / windows"),
        c("walls_ceiling", "墙面/天花板", "Walls / ceiling"),
        c("elsewhere", "其他位置", "Elsewhere"),
    ],
);
const SINCE: Question = text(
    "since",
    "从什么时候开始的？",
    "Since when?",
    "如：上周三、三天前",
    "e.g. last Wednesday, three days ago",
    40,
);
const GETTING_WORSE: Question = choice(
    "getting_worse",
    "情况在变严重吗？",
    "Is it getting worse?",
    &[
        c("worse", "越来越严重", "Getting worse"),
        c("same", "没有变化", "No change"),
        c("better", "有所好转", "Getting better"),
        c("unsure", "不确定", "Not sure"),
    ],
);
const ENTRY: Question = choice(
    "entry",
    "您不在家时，维修人员可以进门吗？",
    "May the repair team enter when you are out?",
    &[
        c(
            "escorted",
            "可以，由物业人员陪同",
            "Yes, escorted by property staff",
        ),
        c("when_home", "只在我在家时", "Only when I am at home"),
        c(
            "call_first",
            "请先打电话约时间",
            "Please call first to arrange",
        ),
    ],
);
const REPORTED_BEFORE: Question = Question {
    follow_ups: &[text(
        "reported_ref",
        "什么时候、向谁反映的？有单号请写上",
        "When and to whom? Add the reference if you have one",
        "如：11月20日打客服电话，单号 BX1234",
        "e.g. called the service desk on 20 Nov, ref BX1234",
        80,
    )],
    ..choice(
        "reported_before",
        "之前报修或反映过吗？",
        "Have you reported it before?",
        YES_NO,
    )
};
const WHERE_COMMUNITY: Question = text(
    "where_community",
    "具体在哪个位置？",
    "Where in the community?",
    "如：3栋电梯、东门车库入口",
    "e.g. building 3 lift, east gate car park entrance",
    60,
);
const FEE_RELATED: Question = Question {
    follow_ups: &[
        text(
            "fee_period",
            "哪一期的账单？",
            "Which bill period?",
            "如：2026年第三季度",
            "e.g. third quarter of 2026",
            40,
        ),
        text(
            "fee_amount",
            "有疑问的金额（元）",
            "The amount in question (yuan)",
            "如：1280",
            "e.g. 1280",
            20,
        ),
    ],
    ..choice(
        "fee_related",
        "与物业费或其他收费有关吗？",
        "Is it about the property fee or another charge?",
        YES_NO,
    )
};
const WHEN_HAPPENED: Question = text(
    "when_happened",
    "什么时候发生的？",
    "When did it happen?",
    "如：12月3日上午10点左右",
    "e.g. 3 Dec, around 10 am",
    40,
);
const WHERE_HAPPENED: Question = text(
    "where_happened",
    "在哪里发生的？",
    "Where did it happen?",
    "如：物业服务中心前台",
    "e.g. the service centre front desk",
    60,
);
const STAFF_MEMBER: Question = text(
    "staff_member",
    "涉及的工作人员（知道的话写姓名、工号或岗位）",
    "The staff member, if you know (name, number or post)",
    "如：保安，工号 023",
    "e.g. security guard, no. 023",
    60,
);
const CONTRACT_NUMBER: Question = text(
    "contract_number",
    "合同编号（如有）",
    "Contract number (if any)",
    "",
    "",
    40,
);
const PROMISED: Question = text(
    "promised",
    "当初承诺的是什么？",
    "What was promised?",
    "如：售楼书写明赠送入户花园",
    "e.g. the brochure promised a garden terrace",
    200,
);
const DELIVERED: Question = text(
    "delivered",
    "实际交付或现在的情况是什么？",
    "What was delivered, or what is it like now?",
    "如：交房时改成了封闭阳台",
    "e.g. handed over as an enclosed balcony",
    200,
);
const DESIGN_WHAT: Question = choice(
    "design_what",
    "涉及哪方面的设计？",
    "Which part of the design?",
    &[
        c("layout", "户型", "Flat layout"),
        c("common_spaces", "公共区域", "Shared spaces"),
        c("green_space", "绿化", "Green space"),
        c("parking_spaces", "车位", "Parking spaces"),
        c("plan_change", "规划变更", "A change of plan"),
        c("elsewhere", "其他", "Other"),
    ],
);
const SHOP_UNIT: Question = text(
    "shop_unit",
    "商铺号",
    "Shop unit",
    "如：S1-105",
    "e.g. S1-105",
    40,
);
const LEASE_ISSUE: Question = choice(
    "lease_issue",
    "主要是哪方面的问题？",
    "What is it mainly about?",
    &[
        c("rent", "租金", "Rent"),
        c("deposit", "押金", "Deposit"),
        c("terms", "合同条款", "Lease terms"),
        c("staff", "招商或租赁人员", "Leasing staff"),
        c("elsewhere", "其他", "Other"),
    ],
);
const SOURCE_OUTSIDE: Question = text(
    "source",
    "来源是什么？",
    "Where does it come from?",
    "如：北侧工地、高架桥、市政停水",
    "e.g. the building site to the north, the flyover, a municipal water cut",
    60,
);
const WHEN_OCCURS: Question = choice(
    "when_occurs",
    "通常在什么时间？",
    "When does it usually happen?",
    &[
        c("day", "白天", "Daytime"),
        c("night", "夜间", "At night"),
        c("all_day", "全天", "All day"),
        c("irregular", "不定时", "Irregularly"),
    ],
);

/// The questions asked for a category, in the order asked (follow-ups under their question).
pub fn questions(category: Category) -> &'static [Question] {
    match category {
        RepairService => &[WHERE_HOME, SINCE, REPORTED_BEFORE, GETTING_WORSE, ENTRY],
        EngineeringQuality => &[WHERE_HOME, SINCE, GETTING_WORSE, ENTRY],
        PropertyManagement => &[WHERE_COMMUNITY, SINCE, FEE_RELATED],
        ServiceConduct => &[WHEN_HAPPENED, WHERE_HAPPENED, STAFF_MEMBER],
        SalesManagement => &[CONTRACT_NUMBER, PROMISED, DELIVERED],
        PlanningDesign => &[DESIGN_WHAT, PROMISED, DELIVERED],
        LeasingCommercial => &[SHOP_UNIT, LEASE_ISSUE, CONTRACT_NUMBER],
        ExternalEnvironment => &[SOURCE_OUTSIDE, WHEN_OCCURS, SINCE],
    }
}

/// Every distinct question (its follow-ups in [`Question::follow_ups`]), each with the
/// categories that ask it: the form renders each once.
pub fn all_questions() -> Vec<(&'static Question, Vec<Category>)> {
    let mut out: Vec<(&'static Question, Vec<Category>)> = Vec::new();
    for &category in Category::ALL {
        for q in questions(category) {
            match out.iter_mut().find(|(known, _)| known.key == q.key) {
                Some((_, categories)) => categories.push(category),
                None => out.push((q, vec![category])),
            }
        }
    }
    out
}

/// Finds a question (or follow-up) of `category` by key, with the question it follows.
fn find(category: Category, key: &str) -> Option<(&'static Question, Option<&'static Question>)> {
    questions(category).iter().find_map(|q| {
        if q.key == key {
            Some((q, None))
        } else {
            q.follow_ups
                .iter()
                .find(|f| f.key == key)
                .map(|f| (f, Some(q)))
        }
    })
}

/// The owner's answers to the guided questions, keyed by question, as stored.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Answers(BTreeMap<String, String>);

impl Answers {
    /// Keeps the answers that belong to `category` (a follow-up only when its question was
    /// answered "yes"), trimmed, empty ones left out; a choice that is not one of the
    /// question's, or a text over its length, is reported under `answer_<key>`.
    pub fn parse(
        category: Category,
        raw: &BTreeMap<String, String>,
    ) -> Result<Answers, Vec<FieldError>> {
        let mut kept = BTreeMap::new();
        let mut errors = Vec::new();
        for (key, value) in raw {
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            let Some((question, follows)) = find(category, key) else {
                continue;
            };
            if let Some(parent) = follows {
                if raw.get(parent.key).map(|v| v.trim()) != Some(YES) {
                    continue;
                }
            }
            match question.kind {
                Kind::Choice(choices) if !choices.iter().any(|c| c.code == value) => {
                    errors.push(FieldError::new(
                        &question.field(),
                        "请从选项中选择",
                        "Please choose one of the options",
                    ));
                }
                Kind::Text(max) if value.chars().count() > max => {
                    let len = value.chars().count();
                    errors.push(FieldError::new(
                        &question.field(),
                        format!("最多{max}个字（当前{len}个）"),
                        format!("At most {max} characters (now {len})"),
                    ));
                }
                _ => {
                    kept.insert(question.key.to_owned(), value.to_owned());
                }
            }
        }
        if errors.is_empty() {
            Ok(Answers(kept))
        } else {
            Err(errors)
        }
    }

    /// No answer given.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The stored answer to `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).map(String::as_str)
    }

    /// The answers as people read them, in the order asked: (question, answer). Answers to
    /// questions `category` does not ask (the category changed since) come last, by key.
    pub fn shown(&self, category: Category, lang: Lang) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut seen = Vec::new();
        for q in questions(category) {
            for q in q.with_follow_ups() {
                if let Some(value) = self.get(q.key) {
                    out.push((q.label(lang).to_owned(), q.answer_label(value, lang)));
                    seen.push(q.key);
                }
            }
        }
        for (key, value) in &self.0 {
            if !seen.contains(&key.as_str()) {
                let question = Category::ALL.iter().find_map(|&c| find(c, key));
                match question {
                    Some((q, _)) => {
                        out.push((q.label(lang).to_owned(), q.answer_label(value, lang)))
                    }
                    None => out.push((key.clone(), value.clone())),
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn topic_codes_and_question_keys_are_unique() {
        let mut codes: Vec<_> = TOPICS.iter().map(|t| t.code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), TOPICS.len());
        // A key means one question wherever it is asked.
        let all = all_questions();
        for (q, _) in &all {
            for &category in Category::ALL {
                if let Some((found, _)) = find(category, q.key) {
                    assert_eq!(found, *q, "{} differs between categories", q.key);
                }
            }
        }
        for &category in Category::ALL {
            assert!(!questions(category).is_empty(), "{category} asks nothing");
        }
    }

    #[test]
    fn every_category_is_reachable_from_a_topic() {
        for &category in Category::ALL {
            assert!(
                TOPICS.iter().any(|t| t.categories.contains(&category)),
                "no topic leads to {category}"
            );
        }
    }

    #[test]
    fn a_topic_takes_the_hint_when_it_fits_and_its_own_first_category_otherwise() {
        let hint = |c: Option<Category>| CategoryHint {
            category: c,
            confidence: if c.is_some() { 0.9 } else { 0.0 },
            alternatives: Vec::new(),
        };
        let noise = Topic::parse("noise_environment").unwrap();
        assert_eq!(
            noise.category(&hint(Some(ExternalEnvironment))),
            Some(ExternalEnvironment)
        );
        assert_eq!(
            noise.category(&hint(Some(ServiceConduct))),
            Some(PropertyManagement)
        );
        assert_eq!(noise.category(&hint(None)), Some(PropertyManagement));
        let other = Topic::parse("other").unwrap();
        assert_eq!(
            other.category(&hint(Some(SalesManagement))),
            Some(SalesManagement)
        );
        assert_eq!(other.category(&hint(None)), None);
        assert_eq!(Topic::parse("nonsense"), None);
    }

    #[test]
    fn answers_keep_only_the_categorys_questions_and_opened_follow_ups() {
        let answers = Answers::parse(
            RepairService,
            &raw(&[
                ("where_home", "bathroom"),
                ("since", "  三天前 "),
                ("reported_before", "no"),
                ("reported_ref", "单号 1"),
                ("promised", "asked by another category"),
                ("getting_worse", ""),
                ("unknown", "x"),
            ]),
        )
        .unwrap();
        assert_eq!(answers.get("where_home"), Some("bathroom"));
        assert_eq!(answers.get("since"), Some("三天前"));
        assert_eq!(answers.get("reported_ref"), None, "follow-up of a no");
        assert_eq!(answers.get("promised"), None);
        assert_eq!(answers.get("getting_worse"), None);
        assert_eq!(answers.get("unknown"), None);

        let with_ref = Answers::parse(
            RepairService,
            &raw(&[("reported_before", "yes"), ("reported_ref", "BX1")]),
        )
        .unwrap();
        assert_eq!(with_ref.get("reported_ref"), Some("BX1"));
        assert_eq!(
            with_ref.shown(RepairService, Lang::Zh),
            vec![
                ("之前报修或反映过吗？".to_owned(), "是".to_owned()),
                (
                    "什么时候、向谁反映的？有单号请写上".to_owned(),
                    "BX1".to_owned()
                ),
            ]
        );
    }

    #[test]
    fn bad_answers_are_reported_by_question() {
        let errors = Answers::parse(
            PropertyManagement,
            &raw(&[
                ("where_community", &"长".repeat(61)),
                ("fee_related", "maybe"),
            ]),
        )
        .unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field()).collect();
        assert_eq!(fields, vec!["answer_fee_related", "answer_where_community"]);
        assert!(errors[1].message(Lang::Zh).contains("61"));
    }

    #[test]
    fn answers_from_an_earlier_category_are_still_shown() {
        let answers = Answers(raw(&[("where_home", "kitchen"), ("source", "工地")]));
        let shown = answers.shown(ExternalEnvironment, Lang::En);
        assert_eq!(shown[0], ("Where does it come from?".into(), "工地".into()));
        assert_eq!(shown[1], ("Where in your home?".into(), "Kitchen".into()));
    }
}
