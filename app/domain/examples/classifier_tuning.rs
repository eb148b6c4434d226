//! How `TrainConfig::default()` was chosen: cross-validation on the training split only (the
//! held-out lines are never read here). `cargo run -p domain --release --example
//! classifier_tuning [grid]`.
//!
//! The written training lines are cut into 5 folds (line `i` in fold `i % 5`); each fold is
//! scored by a model trained on the other four plus every composed line (composed lines share
//! fragments, so they are never scored: that would test on near-duplicates). The score that
//! matters most is the letters', the register of the real letters.

use std::path::Path;
use std::time::Instant;

use domain::classifier::corpus::{Corpus, Example, Origin, Register, BACKGROUND};
use domain::classifier::features::Weighting;
use domain::classifier::train::{train, TrainConfig};
use domain::classifier::{classify_with, Model};
use domain::Category;

const FOLDS: usize = 5;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut files = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("corpus/") {
        let path = entry.expect("corpus/ entry").path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if path.is_file() && name.ends_with(".txt") {
            files.push((
                name.to_owned(),
                std::fs::read_to_string(&path).expect("file"),
            ));
        }
    }
    let corpus = Corpus::from_files(&files).unwrap_or_else(|e| panic!("corpus/{e}"));
    let training = corpus.training;
    let grid = std::env::args().nth(1).unwrap_or_else(|| "default".into());
    let default = TrainConfig::default();
    let configs: Vec<TrainConfig> = match grid.as_str() {
        "features" => [3000, 4500, 6000, 8000, 10000]
            .map(|max_features| TrainConfig {
                max_features,
                ..default
            })
            .to_vec(),
        "weighting" => [
            (1.0, 1.0),
            (2.0, 1.0),
            (1.0, 0.3),
            (2.0, 0.3),
            (3.0, 0.3),
            (2.0, 0.0),
        ]
        .map(|(request, courtesy)| TrainConfig {
            weighting: Weighting {
                request,
                courtesy,
                ..default.weighting
            },
            ..default
        })
        .to_vec(),
        "trigrams" => [false, true]
            .map(|trigrams| TrainConfig {
                weighting: Weighting {
                    trigrams,
                    ..default.weighting
                },
                ..default
            })
            .to_vec(),
        "sgd" => [1.0, 3.0, 6.0]
            .into_iter()
            .flat_map(|learning_rate| {
                [1e-5, 1e-4, 3e-4].map(|l2| TrainConfig {
                    learning_rate,
                    l2,
                    ..default
                })
            })
            .collect(),
        "epochs" => [10, 15, 25]
            .map(|epochs| TrainConfig { epochs, ..default })
            .to_vec(),
        "composed" => [0.25, 0.5, 1.0]
            .map(|composed_weight| TrainConfig {
                composed_weight,
                ..default
            })
            .to_vec(),
        "final" => [6000, 8000, 10000]
            .into_iter()
            .flat_map(|max_features| {
                [(1.0, 1e-5), (3.0, 1e-5), (3.0, 1e-4)].map(|(learning_rate, l2)| TrainConfig {
                    max_features,
                    learning_rate,
                    l2,
                    ..default
                })
            })
            .chain([1.5, 3.0].map(|request| TrainConfig {
                weighting: Weighting {
                    request,
                    ..default.weighting
                },
                ..default
            }))
            .collect(),
        _ => vec![default],
    };
    let written = training
        .iter()
        .filter(|e| e.origin != Origin::Composed && e.class != BACKGROUND)
        .count();
    println!(
        "{FOLDS}-fold cross-validation over {written} written training lines (+ {} composed and background lines always trained on)\n",
        training.len() - written
    );
    println!("config                                                                       all  letter    chat    form    note  ms/fold  gzip KB");
    for config in configs {
        let started = Instant::now();
        let scores = cross_validate(&training, &config);
        let mut row = format!("{:<75}", describe(&config, &default));
        for s in scores {
            row.push_str(&format!("  {s:>6.3}"));
        }
        let kb = gzip_size(&train(&training, &config)).map_or(0.0, |n| n as f64 / 1000.0);
        row.push_str(&format!(
            "  {:>7}  {kb:>7.1}{}",
            started.elapsed().as_millis() / FOLDS as u128,
            if config == default { "  (default)" } else { "" }
        ));
        println!("{row}");
    }
}

fn describe(c: &TrainConfig, d: &TrainConfig) -> String {
    if c == d {
        return "default".into();
    }
    let mut parts = Vec::new();
    if c.weighting != d.weighting {
        parts.push(format!(
            "request {} courtesy {} trigrams {}",
            c.weighting.request, c.weighting.courtesy, c.weighting.trigrams
        ));
    }
    if c.max_features != d.max_features {
        parts.push(format!("features {}", c.max_features));
    }
    if c.learning_rate != d.learning_rate || c.l2 != d.l2 {
        parts.push(format!("rate {} l2 {}", c.learning_rate, c.l2));
    }
    if c.epochs != d.epochs {
        parts.push(format!("epochs {}", c.epochs));
    }
    if c.composed_weight != d.composed_weight {
        parts.push(format!("composed weight {}", c.composed_weight));
    }
    parts.join(", ")
}

/// Top-1 accuracy over the folds: all written lines, then letters, chat, form, note.
fn cross_validate(training: &[Example<'_>], config: &TrainConfig) -> [f64; 5] {
    let groups: [Option<Register>; 5] = [
        None,
        Some(Register::Letter),
        Some(Register::Chat),
        Some(Register::Form),
        Some(Register::Note),
    ];
    let mut right = [0usize; 5];
    let mut total = [0usize; 5];
    for fold in 0..FOLDS {
        let mut rest = Vec::new();
        let mut test = Vec::new();
        let mut written = 0;
        for e in training {
            if e.origin == Origin::Composed || e.class == BACKGROUND {
                rest.push(*e);
                continue;
            }
            if written % FOLDS == fold {
                test.push(*e);
            } else {
                rest.push(*e);
            }
            written += 1;
        }
        let bytes = train(&rest, config);
        let Some(model) = Model::parse(&bytes) else {
            return [0.0; 5];
        };
        for e in &test {
            let ok = classify_with(&model, e.text).ranked[0].0 == Category::ALL[e.class];
            for (g, group) in groups.iter().enumerate() {
                if group.is_none_or(|r| r == e.register) {
                    total[g] += 1;
                    right[g] += usize::from(ok);
                }
            }
        }
    }
    let mut out = [0.0; 5];
    for g in 0..5 {
        out[g] = right[g] as f64 / total[g].max(1) as f64;
    }
    out
}

/// Compressed size of a model trained on all training lines, by the system's `gzip -9`.
fn gzip_size(bytes: &[u8]) -> Option<usize> {
    use std::io::Write;
    use std::process::{Command, Stdio};
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
