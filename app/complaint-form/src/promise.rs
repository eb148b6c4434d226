//! The first-contact promise under the form ("提交后，我们将在12月7日（周一）10:30 前联系您"),
//! recomputed from the device's clock with the domain's working-time arithmetic, from the
//! policy and business calendar the server wrote into the page. It follows the emergency
//! box (emergencies run round the clock) and the passing minutes.

use chrono::{DateTime, Duration, FixedOffset, TimeZone, Utc};
use domain::calendar::{
    parse_time, BusinessCalendar, CalendarYear, ServiceHours, TimeBasis, WorkingTime,
};
use domain::sla::promise_by;
use domain::{Clock, Lang};
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlInputElement};

use crate::dom::attr;

/// The rules read once from the page.
pub struct Promise {
    text: Element,
    emergency: Option<HtmlInputElement>,
    calendar: BusinessCalendar,
    hours: ServiceHours,
    offset: FixedOffset,
    normal: (TimeBasis, Duration),
    urgent: (TimeBasis, Duration),
    lang: Lang,
    shown: String,
}

impl Promise {
    pub fn find(doc: &Document, lang: Lang) -> Option<Promise> {
        let root = doc.query_selector(".promise-preview").ok().flatten()?;
        let text = root.query_selector(".promise-text strong").ok().flatten()?;
        let emergency = doc
            .get_element_by_id("emergency")
            .and_then(|e| e.dyn_into::<HtmlInputElement>().ok());
        let years = root.query_selector_all("[data-year]").ok()?;
        let calendar = BusinessCalendar::new((0..years.length()).filter_map(|i| {
            let el = years.item(i)?.dyn_into::<Element>().ok()?;
            let year = attr(&el, "data-year").parse().ok()?;
            CalendarYear::parse(year, &attr(&el, "data-holidays"), &attr(&el, "data-makeup")).ok()
        }));
        let hours = ServiceHours::new(
            parse_time(&attr(&root, "data-opens"))?,
            parse_time(&attr(&root, "data-closes"))?,
        )?;
        let offset = FixedOffset::east_opt(attr(&root, "data-offset").parse::<i32>().ok()? * 60)?;
        let window = |minutes: &str, basis: &str| -> Option<(TimeBasis, Duration)> {
            Some((
                TimeBasis::parse(&attr(&root, basis))?,
                Duration::minutes(attr(&root, minutes).parse().ok()?),
            ))
        };
        Some(Promise {
            text,
            emergency,
            calendar,
            hours,
            offset,
            normal: window("data-window", "data-window-time")?,
            urgent: window("data-emergency-window", "data-emergency-window-time")?,
            lang,
            shown: String::new(),
        })
    }

    /// Draws the promise for a complaint sent now (only when its words change).
    pub fn draw(&mut self) {
        let now = now();
        let urgent = self
            .emergency
            .as_ref()
            .is_some_and(HtmlInputElement::checked);
        let (basis, window) = if urgent { self.urgent } else { self.normal };
        let working = WorkingTime::new(&self.calendar, self.hours, self.offset);
        let Some(due) = working.add_in(basis, now, window, &[]) else {
            return;
        };
        let words = promise_by(Clock::FirstContact, due, now, self.offset, self.lang);
        if words != self.shown {
            self.text.set_text_content(Some(&words));
            self.shown = words;
        }
    }
}

/// The device's clock.
fn now() -> DateTime<Utc> {
    Utc.timestamp_millis_opt(js_sys::Date::now() as i64)
        .single()
        .unwrap_or_default()
}
