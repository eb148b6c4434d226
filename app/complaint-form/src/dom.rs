//! The little DOM this page needs: find, read, create, listen, fetch.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{
    Document, Element, Event, EventTarget, Headers, HtmlInputElement, HtmlSelectElement,
    RequestInit, Response,
};

pub fn by_id(doc: &Document, id: &str) -> Option<Element> {
    doc.get_element_by_id(id)
}

/// An attribute's value, or "".
pub fn attr(el: &Element, name: &str) -> String {
    el.get_attribute(name).unwrap_or_default()
}

/// The value of the input or select with this id, or "".
pub fn value_of(doc: &Document, id: &str) -> String {
    let Some(el) = by_id(doc, id) else {
        return String::new();
    };
    if let Some(input) = el.dyn_ref::<HtmlInputElement>() {
        return input.value();
    }
    el.dyn_ref::<HtmlSelectElement>()
        .map(HtmlSelectElement::value)
        .unwrap_or_default()
}

/// Sets the value of the input or select with this id.
pub fn set_value(doc: &Document, id: &str, value: &str) {
    let Some(el) = by_id(doc, id) else {
        return;
    };
    if let Some(input) = el.dyn_ref::<HtmlInputElement>() {
        input.set_value(value);
    } else if let Some(select) = el.dyn_ref::<HtmlSelectElement>() {
        select.set_value(value);
    }
}

/// The values of the ticked checkboxes named `name`.
pub fn checked_values(doc: &Document, name: &str) -> Vec<String> {
    let Ok(list) = doc.query_selector_all(&format!("input[name=\"{name}\"]:checked")) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|node| node.dyn_into::<HtmlInputElement>().ok())
        .map(|input| input.value())
        .collect()
}

/// `<tag class>text</tag>` (no class or text when empty); `tag` is one of this crate's
/// constants, which the DOM always accepts.
pub fn el(doc: &Document, tag: &str, class: &str, text: &str) -> Element {
    let el = doc.create_element(tag).expect("a valid tag name");
    if !class.is_empty() {
        el.set_class_name(class);
    }
    if !text.is_empty() {
        el.set_text_content(Some(text));
    }
    el
}

pub fn child(parent: &Element, node: &Element) {
    let _ = parent.append_child(node);
}

/// Appends a text node.
pub fn text(doc: &Document, parent: &Element, text: &str) {
    let _ = parent.append_child(&doc.create_text_node(text));
}

/// Listens for the page's lifetime.
pub fn on(target: &EventTarget, name: &str, handler: impl FnMut(Event) + 'static) {
    let handler = Closure::<dyn FnMut(Event)>::new(handler);
    let _ = target.add_event_listener_with_callback(name, handler.as_ref().unchecked_ref());
    handler.forget();
}

/// The id of the element an event happened on.
pub fn target_id(event: &Event) -> Option<String> {
    event
        .target()
        .and_then(|t| t.dyn_into::<Element>().ok())
        .map(|el| el.id())
}

/// `name`'s value on the nearest element with it, from where a click landed.
pub fn clicked_attr(event: &Event, name: &str) -> Option<String> {
    let el: Element = event.target()?.dyn_into().ok()?;
    el.closest(&format!("[{name}]")).ok()??.get_attribute(name)
}

/// Runs `f` once the current event has finished.
pub fn soon(f: impl FnOnce() + 'static) {
    if let Some(window) = web_sys::window() {
        let f = Closure::once_into_js(f);
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(f.unchecked_ref(), 0);
    }
}

/// A property of a JS object (undefined when missing).
pub fn field(object: &JsValue, name: &str) -> JsValue {
    js_sys::Reflect::get(object, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

/// POSTs nothing to a server function and hands its JSON answer to `done`; a failed
/// request calls nothing (the page works without what it would have added).
pub fn post_json(url: &str, done: impl FnOnce(JsValue) + 'static) {
    fetch_json("POST", url, done);
}

/// GETs `url` and hands its JSON answer to `done`; a failed request calls nothing.
pub fn get_json(url: &str, done: impl FnOnce(JsValue) + 'static) {
    fetch_json("GET", url, done);
}

fn fetch_json(method: &str, url: &str, done: impl FnOnce(JsValue) + 'static) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let init = RequestInit::new();
    init.set_method(method);
    if let Ok(headers) = Headers::new() {
        let _ = headers.set("Accept", "application/json");
        init.set_headers(&headers);
    }
    let on_json = Closure::<dyn FnMut(JsValue)>::once(done);
    let on_response = Closure::<dyn FnMut(JsValue)>::once(move |response: JsValue| {
        if let Some(json) = response
            .dyn_into::<Response>()
            .ok()
            .filter(Response::ok)
            .and_then(|response| response.json().ok())
        {
            let _ = json.then(&on_json);
        }
        on_json.forget();
    });
    let _ = window
        .fetch_with_str_and_init(url, &init)
        .then(&on_response);
    on_response.forget();
}

/// GETs `url` and hands the body's bytes to `done`; a failed request calls nothing. The
/// browser's HTTP cache applies (versioned addresses are cached for good).
pub fn get_bytes(url: &str, done: impl FnOnce(Vec<u8>) + 'static) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let on_buffer = Closure::<dyn FnMut(JsValue)>::once(move |buffer: JsValue| {
        done(js_sys::Uint8Array::new(&buffer).to_vec());
    });
    let on_response = Closure::<dyn FnMut(JsValue)>::once(move |response: JsValue| {
        if let Some(buffer) = response
            .dyn_into::<Response>()
            .ok()
            .filter(Response::ok)
            .and_then(|response| response.array_buffer().ok())
        {
            let _ = buffer.then(&on_buffer);
        }
        on_buffer.forget();
    });
    let _ = window.fetch_with_str(url).then(&on_response);
    on_response.forget();
}
