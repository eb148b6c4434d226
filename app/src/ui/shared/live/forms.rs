//! What the user is typing survives a refetch that re-renders the forms around it.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::set_timeout;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::js_sys::Date;
use web_sys::{
    Element, HtmlElement, HtmlInputElement, HtmlOptionElement, HtmlSelectElement,
    HtmlTextAreaElement,
};

const FIELDS: &str = "main form input, main form textarea, main form select";
/// A form submitted this recently is not restored: its text was sent.
const SENT_MS: f64 = 15_000.0;
const RETRY: Duration = Duration::from_millis(50);
/// Ten seconds of looking for the re-rendered fields (a slow refetch on a phone).
const ATTEMPTS: u32 = 200;

thread_local! {
    static SENT: RefCell<Vec<(String, f64)>> = const { RefCell::new(Vec::new()) };
    static WATCHING: RefCell<bool> = const { RefCell::new(false) };
    /// What the user last put into each field they changed (as their input and change
    /// events left it), and whether they were in it.
    static LATEST: RefCell<Vec<Latest>> = const { RefCell::new(Vec::new()) };
}

struct Latest {
    node: Element,
    value: Value,
    selection: Option<(u32, u32)>,
}

#[derive(Clone)]
enum Value {
    /// Files chosen in a file input (a `FileList` can be handed to another input).
    Files(web_sys::FileList),
    Text(String),
    Checked(bool),
    Choice(String),
}

/// A field as it was when the refetch began. A re-render may replace it (a new node with
/// the same key) or rebuild it in place, which resets what it holds (a file input's files
/// go when its `type` is set again; a value bound to a fresh signal goes blank). Either
/// way the user's latest value (`LATEST`) is put back, if the field now shows what the
/// page rendered rather than something the page itself put there.
pub struct Typed {
    key: String,
    node: Element,
    /// Whether the user was in this field when last seen attached.
    focused: std::cell::Cell<bool>,
}

fn document() -> Option<web_sys::Document> {
    web_sys::window().and_then(|w| w.document())
}

fn form_key(field: &Element) -> String {
    field
        .closest("form")
        .ok()
        .flatten()
        .map(|form| {
            form.get_attribute("data-step")
                .or_else(|| form.get_attribute("action"))
                .unwrap_or_default()
        })
        .unwrap_or_default()
}

/// Fields are matched across renders by id, or by form, name (and value for choices).
fn key(field: &Element) -> String {
    if !field.id().is_empty() {
        return format!("#{}", field.id());
    }
    let name = field.get_attribute("name").unwrap_or_default();
    let value = match field.dyn_ref::<HtmlInputElement>() {
        Some(input) if matches!(input.type_().as_str(), "radio" | "checkbox") => input.value(),
        _ => String::new(),
    };
    format!("{}|{name}|{value}", form_key(field))
}

/// Remembers forms as they are submitted (once per page).
pub fn watch_submissions() {
    if WATCHING.with(|w| w.replace(true)) {
        return;
    }
    let Some(document) = document() else {
        return;
    };
    let on_submit = Closure::<dyn FnMut(web_sys::Event)>::new(|event: web_sys::Event| {
        if let Some(form) = event.target().and_then(|t| t.dyn_into::<Element>().ok()) {
            let key = form
                .get_attribute("data-step")
                .or_else(|| form.get_attribute("action"))
                .unwrap_or_default();
            SENT.with(|sent| {
                let mut sent = sent.borrow_mut();
                sent.retain(|(_, at)| Date::now() - at < SENT_MS);
                sent.push((key, Date::now()));
            });
        }
    });
    let _ = document.add_event_listener_with_callback_and_bool(
        "submit",
        on_submit.as_ref().unchecked_ref(),
        true,
    );
    // Lives as long as the page.
    on_submit.forget();
    let on_value = Closure::<dyn FnMut(web_sys::Event)>::new(|event: web_sys::Event| {
        let Some(field) = event.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
            return;
        };
        if !field.matches(FIELDS).unwrap_or(false) {
            return;
        }
        remember(&field);
    });
    for kind in ["input", "change"] {
        let _ = document.add_event_listener_with_callback_and_bool(
            kind,
            on_value.as_ref().unchecked_ref(),
            true,
        );
    }
    on_value.forget();
}

