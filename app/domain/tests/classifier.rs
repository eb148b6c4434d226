//! The category classifier against its held-out split (corpus/README.md) and the behaviour
//! the issue asks for: honest "not sure yet", width- and case-insensitive input.

use domain::classifier::corpus::{split, Example, CLASS_CODES};
use domain::classifier::train::{train, TrainConfig};
use domain::classifier::{classify, Model, MODEL_BYTES};
use domain::hints::suggest;
use domain::Category;
use proptest::prelude::*;

/// The corpus files, embedded so the test needs no working directory.
const FILES: [&str; 8] = [
    include_str!("../corpus/engineering_quality.txt"),
    include_str!("../corpus/planning_design.txt"),
    include_str!("../corpus/sales_management.txt"),
    include_str!("../corpus/property_management.txt"),
    include_str!("../corpus/service_conduct.txt"),
    include_str!("../corpus/repair_service.txt"),
    include_str!("../corpus/leasing_commercial.txt"),
    include_str!("../corpus/external_environment.txt"),
];
const OFF_TOPIC: &str = include_str!("../corpus/_off_topic.txt");

fn corpus() -> (Vec<Example<'static>>, Vec<Example<'static>>) {
    let mut training = Vec::new();
    let mut held_out = Vec::new();
    for (class, file) in FILES.iter().enumerate() {
        let (t, h) = split(class, file);
        training.extend(t);
        held_out.extend(h);
    }
    (training, held_out)
}

#[test]
fn model_classes_are_the_categories_in_spec_order() {
    let codes: Vec<&str> = Category::ALL.iter().map(|c| c.code()).collect();
    assert_eq!(codes, CLASS_CODES);
}

// Measured when the corpus was finalised: top-1 0.952, top-2 0.987 on 399 held-out lines (one
// line is 0.25 points). The floors sit about 3 and 2 points lower: a change that breaks
// features or training fails, a reworded corpus line does not.
#[test]
fn held_out_accuracy_stays_above_its_floor() {
    let (_, held_out) = corpus();
    let (mut top1, mut top2) = (0usize, 0usize);
    for e in &held_out {
        let ranked = classify(e.text).ranked;
        let want = Category::ALL[e.class];
        top1 += usize::from(ranked[0].0 == want);
        top2 += usize::from(ranked[..2].iter().any(|r| r.0 == want));
    }
    let n = held_out.len() as f64;
    let (top1, top2) = (top1 as f64 / n, top2 as f64 / n);
    assert!(top1 >= 0.92, "top-1 {top1:.3} below 0.92");
    assert!(top2 >= 0.97, "top-2 {top2:.3} below 0.97");
}

// Measured: 99.3% of off-topic lines and 6.8% of held-out complaints are "not sure yet".
#[test]
fn off_topic_text_is_not_sure_yet_while_complaints_get_a_category() {
    let off: Vec<&str> = OFF_TOPIC.lines().collect();
    let unsure = off.iter().filter(|l| suggest(l).category.is_none()).count();
    assert!(
        unsure as f64 / off.len() as f64 >= 0.95,
        "{unsure}/{}",
        off.len()
    );
    let (_, held_out) = corpus();
    let unsure = held_out
        .iter()
        .filter(|e| suggest(e.text).category.is_none())
        .count();
    assert!(unsure as f64 / held_out.len() as f64 <= 0.12, "{unsure}");
}

#[test]
fn training_is_deterministic_and_the_build_embedded_exactly_that_model() {
    let (training, _) = corpus();
    let once = train(&training, &TrainConfig::default());
    let again = train(&training, &TrainConfig::default());
    assert_eq!(once, again);
    assert!(once == MODEL_BYTES, "build.rs trained on something else");
}

#[test]
fn truncated_or_foreign_model_bytes_are_rejected() {
    assert!(Model::parse(MODEL_BYTES).is_some());
    assert!(Model::parse(&MODEL_BYTES[..MODEL_BYTES.len() - 1]).is_none());
    assert!(Model::parse(b"not a model").is_none());
    assert!(Model::parse(&[]).is_none());
}

#[test]
fn a_leak_suggests_engineering_quality_or_repair_service() {
    for text in [
        "卫生间天花板漏水好几天了",
        "楼上卫生间往我家渗水，墙面都湿了",
        "窗户一下雨就漏水",
    ] {
        let category = suggest(text).category;
        assert!(
            matches!(
                category,
                Some(Category::EngineeringQuality | Category::RepairService)
            ),
            "{text}: {category:?}"
        );
    }
}

#[test]
fn each_category_is_recognised_in_a_plain_complaint() {
    for (text, want) in [
        ("新房客厅墙面出现好几条裂缝", Category::EngineeringQuality),
        ("楼间距比宣传时规划的小了一半", Category::PlanningDesign),
        ("交房拖了半年，违约金什么时候给", Category::SalesManagement),
        (
            "物业费涨价了也不公示，停车位也不够",
            Category::PropertyManagement,
        ),
        ("前台客服态度恶劣，还骂人", Category::ServiceConduct),
        ("报修三次了还没人来修", Category::RepairService),
        (
            "商铺租金一年涨了三成，押金也不退",
            Category::LeasingCommercial,
        ),
        ("隔壁工地半夜还在打桩施工", Category::ExternalEnvironment),
    ] {
        assert_eq!(suggest(text).category, Some(want), "{text}");
    }
}

#[test]
fn greetings_tests_and_fragments_are_not_sure_yet() {
    for text in [
        "", "你好", "测试", "漏水", "???", "hello", "asdfgh", "1234567",
    ] {
        assert_eq!(suggest(text).category, None, "{text:?}");
        assert!(suggest(text).alternatives.is_empty());
    }
}

#[test]
fn full_width_half_width_and_letter_case_give_the_same_hint() {
    for (a, b) in [
        (
            "ＡＰＰ上报修三次了，维修师傅一直不来！",
            "APP上报修三次了,维修师傅一直不来!",
        ),
        (
            "小区ｗｉｆｉ信号差，物业费还涨了１０％？",
            "小区WiFi信号差,物业费还涨了10%?",
        ),
        ("商铺Ｂ－０９的租金", "商铺b-09的租金"),
    ] {
        assert_eq!(suggest(a), suggest(b), "{a} / {b}");
    }
}

#[test]
fn mixed_chinese_and_english_still_gets_a_category() {
    let hint = suggest("在APP上报修了两次，师傅说OK了但是水龙头还是漏");
    assert_eq!(hint.category, Some(Category::RepairService));
}

/// Full-width twin of an ASCII string (space → ideographic space).
fn full_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            ' ' => '\u{3000}',
            '!'..='~' => char::from_u32(c as u32 + 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect()
}

proptest! {
    #[test]
    fn any_text_gives_probabilities_that_sum_to_one(text in "\\PC{0,120}") {
        let c = classify(&text);
        let total: f32 = c.ranked.iter().map(|r| r.1).sum();
        prop_assert!((total - 1.0).abs() < 1e-3);
        prop_assert_eq!(c.ranked.len(), 8);
        let hint = suggest(&text);
        prop_assert!((0.0..=1.0).contains(&hint.confidence));
        prop_assert!(hint.category.is_some() || hint.alternatives.is_empty());
    }

    #[test]
    fn width_never_changes_the_hint(
        chinese in "[漏水报修物业费租金工地态度交房规划]{0,12}",
        ascii in "[ -~]{0,20}",
    ) {
        let text = format!("{chinese}{ascii}{chinese}");
        prop_assert_eq!(suggest(&text), suggest(&full_width(&text)));
    }
}
