//! Severity cues from the text, the severity preview, FAQ matching and the one-call hint
//! (rules.md "Severity", "Self-service", Amendments "Stated facts win"; the cue rules are in
//! app/domain/docs/grading.md, "Text cues").

use std::collections::BTreeSet;

use domain::grading::{GradingPolicy, IntakeFacts, StatedFacts};
use domain::hints::{
    hint, match_faq, preview_level, text_cues, CueFact, FaqEntry, FaqIndex, TextCues,
    WHOLE_BUILDING_PEOPLE,
};
use domain::{Category, Impact, Level, RiskFlag, Rule};
use proptest::prelude::*;

fn flags(text: &str) -> Vec<RiskFlag> {
    text_cues(text).flags.into_iter().collect()
}

#[test]
fn risk_flags_are_read_from_the_text_and_negations_respected() {
    use RiskFlag::*;
    let table: &[(&str, &[RiskFlag])] = &[
        ("我们已经联系了记者", &[Media]),
        // A threat, not yet exposure (rules.md, Amendments: was `media` before).
        ("再不解决就发抖音曝光你们", &[MediaThreat]),
        ("不想找媒体，只想尽快修好", &[]),
        ("我们没有联系记者", &[]),
        ("保安在岗亭开着抖音外放", &[]),
        // Preparing is a threat; the banners are not up (was `protest` before).
        ("业主们准备拉横幅维权", &[MediaThreat]),
        ("我们已经起诉了开发商，法院已立案", &[Litigation]),
        ("再拖下去我就请律师起诉", &[Lawyer]),
        ("并不打算找律师", &[]),
        ("不解决就起诉", &[Lawyer]),
        ("我们不得不请律师了", &[Lawyer]),
        ("已经打了12345，也找了住建局", &[Government]),
        ("我的电话是1234567", &[]),
        ("卫生间漏水", &[]),
    ];
    for (text, want) in table {
        assert_eq!(flags(text), want.to_vec(), "{text}");
    }
}

#[test]
fn people_counts_are_read_only_when_owners_speak_as_a_group() {
    let table: &[(&str, u32)] = &[
        ("我们10户业主联名投诉", 10),
        ("我们楼有十几户都漏水", 11),
        ("我们二十多位业主一起来的", 20),
        ("我们几家商户想一起谈租金", 3),
        ("我们全楼业主都不同意", WHOLE_BUILDING_PEOPLE),
        ("我们楼是两梯四户", 0),
        ("我们被两名保安拦住了", 0),
        ("小区一共三十多户", 0),
        ("我们家是三室两厅的户型", 0),
    ];
    for (text, want) in table {
        assert_eq!(text_cues(text).people_count, *want, "{text}");
    }
}

#[test]
fn claimed_amounts_are_read_only_beside_a_claim_word() {
    let table: &[(&str, u64)] = &[
        ("木地板泡坏了，要求赔偿8000元", 8_000),
        ("设备损失两万多块", 20_000),
        ("请退还¥2,500", 2_500),
        ("装修花了十几万，这个损失谁承担", 110_000),
        ("损失大概3.5万", 35_000),
        ("物业费从每平米2.2元涨到2.8元", 0),
        ("已付房款186万，违约金要按合同给", 0),
        ("物业用维修基金花了40多万", 0),
    ];
    for (text, yuan) in table {
        assert_eq!(text_cues(text).amount_fen, yuan * 100, "{text}");
    }
}

#[test]
fn impact_is_the_most_severe_one_described() {
    let table: &[(&str, Impact)] = &[
        ("顶楼漏得住不了人了", Impact::Severe),
        ("电梯困人，里面有老人", Impact::Severe),
        ("窗边一下雨就渗水", Impact::Impaired),
        ("入户门锁坏了", Impact::Impaired),
        ("柜门有划痕", Impact::Cosmetic),
        ("现在没有漏水了，谢谢", Impact::None),
        ("物业费太贵", Impact::None),
    ];
    for (text, want) in table {
        assert_eq!(text_cues(text).impact, *want, "{text}");
    }
}

