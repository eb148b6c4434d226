//! Trains the category classifier on the corpus's training split and writes the model into
//! `OUT_DIR` for `src/classifier/mod.rs` to embed. The feature, split and training code is the
//! crate's own (included by `#[path]`), so build and runtime cannot disagree.

use std::path::Path;
use std::{env, fs};

#[allow(dead_code)]
#[path = "src/text.rs"]
mod text;

#[allow(dead_code)]
#[path = "src/classifier/features.rs"]
mod features;

#[allow(dead_code)]
#[path = "src/classifier/corpus.rs"]
mod corpus;

#[allow(dead_code)]
#[path = "src/classifier/train.rs"]
mod train;

fn main() {
    for path in [
        "corpus",
        "src/text.rs",
        "src/classifier/features.rs",
        "src/classifier/corpus.rs",
        "src/classifier/train.rs",
    ] {
        println!("cargo:rerun-if-changed={path}");
    }
    let files: Vec<String> = corpus::CLASS_CODES
        .iter()
        .map(|code| {
            let path = Path::new("corpus").join(format!("{code}.txt"));
            fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
        })
        .collect();
    let examples: Vec<corpus::Example<'_>> = files
        .iter()
        .enumerate()
        .flat_map(|(class, file)| corpus::split(class, file).0)
        .collect();
    let model = train::train(&examples, &train::TrainConfig::default());
    let out = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("classifier.model");
    fs::write(&out, model).unwrap_or_else(|e| panic!("cannot write {}: {e}", out.display()));
}
