//! The emergency box at the top of the form (rules.md, "The emergency path"): the danger
//! taps, and — when the text or a tap says there is danger now — the call button with the
//! chosen community's hotline, what to do meanwhile, and filing as an emergency in one tap.
//! The server renders every part (hidden until needed); this only shows and fills them.

use domain::hints::Danger;
use domain::lang::fill;
use domain::Lang;
use web_sys::{Document, Element};

use crate::dom::{attr, by_id};

pub struct Emergency {
    now: Element,
    title: Element,
    call: Element,
    advice: Element,
    taps: Element,
    /// "看起来正在发生危险：{}", "请立即拨打 {}", and the line without a hotline.
    danger_now: String,
    call_template: String,
    call_none: String,
    /// A danger the owner tapped (wins over the text's).
    pub tapped: Option<Danger>,
    /// What is drawn: the danger, and the number called.
    shown: Option<(Danger, String)>,
}

impl Emergency {
    /// The box, when the page has one; its taps are shown from now on.
    pub fn find(doc: &Document) -> Option<Emergency> {
        let root = by_id(doc, "emergency-call")?;
        let taps = by_id(doc, "danger-taps")?;
        let _ = taps.remove_attribute("hidden");
        Some(Emergency {
            now: by_id(doc, "danger-now")?,
            title: by_id(doc, "danger-title")?,
            call: by_id(doc, "danger-call")?,
            advice: by_id(doc, "danger-advice")?,
            taps,
            danger_now: attr(&root, "data-danger-now"),
            call_template: attr(&root, "data-call"),
            call_none: attr(&root, "data-call-none"),
            tapped: None,
            shown: None,
        })
    }

    /// Shows the danger (a tap, else the text's) with the number to call, or hides it.
    pub fn draw(&mut self, doc: &Document, lang: Lang, from_text: Option<Danger>) {
        let danger = self.tapped.or(from_text);
        let (number, tel) = self.number(doc);
        let shown = danger.map(|d| (d, tel.clone()));
        // A tap taken back may leave the same danger (the text's): the chips change anyway.
        self.mark_taps();
        if shown == self.shown {
            return;
        }
        self.shown = shown;
        let Some(danger) = danger else {
            let _ = self.now.set_attribute("hidden", "");
            return;
        };
        self.title
            .set_text_content(Some(&fill(&self.danger_now, &[&danger.label(lang)])));
        self.advice.set_text_content(Some(danger.advice(lang)));
        if tel.is_empty() {
            let _ = self.call.remove_attribute("href");
            self.call.set_text_content(Some(&self.call_none));
        } else {
            let _ = self.call.set_attribute("href", &tel);
            self.call
                .set_text_content(Some(&fill(&self.call_template, &[&number])));
        }
        let _ = self.now.remove_attribute("hidden");
    }

    /// The tap chips say which one is pressed.
    fn mark_taps(&self) {
        let chips = self.taps.get_elements_by_tag_name("button");
        for chip in (0..chips.length()).filter_map(|i| chips.item(i)) {
            let pressed =
                self.tapped.map(Danger::code) == Some(attr(&chip, "data-danger").as_str());
            let _ = chip.set_attribute("aria-pressed", if pressed { "true" } else { "false" });
        }
    }

    /// The chosen community's hotline (as written, and its `tel:`), else the page's default.
    fn number(&self, doc: &Document) -> (String, String) {
        let chosen = doc
            .query_selector("#community_id option:checked")
            .ok()
            .flatten()
            .map(|o| (attr(&o, "data-hotline"), attr(&o, "data-tel")))
            .filter(|(number, tel)| !number.is_empty() && !tel.is_empty());
        chosen.unwrap_or_else(|| {
            (
                attr(&self.call, "data-default-number"),
                attr(&self.call, "data-default-tel"),
            )
        })
    }
}
