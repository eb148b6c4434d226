//! Photos and videos chosen while filing. The file field (`#attach`) works only with this
//! module (the stylesheet hides it where no script runs): without script the form posts as
//! a plain form, and photos are added on the tracking page afterwards. With files chosen,
//! sending the form
//!
//! 1. files the complaint through the same server function the form posts to (answered in
//!    JSON: the receipt, or every field's problem);
//! 2. on a receipt, uploads the files to the complaint (`POST /track/{code}/evidence`, the
//!    tracking page's own upload, with every check it makes) and opens the receipt page
//!    saying how many were added or why one was refused;
//! 3. on field problems, shows each beside its field, the files still chosen; on anything
//!    else (no connection, a limit reached) sends the form the plain way, so the server's
//!    page says what happened and nothing typed is lost.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{
    Document, Element, FormData, HtmlFormElement, HtmlInputElement, RequestInit, Response,
};

use crate::dom::{by_id, field};

/// The file field, when the page has one and files are chosen in it.
/// Says beside the field which files are chosen (the browser's own words are hidden: they
/// are in the browser's language, not the page's).
pub fn watch(doc: &Document) {
    let (Some(input), Some(said)) = (by_id(doc, "files"), by_id(doc, "files-chosen")) else {
        return;
    };
    let none = said.text_content().unwrap_or_default();
    let template = crate::dom::attr(&said, "data-chosen");
    let field = input.clone();
    crate::dom::on(&input, "change", move |_| {
        let names: Vec<String> = field
            .dyn_ref::<HtmlInputElement>()
            .and_then(HtmlInputElement::files)
            .map(|list| {
                (0..list.length())
                    .filter_map(|i| list.item(i))
                    .map(|f| f.name())
                    .collect()
            })
            .unwrap_or_default();
        let text = if names.is_empty() {
            none.clone()
        } else {
            domain::lang::fill(&template, &[&names.len(), &names.join("、")])
        };
        said.set_text_content(Some(&text));
    });
}

pub fn chosen(doc: &Document) -> Option<HtmlInputElement> {
    let input: HtmlInputElement = by_id(doc, "files")?.dyn_into().ok()?;
    input.files().filter(|f| f.length() > 0).map(|_| input)
}

/// `application/x-www-form-urlencoded`, as the browser would post the form.
fn encoded(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| {
            format!(
                "{}={}",
                String::from(js_sys::encode_uri_component(k)),
                String::from(js_sys::encode_uri_component(v))
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}

fn post(url: &str, body: &JsValue, content_type: Option<&str>) -> Option<js_sys::Promise> {
    let window = web_sys::window()?;
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_body(body);
    let headers = web_sys::Headers::new().ok()?;
    let _ = headers.set("Accept", "application/json");
    if let Some(content_type) = content_type {
        let _ = headers.set("Content-Type", content_type);
    }
    init.set_headers(&headers);
    Some(window.fetch_with_str_and_init(url, &init))
}

/// Files the complaint and then its files; `failed` sends the form the plain way.
pub fn send(form: HtmlFormElement, files: HtmlInputElement, pairs: Vec<(String, String)>) {
    let plain = {
        let form = form.clone();
        move || {
            // `submit()` skips the submit handlers: the plain post, without the files.
            let _ = form.submit();
        }
    };
    let Some(filing) = post(
        &form.action(),
        &JsValue::from_str(&encoded(&pairs)),
        Some("application/x-www-form-urlencoded"),
    ) else {
        plain();
        return;
    };
    let fallback = plain.clone();
    let on_answer = Closure::<dyn FnMut(JsValue)>::once(move |response: JsValue| {
        let Ok(response) = response.dyn_into::<Response>() else {
            return plain();
        };
        let status = response.status();
        let Ok(json) = response.json() else {
            return plain();
        };
        let on_json = Closure::<dyn FnMut(JsValue)>::once(move |json: JsValue| match status {
            200 => match field(&json, "tracking_code").as_string() {
                Some(code) => upload(&code, &files),
                None => plain(),
            },
            422 => {
                if !show_problems(&json) {
                    plain();
                }
            }
            _ => plain(),
        });
        let _ = json.then(&on_json);
        on_json.forget();
    });
    let on_failure = Closure::<dyn FnMut(JsValue)>::once(move |_: JsValue| fallback());
    let _ = filing.then2(&on_answer, &on_failure);
    on_answer.forget();
    on_failure.forget();
}

/// Uploads the files to the complaint just filed, then opens its receipt page.
fn upload(code: &str, files: &HtmlInputElement) {
    let receipt = format!("/track/{code}?new=1");
    let go = |url: &str| {
        if let Some(window) = web_sys::window() {
            let _ = window.location().assign(url);
        }
    };
    let (Ok(data), Some(list)) = (FormData::new(), files.files()) else {
        return go(&receipt);
    };
    for i in 0..list.length() {
        if let Some(file) = list.item(i) {
            let _ = data.append_with_blob_and_filename("file", &file, &file.name());
        }
    }
    let Some(sending) = post(&format!("/track/{code}/evidence"), &data, None) else {
        return go(&receipt);
    };
    let done = receipt.clone();
    let on_answer = Closure::<dyn FnMut(JsValue)>::once(move |response: JsValue| {
        // The upload answers with the tracking page, its outcome in the address.
        let outcome = response
            .dyn_into::<Response>()
            .ok()
            .map(|r| r.url())
            .and_then(|url| {
                let query = url.split_once('?')?.1.split('#').next()?.to_owned();
                query
                    .split('&')
                    .find(|p| p.starts_with("evidence_added=") || p.starts_with("evidence_error="))
                    .map(str::to_owned)
            });
        match outcome {
            Some(outcome) => go(&format!("{done}&{outcome}#evidence")),
            None => go(&done),
        }
    });
    // The complaint is filed either way; photos can be added on its page.
    let on_failure = Closure::<dyn FnMut(JsValue)>::once(move |_: JsValue| go(&receipt));
    let _ = sending.then2(&on_answer, &on_failure);
    on_answer.forget();
    on_failure.forget();
}

/// Puts each field's problem beside it (`#<field>-error`), clearing the others; `false`
/// when a problem has no place on the page (the server's page says it then).
fn show_problems(json: &JsValue) -> bool {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return false;
    };
    let fields = field(&field(json, "Validation"), "fields");
    if !fields.is_object() {
        return false;
    }
    let names = js_sys::Object::keys(&js_sys::Object::from(fields.clone()));
    let mut places: Vec<(Element, String)> = Vec::new();
    for name in names.iter().filter_map(|n| n.as_string()) {
        let Some(place) = by_id(&doc, &format!("{name}-error")) else {
            return false;
        };
        places.push((place, field(&fields, &name).as_string().unwrap_or_default()));
    }
    if let Ok(shown) = doc.query_selector_all(".field-error") {
        for i in 0..shown.length() {
            if let Some(node) = shown.item(i) {
                node.set_text_content(None);
            }
        }
    }
    for (place, message) in &places {
        place.set_text_content(Some(message));
    }
    // The form can be sent again once corrected, from the step with the first problem.
    crate::with_page(crate::Page::ready_to_submit);
    crate::steps::show_first_problem(&doc);
    if let Some((first, _)) = places.first() {
        let options = web_sys::ScrollIntoViewOptions::new();
        options.set_block(web_sys::ScrollLogicalPosition::Center);
        first.scroll_into_view_with_scroll_into_view_options(&options);
    }
    true
}
