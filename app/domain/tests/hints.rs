//! Severity cues from the text, the severity preview, FAQ matching and the one-call hint
//! (issue "Instant category hints"; domain.md "Severity", "Self-service").

use domain::grading::{GradingPolicy, IntakeFacts};
use domain::hints::{
    hint, match_faq, preview_level, text_cues, FaqEntry, FaqIndex, TextCues, WHOLE_BUILDING_PEOPLE,
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
        ("再不解决就发抖音曝光你们", &[Media]),
        ("不想找媒体，只想尽快修好", &[]),
        ("我们没有联系记者", &[]),
        ("保安在岗亭开着抖音外放", &[]),
        ("业主们准备拉横幅维权", &[Protest]),
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
fn the_preview_combines_the_form_with_the_text_and_never_lowers_the_form() {
    let policy = GradingPolicy::default();
    let routine = IntakeFacts::default();
    let g = preview_level("我们10户业主联名投诉屋面漏水", &routine, &policy);
    assert_eq!(g.level, Level::One);
    assert_eq!(g.reasons[0].rule, Rule::GroupOfTen);

    let g = preview_level("窗户关不严", &routine, &policy);
    assert_eq!(g.level, Level::Two);

    let ticked = IntakeFacts {
        flags: [RiskFlag::Media].into(),
        ..IntakeFacts::default()
    };
    let g = preview_level("不想找媒体，柜门有划痕", &ticked, &policy);
    assert_eq!(g.level, Level::One, "the owner's tick stands");

    assert_eq!(
        preview_level("物业费太贵", &routine, &policy).level,
        Level::Four
    );
}

#[test]
fn cues_combined_with_a_form_take_the_larger_of_each_fact() {
    let cues = TextCues {
        people_count: 4,
        amount_fen: 50_000,
        impact: Impact::Cosmetic,
        ..TextCues::default()
    };
    let form = IntakeFacts {
        people_count: 12,
        impact: Impact::Impaired,
        ..IntakeFacts::default()
    };
    let facts = cues.combined_with(&form);
    assert_eq!(facts.people_count, 12);
    assert_eq!(facts.claimed_amount_fen, 50_000);
    assert_eq!(facts.impact, Impact::Impaired);
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
        &IntakeFacts::default(),
        &index,
        &GradingPolicy::default(),
    );
    assert!(matches!(
        h.category.category,
        Some(Category::EngineeringQuality | Category::RepairService)
    ));
    assert_eq!(h.grade.level, Level::Two);
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
    fn numbers_and_units_never_overflow(digits in "[0-9,.]{1,40}", unit in "[元块万千w户位]") {
        let text = format!("我们赔偿损失{digits}{unit}");
        let _ = text_cues(&text);
    }
}