#[test]
fn the_preview_fills_what_was_left_out_and_never_overrides_a_stated_fact() {
    let policy = GradingPolicy::default();
    let nothing = StatedFacts::nothing();
    let g = preview_level("我们10户业主联名投诉屋面漏水", &nothing, &policy);
    assert_eq!(g.level, Level::One);
    assert_eq!(g.reasons[0].rule, Rule::GroupOfTen);

    let g = preview_level("窗户关不严", &nothing, &policy);
    assert_eq!(g.level, Level::Two);

    let ticked = StatedFacts {
        flags: Some([RiskFlag::Media].into()),
        ..StatedFacts::default()
    };
    let g = preview_level("不想找媒体，柜门有划痕", &ticked, &policy);
    assert_eq!(g.level, Level::One, "the owner's tick stands");

    assert_eq!(
        preview_level("物业费太贵", &nothing, &policy).level,
        Level::Four
    );
}

#[test]
fn stated_facts_win_and_cues_fill_only_what_was_left_out() {
    // Before the amendment cues were combined by taking the larger of each fact; now a stated
    // fact stands and the text fills only the blanks.
    let cues = TextCues {
        people_count: 4,
        amount_fen: 50_000,
        impact: Impact::Severe,
        flags: [RiskFlag::MediaThreat].into(),
        ..TextCues::default()
    };
    let stated = StatedFacts {
        people_count: Some(2),
        impact: Some(Impact::Impaired),
        flags: Some(BTreeSet::new()),
        ..StatedFacts::default()
    };
    let filled = cues.fill(&stated);
    assert_eq!(filled.facts.people_count, 2);
    assert_eq!(filled.facts.impact, Impact::Impaired);
    assert!(filled.facts.flags.is_empty(), "an empty list states none");
    assert_eq!(filled.facts.claimed_amount_fen, 50_000, "left out: filled");
    let suggested: Vec<CueFact> = filled.suggested.iter().map(|s| s.fact).collect();
    assert_eq!(suggested, [CueFact::Amount(50_000)]);
    let set_aside: Vec<CueFact> = filled.set_aside.iter().map(|s| s.fact).collect();
    assert_eq!(
        set_aside,
        [
            CueFact::Impact(Impact::Severe),
            CueFact::People(4),
            CueFact::Flag(RiskFlag::MediaThreat)
        ]
    );
}

#[test]
fn a_fact_taken_from_the_text_is_offered_with_the_words_that_said_it() {
    let filled = text_cues("记者来了,我们10户业主要求赔偿8000元").fill(&StatedFacts::nothing());
    let questions: Vec<(String, String)> = filled
        .suggested
        .iter()
        .map(|s| (s.question().zh, s.question().en))
        .collect();
    assert_eq!(
        questions,
        [
            (
                "文字中提到“10户”：共10人一起投诉，是否属实？".to_owned(),
                "Your text mentions “10户” (10 people complaining together): is that right?"
                    .to_owned()
            ),
            (
                "文字中提到“8000元”：涉及金额¥8,000，是否属实？".to_owned(),
                "Your text mentions “8000元” (amount involved ¥8,000): is that right?".to_owned()
            ),
            (
                "文字中提到“记者来了”：已联系媒体/网络曝光，是否属实？".to_owned(),
                "Your text mentions “记者来了” (Media contacted): is that right?".to_owned()
            ),
        ]
    );
    let leak = text_cues("阳台角落有点渗水的痕迹").fill(&StatedFacts::nothing());
    assert_eq!(
        leak.suggested[0].question().zh,
        "文字中提到“有点渗水的痕迹”：影响程度为“仅影响外观或轻微不便”，是否属实？"
    );
}

#[test]
fn media_that_came_or_was_posted_is_media_and_a_threat_of_it_is_a_threat() {
    use RiskFlag::{Media, MediaThreat};
    let table: &[(&str, &[RiskFlag])] = &[
        ("记者来了", &[Media]),
        ("记者今天来采访了", &[Media]),
        ("昨天记者已经来小区采访过一次", &[Media]),
        ("我已经发了抖音", &[Media]),
        ("这件事上了热搜", &[Media]),
        ("媒体报道了这件事", &[Media]),
        ("此事已被媒体报道", &[Media]),
        ("视频已曝光", &[Media]),
        ("物业一直没人管,我们就找了媒体", &[Media]),
        ("要曝光你们", &[MediaThreat]),
        ("再不解决我就去找媒体曝光", &[MediaThreat]),
        ("不解决就曝光", &[MediaThreat]),
        ("我要发到网上让大家看看", &[MediaThreat]),
        ("如果下周还不修好,我们就联系电视台", &[MediaThreat]),
        ("记者说要来", &[MediaThreat]),
        ("可能引发法律诉讼或被媒体曝光", &[MediaThreat]),
        ("我们担心质量问题,已经找了媒体", &[Media]),
        ("我们考虑找记者", &[MediaThreat]),
        // Both: what happened says more than the threat.
        ("我们已经联系了记者,再不处理就上电视", &[Media]),
    ];
    for (text, want) in table {
        assert_eq!(flags(text), want.to_vec(), "{text}");
    }
}

