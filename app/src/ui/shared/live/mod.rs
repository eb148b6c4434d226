//! Live updates: a page follows its server-sent event stream and refetches its data on
//! every change. When the stream is down, or the browser has no EventSource, it refetches
//! every 30 seconds instead and says so. Without JavaScript nothing of this runs: the page
//! is the server's render, as always.
//!
//! A page that holds forms loads its data twice over: a resource keyed on what the page
//! *is* (a complaint's id) renders it on the server and hydrates it, and [`Latest`] keeps
//! it current afterwards. A refetch changes signals, not the view, so the forms stay
//! mounted and what the user typed, chose or attached stays where it is.

use leptos::prelude::*;

use crate::error::AppError;
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

/// The newest copy of a page's data, fetched in the browser whenever the stream reports a
/// change or the page itself took a step (`reload`). `None` until the first refetch: the
/// page shows what its resource loaded until then.
pub struct Latest<T: 'static> {
    value: RwSignal<Option<Result<T, AppError>>>,
    reloads: RwSignal<u32>,
}

impl<T: 'static> Clone for Latest<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: 'static> Copy for Latest<T> {}

impl<T: Clone + PartialEq + Send + Sync + 'static> Latest<T> {
    /// Fetches the page's data again now (after a step the page took itself).
    pub fn reload(&self) {
        self.reloads.update(|n| *n = n.wrapping_add(1));
    }

    /// The data to show: the newest good copy, else what the page loaded first. A memo:
    /// what reads it re-renders only when the data really changed.
    pub fn or(self, first: T) -> Memo<T> {
        Memo::new(move |_| match self.value.get() {
            Some(Ok(newer)) => newer,
            _ => first.clone(),
        })
    }

    /// Why the last refetch failed (rights withdrawn, server down), while the page goes on
    /// showing the copy it had.
    pub fn error(self) -> Signal<Option<AppError>> {
        Signal::derive(move || {
            self.value
                .with(|v| v.as_ref().and_then(|r| r.clone().err()))
        })
    }
}

impl Live {
    /// Keeps the data of the page identified by `key()` current: every change on the stream
    /// and every `reload` fetches it again with `fetch`. A new key is another page (its
    /// resource loads it), so the copy is dropped. Responses that arrive out of order are
    /// ignored. In the browser only.
    pub fn keep_current<K, T, F, Fut>(self, key: impl Fn() -> K + 'static, fetch: F) -> Latest<T>
    where
        K: PartialEq + Clone + 'static,
        T: Clone + PartialEq + Send + Sync + 'static,
        F: Fn(K) -> Fut + 'static,
        Fut: std::future::Future<Output = Result<T, AppError>> + 'static,
    {
        let latest = Latest {
            value: RwSignal::new(None),
            reloads: RwSignal::new(0),
        };
        #[cfg(feature = "hydrate")]
        {
            let asked = std::rc::Rc::new(std::cell::Cell::new(0_u64));
            Effect::new(move |previous: Option<K>| {
                let key = key();
                self.version.track();
                latest.reloads.track();
                match previous {
                    // The page's first load is its resource's.
                    None => {}
                    Some(previous) if previous != key => latest.value.set(None),
                    Some(_) => {
                        let ticket = asked.get().wrapping_add(1);
                        asked.set(ticket);
                        let asked = asked.clone();
                        let response = fetch(key.clone());
                        leptos::task::spawn_local(async move {
                            let response = response.await;
                            if asked.get() == ticket {
                                let _ = latest.value.try_set(Some(response));
                            }
                        });
                    }
                }
                key
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (key, fetch);
        latest
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
mod browser;
