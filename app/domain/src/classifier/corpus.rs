//! The labelled corpus (`app/domain/corpus/`), its registers and its fixed held-out split.
//!
//! Compiled into the crate and into `build.rs`, so the build trains on exactly the lines the
//! report does not test on. Only `std`: the caller reads the files (no IO here).
//!
//! A corpus file is named `<category>[.<register>][.<origin>].txt` (see `corpus/README.md`):
//! the category code is the label, the register says how the text was written (no register:
//! a form description), and the origin says which lines are held out.

/// The category codes in `Category::ALL` order: class `i` of the model is `CLASS_CODES[i]`,
/// and `corpus/<code>*.txt` hold its examples.
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

/// The number of classes (categories).
pub const CLASSES: usize = CLASS_CODES.len();

/// The model's extra output: text with no category (greetings, courtesy, a half-typed
/// letter). Trained on `_background*.txt`; its probability is spread evenly over the
/// categories, so such text is "not sure yet" without changing any ranking.
pub const BACKGROUND: usize = CLASSES;

/// Outputs of the model: the categories and [`BACKGROUND`].
pub const OUTPUTS: usize = CLASSES + 1;

/// Files of background text: written lines and composed ones. Never held out.
pub const BACKGROUND_FILES: [&str; 2] = ["_background.txt", "_background.composed.txt"];

/// In a written file every `HELD_OUT_EVERY`-th line (0-based line index 4, 9, 14, …) is held out.
pub const HELD_OUT_EVERY: usize = 5;

/// True for the lines of a written file kept out of training: line index `i` (0-based, counting
/// every line of the file) with `i % 5 == 4`. Deterministic, per file.
pub fn is_held_out(line_index: usize) -> bool {
    line_index % HELD_OUT_EVERY == HELD_OUT_EVERY - 1
}

/// How a complaint was written: the hidden real letters are long, the corpus used to be short.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Register {
    /// A short phone or WeChat message: colloquial, typos, voice-input punctuation.
    Chat,
    /// A description typed into the complaint form.
    Form,
    /// An agent's note of a phone call ("业主来电反映…，要求…").
    Note,
    /// A letter of 150–600 characters: opening, who and where, history, several issues, one
    /// main request, closing plea.
    Letter,
}

impl Register {
    /// Every register, in report order.
    pub const ALL: [Register; 4] = [
        Register::Chat,
        Register::Form,
        Register::Note,
        Register::Letter,
    ];

    /// The register's name in file names and reports.
    pub fn code(self) -> &'static str {
        match self {
            Register::Chat => "chat",
            Register::Form => "form",
            Register::Note => "note",
            Register::Letter => "letter",
        }
    }

    /// The register named `code`.
    pub fn parse(code: &str) -> Option<Register> {
        Register::ALL.into_iter().find(|r| r.code() == code)
    }
}

/// Where a file's lines come from, which decides which of them are held out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Origin {
    /// Written by hand; every fifth line is held out ([`is_held_out`]).
    Written,
    /// Written by hand as a test set (`*.heldout.txt`): every line is held out, none trained on.
    HeldOut,
    /// Composed from hand-written fragments by `corpus/compose/compose.py` (`*.composed.txt`):
    /// every line is training. Composed lines share fragments, so holding some out would test
    /// on near-duplicates of training lines.
    Composed,
    /// A complaint of the company's own whose category a staff member confirmed or corrected
    /// (`classifier::learning`); never in a corpus file.
    Company,
}

impl Origin {
    /// The suffix in file names ("" for written files).
    pub fn code(self) -> &'static str {
        match self {
            Origin::Written => "",
            Origin::HeldOut => "heldout",
            Origin::Composed => "composed",
            Origin::Company => "company",
        }
    }
}

/// What a corpus file's name says about its lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileKind {
    /// Index into [`CLASS_CODES`], or [`BACKGROUND`].
    pub class: usize,
    /// How its complaints were written.
    pub register: Register,
    /// Which of its lines are held out.
    pub origin: Origin,
}

