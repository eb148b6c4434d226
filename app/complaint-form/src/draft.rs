//! The draft kept on the device: everything typed into the form is saved to the browser's
//! local storage as it is typed, so a locked phone, a closed tab or a lost connection loses
//! nothing. A fresh form (not one the server sent back with what was typed) offers it
//! again, with a way to start over. Sending the form removes it (a refused post comes back
//! with everything typed), and so does the tracking page a filing lands on; a draft older
//! than [`MAX_AGE_MS`] is dropped (a shared computer does not keep one for long).
//! Files are not kept (the browser cannot restore a file input).

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement, Storage};

/// The storage key, shared with the tracking page that removes it.
const KEY: &str = domain::guide::DRAFT_STORAGE_KEY;
/// Three days, in milliseconds.
const MAX_AGE_MS: f64 = 3.0 * 24.0 * 3600.0 * 1000.0;
/// Separators that cannot occur in what is kept (they are taken out of values).
const PAIR: char = '\u{1e}';
const PART: char = '\u{1f}';

fn storage() -> Option<Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The form's named fields, in document order.
fn fields(form: &Element) -> Vec<Element> {
    let Ok(list) = form.query_selector_all("input[name], select[name], textarea[name]") else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<Element>().ok())
        .collect()
}

/// What the form holds now, as (name, value) pairs; unticked boxes and files are left out.
pub fn collect(form: &Element) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for field in fields(form) {
        let name = field.get_attribute("name").unwrap_or_default();
        let value = if let Some(input) = field.dyn_ref::<HtmlInputElement>() {
            match input.type_().as_str() {
                "file" => continue,
                "radio" | "checkbox" if !input.checked() => continue,
                _ => input.value(),
            }
        } else if let Some(select) = field.dyn_ref::<HtmlSelectElement>() {
            select.value()
        } else if let Some(area) = field.dyn_ref::<HtmlTextAreaElement>() {
            area.value()
        } else {
            continue;
        };
        out.push((name, value));
    }
    out
}

/// Saves the form as it is now (nothing when the description is still empty).
pub fn save(form: &Element, now_ms: f64) {
    let pairs = collect(form);
    let typed = pairs
        .iter()
        .any(|(n, v)| n == "intake[description]" && !v.trim().is_empty());
    let Some(storage) = storage() else {
        return;
    };
    if !typed {
        let _ = storage.remove_item(KEY);
        return;
    }
    let clean = |s: &str| s.replace([PAIR, PART], " ");
    // Whole milliseconds: formatting and reading a float would add its code to the module.
    let mut text = (now_ms.max(0.0) as u64).to_string();
    for (name, value) in pairs {
        text.push(PAIR);
        text.push_str(&clean(&name));
        text.push(PART);
        text.push_str(&clean(&value));
    }
    // Storage full or refused (private mode): the form works as before.
    let _ = storage.set_item(KEY, &text);
}

/// Removes the draft ("start over").
pub fn discard() {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(KEY);
    }
}

/// Puts a saved draft back into a fresh form; `true` when there was one to restore.
pub fn restore(form: &Element, now_ms: f64) -> bool {
    let Some(text) = storage().and_then(|s| s.get_item(KEY).ok().flatten()) else {
        return false;
    };
    let mut parts = text.split(PAIR);
    let saved_at: u64 = parts.next().and_then(|t| t.parse().ok()).unwrap_or(0);
    if now_ms - saved_at as f64 > MAX_AGE_MS {
        discard();
        return false;
    }
    let pairs: Vec<(&str, &str)> = parts.filter_map(|p| p.split_once(PART)).collect();
    if pairs.is_empty() {
        return false;
    }
    for field in fields(form) {
        let name = field.get_attribute("name").unwrap_or_default();
        let mut values = pairs.iter().filter(|(n, _)| *n == name).map(|(_, v)| *v);
        if let Some(input) = field.dyn_ref::<HtmlInputElement>() {
            match input.type_().as_str() {
                "file" => {}
                "radio" | "checkbox" => {
                    let value = input.value();
                    input.set_checked(values.any(|v| v == value));
                }
                _ => {
                    if let Some(v) = values.next() {
                        input.set_value(v);
                    }
                }
            }
        } else if let Some(select) = field.dyn_ref::<HtmlSelectElement>() {
            if let Some(v) = values.next() {
                select.set_value(v);
            }
        } else if let Some(area) = field.dyn_ref::<HtmlTextAreaElement>() {
            if let Some(v) = values.next() {
                area.set_value(v);
            }
        }
    }
    true
}
