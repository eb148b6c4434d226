//! Held-out report of the category classifier (see `corpus/README.md`):
//! `cargo run -p domain --release --example classifier_report`.
//!
//! Prints top-1/top-2 accuracy and the "not sure yet" rate by register and by length, the
//! per-category precision and recall, the confusion matrices of all held-out lines and of the
//! held-out letters, the "not sure yet" trade-off on the held-out lines and `_off_topic.txt`,
//! how close the held-out letters come to any training line, the time per classification of a
//! 500-character letter, and the model size (raw and gzip). The held-out lines are never
//! trained on (`corpus::split`).

use std::collections::HashMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;
use std::{fs, io::Write};

use domain::classifier::corpus::{Corpus, Example, Origin, Register, BACKGROUND};
use domain::classifier::train::{train, TrainConfig};
use domain::classifier::{classify, model, Classification, MODEL_BYTES};
use domain::hints::{decide, HintThresholds};
use domain::{Category, Lang};

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let files = read_corpus(&dir);
    let corpus = Corpus::from_files(&files).unwrap_or_else(|e| panic!("corpus/{e}"));
    let off_topic = fs::read_to_string(dir.join("_off_topic.txt")).expect("corpus/_off_topic.txt");
    let off: Vec<&str> = off_topic.lines().filter(|l| !l.trim().is_empty()).collect();
    println!("# Category classifier report\n");
    println!(
        "corpus: {} training lines, {} held-out lines, {} off-topic lines\n",
        corpus.training.len(),
        corpus.held_out.len(),
        off.len()
    );
    lines_table(&corpus);
    let scored: Vec<Scored<'_>> = corpus
        .held_out
        .iter()
        .map(|e| Scored {
            example: *e,
            classification: classify(e.text),
        })
        .collect();
    by_group(&scored);
    categories(&scored);
    confusion("all held-out lines", scored.iter());
    confusion(
        "held-out letters (*.letter.heldout.txt)",
        scored
            .iter()
            .filter(|s| s.example.origin == Origin::HeldOut),
    );
    uncertainty(&scored, &off);
    near_duplicates(&corpus);
    timing(&corpus);
    size(&corpus.training);
}

/// (file name, contents) of every `.txt` file in `corpus/`.
fn read_corpus(dir: &Path) -> Vec<(String, String)> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).expect("corpus/") {
        let path = entry.expect("corpus/ entry").path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if path.is_file() && name.ends_with(".txt") {
            let text = fs::read_to_string(&path).expect("corpus file");
            files.push((name.to_owned(), text));
        }
    }
    files
}

struct Scored<'a> {
    example: Example<'a>,
    classification: Classification,
}

impl Scored<'_> {
    fn want(&self) -> Category {
        Category::ALL[self.example.class]
    }
    fn top1(&self) -> bool {
        self.classification.ranked[0].0 == self.want()
    }
    fn top2(&self) -> bool {
        self.classification.ranked[..2]
            .iter()
            .any(|r| r.0 == self.want())
    }
    fn not_sure(&self) -> bool {
        decide(&self.classification, &HintThresholds::default())
            .category
            .is_none()
    }
    fn chars(&self) -> usize {
        self.example.text.chars().count()
    }
}

fn label(c: Category) -> &'static str {
    c.label(Lang::Zh)
}

/// Terminal width of a label: CJK characters take two columns.
fn pad(text: &str, width: usize) -> String {
    let used: usize = text.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum();
    format!("{text}{}", " ".repeat(width.saturating_sub(used)))
}

fn median(mut v: Vec<usize>) -> usize {
    v.sort_unstable();
    v.get(v.len() / 2).copied().unwrap_or(0)
}

