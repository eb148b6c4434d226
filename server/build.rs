//! Embeds the FAQ seed articles (`seed/faq/*.md`) and their English versions
//! (`seed/faq/en/*.md`) in the binary, so every installation loads them on first start
//! wherever it runs from.

use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("seed/faq");
    let mut out = String::new();
    out.push_str("/// The seed articles: (file name, Markdown with front matter).\n");
    out.push_str(&embedded("FILES", &root));
    out.push_str("/// Their English versions, by the same file names.\n");
    out.push_str(&embedded("FILES_EN", &root.join("en")));
    let target = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("faq_seed.rs");
    std::fs::write(target, out).expect("writing faq_seed.rs");
}

/// `pub static NAME: &[(&str, &str)]` holding every `.md` file of `dir`, sorted by name.
fn embedded(name: &str, dir: &Path) -> String {
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "md"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    let mut out = format!("pub static {name}: &[(&str, &str)] = &[\n");
    for path in &files {
        println!("cargo:rerun-if-changed={}", path.display());
        let file = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        out.push_str(&format!(
            "    ({file:?}, include_str!({:?})),\n",
            path.display().to_string()
        ));
    }
    out.push_str("];\n");
    out
}
