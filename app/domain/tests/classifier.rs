//! The category classifier against its held-out split (corpus/README.md) and the behaviour
//! the issue asks for: honest "not sure yet", width- and case-insensitive input.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::OnceLock;

use domain::classifier::corpus::{Corpus, Example, Origin, Register, CLASS_CODES};
use domain::classifier::train::{train, TrainConfig};
use domain::classifier::{classify, Model, MODEL_BYTES};
use domain::hints::suggest;
use domain::Category;
use proptest::prelude::*;

const OFF_TOPIC: &str = include_str!("../corpus/_off_topic.txt");

/// (file name, contents) of every `.txt` file in `corpus/`, read once.
fn files() -> &'static [(String, String)] {
    static FILES: OnceLock<Vec<(String, String)>> = OnceLock::new();
    FILES.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        let mut files = Vec::new();
        for entry in std::fs::read_dir(dir).expect("corpus/") {
            let path = entry.expect("corpus/ entry").path();
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            if path.is_file() && name.ends_with(".txt") {
                let text = std::fs::read_to_string(&path).expect("corpus file");
                files.push((name.to_owned(), text));
            }
        }
        files
    })
}

fn corpus() -> (Vec<Example<'static>>, Vec<Example<'static>>) {
    let corpus = Corpus::from_files(files()).expect("corpus file names");
    (corpus.training, corpus.held_out)
}

#[test]
fn model_classes_are_the_categories_in_spec_order() {
    let codes: Vec<&str> = Category::ALL.iter().map(|c| c.code()).collect();
    assert_eq!(codes, CLASS_CODES);
}

/// Top-1, top-2 and "not sure yet" rates of `examples`.
fn rates(examples: &[&Example<'_>]) -> (f64, f64, f64) {
    let (mut top1, mut top2, mut unsure) = (0usize, 0usize, 0usize);
    for e in examples {
        let ranked = classify(e.text).ranked;
        let want = Category::ALL[e.class];
        top1 += usize::from(ranked[0].0 == want);
        top2 += usize::from(ranked[..2].iter().any(|r| r.0 == want));
        unsure += usize::from(suggest(e.text).category.is_none());
    }
    let n = examples.len().max(1) as f64;
    (top1 as f64 / n, top2 as f64 / n, unsure as f64 / n)
}

// The held-out split holds every register (chat, form, note, letter) and the 320 hand-written
// letters of `*.letter.heldout.txt`. Measured when the corpus was finalised (classifier_report):
// all 1,072 held-out lines top-1 0.951, top-2 0.984; the 320 held-out letters top-1 0.978. The
// floors sit about 3 points lower (one letter is 0.3 points): a change that breaks features
// or training fails, a reworded corpus line does not.
#[test]
fn held_out_accuracy_stays_above_its_floor() {
    let (_, held_out) = corpus();
    let all: Vec<&Example<'_>> = held_out.iter().collect();
    let (top1, top2, _) = rates(&all);
    assert!(top1 >= 0.92, "top-1 {top1:.3} below 0.92");
    assert!(top2 >= 0.96, "top-2 {top2:.3} below 0.96");
    let letters: Vec<&Example<'_>> = held_out
        .iter()
        .filter(|e| e.origin == Origin::HeldOut)
        .collect();
    assert_eq!(letters.len(), 320);
    let (top1, _, _) = rates(&letters);
    assert!(top1 >= 0.95, "letters top-1 {top1:.3} below 0.95");
}

// Measured: 96.7% of off-topic lines, 6.5% of held-out lines (14.2% of the short chat messages)
// and 1.7% of held-out letters are "not sure yet".
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
    let all: Vec<&Example<'_>> = held_out.iter().collect();
    let (_, _, unsure) = rates(&all);
    assert!(unsure <= 0.10, "{unsure:.3} of held-out lines not sure");
    let letters: Vec<&Example<'_>> = held_out
        .iter()
        .filter(|e| e.register == Register::Letter)
        .collect();
    let (_, _, unsure) = rates(&letters);
    assert!(unsure <= 0.04, "{unsure:.3} of held-out letters not sure");
}

/// Character bigrams of a text's content characters (punctuation and spaces dropped).
fn bigrams(text: &str) -> HashSet<(char, char)> {
    let chars = domain::text::content_chars(text);
    chars.windows(2).map(|w| (w[0], w[1])).collect()
}