#[test]
fn weiquan_alone_is_a_threat() {
    for text in ["我要维权", "准备维权", "业主们正在维权", "维权"] {
        assert_eq!(flags(text), [RiskFlag::MediaThreat], "{text}");
    }
    assert_eq!(flags("我们不想维权,只想修好"), []);
}

#[test]
fn a_protest_is_a_protest_only_when_it_happened() {
    use RiskFlag::{MediaThreat, Protest};
    let table: &[(&str, &[RiskFlag])] = &[
        ("业主在售楼处拉横幅", &[Protest]),
        ("今天三十多位业主聚集在物业门口维权", &[Protest]),
        ("昨天业主堵门了", &[Protest]),
        ("我们已经集体上访过", &[Protest]),
        ("业主们准备拉横幅", &[MediaThreat]),
        ("再不解决我们就去堵门", &[MediaThreat]),
        ("明天我们去售楼处静坐", &[MediaThreat]),
        ("没有人拉横幅", &[]),
    ];
    for (text, want) in table {
        assert_eq!(flags(text), want.to_vec(), "{text}");
    }
}

#[test]
fn a_hedge_softens_an_impact_word_by_one_step() {
    let table: &[(&str, Impact)] = &[
        ("阳台角落有点渗水的痕迹", Impact::Cosmetic),
        ("卫生间有点渗水", Impact::Cosmetic),
        ("墙角轻微渗漏", Impact::Cosmetic),
        ("窗台略有渗水", Impact::Cosmetic),
        ("天花板漏了一点水", Impact::Cosmetic),
        ("墙上有渗水的痕迹", Impact::Cosmetic),
        // One step: a hedged hazard still impairs use.
        ("插座有点漏电", Impact::Impaired),
        // 一点都 intensifies, 忽略 is no hedge.
        ("一点都不能住", Impact::Severe),
        ("物业忽略了漏水问题", Impact::Impaired),
    ];
    for (text, want) in table {
        assert_eq!(text_cues(text).impact, *want, "{text}");
    }
}

#[test]
fn a_negated_impact_word_is_no_impact_and_no_effect_on_use_caps_it() {
    let table: &[(&str, Impact)] = &[
        ("没有漏水", Impact::None),
        ("修好以后没有再漏水", Impact::None),
        ("并未渗水", Impact::None),
        ("现在不漏了", Impact::None),
        ("上周又漏了", Impact::Impaired),
        ("卫生间的东西遗漏了", Impact::None),
        // 不断/不停 start other words: it leaks all the time.
        ("水管不断渗水", Impact::Impaired),
        ("屋顶不停漏雨", Impact::Impaired),
        ("不到一年就漏水", Impact::Impaired),
        ("墙上有裂缝,不影响使用", Impact::Cosmetic),
        ("漏水没有影响到楼下", Impact::Impaired),
    ];
    for (text, want) in table {
        assert_eq!(text_cues(text).impact, *want, "{text}");
    }
}

fn faq() -> Vec<FaqEntry> {
    let entry = |id, title: &str, keywords: &str| FaqEntry {
        id,
        title: title.into(),
        keywords: keywords.into(),
    };
    vec![
        entry(
            1,
            "卫生间漏水怎么办",
            "漏水 渗水 楼上漏水 防水层 天花板 报修流程 保修期内免费维修",
        ),
        entry(
            2,
            "物业费的收费标准",
            "物业费 收费标准 每平米 公示 缴费方式 APP缴费",
        ),
        entry(
            3,
            "电梯困人应急处理",
            "电梯 困人 被困 应急 救援电话 维保单位",
        ),
        entry(
            4,
            "如何在APP上报修",
            "APP 报修 上传照片 维修进度 预约上门时间",
        ),
        entry(5, "房产证办理进度", "房产证 不动产证 办证 交房 开发商 税费"),
    ]
}

#[test]
fn a_leak_text_finds_the_leak_article_first() {
    let found = match_faq("卫生间天花板漏水好几天了，楼上也不管", &faq(), 3);
    assert_eq!(found.first().map(|m| m.id), Some(1), "{found:?}");
}

#[test]
fn unrelated_text_matches_no_article() {
    for text in ["今天天气不错", "你好", "", "我要投诉"] {
        assert!(match_faq(text, &faq(), 3).is_empty(), "{text}");
    }
}

