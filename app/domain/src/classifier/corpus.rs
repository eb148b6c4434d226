//! The labelled corpus (`app/domain/corpus/`) and its fixed held-out split.
//!
//! Compiled into the crate and into `build.rs`, so the build trains on exactly the lines the
//! report does not test on. Only `std`: the caller reads the files (no IO here).

/// The category codes in `Category::ALL` order: class `i` of the model is `CLASS_CODES[i]`,
/// and `corpus/<code>.txt` holds its examples.
pub const CLASS_CODES: [&str; 8] = [
    "engineering_quality",
    "planning_design",
    "sales_management",
    "property_management",
    "service_conduct",
    "repair_service",
    "leasing_commercial",
    "external_environment",
];

/// The number of classes.
pub const CLASSES: usize = CLASS_CODES.len();

/// Every `HELD_OUT_EVERY`-th line of a file (0-based line index 4, 9, 14, …) is held out.
pub const HELD_OUT_EVERY: usize = 5;

/// True for the lines kept out of training: line index `i` (0-based, counting every line of
/// the file) with `i % 5 == 4`. Deterministic, per file, independent of the other files.
pub fn is_held_out(line_index: usize) -> bool {
    line_index % HELD_OUT_EVERY == HELD_OUT_EVERY - 1
}

/// One complaint and its class (an index into [`CLASS_CODES`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Example<'a> {
    /// Index into [`CLASS_CODES`].
    pub class: usize,
    /// The complaint as written.
    pub text: &'a str,
}

/// The non-blank lines of a corpus file with their 0-based line index.
pub fn lines(file: &str) -> impl Iterator<Item = (usize, &str)> {
    file.lines()
        .map(str::trim)
        .enumerate()
        .filter(|(_, line)| !line.is_empty())
}

/// The training and held-out examples of one class's file.
pub fn split(class: usize, file: &str) -> (Vec<Example<'_>>, Vec<Example<'_>>) {
    let mut train = Vec::new();
    let mut held_out = Vec::new();
    for (i, text) in lines(file) {
        let example = Example { class, text };
        if is_held_out(i) {
            held_out.push(example);
        } else {
            train.push(example);
        }
    }
    (train, held_out)
}
