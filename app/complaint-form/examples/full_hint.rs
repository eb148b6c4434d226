//! The whole instant hint's code on its own (`app/complaint-form/hint-budget.sh`): category,
//! severity preview and FAQ match, as the complaint form runs them on every keystroke.

use domain::classifier::Model;
use domain::hints::{self, FaqEntry, FaqIndex};
use domain::{GradingPolicy, IntakeFacts, StatedFacts};
use wasm_bindgen::prelude::*;

/// The whole instant hint the form shows: category, severity preview and FAQ matches
/// (`titles` one article title per line); returns the category code, the level's number
/// and the ids of the matching articles.
#[wasm_bindgen]
pub fn full_hint(model: &[u8], text: &str, titles: &str) -> String {
    let entries: Vec<FaqEntry> = titles
        .lines()
        .enumerate()
        .map(|(i, title)| FaqEntry {
            id: i as i64,
            title: title.to_owned(),
            keywords: String::new(),
        })
        .collect();
    let index = FaqIndex::new(&entries);
    let model = Model::parse(model);
    let hint = hints::hint_by(
        model.as_ref(),
        text,
        &StatedFacts::default(),
        &IntakeFacts::default(),
        &index,
        &GradingPolicy::default(),
    );
    let ids: Vec<String> = hint.faq.iter().map(|m| m.id.to_string()).collect();
    format!(
        "{} {} {}",
        hint.category.category.map_or("", |c| c.code()),
        hint.grade.level.number(),
        ids.join(",")
    )
}
