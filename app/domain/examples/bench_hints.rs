//! Native timing of one hint (classify + severity preview + FAQ match) on a 500-character
//! description: `cargo run -p domain --release --example bench_hints`.
//!
//! The browser figure (wasm) is measured separately by the benchmark page; this one shows the
//! work per keystroke without the wasm and DOM overheads.

use std::hint::black_box;
use std::time::Instant;

use domain::grading::{GradingPolicy, IntakeFacts, StatedFacts};
use domain::hints::{hint, preview_level, suggest, FaqEntry, FaqIndex};

const CALLS: usize = 20_000;
const WARM_UP: usize = 1_000;
const TEXT_CHARS: usize = 500;

/// Lines from every category, so the text exercises many features and cues.
const SOURCES: [&str; 4] = [
    include_str!("../corpus/engineering_quality.txt"),
    include_str!("../corpus/property_management.txt"),
    include_str!("../corpus/repair_service.txt"),
    include_str!("../corpus/sales_management.txt"),
];

fn main() {
    let text = description();
    let entries = faq_entries();
    let built = Instant::now();
    let index = FaqIndex::new(&entries);
    let build_time = built.elapsed();
    let stated = StatedFacts::nothing();
    let known = IntakeFacts::default();
    let policy = GradingPolicy::default();

    println!("# hint() benchmark (native, release)\n");
    println!(
        "text: {} characters; FAQ index: {} articles (built once in {} µs); {CALLS} calls after {WARM_UP} warm-up calls\n",
        text.chars().count(),
        index.len(),
        build_time.as_micros()
    );
    let h = hint(&text, &stated, &known, &index, &policy);
    println!(
        "result: category {:?} ({:.2}), level {}, faq {:?}\n",
        h.category.category.map(|c| c.code()),
        h.category.confidence,
        h.grade.level.number(),
        h.faq.iter().map(|m| m.id).collect::<Vec<_>>()
    );
    println!("part                     min      p50      p99      max   (µs)");
    report("hint (all four)", || {
        black_box(hint(black_box(&text), &stated, &known, &index, &policy));
    });
    report("  suggest (classifier)", || {
        black_box(suggest(black_box(&text)));
    });
    report("  preview_level (cues)", || {
        black_box(preview_level(black_box(&text), &stated, &policy));
    });
    report("  FaqIndex::matches", || {
        black_box(index.matches(black_box(&text), 3));
    });
    report("  danger_in (emergency)", || {
        black_box(domain::hints::danger_in(black_box(&text)));
    });
}

/// Times `f` once per call and prints min/p50/p99/max in microseconds.
fn report(name: &str, mut f: impl FnMut()) {
    for _ in 0..WARM_UP {
        f();
    }
    let mut micros: Vec<f64> = (0..CALLS)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed().as_secs_f64() * 1e6
        })
        .collect();
    micros.sort_by(f64::total_cmp);
    let at = |q: f64| micros[((micros.len() - 1) as f64 * q).round() as usize];
    println!(
        "{name:<22} {:>7.1}  {:>7.1}  {:>7.1}  {:>7.1}",
        at(0.0),
        at(0.5),
        at(0.99),
        at(1.0)
    );
}

/// Exactly `TEXT_CHARS` characters of complaint text, with a few severity cues.
fn description() -> String {
    let mut text = String::from("我们10户业主已经打了12345，要求赔偿损失2万元。");
    let lines = SOURCES.iter().flat_map(|s| s.lines());
    for line in lines {
        if text.chars().count() >= TEXT_CHARS {
            break;
        }
        text.push_str(line);
        text.push('。');
    }
    text.chars().take(TEXT_CHARS).collect()
}

/// A realistic FAQ: hand-written articles plus corpus-derived ones (about 50 in all).
fn faq_entries() -> Vec<FaqEntry> {
    let written = [
        (
            "卫生间漏水怎么办",
            "漏水 渗水 楼上漏水 防水层 天花板 报修流程 保修期内免费维修",
        ),
        (
            "物业费的收费标准",
            "物业费 收费标准 每平米 公示 缴费方式 APP缴费",
        ),
        ("电梯困人应急处理", "电梯 困人 被困 应急 救援电话 维保单位"),
        ("如何在APP上报修", "APP 报修 上传照片 维修进度 预约上门时间"),
        ("房产证办理进度", "房产证 不动产证 办证 交房 开发商 税费"),
        ("停车位租赁与月卡", "停车位 月卡 地下车库 租赁 临停收费"),
        ("装修管理规定", "装修 申请 押金 施工时间 噪音 垃圾清运"),
        ("商铺租金与押金", "商铺 租金 押金 退租 续租 免租期"),
        ("外墙裂缝与渗水", "外墙 裂缝 渗水 保修 开发商 维修基金"),
        ("停水停电通知", "停水 停电 自来水公司 供电局 计划检修 通知"),
        ("宠物管理规定", "宠物 遛狗 拴绳 犬证 粪便 噪音"),
        ("投诉处理时限", "投诉 受理 2小时 联系 24小时 答复 回访"),
    ];
    let mut entries: Vec<FaqEntry> = written
        .iter()
        .zip(1..)
        .map(|((title, keywords), id)| FaqEntry {
            id,
            title: (*title).into(),
            keywords: (*keywords).into(),
        })
        .collect();
    let derived = SOURCES.iter().flat_map(|s| s.lines().skip(100).step_by(20));
    for (line, id) in derived.take(48).zip(100..) {
        entries.push(FaqEntry {
            id,
            title: line.chars().take(12).collect(),
            keywords: line.into(),
        });
    }
    entries
}
