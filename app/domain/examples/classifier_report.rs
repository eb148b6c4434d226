//! Held-out report of the category classifier (see `corpus/README.md`):
//! `cargo run -p domain --release --example classifier_report`.
//!
//! Prints top-1/top-2 accuracy, per-category precision and recall, the confusion matrix, the
//! "not sure yet" rates on the held-out lines and on `_off_topic.txt`, and the model size.
//! The held-out lines are every 5th line of each file (`corpus::is_held_out`); `build.rs`
//! never trains on them.

use std::path::Path;
use std::process::{Command, Stdio};
use std::{fs, io::Write};

use domain::classifier::corpus::{split, Example, CLASS_CODES};
use domain::classifier::train::{train, TrainConfig};
use domain::classifier::{classify, model, MODEL_BYTES};
use domain::hints::{decide, HintThresholds};
use domain::{Category, Lang};

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let read = |name: &str| {
        fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("corpus/{name}: {e}"))
    };
    let files: Vec<String> = CLASS_CODES
        .iter()
        .map(|c| read(&format!("{c}.txt")))
        .collect();
    let off_topic = read("_off_topic.txt");
    let mut training = Vec::new();
    let mut held_out = Vec::new();
    for (class, file) in files.iter().enumerate() {
        let (t, h) = split(class, file);
        training.extend(t);
        held_out.extend(h);
    }
    println!("# Category classifier report\n");
    println!(
        "corpus: {} training lines, {} held-out lines (every 5th line of each file), {} off-topic lines\n",
        training.len(),
        held_out.len(),
        off_topic.lines().filter(|l| !l.trim().is_empty()).count()
    );
    accuracy(&held_out);
    uncertainty(&held_out, &off_topic);
    size(&training);
}

fn label(c: Category) -> &'static str {
    c.label(Lang::Zh)
}

/// Terminal width of a label: CJK characters take two columns.
fn pad(text: &str, width: usize) -> String {
    let used: usize = text.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum();
    format!("{text}{}", " ".repeat(width.saturating_sub(used)))
}

fn accuracy(held_out: &[Example<'_>]) {
    let mut confusion = [[0usize; 8]; 8];
    let (mut top1, mut top2) = (0, 0);
    for e in held_out {
        let ranked = classify(e.text).ranked;
        let want = Category::ALL[e.class];
        let got = ranked.first().map(|r| r.0).unwrap_or(want);
        let predicted = Category::ALL
            .iter()
            .position(|c| *c == got)
            .unwrap_or(e.class);
        confusion[e.class][predicted] += 1;
        if got == want {
            top1 += 1;
        }
        if ranked.iter().take(2).any(|r| r.0 == want) {
            top2 += 1;
        }
    }
    let n = held_out.len() as f64;
    println!("## Held-out accuracy (the model's ranking, before \"not sure\")\n");
    println!("top-1: {:.3} ({top1}/{})", top1 as f64 / n, held_out.len());
    println!(
        "top-2: {:.3} ({top2}/{})\n",
        top2 as f64 / n,
        held_out.len()
    );
    println!("{}  precision  recall  lines", pad("category", 18));
    for (i, c) in Category::ALL.iter().enumerate() {
        let predicted: usize = (0..8).map(|r| confusion[r][i]).sum();
        let actual: usize = confusion[i].iter().sum();
        let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        println!(
            "{}  {:>9.3}  {:>6.3}  {actual:>5}",
            pad(label(*c), 18),
            ratio(confusion[i][i], predicted),
            ratio(confusion[i][i], actual)
        );
    }
    println!("\n## Confusion matrix (rows: true category, columns: predicted)\n");
    let mut header = pad("", 18);
    for k in 1..=8 {
        header.push_str(&format!("{k:>5}"));
    }
    println!("{header}");
    for (i, c) in Category::ALL.iter().enumerate() {
        let mut row = pad(&format!("{} {}", i + 1, label(*c)), 18);
        for count in confusion[i] {
            row.push_str(&format!("{count:>5}"));
        }
        println!("{row}");
    }
    println!();
}

fn uncertainty(held_out: &[Example<'_>], off_topic: &str) {
    let off: Vec<&str> = off_topic.lines().filter(|l| !l.trim().is_empty()).collect();
    let held: Vec<_> = held_out
        .iter()
        .map(|e| (classify(e.text), e.class))
        .collect();
    let offs: Vec<_> = off.iter().map(|l| classify(l)).collect();
    println!("## \"Not sure yet\" (hints::decide)\n");
    println!(
        "confidence  pair  held-out not sure  shown & right  shown & wrong  off-topic not sure"
    );
    let default = HintThresholds::default();
    let pairs = [0.7f32, default.min_pair_confidence, 0.8, 0.9, 2.0];
    let sweep = [0.4f32, 0.45, default.min_confidence, 0.55, 0.6]
        .into_iter()
        .flat_map(|c| pairs.map(|p| (c, p)));
    for (min_confidence, min_pair_confidence) in sweep {
        let t = HintThresholds {
            min_confidence,
            min_pair_confidence,
            ..default
        };
        let (mut unsure, mut right, mut wrong) = (0, 0, 0);
        for (c, class) in &held {
            match decide(c, &t).category {
                None => unsure += 1,
                Some(got) if got == Category::ALL[*class] => right += 1,
                Some(_) => wrong += 1,
            }
        }
        let off_unsure = offs
            .iter()
            .filter(|c| decide(c, &t).category.is_none())
            .count();
        let n = held.len() as f64;
        let is_default = t == default;
        let pair = if min_pair_confidence > 1.0 {
            "off".to_owned()
        } else {
            format!("{min_pair_confidence:.2}")
        };
        println!(
            "{min_confidence:>10.2}  {pair:>4}{}  {:>17.3}  {:>13.3}  {:>13.3}  {:>18.3}",
            if is_default { " *" } else { "  " },
            unsure as f64 / n,
            right as f64 / n,
            wrong as f64 / n,
            off_unsure as f64 / offs.len() as f64
        );
    }
    println!("(* = the default; other thresholds at their defaults: {default:?})\n");
    let guessed: Vec<&str> = off
        .iter()
        .zip(&offs)
        .filter(|(_, c)| decide(c, &default).category.is_some())
        .map(|(l, _)| *l)
        .collect();
    println!("off-topic lines that still get a category: {guessed:?}\n");
}

fn size(training: &[Example<'_>]) {
    println!("## Model\n");
    let features = model().map_or(0, |m| m.feature_count());
    println!("features: {features}");
    println!("model bytes (raw): {}", MODEL_BYTES.len());
    match gzip_size(MODEL_BYTES) {
        Some(n) => println!("model bytes (gzip -9, system gzip): {n}"),
        None => println!("model bytes (gzip): not measured (no `gzip` on PATH)"),
    }
    let fresh = train(training, &TrainConfig::default());
    println!(
        "retrained now from the same split: {}",
        if fresh == MODEL_BYTES {
            "identical bytes"
        } else {
            "DIFFERENT bytes"
        }
    );
}

/// Compressed size by the system's `gzip` (no compression crate in the domain).
fn gzip_size(bytes: &[u8]) -> Option<usize> {
    let mut child = Command::new("gzip")
        .arg("-9c")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .ok()?;
    child.stdin.take()?.write_all(bytes).ok()?;
    let out = child.wait_with_output().ok()?;
    out.status.success().then_some(out.stdout.len())
}
