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
    let mut files: Vec<(String, String)> = Vec::new();
    let entries = fs::read_dir("corpus").unwrap_or_else(|e| panic!("cannot list corpus/: {e}"));
    for entry in entries {
        let path = entry.expect("corpus/ entry").path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        if path.is_file() && name.ends_with(".txt") {
            let text = fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
            files.push((name.to_owned(), text));
        }
    }
    write_corpus_table(&files);
    let corpus = corpus::Corpus::from_files(&files).unwrap_or_else(|e| panic!("corpus/{e}"));
    let examples = corpus.training;
    let model = train::train(&examples, &train::TrainConfig::default());
    let out = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("classifier.model");
    fs::write(&out, model).unwrap_or_else(|e| panic!("cannot write {}: {e}", out.display()));
}

/// `corpus_files.rs`: every corpus file as `(name, include_str!(path))`, for the crate's
/// `corpus` feature (the server retrains from the shipped corpus; the browser never sees it).
fn write_corpus_table(files: &[(String, String)]) {
    let dir = Path::new(&env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"))
        .join("corpus");
    let mut names: Vec<&str> = files.iter().map(|(name, _)| name.as_str()).collect();
    names.sort_unstable();
    let mut table = String::from("&[\n");
    for name in names {
        let path = dir.join(name);
        table.push_str(&format!(
            "    ({name:?}, include_str!({:?})),\n",
            path.display().to_string()
        ));
    }
    table.push_str("]\n");
    let out = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("corpus_files.rs");
    fs::write(&out, table).unwrap_or_else(|e| panic!("cannot write {}: {e}", out.display()));
}