#[test]
fn english_words_match_and_results_are_limited_and_best_first() {
    let found = match_faq("怎么在app上报修？维修进度在哪看", &faq(), 3);
    assert_eq!(found.first().map(|m| m.id), Some(4), "{found:?}");
    assert!(found.len() <= 3);
    assert!(found.windows(2).all(|w| w[0].score >= w[1].score));
    assert!(match_faq("卫生间漏水", &faq(), 0).is_empty());
    assert!(match_faq("卫生间漏水", &[], 3).is_empty());
}

#[test]
fn a_title_match_outranks_the_same_words_in_keywords() {
    let entries = vec![
        FaqEntry {
            id: 1,
            title: "停车位租赁".into(),
            keywords: "地下车库 月租 门禁卡".into(),
        },
        FaqEntry {
            id: 2,
            title: "地下车库管理".into(),
            keywords: "停车位租赁 月租 门禁卡".into(),
        },
    ];
    let found = match_faq("停车位租赁的月租", &entries, 2);
    assert_eq!(found.first().map(|m| m.id), Some(1), "{found:?}");
}

#[test]
fn one_hint_call_gives_category_level_and_faq() {
    let index = FaqIndex::new(&faq());
    let h = hint(
        "卫生间天花板漏水，我们5户业主都这样，已经打了12345",
        &StatedFacts::nothing(),
        &IntakeFacts::default(),
        &index,
        &GradingPolicy::default(),
    );
    assert!(matches!(
        h.category.category,
        Some(Category::EngineeringQuality | Category::RepairService)
    ));
    assert_eq!(h.grade.level, Level::Two);
    let suggested: Vec<CueFact> = h.suggested.iter().map(|s| s.fact).collect();
    assert_eq!(
        suggested,
        [
            CueFact::Impact(Impact::Impaired),
            CueFact::People(5),
            CueFact::Flag(RiskFlag::Government)
        ]
    );
    assert_eq!(h.faq.first().map(|m| m.id), Some(1));
    assert!(h.faq.len() <= 3);
}

proptest! {
    #[test]
    fn cues_and_faq_never_panic_on_any_text(text in "\\PC{0,200}") {
        let cues = text_cues(&text);
        let _ = cues.facts();
        let found = FaqIndex::new(&faq()).matches(&text, 3);
        prop_assert!(found.len() <= 3);
        prop_assert!(found.iter().all(|m| m.score > 0.0 && m.score <= 1.0 + 1e-6));
    }

    #[test]
    fn filling_never_changes_a_stated_fact(
        text in "(记者来了|不解决就曝光|维权|拉横幅|泡水|有点渗水|我们10户业主|赔偿2万元|已经起诉|12345|不|,|漏水|\\PC){0,12}",
        impact in prop::option::of(prop::sample::select(Impact::ALL.to_vec())),
        amount in prop::option::of(0u64..3_000_000),
        people in prop::option::of(0u32..30),
        flags in prop::option::of(prop::collection::btree_set(
            prop::sample::select(RiskFlag::ALL.to_vec()), 0..3)),
    ) {
        let stated = StatedFacts { impact, amount_fen: amount, people_count: people, flags };
        let filled = text_cues(&text).fill(&stated);
        if let Some(i) = stated.impact {
            prop_assert_eq!(filled.facts.impact, i);
        }
        if let Some(a) = stated.amount_fen {
            prop_assert_eq!(filled.facts.claimed_amount_fen, a);
        }
        if let Some(n) = stated.people_count {
            prop_assert_eq!(filled.facts.people_count, n.max(1));
        }
        if let Some(f) = &stated.flags {
            prop_assert_eq!(&filled.facts.flags, f);
        }
        // What was applied from the text is exactly what was left out.
        for s in &filled.suggested {
            let left_out = match s.fact {
                CueFact::Impact(_) => stated.impact.is_none(),
                CueFact::Amount(_) => stated.amount_fen.is_none(),
                CueFact::People(_) => stated.people_count.is_none(),
                CueFact::Flag(_) => stated.flags.is_none(),
            };
            prop_assert!(left_out, "{:?}", s);
            prop_assert!(!s.words.is_empty(), "{:?}", s);
        }
    }

    #[test]
    fn numbers_and_units_never_overflow(digits in "[0-9,.]{1,40}", unit in "[元块万千w户位]") {
        let text = format!("我们赔偿损失{digits}{unit}");
        let _ = text_cues(&text);
    }
}