// A held-out line must not be trained on in another file's clothes: no training line is the
// same text, and no training line covers half of a held-out letter's bigrams (two letters on
// one subject in their own words share 0.2-0.35; classifier_report prints the closest pairs).
#[test]
fn no_held_out_line_is_copied_into_training() {
    let (training, held_out) = corpus();
    let trained: HashSet<String> = training
        .iter()
        .map(|e| domain::text::content_chars(e.text).into_iter().collect())
        .collect();
    for e in &held_out {
        let content: String = domain::text::content_chars(e.text).into_iter().collect();
        assert!(
            !trained.contains(&content),
            "held out and trained: {}",
            e.text
        );
    }
    let training_bigrams: Vec<HashSet<(char, char)>> =
        training.iter().map(|e| bigrams(e.text)).collect();
    let mut postings: HashMap<(char, char), Vec<usize>> = HashMap::new();
    for (i, b) in training_bigrams.iter().enumerate() {
        for g in b {
            postings.entry(*g).or_default().push(i);
        }
    }
    let mut shared = vec![0u32; training.len()];
    for e in held_out.iter().filter(|e| e.register == Register::Letter) {
        let mine = bigrams(e.text);
        shared.iter_mut().for_each(|s| *s = 0);
        for g in &mine {
            for &i in postings.get(g).map(Vec::as_slice).unwrap_or_default() {
                shared[i] += 1;
            }
        }
        let (best, i) = shared
            .iter()
            .enumerate()
            .map(|(i, s)| (*s as usize, i))
            .max()
            .unwrap_or_default();
        let coverage = best as f64 / mine.len().max(1) as f64;
        assert!(
            coverage < 0.5,
            "{coverage:.2}: {} ~ {}",
            e.text,
            training[i].text
        );
    }
}

#[test]
fn training_is_deterministic_and_the_build_embedded_exactly_that_model() {
    // build.rs trained in its own process; the same bytes here prove the run deterministic.
    let (training, _) = corpus();
    let bytes = train(&training, &TrainConfig::default());
    assert!(bytes == MODEL_BYTES, "build.rs trained on something else");
}

// Letters written for this test (not in the corpus), each with one clear main request and
// the names of other categories on the way: the developer, the parking, the hotline, the
// property company. A letter like this always gets its category, never "not sure yet".
const CLEAR_LETTERS: [(&str, Category); 8] = [
    (
        "尊敬的领导您好！我是青禾苑6号楼的业主，小区2021年交房，开发商是博远置业，物业是博远物业。小区车位卖得很贵，物业费也不便宜，这些先不说。我家主卧外墙从去年起每逢下雨就往屋里渗水，墙面一片片发黑，踢脚线泡烂了，开发商来打过两次胶都没用。我们打过12345，也找过社区。恳请督促开发商查明外墙渗水的原因，彻底做好外墙防水，并修复受损的墙面。谢谢！",
        Category::EngineeringQuality,
    ),
    (
        "领导好，我们是南湾新城一期的业主。买房时开发商公示的总平面图上，小区北侧是一块绿地和健身广场，现在开发商把这块地的规划调整成了两栋住宅楼，正在打桩，楼间距只剩二十多米。物业说不清楚，售楼处说规划局批了。我们一期业主事先完全不知情，小区门口那条路天天堵车，这个我们另外反映。请规划部门公开这次规划调整的审批程序，撤销变更，恢复绿地和健身广场。",
        Category::PlanningDesign,
    ),
    (
        "您好！我是枫林府的购房者，2022年签的购房合同，合同约定2023年12月31日前交房，开发商至今没有交房，工地断断续续施工，物业公司都还没进场。我们一边还房贷一边租房。我们多次去售楼处询问，只说资金紧张，售楼处的经理换了三个，每次的说法都不一样。小区的规划、车位这些我们都没精力管了。请住建部门督促开发商明确交房时间，按合同约定支付逾期交房违约金。",
        Category::SalesManagement,
    ),
    (
        "尊敬的领导：我是翠峰小区的业主。小区是开发商宏景地产2016年交付的，房子质量还行。这两年物业越来越差：外来车辆交十块钱就能进来停，业主回家没车位，消防通道上天天停满车，垃圾两三天才清运一次，楼道没人打扫。我们也打过12345，街道来过一次，开会的时候物业经理答应整改，过后就没有下文了。请物业加强车辆管理、清理消防通道、按合同做好保洁，并公开物业费的收支。",
        Category::PropertyManagement,
    ),
    (
        "领导您好，我是秀山苑的业主。上周我家楼上漏水到我家，我去物业服务中心反映，接待的物业主管不但不帮忙协调，还说我“没事找事”，我说要投诉他，他当着其他业主的面骂我，还推了我一把。我在这个小区住了八年，物业费从来没欠过。漏水的事我可以另外解决，但物业员工这样对待业主是不能接受的。我要求物业公司严肃处理这名主管，并当面向我道歉。",
        Category::ServiceConduct,
    ),
    (
        "您好！我是临湖居的业主，小区开发商是中建置业，物业是安居物业。我家厨房下水道上个月8号堵了，在物业APP上报修，第一次维修工来疏通了一下，当晚又堵；第二次说要等管道公司；第三次约好了时间没来。到现在二十多天了，厨房没法用，一家人天天吃外卖，我为了等维修工已经请了三次假。请物业尽快安排维修人员上门，把下水道彻底疏通修好，别再一拖再拖。",
        Category::RepairService,
    ),
    (
        "尊敬的领导：我在锦绣天街商场一楼租了一个铺位开面包店，租赁合同签了三年，约定租金每年递增百分之五。今年商场运营方突然通知租金上涨百分之三十，不接受就不续约，还说要收推广费。商场的停车、卫生都还可以，就是招商部说话不算数，当初谈好的条件现在一概不认。请商场按照租赁合同约定执行租金递增，取消不合理的涨租和推广费。",
        Category::LeasingCommercial,
    ),
    (
        "领导您好！我是东岸花园的业主，小区物业服务一直不错。问题在小区外面：小区北侧的地铁工地从今年5月起每天夜里十一点以后还在施工，打桩、渣土车进出，噪音一直持续到凌晨三点，家里老人孩子都睡不好。物业说工地不归他们管。我们打过好几次12345，每次工地都只安静两三天。请城管和住建部门查处工地夜间违规施工，限定施工时间。",
        Category::ExternalEnvironment,
    ),
];