/// Keeps what the user put into `field` (forgetting fields no longer in the page).
fn remember(field: &Element) {
    LATEST.with(|latest| {
        let mut latest = latest.borrow_mut();
        latest.retain(|l| l.node.is_connected() && !l.node.is_same_node(Some(field.as_ref())));
        if let Some((value, selection)) = changed(field) {
            latest.push(Latest {
                node: field.clone(),
                value,
                selection,
            });
        }
    });
}

fn latest_of(node: &Element) -> Option<(Value, Option<(u32, u32)>)> {
    LATEST.with(|latest| {
        latest
            .borrow()
            .iter()
            .find(|l| l.node.is_same_node(Some(node.as_ref())))
            .map(|l| (l.value.clone(), l.selection))
    })
}

fn forget(node: &Element) {
    LATEST.with(|latest| {
        latest
            .borrow_mut()
            .retain(|l| !l.node.is_same_node(Some(node.as_ref())))
    });
}

fn recently_sent(form: &str) -> bool {
    SENT.with(|sent| {
        sent.borrow()
            .iter()
            .any(|(key, at)| key == form && Date::now() - at < SENT_MS)
    })
}

fn fields() -> Vec<Element> {
    let Some(list) = document().and_then(|d| d.query_selector_all(FIELDS).ok()) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|node| node.dyn_into::<Element>().ok())
        .collect()
}

/// The selected characters of a text field, when the browser tells.
fn range(
    start: Result<Option<u32>, wasm_bindgen::JsValue>,
    end: Result<Option<u32>, wasm_bindgen::JsValue>,
) -> Option<(u32, u32)> {
    start.ok().flatten().zip(end.ok().flatten())
}

/// The fields whose value differs from what the page rendered.
fn changed(field: &Element) -> Option<(Value, Option<(u32, u32)>)> {
    if let Some(input) = field.dyn_ref::<HtmlInputElement>() {
        return match input.type_().as_str() {
            "hidden" | "submit" | "button" | "reset" => None,
            "file" => input
                .files()
                .filter(|files| files.length() > 0)
                .map(|files| (Value::Files(files), None)),
            "radio" | "checkbox" => (input.checked() != input.default_checked())
                .then(|| (Value::Checked(input.checked()), None)),
            _ => (input.value() != input.default_value()).then(|| {
                let selection = range(input.selection_start(), input.selection_end());
                (Value::Text(input.value()), selection)
            }),
        };
    }
    if let Some(area) = field.dyn_ref::<HtmlTextAreaElement>() {
        let rendered = area.default_value().unwrap_or_default();
        return (area.value() != rendered).then(|| {
            let selection = range(area.selection_start(), area.selection_end());
            (Value::Text(area.value()), selection)
        });
    }
    let select = field.dyn_ref::<HtmlSelectElement>()?;
    let options = select.options();
    let moved = (0..options.length())
        .filter_map(|i| options.item(i))
        .filter_map(|o| o.dyn_into::<HtmlOptionElement>().ok())
        .any(|o| o.selected() != o.default_selected());
    moved.then(|| (Value::Choice(select.value()), None))
}

pub fn snapshot() -> Vec<Typed> {
    let active = document().and_then(|d| d.active_element());
    fields()
        .into_iter()
        .filter(|field| !recently_sent(&form_key(field)))
        // Typed before the page listened (before hydration): remembered now.
        .inspect(|field| {
            if latest_of(field).is_none() {
                remember(field);
            }
        })
        .map(|field| Typed {
            key: key(&field),
            focused: std::cell::Cell::new(is_active(&active, &field)),
            node: field,
        })
        .collect()
}

fn is_active(active: &Option<Element>, field: &Element) -> bool {
    active
        .as_ref()
        .is_some_and(|a| a.is_same_node(Some(field.as_ref())))
}

/// Puts typed values into the re-rendered fields as they appear (the refetch is
/// asynchronous); gives up after a few seconds.
pub fn restore(typed: Vec<Typed>) {
    if typed.is_empty() {
        return;
    }
    let pending = Rc::new(RefCell::new(typed));
    observe(pending.clone());
    attempt(pending, ATTEMPTS);
}

