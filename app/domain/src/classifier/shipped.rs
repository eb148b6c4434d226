//! The shipped corpus, compiled in (feature `corpus`): what the server's retraining starts
//! from and the held-out lines every candidate is checked against. The table of files is
//! written by `build.rs`.

use std::sync::OnceLock;

use super::corpus::Corpus;

/// Every file of `corpus/`: (file name, contents), sorted by name.
pub static FILES: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/corpus_files.rs"));

/// The shipped corpus split into training and held-out lines, exactly as `build.rs` split
/// it for the embedded model.
pub fn corpus() -> &'static Corpus<'static> {
    static FILES_OWNED: OnceLock<Vec<(String, String)>> = OnceLock::new();
    static CORPUS: OnceLock<Corpus<'static>> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let files = FILES_OWNED.get_or_init(|| {
            FILES
                .iter()
                .map(|(name, text)| ((*name).to_owned(), (*text).to_owned()))
                .collect()
        });
        // The same files made the build's model, so they parse; a failure here would have
        // failed the build first.
        Corpus::from_files(files).unwrap_or_default()
    })
}
