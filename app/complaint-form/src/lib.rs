//! The complaint form's browser side (`/complaints/new`): the owner's first page, so it
//! ships without the Leptos app. The server renders the whole form (it works without any
//! script: the post comes back with errors and everything typed); this module, the shared
//! domain code plus a little DOM, adds what needs no round trip:
//!
//! - the category hint as the owner types (likely category, a second guess when unsure,
//!   one tap to use it; it never overrides a choice), the level the facts imply so far,
//!   and up to 3 FAQ articles that may answer the question (`domain::hints::hint`);
//! - the category pre-selected while the owner has not chosen one: from the topic they
//!   picked in their own words (`domain::guide`), the hint choosing among the topic's
//!   categories, or from a confident hint alone; a category the owner picks stands;
//! - a draft kept on the device as the owner types (`draft`), offered again on a fresh form;
//! - photos and videos chosen while filing, sent with the complaint (`attach`);
//! - on a phone, the form one step at a time with its progress and a review before
//!   sending (`steps`);
//! - the character count, buildings narrowed to the chosen community, and a submit button
//!   that cannot post twice.
//!
//! Texts come from the server-rendered page (`data-*` on the hint and suggestion boxes,
//! labels from the domain), so the page reads the same before and after this runs.

mod attach;
mod dom;
mod draft;
mod emergency;
mod promise;
mod steps;

use std::cell::RefCell;

use domain::classifier::Model;
use domain::hints::{self, Danger, FaqEntry, FaqIndex, Hint};
use domain::lang::fill;
use domain::{Category, GradingPolicy, IntakeFacts, Lang, RawIntake, StatedFacts};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{
    Document, Element, Event, HtmlButtonElement, HtmlSelectElement, HtmlTextAreaElement,
};

use crate::dom::{attr, by_id, child, el, on, text, value_of};

/// The hint box's texts, read once from its `data-*` attributes.
struct Texts {
    title: String,
    not_sure: String,
    likely: String,
    or: String,
    use_this: String,
    use_other: String,
    in_use: String,
    level: String,
    confirm: String,
    faq_title: String,
    count: String,
    submitting: String,
}

