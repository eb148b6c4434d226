//! Pieces every page uses: header, footer, errors, badges, times.

mod badges;
mod form;
mod layout;
mod live;
mod timeline;

pub use badges::{LevelBadge, SlaBadge, StatusBadge};
pub use form::{ErrorBanner, FieldMessage};
pub use layout::{Footer, Header, NotFound};
pub use live::{loaded, Live, LiveIndicator};
pub use timeline::Timeline;

use chrono::{DateTime, TimeDelta, Utc};

/// China Standard Time: the portal's default zone (no DST), the same in SSR and wasm.
const LOCAL_OFFSET_SECONDS: i64 = 8 * 3600;

/// `2026-11-23 15:04` in local time.
pub fn format_time(at: DateTime<Utc>) -> String {
    domain::sla::minutes_label(at.naive_utc() + TimeDelta::seconds(LOCAL_OFFSET_SECONDS))
}

/// Marks `<body data-hydrated="true">` for people and tests: the page is interactive.
#[cfg(feature = "hydrate")]
pub fn mark_interactive() {
    if let Some(body) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.body())
    {
        let _ = body.set_attribute("data-hydrated", "true");
    }
}

/// On the server there is nothing to mark.
#[cfg(not(feature = "hydrate"))]
pub fn mark_interactive() {}