#[test]
fn a_long_letter_with_a_clear_main_request_is_never_not_sure() {
    for (letter, want) in CLEAR_LETTERS {
        assert!(letter.chars().count() >= 150, "{letter}");
        let hint = suggest(letter);
        assert_eq!(hint.category, Some(want), "{letter}");
    }
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

/// A company that confirms repairs as sales complaints: the candidate trained on its cases
/// wins on its equally mislabelled slice, but loses on the shipped held-out lines by more
/// than the tolerance, so the promotion rule keeps the model in use.
#[test]
fn a_candidate_worse_on_the_shipped_lines_is_not_promoted() {
    use domain::classifier::learning::{self, Case, Verdict};
    let (training, held_out) = corpus();
    let repair = learning::class_of(Category::RepairService);
    let cases: Vec<Case> = training
        .iter()
        .filter(|e| e.class == repair)
        .take(400)
        .enumerate()
        .map(|(i, e)| Case {
            complaint_id: i as i64,
            category: Category::SalesManagement,
            text: e.text.to_owned(),
        })
        .collect();
    let (train_cases, slice) = learning::split(&cases);
    let bytes = train(
        &learning::training_examples(&training, train_cases),
        &TrainConfig::default(),
    );
    let candidate = Model::parse(&bytes).expect("a model");
    let in_use = Model::parse(MODEL_BYTES).expect("the shipped model");
    let on_slice =
        |m: &Model<'_>| learning::evaluate(m, slice.iter().map(|c| (c.category, c.text.as_str())));
    let (candidate_company, in_use_company) = (on_slice(&candidate), on_slice(&in_use));
    let candidate_shipped = learning::evaluate_shipped(&candidate, &held_out);
    let in_use_shipped = learning::evaluate_shipped(&in_use, &held_out);
    assert!(candidate_company.correct > in_use_company.correct);
    assert!(
        candidate_shipped.accuracy() + learning::SHIPPED_TOLERANCE < in_use_shipped.accuracy(),
        "{} vs {}",
        candidate_shipped.accuracy(),
        in_use_shipped.accuracy()
    );
    assert_eq!(
        learning::verdict(
            &candidate_company,
            &in_use_company,
            &candidate_shipped,
            &in_use_shipped
        ),
        Verdict::WorseOnShipped
    );
}