/// Carries values over the moment the re-rendered fields are in the page: a mutation
/// observer's callback runs before the next event is handled, so a tap on "send" right
/// after typing sends what was typed. (`attempt`'s polling keeps track of focus and is
/// the fallback.)
fn observe(pending: Rc<RefCell<Vec<Typed>>>) {
    let Some(main) = document().and_then(|d| d.query_selector("main").ok().flatten()) else {
        return;
    };
    let watched = pending.clone();
    let callback = Closure::<dyn FnMut()>::new(move || carry_over(&watched));
    let Ok(observer) = web_sys::MutationObserver::new(callback.as_ref().unchecked_ref()) else {
        return;
    };
    let init = web_sys::MutationObserverInit::new();
    init.set_child_list(true);
    init.set_subtree(true);
    // An in-place rebuild sets the fields' attributes again: that is the moment to look.
    init.set_attributes(true);
    if observer.observe_with_options(&main, &init).is_err() {
        return;
    }
    set_timeout(
        move || {
            observer.disconnect();
            drop(callback);
        },
        RETRY * ATTEMPTS,
    );
}

fn attempt(pending: Rc<RefCell<Vec<Typed>>>, left: u32) {
    carry_over(&pending);
    if left > 0 && !pending.borrow().is_empty() {
        set_timeout(move || attempt(pending, left - 1), RETRY);
    }
}

fn carry_over(pending: &Rc<RefCell<Vec<Typed>>>) {
    {
        let fields = fields();
        let active = document().and_then(|d| d.active_element());
        pending.borrow_mut().retain(|typed| {
            let Some(field) = fields.iter().find(|f| key(f) == typed.key) else {
                return true;
            };
            if recently_sent(&form_key(field)) {
                // Sent meanwhile: what it held is on its way, and the form may clear.
                forget(&typed.node);
                return false;
            }
            let same = field.is_same_node(Some(typed.node.as_ref()));
            if same {
                typed.focused.set(is_active(&active, field));
            }
            // Only a field that now shows what the page rendered is given the user's value
            // back; one the page itself filled in (a canned reply) is left alone.
            if changed(field).is_none() {
                if let Some((value, selection)) = latest_of(&typed.node) {
                    apply(field, &value, selection, typed.focused.get());
                }
            }
            if same {
                // Rebuilt in place, or not re-rendered yet: keep watching.
                return true;
            }
            forget(&typed.node);
            false
        });
    }
}

fn apply(field: &Element, value: &Value, selection: Option<(u32, u32)>, focused: bool) {
    match value {
        Value::Files(files) => {
            if let Some(input) = field.dyn_ref::<HtmlInputElement>() {
                input.set_files(Some(files));
            }
        }
        Value::Text(text) => {
            if let Some(input) = field.dyn_ref::<HtmlInputElement>() {
                input.set_value(text);
            } else if let Some(area) = field.dyn_ref::<HtmlTextAreaElement>() {
                area.set_value(text);
            }
        }
        Value::Checked(checked) => {
            if let Some(input) = field.dyn_ref::<HtmlInputElement>() {
                input.set_checked(*checked);
            }
        }
        Value::Choice(value) => {
            if let Some(select) = field.dyn_ref::<HtmlSelectElement>() {
                select.set_value(value);
            }
        }
    }
    // Components that follow the field's input (counters, the phrase checker) catch up.
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let kind = if matches!(value, Value::Text(_)) {
        "input"
    } else {
        "change"
    };
    if let Ok(event) = web_sys::Event::new_with_event_init_dict(kind, &init) {
        let _ = field.dispatch_event(&event);
    }
    if focused {
        if let Some(element) = field.dyn_ref::<HtmlElement>() {
            let _ = element.focus();
        }
        if let Some((start, end)) = selection {
            if let Some(input) = field.dyn_ref::<HtmlInputElement>() {
                let _ = input.set_selection_range(start, end);
            } else if let Some(area) = field.dyn_ref::<HtmlTextAreaElement>() {
                let _ = area.set_selection_range(start, end);
            }
        }
    }
}