/// What the hint box shows; redrawn only when this changes (the box is `aria-live`).
#[derive(PartialEq)]
struct Shown {
    category: Option<&'static str>,
    alternative: Option<&'static str>,
    chosen: String,
    level: u8,
    reason: String,
    /// The questions about what the text seems to say, with the field each fills.
    suggestions: Vec<(String, &'static str, String)>,
}

struct Page {
    doc: Document,
    lang: Lang,
    texts: Texts,
    description: HtmlTextAreaElement,
    category: HtmlSelectElement,
    count: Option<Element>,
    hint_box: Element,
    faq_box: Option<Element>,
    submit: Option<HtmlButtonElement>,
    submit_label: String,
    /// Every building group, as rendered (all communities), for narrowing.
    building_groups: Vec<Element>,
    policy: GradingPolicy,
    faq: Vec<FaqEntry>,
    index: FaqIndex,
    shown: Option<Shown>,
    shown_faq: Vec<i64>,
    /// The first-contact promise under the form, when the page has one.
    promise: Option<promise::Promise>,
    /// The classifier model's bytes, once loaded from `data-model-url` (until then the
    /// category is "not sure yet"; the level and FAQ matches work without it).
    model: Option<Vec<u8>>,
    /// The emergency box at the top, when the page has one.
    emergency: Option<emergency::Emergency>,
    /// The category was not chosen by the owner: the topic and the hint may choose it.
    auto_category: bool,
    /// "已按您的描述预选，可以修改", shown while the category is one chosen for the owner.
    preselected: Option<Element>,
    /// The page keeps a draft (the owner's form has the notice; the desk's does not).
    drafts: bool,
}

thread_local! {
    static PAGE: RefCell<Option<Page>> = const { RefCell::new(None) };
}

fn with_page(f: impl FnOnce(&mut Page)) {
    PAGE.with(|page| {
        if let Ok(mut page) = page.try_borrow_mut() {
            if let Some(page) = page.as_mut() {
                f(page);
            }
        }
    });
}

/// Runs when the module loads: takes over the form if this page has one.
#[wasm_bindgen(start)]
pub fn start() {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(page) = Page::find(doc.clone()) else {
        return;
    };
    let form = by_id(&doc, "file-form");
    let hint_box = page.hint_box.clone();
    let drafts = page.drafts;
    let lang = page.lang;
    PAGE.with(|p| *p.borrow_mut() = Some(page));
    load_model(&attr(&hint_box, "data-model-url"));

    if let Some(form) = form {
        if drafts {
            restore_draft(&doc, &form);
        }
        let saving = form.clone();
        on(&form, "input", move |event: Event| {
            with_page(|page| {
                page.owner_chose(dom::target_id(&event).as_deref());
                page.refresh();
            });
            if drafts {
                draft::save(&saving, js_sys::Date::now());
            }
        });
        let saving = form.clone();
        on(&form, "change", move |event: Event| {
            if drafts {
                draft::save(&saving, js_sys::Date::now());
            }
            with_page(|page| {
                let target = dom::target_id(&event);
                page.owner_chose(target.as_deref());
                if target.as_deref() == Some("community_id") {
                    page.narrow_buildings();
                }
                if matches!(target.as_deref(), Some("community_id" | "building_id")) {
                    load_units();
                }
                page.refresh();
            })
        });
        // One step at a time on a phone; before the submit handler below, which it stops
        // while a step before the last is shown.
        if drafts {
            steps::start(&doc, &form, lang);
        }
        attach::watch(&doc);
        on(&form, "submit", |event: Event| {
            with_page(|page| {
                page.submitting();
                // Photos chosen while filing: the complaint, then its files (see `attach`).
                let form = by_id(&page.doc, "file-form")
                    .and_then(|f| f.dyn_into::<web_sys::HtmlFormElement>().ok());
                if let (Some(files), Some(form)) = (attach::chosen(&page.doc), form) {
                    event.prevent_default();
                    let pairs = draft::collect(&form);
                    attach::send(form, files, pairs);
                }
            })
        });
    }
    on(&hint_box, "click", |event: Event| {
        if let (Some(field), Some(value)) = (
            dom::clicked_attr(&event, "data-confirm-field"),
            dom::clicked_attr(&event, "data-confirm-value"),
        ) {
            with_page(|page| page.confirm(&field, &value));
            return;
        }
        let Some(code) = dom::clicked_attr(&event, "data-category") else {
            return;
        };
        with_page(|page| {
            page.category.set_value(&code);
            page.auto_category = false;
            page.refresh();
        });
    });
    if let Some(call_box) = by_id(&doc, "emergency-call") {
        on(&call_box, "click", |event: Event| {
            if let Some(code) = dom::clicked_attr(&event, "data-danger") {
                with_page(|page| page.tap_danger(&code));
            } else if dom::target_id(&event).as_deref() == Some("danger-file") {
                with_page(Page::file_as_emergency);
            }
        });
    }
    // Back to this page from the next one (back/forward cache): the button works again.
    if let Some(window) = web_sys::window() {
        on(&window, "pageshow", |_| with_page(Page::ready_to_submit));
        // The promise follows the clock (a form left open over closing time).
        let tick = Closure::<dyn FnMut()>::new(|| {
            with_page(|page| {
                if let Some(promise) = &mut page.promise {
                    promise.draw();
                }
            })
        });
        let _ = window.set_interval_with_callback_and_timeout_and_arguments_0(
            tick.as_ref().unchecked_ref(),
            30_000,
        );
        tick.forget();
    }

    with_page(|page| {
        page.narrow_buildings();
        page.refresh();
    });
    load_faq();
    load_units();
    // For people and tests: from here on the page is interactive.
    if let Some(body) = doc.body() {
        let _ = body.set_attribute("data-hydrated", "true");
    }
}

fn category_value_is_empty(doc: &Document) -> bool {
    value_of(doc, "category").is_empty()
}

/// A form the server did not send back with errors (that one holds what was posted) gets
/// the draft kept on this device, with "清空重填" to start over. The browser may have put
/// back the same values on a reload already; the draft has them too.
fn restore_draft(doc: &Document, form: &Element) {
    let fresh = doc
        .query_selector(".error-banner:not(.hidden), .field-error:not(:empty)")
        .ok()
        .flatten()
        .is_none();
    let Some(notice) = by_id(doc, "draft-restored") else {
        return;
    };
    if !fresh || !draft::restore(form, js_sys::Date::now()) {
        return;
    }
    let _ = notice.remove_attribute("hidden");
    let (form, shown) = (form.clone(), notice.clone());
    on(&notice, "click", move |event: Event| {
        if dom::target_id(&event).as_deref() != Some("draft-discard") {
            return;
        }
        draft::discard();
        if let Some(form) = form.dyn_ref::<web_sys::HtmlFormElement>() {
            form.reset();
        }
        let _ = shown.set_attribute("hidden", "");
        with_page(|page| {
            page.auto_category = category_value_is_empty(&page.doc);
            page.narrow_buildings();
            page.refresh();
        });
    });
}

impl Page {
    /// The owner changed the category field: their choice stands (an emptied field lets the
    /// topic and the hint choose again).
    fn owner_chose(&mut self, target: Option<&str>) {
        if target == Some("category") {
            self.auto_category = self.category.value().is_empty();
        }
    }

