//! Pieces every page uses: header, footer, errors, badges, times.

pub mod address;
mod badges;
mod form;
mod layout;
mod live;
mod timeline;

pub use badges::{LevelBadge, SlaBadge, StatusBadge};
pub use form::{ErrorBanner, FieldMessage};
pub use layout::{Footer, Header, NotFound};
pub use live::{loaded, Latest, Live, LiveIndicator};
pub use timeline::Timeline;

/// The address of one of the site's files in the package directory: content-hashed when
/// the server knows the hash (`ssr::assets`), the plain name otherwise (and in the browser,
/// which never renders the pages that link these).
pub fn asset_url(pkg_dir: &str, file: &str) -> String {
    #[cfg(feature = "ssr")]
    {
        crate::ssr::assets::url(pkg_dir, file)
    }
    #[cfg(not(feature = "ssr"))]
    {
        format!("/{pkg_dir}/{file}")
    }
}

use std::sync::atomic::{AtomicI32, Ordering};

use chrono::{DateTime, TimeDelta, Utc};

/// The policy's zone as minutes east of UTC (`Policy::utc_offset_minutes`, UTC+8 by
/// default). The server sets it from the policy in force; the page carries it in
/// `<meta name="portal-utc-offset">` and the browser reads it before hydrating, so both
/// print the same local times.
static LOCAL_OFFSET_MINUTES: AtomicI32 = AtomicI32::new(480);

/// Sets the zone times are printed in.
pub fn set_local_offset(minutes: i32) {
    LOCAL_OFFSET_MINUTES.store(minutes, Ordering::Relaxed);
}

/// The zone times are printed in, minutes east of UTC.
pub fn local_offset_minutes() -> i32 {
    LOCAL_OFFSET_MINUTES.load(Ordering::Relaxed)
}

/// UTC+8, when the stored offset is out of range.
const CHINA: chrono::FixedOffset = match chrono::FixedOffset::east_opt(8 * 3600) {
    Some(offset) => offset,
    None => panic!("UTC+8 is a valid offset"),
};

/// The zone times are printed in.
pub fn local_offset() -> chrono::FixedOffset {
    chrono::FixedOffset::east_opt(local_offset_minutes().saturating_mul(60)).unwrap_or(CHINA)
}

/// `2026-11-23 15:04` in local time.
pub fn format_time(at: DateTime<Utc>) -> String {
    domain::sla::minutes_label(
        at.naive_utc() + TimeDelta::minutes(i64::from(local_offset_minutes())),
    )
}

/// Marks the page interactive once the calling page component has hydrated: each page
/// calls it (the lazy routes from their `view`). The app's root would say so too early:
/// a lazy route's module arrives and hydrates up to a second or more after the root, and
/// a tap on a form before then posts it without the app.
pub fn interactive_once_hydrated() {
    leptos::prelude::Effect::new(|_| mark_interactive());
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
