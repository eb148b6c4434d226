//! The category hint's code on its own, for measuring its share of the browser's budget
//! (`app/complaint-form/hint-budget.sh`): a wasm module exporting only what the complaint
//! form runs for a category hint — read the model file, score the text, decide the hint.

use domain::classifier::Model;
use domain::hints;
use wasm_bindgen::prelude::*;

/// The category the model at `model` gives `text` ("" for "not sure yet", or when the
/// bytes are no model).
#[wasm_bindgen]
pub fn category_hint(model: &[u8], text: &str) -> String {
    Model::parse(model)
        .and_then(|m| hints::suggest_by(&m, text).category)
        .map(|c| c.code().to_owned())
        .unwrap_or_default()
}