fn lines_table(corpus: &Corpus<'_>) {
    println!("## Lines per category and register (training + held-out)\n");
    let mut header = pad("category", 18);
    for r in Register::ALL {
        header.push_str(&format!("{:>16}", r.code()));
    }
    println!("{header}           all");
    let count = |class: usize, register: Option<Register>, held: bool| {
        let set = if held {
            &corpus.held_out
        } else {
            &corpus.training
        };
        set.iter()
            .filter(|e| e.class == class && register.is_none_or(|r| e.register == r))
            .count()
    };
    for (class, c) in Category::ALL.iter().enumerate() {
        let mut row = pad(label(*c), 18);
        for r in Register::ALL {
            row.push_str(&format!(
                "{:>16}",
                format!(
                    "{} + {}",
                    count(class, Some(r), false),
                    count(class, Some(r), true)
                )
            ));
        }
        row.push_str(&format!(
            "{:>14}",
            format!(
                "{} + {}",
                count(class, None, false),
                count(class, None, true)
            )
        ));
        println!("{row}");
    }
    let all: Vec<&Example<'_>> = corpus
        .training
        .iter()
        .chain(&corpus.held_out)
        .filter(|e| e.class != BACKGROUND)
        .collect();
    let mut row = "median chars".to_owned();
    row = pad(&row, 18);
    for r in Register::ALL {
        let lengths = all
            .iter()
            .filter(|e| e.register == r)
            .map(|e| e.text.chars().count())
            .collect();
        row.push_str(&format!("{:>16}", median(lengths)));
    }
    let lengths = all.iter().map(|e| e.text.chars().count()).collect();
    row.push_str(&format!("{:>14}", median(lengths)));
    println!("{row}");
    let composed = all.iter().filter(|e| e.origin == Origin::Composed).count();
    let background = corpus
        .training
        .iter()
        .filter(|e| e.class == BACKGROUND)
        .count();
    println!(
        "\n(training + held-out; {} of these {} lines are written line by line, {composed} \
         composed from fragments; plus {background} background lines for \"no category\")\n",
        all.len() - composed,
        all.len()
    );
}

fn accuracy_row<'a>(name: &str, group: impl Iterator<Item = &'a Scored<'a>>) {
    let group: Vec<&Scored<'_>> = group.collect();
    if group.is_empty() {
        return;
    }
    let n = group.len() as f64;
    let rate = |f: &dyn Fn(&Scored<'_>) -> bool| group.iter().filter(|s| f(s)).count() as f64 / n;
    println!(
        "{}  {:>5}  {:>6}  {:>5.3}  {:>5.3}  {:>8.3}",
        pad(name, 34),
        group.len(),
        median(group.iter().map(|s| s.chars()).collect()),
        rate(&|s| s.top1()),
        rate(&|s| s.top2()),
        rate(&|s| s.not_sure())
    );
}