    /// While the owner has not chosen a category: the topic's (the hint choosing among the
    /// topic's categories), or the hint's when it is confident; never cleared once chosen.
    fn preselect(&mut self, hint: &domain::hints::CategoryHint) {
        if self.auto_category {
            let topic = dom::checked_values(&self.doc, "intake[topic]")
                .first()
                .and_then(|code| domain::guide::Topic::parse(code));
            let chosen = match topic {
                Some(topic) => topic.category(hint),
                None => hint.category,
            };
            if let Some(category) = chosen {
                if self.category.value() != category.code() {
                    self.category.set_value(category.code());
                }
            }
        }
        if let Some(note) = &self.preselected {
            let show = self.auto_category && !self.category.value().is_empty();
            let _ = if show {
                note.remove_attribute("hidden")
            } else {
                note.set_attribute("hidden", "")
            };
        }
    }

    fn find(doc: Document) -> Option<Page> {
        let description = by_id(&doc, "description")?.dyn_into().ok()?;
        let category = by_id(&doc, "category")?.dyn_into().ok()?;
        let hint_box = by_id(&doc, "hint")?;
        let faq_box = doc
            .query_selector("[data-testid=faq-suggestions]")
            .ok()
            .flatten();
        let count = doc
            .query_selector("[data-testid=char-count]")
            .ok()
            .flatten();
        let submit: Option<HtmlButtonElement> = doc
            .query_selector("#file-form button[type=submit][data-submitting]")
            .ok()
            .flatten()
            .and_then(|b| b.dyn_into().ok());
        let lang = doc
            .document_element()
            .and_then(|html| html.get_attribute("lang"))
            .and_then(|tag| Lang::from_tag(&tag))
            .unwrap_or_default();
        let texts = Texts {
            title: attr(&hint_box, "data-title"),
            not_sure: attr(&hint_box, "data-not-sure"),
            likely: attr(&hint_box, "data-likely"),
            or: attr(&hint_box, "data-or"),
            use_this: attr(&hint_box, "data-use"),
            use_other: attr(&hint_box, "data-use-other"),
            in_use: attr(&hint_box, "data-in-use"),
            level: attr(&hint_box, "data-level"),
            confirm: attr(&hint_box, "data-confirm"),
            faq_title: faq_box
                .as_ref()
                .map(|b| attr(b, "data-title"))
                .unwrap_or_default(),
            count: count
                .as_ref()
                .map(|c| attr(c, "data-template"))
                .unwrap_or_default(),
            submitting: submit
                .as_ref()
                .map(|b| attr(b, "data-submitting"))
                .unwrap_or_default(),
        };
        let building_groups = by_id(&doc, "building_id")
            .map(|select| {
                let groups = select.get_elements_by_tag_name("optgroup");
                (0..groups.length())
                    .filter_map(|i| groups.item(i))
                    .collect()
            })
            .unwrap_or_default();
        Some(Page {
            lang,
            texts,
            description,
            category,
            count,
            hint_box,
            faq_box,
            submit_label: submit
                .as_ref()
                .and_then(|b| b.text_content())
                .unwrap_or_default(),
            submit,
            building_groups,
            policy: GradingPolicy::default(),
            faq: Vec::new(),
            index: FaqIndex::new(&[]),
            shown: None,
            shown_faq: Vec::new(),
            promise: promise::Promise::find(&doc, lang),
            model: None,
            emergency: emergency::Emergency::find(&doc),
            auto_category: category_value_is_empty(&doc),
            preselected: by_id(&doc, "category-auto"),
            drafts: by_id(&doc, "draft-restored").is_some(),
            doc,
        })
    }

