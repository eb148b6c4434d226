//! Live updates (issue 7): a page follows its server-sent event stream and refetches its
//! resources on every change, keeping what the user is typing. When the stream is down,
//! or the browser has no EventSource, it refetches every 30 seconds instead and says so.
//! Without JavaScript nothing of this runs: the page is the server's render, as always.

use leptos::prelude::*;

use crate::i18n::{t, LiveMsg};

/// What the live indicator shows (only the browser leaves `Off`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
pub enum LiveState {
    /// Not following (server render, no JavaScript, or nothing to follow).
    Off,
    Connecting,
    Live,
    /// The stream is down: refetching every 30 seconds until it is back.
    Polling,
}

/// A page's live updates. Read `version()` in a resource's source: the resource then
/// refetches whenever something the page shows changed.
#[derive(Clone, Copy)]
pub struct Live {
    version: RwSignal<u32>,
    state: RwSignal<LiveState>,
}

impl Live {
    /// Create it before the page's resources (they read `version()`), then `follow` a
    /// stream URL that may depend on them.
    #[allow(clippy::new_without_default)]
    pub fn new() -> Live {
        Live {
            version: RwSignal::new(0),
            state: RwSignal::new(LiveState::Off),
        }
    }

    pub fn version(&self) -> u32 {
        self.version.get()
    }

    /// Follows the stream at `url()` once the page's data has `loaded()` (`Some(true)`);
    /// follows nothing when it failed to load (`Some(false)`: no rights), and keeps
    /// following while it reloads (`None`), so a refetch does not reconnect. In the
    /// browser only; on the server this does nothing.
    pub fn follow(
        self,
        loaded: impl Fn() -> Option<bool> + 'static,
        url: impl Fn() -> String + 'static,
    ) {
        #[cfg(feature = "hydrate")]
        browser::follow(self, loaded, url);
        #[cfg(not(feature = "hydrate"))]
        let _ = (loaded, url);
    }
}

/// Whether a resource's value is there (`Some`) and good (`true`).
pub fn loaded<T, E>(value: &Option<Result<T, E>>) -> Option<bool> {
    value.as_ref().map(Result::is_ok)
}

