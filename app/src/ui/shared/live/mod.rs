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
mod browser;

#[cfg(feature = "hydrate")]
mod forms;