    /// What the owner stated so far, as the server will read the same fields: an empty
    /// field states nothing, and the text may fill it.
    fn stated(&self) -> StatedFacts {
        StatedFacts::from_raw_intake(&RawIntake {
            impact: value_of(&self.doc, "impact"),
            people_count: value_of(&self.doc, "people_count"),
            claimed_amount_yuan: value_of(&self.doc, "claimed_amount_yuan"),
            flags: dom::checked_values(&self.doc, "intake[flags][]"),
            ..RawIntake::default()
        })
    }

    /// A danger tapped (or tapped again to take it back): shown with the number to call; an
    /// empty description gets a first line saying what happens.
    fn tap_danger(&mut self, code: &str) {
        let Some(danger) = Danger::parse(code) else {
            return;
        };
        if let Some(emergency) = &mut self.emergency {
            emergency.tapped = (emergency.tapped != Some(danger)).then_some(danger);
            if emergency.tapped.is_some() && self.description.value().trim().is_empty() {
                self.description.set_value(&danger.report(self.lang));
            }
        }
        self.refresh();
    }

    /// "按紧急情况提交": ticks the emergency box and sends the form (its checks still apply:
    /// a missing phone is asked for as usual).
    fn file_as_emergency(&mut self) {
        if let Some(input) = by_id(&self.doc, "emergency")
            .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
        {
            input.set_checked(true);
        }
        if let Some(promise) = &mut self.promise {
            promise.draw();
        }
        if let Some(form) = by_id(&self.doc, "file-form")
            .and_then(|f| f.dyn_into::<web_sys::HtmlFormElement>().ok())
        {
            // After this handler: the form's own submit handler needs the page.
            dom::soon(move || {
                let _ = form.request_submit();
            });
        }
    }

    /// Fills the field a confirmed suggestion names ("是，属实").
    fn confirm(&mut self, field: &str, value: &str) {
        if field == "flags" {
            let selector = format!("input[name=\"intake[flags][]\"][value=\"{value}\"]");
            if let Some(input) = self
                .doc
                .query_selector(&selector)
                .ok()
                .flatten()
                .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
            {
                input.set_checked(true);
            }
        } else {
            dom::set_value(&self.doc, field, value);
        }
        self.refresh();
    }

    /// One hint for what the form holds now, drawn where it changed.
    fn refresh(&mut self) {
        let text = self.description.value();
        if let Some(count) = &self.count {
            let (chars, max) = (text.chars().count(), self.description.max_length());
            count.set_text_content(Some(&fill(&self.texts.count, &[&chars, &max])));
        }
        let model = self.model.as_deref().and_then(Model::parse);
        let hint = hints::hint_by(
            model.as_ref(),
            &text,
            &self.stated(),
            &IntakeFacts::default(),
            &self.index,
            &self.policy,
        );
        self.preselect(&hint.category);
        self.draw_hint(&hint);
        self.draw_faq(&hint);
        if let Some(emergency) = &mut self.emergency {
            emergency.draw(&self.doc, self.lang, hint.danger.as_ref().map(|d| d.danger));
        }
        if let Some(promise) = &mut self.promise {
            promise.draw();
        }
    }

    fn draw_hint(&mut self, hint: &Hint) {
        let reason = hint
            .grade
            .reasons
            .first()
            .map(|r| r.message.get(self.lang).to_owned())
            .unwrap_or_default();
        let shown = Shown {
            category: hint.category.category.map(|c| c.code()),
            alternative: hint.category.alternatives.first().map(|(c, _)| c.code()),
            chosen: self.category.value(),
            level: hint.grade.level.number(),
            reason,
            suggestions: hint
                .suggested
                .iter()
                .map(|s| {
                    let (field, value) = s.fact.form_answer();
                    (s.question().get(self.lang).to_owned(), field, value)
                })
                .collect(),
        };
        if self.shown.as_ref() == Some(&shown) {
            return;
        }
        let (doc, texts, b) = (&self.doc, &self.texts, &self.hint_box);
        b.set_text_content(None);
        child(b, &el(doc, "span", "hint-title", &texts.title));
        match hint.category.category {
            None => child(b, &el(doc, "span", "hint-empty", &texts.not_sure)),
            Some(likely) => {
                self.draw_guess(
                    ("", &texts.likely, "hint-category"),
                    likely,
                    &texts.use_this,
                    &shown.chosen,
                );
                if let Some(&(other, _)) = hint.category.alternatives.first() {
                    self.draw_guess(
                        ("hint-or", &texts.or, "hint-alternative"),
                        other,
                        &texts.use_other,
                        &shown.chosen,
                    );
                }
            }
        }
        // Routine (level 4) needs no mention; anything more urgent says why.
        let (doc, texts, lang, b) = (&self.doc, &self.texts, self.lang, &self.hint_box);
        let level = hint.grade.level;
        if level.number() < 4 {
            let line = el(doc, "p", "hint-level", &texts.level);
            let _ = line.set_attribute("data-testid", "hint-level");
            text(doc, &line, " ");
            let badge = format!("badge level-{}", level.number());
            child(&line, &el(doc, "span", &badge, level.label(lang)));
            text(doc, &line, " ");
            child(&line, &el(doc, "span", "muted small", &shown.reason));
            child(b, &line);
        }
        if !shown.suggestions.is_empty() {
            let list = el(doc, "ul", "hint-suggestions", "");
            let _ = list.set_attribute("data-testid", "hint-suggestions");
            for (question, field, value) in &shown.suggestions {
                let item = el(doc, "li", "", "");
                child(&item, &el(doc, "span", "", question));
                text(doc, &item, " ");
                let yes = el(doc, "button", "chip", &self.texts.confirm);
                let _ = yes.set_attribute("type", "button");
                let _ = yes.set_attribute("data-confirm-field", field);
                let _ = yes.set_attribute("data-confirm-value", value);
                child(&item, &yes);
                child(&list, &item);
            }
            child(b, &list);
        }
        self.shown = Some(shown);
    }

