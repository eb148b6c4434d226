//! The owner's form one step at a time on a phone: what happened → where → details and
//! photos → contact → check and send. The server renders one page of steps (`.form-step` with
//! `data-step`, the progress list, the review box and the step buttons, hidden); this shows
//! one step at a time where the screen is narrow, checks a step with the domain's own intake
//! rules before the next one, and draws the review from the form. The owner can switch to
//! one page ("在一页中显示全部"), remembered on the device; without script the form is one
//! page anyway.

use domain::guide::{Answers, Topic};
use domain::intake::{Intake, IntakeLimits, RawIntake};
use domain::lang::fill;
use domain::{Category, Lang};
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, Event, HtmlElement, HtmlInputElement, HtmlSelectElement};

use crate::dom::{attr, by_id, child, el, on};

/// The steps, in order (the `data-step` values).
pub const ORDER: [&str; 5] = ["what", "where", "details", "contact", "review"];
/// Where the owner's choice of one page is kept on the device.
pub const LAYOUT_KEY: &str = "portal.complaint-form-layout";
const ONE_PAGE: &str = "one-page";
/// Screens narrower than this (CSS pixels) get the steps.
const NARROW: f64 = 720.0;

/// Takes over the owner's form when it has steps: on a narrow screen, one at a time unless
/// the owner chose one page.
pub fn start(doc: &Document, form: &Element, lang: Lang) {
    let Some(switch) = by_id(doc, "step-switch") else {
        return;
    };
    if !narrow() {
        return;
    }
    let _ = switch.remove_attribute("hidden");
    if stored_layout().as_deref() == Some(ONE_PAGE) {
        turn_off(doc);
    } else {
        turn_on(doc, form, lang);
    }
    let d = doc.clone();
    let f = form.clone();
    on(&switch, "click", move |event: Event| {
        if crate::dom::target_id(&event).as_deref() != Some("steps-toggle") {
            return;
        }
        if f.class_list().contains("stepped") {
            store_layout(Some(ONE_PAGE));
            turn_off(&d);
        } else {
            store_layout(None);
            turn_on(&d, &f, lang);
        }
    });
    if let Some(nav) = by_id(doc, "step-nav") {
        let (d, f) = (doc.clone(), form.clone());
        on(
            &nav,
            "click",
            move |event: Event| match crate::dom::target_id(&event).as_deref() {
                Some("step-next") => next(&d, &f, lang),
                Some("step-back") => go(&d, &f, current(&f).saturating_sub(1), lang),
                _ => {}
            },
        );
    }
    if let Some(review) = by_id(doc, "step-review") {
        let (d, f) = (doc.clone(), form.clone());
        on(&review, "click", move |event: Event| {
            if let Some(step) = crate::dom::clicked_attr(&event, "data-goto") {
                if let Some(i) = ORDER.iter().position(|s| *s == step) {
                    go(&d, &f, i, lang);
                }
            }
        });
    }
    // Enter in a field before the last step goes to the next step, not out of the form.
    let (d, f) = (doc.clone(), form.clone());
    on(form, "submit", move |event: Event| {
        if f.class_list().contains("stepped") && current(&f) + 1 < ORDER.len() {
            event.prevent_default();
            event.stop_immediate_propagation();
            next(&d, &f, lang);
        }
    });
}

/// After the server refused what was sent: the step with the first problem.
pub fn show_first_problem(doc: &Document) {
    let Some(form) = by_id(doc, "file-form") else {
        return;
    };
    if form.class_list().contains("stepped") {
        go(doc, &form, first_problem(doc).unwrap_or(0), page_lang(doc));
    }
}