/// Reads `<category>[.<register>][.heldout|.composed].txt` (and [`BACKGROUND_FILES`]).
/// `Ok(None)` for files that are no examples (`_off_topic.txt`, anything not ending in
/// `.txt`); `Err` for a `.txt`
/// name that looks like examples but cannot be read, so a typo never drops a file silently.
pub fn parse_file_name(name: &str) -> Result<Option<FileKind>, String> {
    let Some(stem) = name.strip_suffix(".txt") else {
        return Ok(None);
    };
    if let Some(i) = BACKGROUND_FILES.iter().position(|f| *f == name) {
        return Ok(Some(FileKind {
            class: BACKGROUND,
            register: Register::Chat,
            origin: [Origin::Written, Origin::Composed][i],
        }));
    }
    if stem.starts_with('_') || name.contains('/') {
        return Ok(None);
    }
    let mut parts = stem.split('.');
    let code = parts.next().unwrap_or_default();
    let class = CLASS_CODES
        .iter()
        .position(|c| *c == code)
        .ok_or_else(|| format!("{name}: unknown category {code:?}"))?;
    let mut register = Register::Form;
    let mut origin = Origin::Written;
    for (i, part) in parts.enumerate() {
        if let (0, Some(r)) = (i, Register::parse(part)) {
            register = r;
            continue;
        }
        origin = match (i, part, origin) {
            (0 | 1, "heldout", Origin::Written) => Origin::HeldOut,
            (0 | 1, "composed", Origin::Written) => Origin::Composed,
            _ => {
                return Err(format!(
                    "{name}: cannot read {part:?} (see corpus/README.md)"
                ))
            }
        };
    }
    Ok(Some(FileKind {
        class,
        register,
        origin,
    }))
}

/// One complaint and its class (an index into [`CLASS_CODES`], or [`BACKGROUND`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Example<'a> {
    /// Index into [`CLASS_CODES`], or [`BACKGROUND`].
    pub class: usize,
    /// How it was written.
    pub register: Register,
    /// Where it comes from.
    pub origin: Origin,
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

/// The training and held-out examples of one file.
pub fn split<'a>(kind: FileKind, file: &'a str) -> (Vec<Example<'a>>, Vec<Example<'a>>) {
    let mut train = Vec::new();
    let mut held_out = Vec::new();
    for (i, text) in lines(file) {
        let example = Example {
            class: kind.class,
            register: kind.register,
            origin: kind.origin,
            text,
        };
        let held = match kind.origin {
            _ if kind.class == BACKGROUND => false,
            Origin::Written => is_held_out(i),
            Origin::HeldOut => true,
            Origin::Composed | Origin::Company => false,
        };
        if held {
            held_out.push(example);
        } else {
            train.push(example);
        }
    }
    (train, held_out)
}

/// The whole corpus, split.
#[derive(Debug, Clone, Default)]
pub struct Corpus<'a> {
    /// What the model is trained on.
    pub training: Vec<Example<'a>>,
    /// What it is tested on, never trained on.
    pub held_out: Vec<Example<'a>>,
}

impl<'a> Corpus<'a> {
    /// Splits the files of `corpus/` given as (file name, contents). The order of the examples
    /// is that of the file names, so callers need not sort; files that are no category's
    /// examples are skipped.
    pub fn from_files(files: &'a [(String, String)]) -> Result<Corpus<'a>, String> {
        let mut kinds = Vec::new();
        for (name, text) in files {
            if let Some(kind) = parse_file_name(name)? {
                kinds.push((name.as_str(), kind, text.as_str()));
            }
        }
        kinds.sort_by(|a, b| a.0.cmp(b.0));
        let mut corpus = Corpus::default();
        for (_, kind, text) in kinds {
            let (train, held_out) = split(kind, text);
            corpus.training.extend(train);
            corpus.held_out.extend(held_out);
        }
        Ok(corpus)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_give_category_register_and_origin() {
        let kind = |name| parse_file_name(name).unwrap();
        assert_eq!(
            kind("repair_service.txt"),
            Some(FileKind {
                class: 5,
                register: Register::Form,
                origin: Origin::Written
            })
        );
        assert_eq!(
            kind("planning_design.letter.heldout.txt"),
            Some(FileKind {
                class: 1,
                register: Register::Letter,
                origin: Origin::HeldOut
            })
        );
        assert_eq!(
            kind("sales_management.note.composed.txt").map(|k| k.origin),
            Some(Origin::Composed)
        );
        assert_eq!(kind("_off_topic.txt"), None);
        assert_eq!(
            kind("_background.composed.txt").map(|k| (k.class, k.origin)),
            Some((BACKGROUND, Origin::Composed))
        );
        assert_eq!(kind("README.md"), None);
        assert!(parse_file_name("repair_servce.txt").is_err());
        assert!(parse_file_name("repair_service.leter.txt").is_err());
        assert!(parse_file_name("repair_service.chat.heldout.composed.txt").is_err());
    }
}