    /// "看起来属于: **工程质量** [使用此类别]" (or the runner-up's "也可能是: …").
    fn draw_guess(
        &self,
        (line_class, lead, name_class): (&str, &str, &str),
        category: Category,
        chip_label: &str,
        chosen: &str,
    ) {
        let line = el(&self.doc, "span", line_class, lead);
        text(&self.doc, &line, " ");
        child(
            &line,
            &el(&self.doc, "strong", name_class, category.label(self.lang)),
        );
        child(&self.hint_box, &line);
        child(
            &self.hint_box,
            &self.chip(category.code(), chip_label, chosen),
        );
    }

    /// "Use this category": pressed (and saying so) when it is the chosen one.
    fn chip(&self, code: &str, label: &str, chosen: &str) -> Element {
        let pressed = code == chosen;
        let chip = el(
            &self.doc,
            "button",
            "chip",
            if pressed { &self.texts.in_use } else { label },
        );
        let _ = chip.set_attribute("type", "button");
        let _ = chip.set_attribute("data-category", code);
        let _ = chip.set_attribute("aria-pressed", if pressed { "true" } else { "false" });
        chip
    }

    fn draw_faq(&mut self, hint: &Hint) {
        let Some(b) = &self.faq_box else {
            return;
        };
        let ids: Vec<i64> = hint.faq.iter().map(|m| m.id).collect();
        if ids == self.shown_faq {
            return;
        }
        b.set_text_content(None);
        if !ids.is_empty() {
            child(b, &el(&self.doc, "p", "hint-title", &self.texts.faq_title));
            let list = el(&self.doc, "ul", "plain", "");
            for entry in ids
                .iter()
                .filter_map(|id| self.faq.iter().find(|e| e.id == *id))
            {
                let item = el(&self.doc, "li", "", "");
                let link = el(&self.doc, "a", "", &entry.title);
                // `from=complaint`: reading it without filing counts as a deflection.
                let _ = link.set_attribute("href", &format!("/faq/{}?from=complaint", entry.id));
                let _ = link.set_attribute("target", "_blank");
                let _ = link.set_attribute("rel", "noopener");
                child(&item, &link);
                child(&list, &item);
            }
            child(b, &list);
        }
        self.shown_faq = ids;
    }

    /// Only the chosen community's buildings (all of them while none is chosen).
    fn narrow_buildings(&mut self) {
        let Some(select) = by_id(&self.doc, "building_id") else {
            return;
        };
        let chosen = value_of(&self.doc, "community_id");
        for group in &self.building_groups {
            group.remove();
        }
        for group in &self.building_groups {
            if chosen.is_empty() || attr(group, "data-community") == chosen {
                child(&select, group);
            }
        }
    }

    /// The post is on its way: the button says so and cannot send it twice. The draft is
    /// done with: a refused post comes back with everything typed, and the browser keeps
    /// the form of a post that never left.
    fn submitting(&mut self) {
        if self.drafts {
            draft::discard();
        }
        let Some(button) = self.submit.clone() else {
            return;
        };
        let label = self.texts.submitting.clone();
        // After the submit event: the post has been taken from the form by then.
        dom::soon(move || {
            button.set_disabled(true);
            button.set_text_content(Some(&label));
        });
    }