fn narrow() -> bool {
    web_sys::window()
        .and_then(|w| w.inner_width().ok())
        .and_then(|w| w.as_f64())
        .is_some_and(|w| w < NARROW)
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn stored_layout() -> Option<String> {
    storage()?.get_item(LAYOUT_KEY).ok()?
}

fn store_layout(value: Option<&str>) {
    if let Some(storage) = storage() {
        let _ = match value {
            Some(v) => storage.set_item(LAYOUT_KEY, v),
            None => storage.remove_item(LAYOUT_KEY),
        };
    }
}

fn turn_on(doc: &Document, form: &Element, lang: Lang) {
    let _ = form.class_list().add_1("stepped");
    for id in ["step-progress", "step-nav"] {
        if let Some(e) = by_id(doc, id) {
            let _ = e.remove_attribute("hidden");
        }
    }
    set_toggle(doc, "data-off");
    go(doc, form, first_problem(doc).unwrap_or(0), lang);
}

fn turn_off(doc: &Document) {
    if let Some(form) = by_id(doc, "file-form") {
        let _ = form.class_list().remove_1("stepped");
        let _ = form.remove_attribute("data-current");
    }
    for id in ["step-progress", "step-nav", "step-review"] {
        if let Some(e) = by_id(doc, id) {
            let _ = e.set_attribute("hidden", "");
        }
    }
    set_toggle(doc, "data-on");
}

fn set_toggle(doc: &Document, which: &str) {
    if let Some(toggle) = by_id(doc, "steps-toggle") {
        toggle.set_text_content(Some(&attr(&toggle, which)));
    }
}

fn page_lang(doc: &Document) -> Lang {
    doc.document_element()
        .and_then(|html| html.get_attribute("lang"))
        .and_then(|tag| Lang::from_tag(&tag))
        .unwrap_or_default()
}

fn current(form: &Element) -> usize {
    let step = attr(form, "data-current");
    ORDER.iter().position(|s| *s == step).unwrap_or(0)
}

/// The step holding the first problem shown on the page, if any.
fn first_problem(doc: &Document) -> Option<usize> {
    let shown = doc.query_selector_all(".field-error").ok()?;
    (0..shown.length())
        .filter_map(|i| shown.item(i)?.dyn_into::<Element>().ok())
        .filter(|e| !e.text_content().unwrap_or_default().trim().is_empty())
        .find_map(|e| step_of(&e))
}

fn step_of(e: &Element) -> Option<usize> {
    let step = e.closest(".form-step[data-step]").ok()??;
    let name = attr(&step, "data-step");
    ORDER.iter().position(|s| *s == name)
}

/// Shows step `i` alone, with its place in the progress list.
fn go(doc: &Document, form: &Element, i: usize, lang: Lang) {
    let i = i.min(ORDER.len() - 1);
    let name = ORDER[i];
    let _ = form.set_attribute("data-current", name);
    if let Ok(steps) = doc.query_selector_all(".form-step[data-step]") {
        for n in 0..steps.length() {
            let Some(step) = steps.item(n).and_then(|s| s.dyn_into::<Element>().ok()) else {
                continue;
            };
            let here = attr(&step, "data-step") == name;
            let _ = if here {
                step.class_list().add_1("current")
            } else {
                step.class_list().remove_1("current")
            };
        }
    }
    if let Some(review) = by_id(doc, "step-review") {
        if name == "review" {
            draw_review(doc, &review, lang);
            let _ = review.remove_attribute("hidden");
        } else {
            let _ = review.set_attribute("hidden", "");
        }
    }
    let mut label = String::new();
    if let Ok(items) = doc.query_selector_all("#step-progress li") {
        for n in 0..items.length() {
            let Some(item) = items.item(n).and_then(|s| s.dyn_into::<Element>().ok()) else {
                continue;
            };
            let list = item.class_list();
            let _ = list.toggle_with_force("done", (n as usize) < i);
            if n as usize == i {
                let _ = item.set_attribute("aria-current", "step");
                label = item.text_content().unwrap_or_default();
            } else {
                let _ = item.remove_attribute("aria-current");
            }
        }
    }
    if let (Some(progress), Some(count)) = (by_id(doc, "step-progress"), by_id(doc, "step-count")) {
        let text = fill(
            &attr(&progress, "data-of"),
            &[&(i + 1), &ORDER.len(), &label],
        );
        count.set_text_content(Some(&text));
    }
    for (id, shown) in [("step-back", i > 0), ("step-next", i + 1 < ORDER.len())] {
        if let Some(button) = by_id(doc, id) {
            let _ = if shown {
                button.remove_attribute("hidden")
            } else {
                button.set_attribute("hidden", "")
            };
        }
    }
    if let Some(top) = by_id(doc, "step-progress") {
        top.scroll_into_view();
    }
}

/// Checks the current step with the intake rules; on to the next one when it has no
/// problem, else the problems beside their fields and the first one focused.
fn next(doc: &Document, form: &Element, lang: Lang) {
    let i = current(form);
    let problems = match Intake::parse(&raw_intake(form), &IntakeLimits::default()) {
        Ok(_) => Vec::new(),
        Err(errors) => errors,
    };
    let mut first: Option<Element> = None;
    if let Ok(places) = doc.query_selector_all(".form-step.current .field-error") {
        for n in 0..places.length() {
            if let Some(place) = places.item(n).and_then(|p| p.dyn_into::<Element>().ok()) {
                place.set_text_content(None);
            }
        }
    }
    for problem in &problems {
        let Some(place) = by_id(doc, &format!("{}-error", problem.field())) else {
            continue;
        };
        if step_of(&place) != Some(i) {
            continue;
        }
        place.set_text_content(Some(problem.message(lang)));
        if first.is_none() {
            first = Some(place);
        }
    }
    match first {
        Some(place) => {
            let field = place
                .closest(".field")
                .ok()
                .flatten()
                .and_then(|f| f.query_selector("input, select, textarea").ok().flatten());
            if let Some(field) = field.and_then(|f| f.dyn_into::<HtmlElement>().ok()) {
                let _ = field.focus();
            }
            place.scroll_into_view();
        }
        None => go(doc, form, i + 1, lang),
    }
}

/// The form's fields as the server reads them.
fn raw_intake(form: &Element) -> RawIntake {
    let mut raw = RawIntake::default();
    for (name, value) in crate::draft::collect(form) {
        let Some(key) = name
            .strip_prefix("intake[")
            .and_then(|rest| rest.strip_suffix(']'))
        else {
            continue;
        };
        if let Some(answer) = key.strip_prefix("answers][") {
            raw.answers.insert(answer.to_owned(), value);
            continue;
        }
        match key {
            "description" => raw.description = value,
            "category" => raw.category = value,
            "community_id" => raw.community_id = value,
            "building_id" => raw.building_id = value,
            "unit" => raw.unit = value,
            "name" => raw.name = value,
            "phone" => raw.phone = value,
            "people_count" => raw.people_count = value,
            "claimed_amount_yuan" => raw.claimed_amount_yuan = value,
            "impact" => raw.impact = value,
            "flags][" => raw.flags.push(value),
            "emergency" => raw.emergency = value,
            "submission_key" => raw.submission_key = value,
            "topic" => raw.topic = value,
            _ => {}
        }
    }
    raw
}

/// What is about to be sent, by step, each with "修改".
fn draw_review(doc: &Document, review: &Element, lang: Lang) {
    let Some(list) = by_id(doc, "review-list") else {
        return;
    };
    let Some(form) = by_id(doc, "file-form") else {
        return;
    };
    list.set_inner_html("");
    let raw = raw_intake(&form);
    let step_names: Vec<String> = (0..4)
        .map(|i| text_at(doc, &format!("#step-progress li[data-step={}]", ORDER[i])))
        .collect();
    let category = Category::parse(&raw.category);
    let mut details: Vec<(String, String)> = Vec::new();
    if let Some(category) = category {
        if let Ok(answers) = Answers::parse(category, &raw.answers) {
            details.extend(answers.shown(category, lang));
        }
    }
    details.extend(rows(
        doc,
        &["impact", "people_count", "claimed_amount_yuan"],
    ));
    let flags: Vec<String> = checked_labels(doc, "intake[flags][]");
    if !flags.is_empty() {
        let legend = text_at(doc, "fieldset.checks legend");
        details.push((legend, flags.join("、")));
    }
    if let Some(label) = checked_labels(doc, "intake[emergency]").into_iter().next() {
        details.push((label, "✓".to_owned()));
    }
    let files = by_id(doc, "files")
        .and_then(|f| f.dyn_into::<HtmlInputElement>().ok())
        .and_then(|f| f.files())
        .map_or(0, |l| l.length());
    if files > 0 {
        let label = text_at(doc, "label[for=files]");
        details.push((label, fill(&attr(review, "data-files"), &[&files])));
    }
    let mut what = Vec::new();
    if let Some(topic) = Topic::parse(&raw.topic) {
        let legend = text_at(doc, "fieldset.topics legend");
        what.push((legend, topic.label(lang).to_owned()));
    }
    what.extend(rows(doc, &["description", "category"]));
    let groups = [
        what,
        rows(doc, &["community_id", "building_id", "unit"]),
        details,
        rows(doc, &["name", "phone"]),
    ];
    let empty = attr(review, "data-empty");
    let edit = attr(review, "data-edit");
    for (i, group) in groups.into_iter().enumerate() {
        let section = el(doc, "div", "review-group", "");
        let head = el(doc, "div", "review-head", "");
        child(&head, &el(doc, "h3", "", &step_names[i]));
        let button = el(doc, "button", "link", &edit);
        let _ = button.set_attribute("type", "button");
        let _ = button.set_attribute("data-goto", ORDER[i]);
        let colon = if lang == Lang::Zh { "：" } else { ": " };
        let _ = button.set_attribute("aria-label", &format!("{edit}{colon}{}", step_names[i]));
        child(&head, &button);
        child(&section, &head);
        let dl = el(doc, "dl", "facts", "");
        if group.is_empty() {
            child(&dl, &el(doc, "dd", "muted", &empty));
        }
        for (label, value) in group {
            child(&dl, &el(doc, "dt", "", &label));
            child(&dl, &el(doc, "dd", "", &value));
        }
        child(&section, &dl);
        child(&list, &section);
    }
}

/// (label, value as shown) of the fields with these ids that have a value; a list shows
/// the chosen option's words.
fn rows(doc: &Document, ids: &[&str]) -> Vec<(String, String)> {
    ids.iter()
        .filter_map(|id| {
            let field = by_id(doc, id)?;
            let value = if let Some(select) = field.dyn_ref::<HtmlSelectElement>() {
                if select.value().is_empty() {
                    return None;
                }
                select
                    .selected_options()
                    .item(0)
                    .and_then(|o| o.text_content())
                    .unwrap_or_default()
            } else if let Some(input) = field.dyn_ref::<HtmlInputElement>() {
                input.value()
            } else if let Some(area) = field.dyn_ref::<web_sys::HtmlTextAreaElement>() {
                area.value()
            } else {
                return None;
            };
            let value = value.trim().to_owned();
            if value.is_empty() {
                return None;
            }
            // Without the required mark ("问题描述 *").
            let label = text_at(doc, &format!("label[for={id}]"));
            Some((
                label.trim().trim_end_matches('*').trim_end().to_owned(),
                value,
            ))
        })
        .collect()
}

/// The text of the first element `selector` finds, or "".
fn text_at(doc: &Document, selector: &str) -> String {
    doc.query_selector(selector)
        .ok()
        .flatten()
        .and_then(|e| e.text_content())
        .unwrap_or_default()
}

/// The words beside the ticked boxes named `name`.
fn checked_labels(doc: &Document, name: &str) -> Vec<String> {
    let Ok(list) = doc.query_selector_all(&format!("input[name=\"{name}\"]:checked")) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into::<Element>().ok())
        .filter_map(|input| input.closest("label").ok().flatten())
        .filter_map(|label| label.text_content())
        .map(|t| t.trim().to_owned())
        .collect()
}