/// "实时更新中" / "连接中断,每30秒自动刷新". The region is always there (empty without
/// JavaScript), so screen readers announce its changes.
#[component]
pub fn LiveIndicator(live: Live) -> impl IntoView {
    view! {
        <span class="live-region" role="status" data-testid="live">
            {move || {
                let (class, text) = match live.state.get() {
                    LiveState::Off => return None,
                    LiveState::Connecting => ("live connecting", t(LiveMsg::Connecting)),
                    LiveState::Live => ("live on", t(LiveMsg::On)),
                    LiveState::Polling => ("live down", t(LiveMsg::Down)),
                };
                Some(view! { <span class=class><span class="live-dot" aria-hidden="true"></span>{text}</span> })
            }}
        </span>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use std::cell::RefCell;
    use std::rc::{Rc, Weak};
    use std::time::Duration;

    use leptos::prelude::*;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    use web_sys::{EventSource, MessageEvent};

    use super::{forms, Live, LiveState};

    /// How often a page refetches while its stream is down.
    const POLL: Duration = Duration::from_secs(30);
    /// Changes arriving together cause one refetch.
    const SETTLE: Duration = Duration::from_millis(80);

    pub fn follow(
        live: Live,
        loaded: impl Fn() -> Option<bool> + 'static,
        url: impl Fn() -> String + 'static,
    ) {
        forms::watch_submissions();
        let current = StoredValue::new_local(None::<Follower>);
        // An effect, so the resource is read only once the page is hydrated.
        Effect::new(move |previous: Option<Option<String>>| {
            let previous = previous.flatten();
            let next = match loaded() {
                Some(true) => Some(url()),
                Some(false) => None,
                None => previous.clone(),
            };
            if next != previous {
                // Dropping the old follower closes its stream.
                current.set_value(None);
                current.set_value(next.clone().map(|url| Follower::start(live, url)));
            }
            next
        });
        on_cleanup(move || {
            let _ = current.try_set_value(None);
        });
    }

    /// One followed stream; dropping it closes the stream and stops its timers.
    struct Follower {
        _state: Rc<RefCell<State>>,
    }

    struct State {
        live: Live,
        url: String,
        last_event_id: Option<String>,
        source: Option<EventSource>,
        listeners: Vec<Closure<dyn FnMut(web_sys::Event)>>,
        poll: Option<IntervalHandle>,
        settle: Option<TimeoutHandle>,
        /// Follows the tab's visibility (see `visibility_changed`).
        on_visibility: Option<Closure<dyn FnMut(web_sys::Event)>>,
    }

    impl Drop for State {
        fn drop(&mut self) {
            self.close();
            if let (Some(document), Some(on_visibility)) = (document(), self.on_visibility.take()) {
                let _ = document.remove_event_listener_with_callback(
                    "visibilitychange",
                    on_visibility.as_ref().unchecked_ref(),
                );
            }
            if let Some(poll) = self.poll.take() {
                poll.clear();
            }
            if let Some(settle) = self.settle.take() {
                settle.clear();
            }
        }
    }

    impl State {
        fn close(&mut self) {
            if let Some(source) = self.source.take() {
                source.close();
            }
            self.listeners.clear();
        }

        fn set_state(&self, state: LiveState) {
            let _ = self.live.state.try_set(state);
        }
    }

    impl Follower {
        fn start(live: Live, url: String) -> Follower {
            let state = Rc::new(RefCell::new(State {
                live,
                url,
                last_event_id: None,
                source: None,
                listeners: Vec::new(),
                poll: None,
                settle: None,
                on_visibility: None,
            }));
            let on_visibility = listener(&Rc::downgrade(&state), visibility_changed);
            if let Some(document) = document() {
                let _ = document.add_event_listener_with_callback(
                    "visibilitychange",
                    on_visibility.as_ref().unchecked_ref(),
                );
            }
            state.borrow_mut().on_visibility = Some(on_visibility);
            if !hidden() {
                connect(&state);
            }
            Follower { _state: state }
        }
    }

    fn document() -> Option<web_sys::Document> {
        web_sys::window().and_then(|w| w.document())
    }

    fn hidden() -> bool {
        document().is_some_and(|d| d.hidden())
    }

    /// A tab in the background holds no stream (browsers allow six connections per host
    /// over HTTP/1.1; staff keep many tabs open). Back in front, it reconnects and
    /// refetches what it missed.
    fn visibility_changed(state: &Rc<RefCell<State>>, _: web_sys::Event) {
        if hidden() {
            let mut s = state.borrow_mut();
            s.close();
            if let Some(poll) = s.poll.take() {
                poll.clear();
            }
        } else if state.borrow().source.is_none() {
            connect(state);
        }
    }

    fn listener(
        weak: &Weak<RefCell<State>>,
        on: fn(&Rc<RefCell<State>>, web_sys::Event),
    ) -> Closure<dyn FnMut(web_sys::Event)> {
        let weak = weak.clone();
        Closure::new(move |event: web_sys::Event| {
            if let Some(state) = weak.upgrade() {
                on(&state, event);
            }
        })
    }

    /// Opens the stream; a reconnect by hand says where it left off.
    fn connect(state: &Rc<RefCell<State>>) {
        let weak = Rc::downgrade(state);
        let mut s = state.borrow_mut();
        s.close();
        let url = match &s.last_event_id {
            Some(id) => format!(
                "{}{}last_event_id={id}",
                s.url,
                if s.url.contains('?') { '&' } else { '?' }
            ),
            None => s.url.clone(),
        };
        let Ok(source) = EventSource::new(&url) else {
            // No EventSource in this browser: poll.
            drop(s);
            stream_down(state);
            return;
        };
        let on_open = listener(&weak, opened);
        let on_change = listener(&weak, changed);
        let on_error = listener(&weak, failed);
        source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        source.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        for name in ["change", "resync"] {
            let _ =
                source.add_event_listener_with_callback(name, on_change.as_ref().unchecked_ref());
        }
        s.listeners = vec![on_open, on_change, on_error];
        s.source = Some(source);
        if s.live.state.try_get_untracked() != Some(LiveState::Polling) {
            s.set_state(LiveState::Connecting);
        }
    }

    /// Connected (again): live. Refetch once, for whatever changed while the page was
    /// being rendered, hydrated or disconnected.
    fn opened(state: &Rc<RefCell<State>>, _: web_sys::Event) {
        let mut s = state.borrow_mut();
        s.set_state(LiveState::Live);
        if let Some(poll) = s.poll.take() {
            poll.clear();
        }
        drop(s);
        refresh_soon(state);
    }

    fn changed(state: &Rc<RefCell<State>>, event: web_sys::Event) {
        if let Some(id) = event
            .dyn_ref::<MessageEvent>()
            .map(MessageEvent::last_event_id)
            .filter(|id| !id.is_empty())
        {
            state.borrow_mut().last_event_id = Some(id);
        }
        refresh_soon(state);
    }

    /// The browser reconnects by itself unless the stream is closed for good (refused,
    /// or not an event stream): then each poll tries again.
    fn failed(state: &Rc<RefCell<State>>, _: web_sys::Event) {
        stream_down(state);
    }

    fn stream_down(state: &Rc<RefCell<State>>) {
        let mut s = state.borrow_mut();
        s.set_state(LiveState::Polling);
        if s.poll.is_some() {
            return;
        }
        let weak = Rc::downgrade(state);
        s.poll = set_interval_with_handle(
            move || {
                let Some(state) = weak.upgrade() else {
                    return;
                };
                refresh(&state.borrow().live);
                let closed = state
                    .borrow()
                    .source
                    .as_ref()
                    .is_none_or(|s| s.ready_state() == EventSource::CLOSED);
                if closed {
                    connect(&state);
                }
            },
            POLL,
        )
        .ok();
    }

    fn refresh_soon(state: &Rc<RefCell<State>>) {
        let mut s = state.borrow_mut();
        if s.settle.is_some() {
            return;
        }
        let weak = Rc::downgrade(state);
        s.settle = set_timeout_with_handle(
            move || {
                if let Some(state) = weak.upgrade() {
                    let live = {
                        let mut s = state.borrow_mut();
                        s.settle = None;
                        s.live
                    };
                    refresh(&live);
                }
            },
            SETTLE,
        )
        .ok();
    }

    /// Refetches the page's resources, putting back what the user was typing once the
    /// page has re-rendered.
    fn refresh(live: &Live) {
        let typed = forms::snapshot();
        let _ = live.version.try_update(|v| *v = v.wrapping_add(1));
        forms::restore(typed);
    }
}

/// What the user is typing survives a refetch that re-renders the forms around it.
#[cfg(feature = "hydrate")]
mod forms {
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
    const ATTEMPTS: u32 = 100;

    thread_local! {
        static SENT: RefCell<Vec<(String, f64)>> = const { RefCell::new(Vec::new()) };
        static WATCHING: RefCell<bool> = const { RefCell::new(false) };
    }

    enum Value {
        Text(String),
        Checked(bool),
        Choice(String),
    }

    pub struct Typed {
        key: String,
        node: Element,
        value: Value,
        selection: Option<(u32, u32)>,
        focused: bool,
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

    /// The fields whose value differs from what the page rendered.
    fn changed(field: &Element) -> Option<(Value, Option<(u32, u32)>)> {
        if let Some(input) = field.dyn_ref::<HtmlInputElement>() {
            return match input.type_().as_str() {
                "hidden" | "submit" | "button" | "reset" | "file" => None,
                "radio" | "checkbox" => (input.checked() != input.default_checked())
                    .then(|| (Value::Checked(input.checked()), None)),
                _ => (input.value() != input.default_value()).then(|| {
                    let selection = input
                        .selection_start()
                        .ok()
                        .flatten()
                        .zip(input.selection_end().ok().flatten());
                    (Value::Text(input.value()), selection)
                }),
            };
        }
        if let Some(area) = field.dyn_ref::<HtmlTextAreaElement>() {
            let rendered = area.default_value().unwrap_or_default();
            return (area.value() != rendered).then(|| {
                let selection = area
                    .selection_start()
                    .ok()
                    .flatten()
                    .zip(area.selection_end().ok().flatten());
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
            .filter_map(|field| {
                let (value, selection) = changed(&field)?;
                Some(Typed {
                    key: key(&field),
                    focused: active
                        .as_ref()
                        .is_some_and(|a| a.is_same_node(Some(field.as_ref()))),
                    node: field,
                    value,
                    selection,
                })
            })
            .collect()
    }

    /// Puts typed values into the re-rendered fields as they appear (the refetch is
    /// asynchronous); gives up after a few seconds.
    pub fn restore(typed: Vec<Typed>) {
        if typed.is_empty() {
            return;
        }
        let pending = Rc::new(RefCell::new(typed));
        attempt(pending, ATTEMPTS);
    }

    fn attempt(pending: Rc<RefCell<Vec<Typed>>>, left: u32) {
        {
            let fields = fields();
            pending.borrow_mut().retain(|typed| {
                let Some(field) = fields.iter().find(|f| key(f) == typed.key) else {
                    return true;
                };
                if field.is_same_node(Some(typed.node.as_ref())) {
                    // Not re-rendered (yet): the user's value is still in it.
                    return true;
                }
                apply(field, typed);
                false
            });
        }
        if left > 0 && !pending.borrow().is_empty() {
            set_timeout(move || attempt(pending, left - 1), RETRY);
        }
    }

    fn apply(field: &Element, typed: &Typed) {
        match &typed.value {
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
        let kind = if matches!(typed.value, Value::Text(_)) {
            "input"
        } else {
            "change"
        };
        if let Ok(event) = web_sys::Event::new_with_event_init_dict(kind, &init) {
            let _ = field.dispatch_event(&event);
        }
        if typed.focused {
            if let Some(element) = field.dyn_ref::<HtmlElement>() {
                let _ = element.focus();
            }
            if let Some((start, end)) = typed.selection {
                if let Some(input) = field.dyn_ref::<HtmlInputElement>() {
                    let _ = input.set_selection_range(start, end);
                } else if let Some(area) = field.dyn_ref::<HtmlTextAreaElement>() {
                    let _ = area.set_selection_range(start, end);
                }
            }
        }
    }
}
