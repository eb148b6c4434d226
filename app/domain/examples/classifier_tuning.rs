//! How `TrainConfig::default()` was chosen: 5-fold cross-validation on the training split only
//! (the held-out lines are never read here). `cargo run -p domain --release --example
//! classifier_tuning`.

use std::path::Path;
use std::time::Instant;

use domain::classifier::corpus::{split, Example, CLASS_CODES};
use domain::classifier::train::{train, TrainConfig};
use domain::classifier::{classify_with, Model};
use domain::Category;

const FOLDS: usize = 5;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let files: Vec<String> = CLASS_CODES
        .iter()
        .map(|c| {
            std::fs::read_to_string(dir.join(format!("{c}.txt")))
                .unwrap_or_else(|e| panic!("corpus/{c}.txt: {e}"))
        })
        .collect();
    let training: Vec<Example<'_>> = files
        .iter()
        .enumerate()
        .flat_map(|(class, file)| split(class, file).0)
        .collect();
    let default = TrainConfig::default();
    println!(
        "5-fold cross-validation on {} training lines\n",
        training.len()
    );
    println!("features  learning rate  epochs  CV top-1  train time");
    for max_features in [2000, 4000, 6000] {
        for learning_rate in [0.02, 0.05, 0.1, 0.5] {
            for epochs in [15, 30] {
                let config = TrainConfig {
                    max_features,
                    learning_rate,
                    epochs,
                    ..default
                };
                let started = Instant::now();
                let accuracy = cross_validate(&training, &config);
                println!(
                    "{max_features:>8}  {learning_rate:>13}  {epochs:>6}  {accuracy:>8.3}  {:>7} ms{}",
                    started.elapsed().as_millis() / FOLDS as u128,
                    if config == default { "  (default)" } else { "" }
                );
            }
        }
    }
}

/// Top-1 accuracy over the folds: example `i` is in fold `i % 5`.
fn cross_validate(training: &[Example<'_>], config: &TrainConfig) -> f64 {
    let mut right = 0usize;
    for fold in 0..FOLDS {
        let (rest, test): (Vec<_>, Vec<_>) = training
            .iter()
            .enumerate()
            .partition(|(i, _)| i % FOLDS != fold);
        let rest: Vec<Example<'_>> = rest.into_iter().map(|(_, e)| *e).collect();
        let bytes = train(&rest, config);
        let Some(model) = Model::parse(&bytes) else {
            return 0.0;
        };
        right += test
            .iter()
            .filter(|(_, e)| {
                classify_with(&model, e.text).ranked.first().map(|r| r.0)
                    == Some(Category::ALL[e.class])
            })
            .count();
    }
    right as f64 / training.len() as f64
}