fn by_group(scored: &[Scored<'_>]) {
    println!("## Held-out accuracy (the model's ranking; \"not sure\" by hints::decide)\n");
    println!(
        "{}  lines  median  top-1  top-2  not sure",
        pad("held-out lines", 34)
    );
    accuracy_row("all", scored.iter());
    println!("by register:");
    for r in Register::ALL {
        accuracy_row(
            &format!("  {}", r.code()),
            scored.iter().filter(|s| s.example.register == r),
        );
    }
    accuracy_row(
        "  letter, held-out set only",
        scored
            .iter()
            .filter(|s| s.example.origin == Origin::HeldOut),
    );
    println!("by length (characters):");
    accuracy_row("  < 50", scored.iter().filter(|s| s.chars() < 50));
    accuracy_row(
        "  50–200",
        scored.iter().filter(|s| (50..=200).contains(&s.chars())),
    );
    accuracy_row("  > 200", scored.iter().filter(|s| s.chars() > 200));
    println!();
}

fn categories(scored: &[Scored<'_>]) {
    println!("{}  precision  recall  lines", pad("category", 18));
    for c in Category::ALL.iter().copied() {
        let predicted = scored
            .iter()
            .filter(|s| s.classification.ranked[0].0 == c)
            .count();
        let actual = scored.iter().filter(|s| s.want() == c).count();
        let right = scored.iter().filter(|s| s.want() == c && s.top1()).count();
        let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        println!(
            "{}  {:>9.3}  {:>6.3}  {actual:>5}",
            pad(label(c), 18),
            ratio(right, predicted),
            ratio(right, actual)
        );
    }
    println!();
}

fn confusion<'a>(title: &str, scored: impl Iterator<Item = &'a Scored<'a>>) {
    let mut matrix = [[0usize; 8]; 8];
    let mut unsure = [0usize; 8];
    for s in scored {
        let got = s.classification.ranked[0].0;
        let col = Category::ALL.iter().position(|c| *c == got).unwrap_or(0);
        matrix[s.example.class][col] += 1;
        if s.not_sure() {
            unsure[s.example.class] += 1;
        }
    }
    println!("## Confusion matrix, {title} (rows: true, columns: predicted)\n");
    let mut header = pad("", 18);
    for k in 1..=8 {
        header.push_str(&format!("{k:>5}"));
    }
    println!("{header}  not sure");
    for (i, c) in Category::ALL.iter().enumerate() {
        let mut row = pad(&format!("{} {}", i + 1, label(*c)), 18);
        for count in matrix[i] {
            row.push_str(&format!("{count:>5}"));
        }
        row.push_str(&format!("{:>10}", unsure[i]));
        println!("{row}");
    }
    println!();
}

fn uncertainty(scored: &[Scored<'_>], off: &[&str]) {
    let offs: Vec<Classification> = off.iter().map(|l| classify(l)).collect();
    println!("## \"Not sure yet\" (hints::decide) on all held-out lines\n");
    println!(
        "confidence  pair  held-out not sure  shown & right  shown & wrong  off-topic not sure  letters not sure"
    );
    let default = HintThresholds::default();
    let pairs = [0.7f32, default.min_pair_confidence, 0.8, 2.0];
    let sweep = [0.4f32, 0.45, default.min_confidence, 0.55, 0.6]
        .into_iter()
        .flat_map(|c| pairs.map(|p| (c, p)));
    for (min_confidence, min_pair_confidence) in sweep {
        let t = HintThresholds {
            min_confidence,
            min_pair_confidence,
            ..default
        };
        let (mut unsure, mut right, mut wrong, mut letters, mut letters_unsure) = (0, 0, 0, 0, 0);
        for s in scored {
            let decided = decide(&s.classification, &t).category;
            if s.example.register == Register::Letter {
                letters += 1;
                letters_unsure += usize::from(decided.is_none());
            }
            match decided {
                None => unsure += 1,
                Some(got) if got == s.want() => right += 1,
                Some(_) => wrong += 1,
            }
        }
        let off_unsure = offs
            .iter()
            .filter(|c| decide(c, &t).category.is_none())
            .count();
        let n = scored.len() as f64;
        let pair = if min_pair_confidence > 1.0 {
            "off".to_owned()
        } else {
            format!("{min_pair_confidence:.2}")
        };
        println!(
            "{min_confidence:>10.2}  {pair:>4}{}  {:>17.3}  {:>13.3}  {:>13.3}  {:>18.3}  {:>16.3}",
            if t == default { " *" } else { "  " },
            unsure as f64 / n,
            right as f64 / n,
            wrong as f64 / n,
            off_unsure as f64 / offs.len().max(1) as f64,
            letters_unsure as f64 / letters.max(1) as f64
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

/// Distinct character bigrams of a text's content characters.
fn bigrams(text: &str) -> Vec<(char, char)> {
    let chars = domain::text::content_chars(text);
    let mut out: Vec<(char, char)> = chars.windows(2).map(|w| (w[0], w[1])).collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// For every held-out letter, the training line that covers the largest share of the letter's
/// distinct bigrams: 1.0 would be a copy; a rewritten near-duplicate scores 0.5 and more, two
/// letters on the same subject in their own words about 0.2-0.35.
fn near_duplicates(corpus: &Corpus<'_>) {
    println!("## Held-out letters against training (share of a letter's bigrams in its closest training line)\n");
    let training: Vec<Vec<(char, char)>> =
        corpus.training.iter().map(|e| bigrams(e.text)).collect();
    let mut postings: HashMap<(char, char), Vec<u32>> = HashMap::new();
    for (i, b) in training.iter().enumerate() {
        for g in b {
            postings.entry(*g).or_default().push(i as u32);
        }
    }
    let mut worst: Vec<(f64, &str, &str)> = Vec::new();
    let mut shared = vec![0u32; training.len()];
    for e in corpus
        .held_out
        .iter()
        .filter(|e| e.register == Register::Letter)
    {
        let mine = bigrams(e.text);
        shared.iter_mut().for_each(|s| *s = 0);
        for g in &mine {
            for &i in postings.get(g).map(Vec::as_slice).unwrap_or_default() {
                shared[i as usize] += 1;
            }
        }
        let best = shared
            .iter()
            .enumerate()
            .map(|(i, s)| (f64::from(*s) / mine.len().max(1) as f64, i))
            .max_by(|a, b| a.0.total_cmp(&b.0));
        if let Some((overlap, i)) = best {
            worst.push((overlap, e.text, corpus.training[i].text));
        }
    }
    worst.sort_by(|a, b| b.0.total_cmp(&a.0));
    let over = |t: f64| worst.iter().filter(|w| w.0 >= t).count();
    println!(
        "{} held-out letters; the closest training line covers ≥ 0.5 of a letter's bigrams: {}, ≥ 0.4: {}, ≥ 0.3: {}",
        worst.len(),
        over(0.5),
        over(0.4),
        over(0.3)
    );
    for (overlap, held, trained) in worst.iter().take(3) {
        let cut = |t: &str| t.chars().take(40).collect::<String>();
        println!("  {overlap:.2}  {} …  ~  {} …", cut(held), cut(trained));
    }
    println!();
}

/// Time of one `classify` on held-out letters cut to 500 characters.
fn timing(corpus: &Corpus<'_>) {
    let texts: Vec<String> = corpus
        .held_out
        .iter()
        .filter(|e| e.register == Register::Letter)
        .map(|e| {
            let mut t = e.text.to_owned();
            while t.chars().count() < 500 {
                t.push_str(e.text);
            }
            t.chars().take(500).collect()
        })
        .collect();
    if texts.is_empty() {
        return;
    }
    let quantile = |v: &mut Vec<f64>, q: f64| {
        v.sort_by(f64::total_cmp);
        v[((v.len() - 1) as f64 * q).round() as usize]
    };
    let mut all: Vec<f64> = Vec::new();
    let mut round_p99: Vec<f64> = Vec::new();
    for round in 0..21 {
        let mut micros: Vec<f64> = Vec::new();
        for t in &texts {
            let start = Instant::now();
            std::hint::black_box(classify(std::hint::black_box(t)));
            micros.push(start.elapsed().as_secs_f64() * 1e6);
        }
        if round > 0 {
            all.extend(&micros);
            round_p99.push(quantile(&mut micros, 0.99));
        }
    }
    println!("## Time per classification (native, release, 500-character letters)\n");
    println!(
        "{} calls: p50 {:.0} µs, p99 {:.0} µs, max {:.0} µs; p99 of the quietest of 20 rounds {:.0} µs",
        all.len(),
        quantile(&mut all, 0.5),
        quantile(&mut all, 0.99),
        quantile(&mut all, 1.0),
        round_p99.iter().copied().fold(f64::INFINITY, f64::min)
    );
    println!("(a shared machine's other jobs show up in the overall p99 and max)\n");
}

fn size(training: &[Example<'_>]) {
    println!("## Model\n");
    let features = model().map_or(0, |m| m.feature_count());
    println!("features: {features}");
    println!("weighting: {:?}", model().map(|m| m.weighting()));
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
