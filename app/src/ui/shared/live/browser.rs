//! Following a stream in the browser: EventSource, reconnects, polling while it is down.

use std::cell::RefCell;
use std::rc::{Rc, Weak};
use std::time::Duration;

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{EventSource, MessageEvent};

use super::{Live, LiveState};

/// How often a page refetches while its stream is down.
const POLL: Duration = Duration::from_secs(30);
/// Changes arriving together cause one refetch.
const SETTLE: Duration = Duration::from_millis(80);

pub fn follow(
    live: Live,
    loaded: impl Fn() -> Option<bool> + 'static,
    url: impl Fn() -> String + 'static,
) {
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
        let _ = source.add_event_listener_with_callback(name, on_change.as_ref().unchecked_ref());
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

/// Refetches the page's data (see `Live::keep_current`).
fn refresh(live: &Live) {
    let _ = live.version.try_update(|v| *v = v.wrapping_add(1));
}