    fn ready_to_submit(&mut self) {
        if let Some(button) = &self.submit {
            button.set_disabled(false);
            button.set_text_content(Some(&self.submit_label));
        }
    }

    /// The model arrived: keep it if it reads as one, say which version the page uses
    /// (`data-model-loaded`), and hint again.
    fn model_loaded(&mut self, bytes: Vec<u8>) {
        if Model::parse(&bytes).is_none() {
            return;
        }
        self.model = Some(bytes);
        let version = attr(&self.hint_box, "data-model-version");
        let _ = self.hint_box.set_attribute("data-model-loaded", &version);
        self.refresh();
    }

    fn faq_loaded(&mut self, entries: Vec<FaqEntry>) {
        self.index = FaqIndex::new(&entries);
        self.faq = entries;
        self.refresh();
    }
}

/// The classifier model the page names (a versioned address, cached by the browser).
fn load_model(url: &str) {
    if url.is_empty() {
        return;
    }
    dom::get_bytes(url, |bytes| with_page(|page| page.model_loaded(bytes)));
}

/// The published articles, once per page (the server function the Leptos pages use).
fn load_faq() {
    dom::post_json("/api/faq_hint_entries", |json| {
        let entries = faq_entries(&json);
        with_page(|page| page.faq_loaded(entries));
    });
}

/// `[{"id", "title", "keywords"}]`; anything else is skipped.
fn faq_entries(json: &JsValue) -> Vec<FaqEntry> {
    if !js_sys::Array::is_array(json) {
        return Vec::new();
    }
    js_sys::Array::from(json)
        .iter()
        .filter_map(|v| {
            Some(FaqEntry {
                id: dom::field(&v, "id").as_f64()? as i64,
                title: dom::field(&v, "title").as_string()?,
                keywords: dom::field(&v, "keywords").as_string().unwrap_or_default(),
            })
        })
        .collect()
}

/// Times the instant hint in the browser: `iterations` calls of classify + severity preview +
/// FAQ match on `text` against `faq_json` (`[{"id","title","keywords"}]`) with the model the
/// page loaded, each timed with `performance.now()`; returns the per-call milliseconds (none
/// before the model has loaded: wait for `data-model-loaded`). Run by
/// `end2end/bench/owner-page.mjs`.
#[wasm_bindgen]
pub fn bench_hints(text: &str, faq_json: &str, iterations: u32) -> Vec<f64> {
    let entries = js_sys::JSON::parse(faq_json)
        .map(|json| faq_entries(&json))
        .unwrap_or_default();
    let index = FaqIndex::new(&entries);
    let facts = IntakeFacts::default();
    let policy = GradingPolicy::default();
    let Some(bytes) = PAGE.with(|p| p.borrow().as_ref().and_then(|p| p.model.clone())) else {
        return Vec::new();
    };
    let Some(model) = Model::parse(&bytes) else {
        return Vec::new();
    };
    let Some(performance) = web_sys::window().and_then(|w| w.performance()) else {
        return Vec::new();
    };
    (0..iterations)
        .map(|_| {
            let started = performance.now();
            std::hint::black_box(hints::hint_by(
                Some(&model),
                std::hint::black_box(text),
                &StatedFacts::default(),
                &facts,
                &index,
                &policy,
            ));
            performance.now() - started
        })
        .collect()
}

/// The chosen building's units from the estate, offered under 单元/房号 (a unit not in
/// the list can still be typed; the agent is told).
fn load_units() {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(list) = by_id(&doc, "unit-options") else {
        return;
    };
    list.set_inner_html("");
    let building = value_of(&doc, "building_id");
    if building.is_empty() {
        return;
    }
    let url = format!("/estate/buildings/{building}/units");
    dom::get_json(&url, move |json| {
        let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        // An answer for a building no longer chosen is dropped.
        if value_of(&doc, "building_id") != building {
            return;
        }
        let (Some(list), Ok(labels)) = (
            by_id(&doc, "unit-options"),
            json.dyn_into::<js_sys::Array>(),
        ) else {
            return;
        };
        list.set_inner_html("");
        for label in labels.iter().filter_map(|l| l.as_string()) {
            if let Ok(option) = doc.create_element("option") {
                let _ = option.set_attribute("value", &label);
                let _ = list.append_child(&option);
            }
        }
    });
}
