//! The complaint form: phone-first, one column, live hints computed in the browser.
//!
//! The owner's first page, so it does not load the Leptos app: the server renders the whole
//! form, which works without any script (a post with errors comes back with everything
//! typed), and the page loads only `complaint-form` (app/complaint-form), the domain code
//! compiled to WebAssembly, which adds the hints, the character count, buildings narrowed to
//! the community and a submit button that cannot post twice. It finds its way through the
//! ids and `data-*` attributes rendered here.

use leptos::prelude::*;

use crate::i18n::{t, Msg};

#[cfg(feature = "ssr")]
use {
    crate::api::complaints::{list_communities, service_hotlines, FileComplaint},
    crate::error::AppError,
    crate::i18n::{current_lang, fill},
    crate::model::{CommunityOption, ServiceHotline},
    crate::ui::shared::{ErrorBanner, FieldMessage, LevelBadge},
    domain::{guide, hints, Category, Impact, IntakeFacts, RawIntake, RiskFlag, StatedFacts},
};

#[cfg(feature = "ssr")]
mod emergency;
#[cfg(feature = "ssr")]
mod guided;
#[cfg(feature = "ssr")]
mod hint;
#[cfg(feature = "ssr")]
mod place;
#[cfg(feature = "ssr")]
mod steps;

#[cfg(feature = "ssr")]
use {
    emergency::EmergencyCall,
    guided::{Questions, Topics},
    hint::HintPanel,
    place::{chosen_household, OwnUnits, PlacePickers},
    steps::{StepProgress, StepReview},
};

#[cfg(feature = "ssr")]
const DESCRIPTION_MAX: usize = 2000;

/// The route. The browser's router never draws it: every link here loads the page
/// (`rel="external"`); should one not, the page is loaded from the server.
#[component]
pub fn FilePage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    {
        view! { <FileForm /> }.into_any()
    }
    #[cfg(not(feature = "ssr"))]
    {
        // The router may not have put the new address in the bar yet: load it by name.
        let location = leptos_router::hooks::use_location();
        Effect::new(move |_| {
            let search = location.search.get_untracked();
            let search = search.trim_start_matches('?');
            let url = if search.is_empty() {
                "/complaints/new".to_owned()
            } else {
                format!("/complaints/new?{search}")
            };
            if let Some(window) = web_sys::window() {
                let _ = window.location().assign(&url);
            }
        });
        view! { <section class="card"><p>{t(Msg::Loading)}</p></section> }.into_any()
    }
}

/// Where the browser module comes from, and how it starts (the page's only script).
pub fn form_script(pkg_dir: &str) -> impl IntoView {
    let js = crate::ui::shared::asset_url(pkg_dir, "complaint_form.js");
    let wasm = crate::ui::shared::asset_url(pkg_dir, "complaint_form_bg.wasm");
    let start = format!("import init from '{js}';init({{module_or_path:'{wasm}'}});");
    view! {
        <link rel="modulepreload" href=js />
        <link rel="preload" href=wasm r#as="fetch" r#type="application/wasm" crossorigin="" />
        <script type="module" nonce=leptos::nonce::use_nonce() inner_html=start></script>
    }
}

#[cfg(feature = "ssr")]
#[component]
fn FileForm() -> impl IntoView {
    let action = ServerAction::<FileComplaint>::new();
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    view! {
        <section class="card">
            <h1>{t(Msg::FileTitle)}</h1>
            <p class="lead">{t(Msg::FileIntro)}</p>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let list = service_hotlines().await.unwrap_or_default();
                    view! { <EmergencyCall list /> }
                })}
            </Suspense>
            <ErrorBanner error />
            <ActionForm action attr:class="form" attr:novalidate=true attr:id="file-form">
                // The owner's form only (not the desk's): a draft kept on this device.
                <div class="notice draft-restored" id="draft-restored" data-testid="draft-restored" role="status" hidden>
                    <span>{t(Msg::DraftRestored)}</span>
                    <button type="button" class="button" id="draft-discard">{t(Msg::DraftDiscard)}</button>
                </div>
                <StepProgress />
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        let (defaults, units) = what_the_portal_knows(chosen_household()).await;
                        view! {
                            <div class="form-step" data-step="where"><OwnUnits units /></div>
                            <IntakeFields error defaults />
                        }
                    })}
                </Suspense>
                // Sent by the browser module after the complaint; where no script runs the
                // stylesheet hides it and photos are added on the tracking page. No name: a
                // plain post never carries them.
                <div class="form-step" data-step="details">
                    <div class="field needs-script" id="attach" data-testid="attach">
                        <label for="files">{t(Msg::AttachLabel)}</label>
                        // The browser's own button speaks the browser's language: ours opens it.
                        <div class="file-pick">
                            <input id="files" class="file-input" type="file" multiple accept="image/*,video/*"
                                aria-describedby="files-help files-chosen" />
                            <label for="files" class="button file-button" aria-hidden="true">{t(Msg::FileChoose)}</label>
                            <span class="file-chosen" id="files-chosen" aria-live="polite"
                                data-chosen=t(Msg::FilesChosen)>{t(Msg::FileNone)}</span>
                        </div>
                        <p class="field-help" id="files-help">{t(Msg::AttachHelp)}</p>
                    </div>
                </div>
                <StepReview />
                <button type="submit" class="button primary" data-submitting=t(Msg::Submitting)>
                    {t(Msg::SubmitComplaint)}
                </button>
            </ActionForm>
        </section>
    }
}

/// The complaint's fields (`intake[…]`), as the owner's form and the agents' intake page
/// both show them, filled again with what came back after a refused post; the browser
/// module finds them by their ids.
#[cfg(feature = "ssr")]
#[component]
pub(crate) fn IntakeFields(
    #[prop(into)] error: Signal<Option<AppError>>,
    /// What the portal already knows (a logged-in owner's name, phone and unit), shown
    /// until the visitor types otherwise.
    #[prop(optional)]
    defaults: std::collections::BTreeMap<String, String>,
) -> impl IntoView {
    // After a post the page is rendered again with what was typed; before, with what is
    // known.
    let echo = move |name: &str| {
        error
            .with_untracked(|e| e.as_ref().map(|e| e.echo(name).unwrap_or_default()))
            .or_else(|| defaults.get(name).cloned())
            .unwrap_or_default()
    };
    let answer_values: std::collections::BTreeMap<String, String> = guide::all_questions()
        .into_iter()
        .flat_map(|(q, _)| q.with_follow_ups())
        .map(|q| (q.field(), echo(&q.field())))
        .collect();
    // Made when the form is rendered: the same form sent twice files one complaint.
    let submission_key = Some(echo("submission_key"))
        .filter(|k| !k.is_empty())
        .unwrap_or_else(new_submission_key);
    let description = echo("description");
    let category = echo("category");
    let community = echo("community_id");
    let echoed_building = echo("building_id");
    let echoed_impact = echo("impact");
    let echoed_flags = echo("flags");
    // The hint for what came back, as the browser module would draw it: what the owner
    // stated stands, the text fills only what was left out (offered to confirm).
    let stated = StatedFacts::from_raw_intake(&RawIntake {
        impact: echoed_impact.clone(),
        people_count: echo("people_count"),
        claimed_amount_yuan: echo("claimed_amount_yuan"),
        flags: echoed_flags
            .split(',')
            .filter(|f| !f.is_empty())
            .map(str::to_owned)
            .collect(),
        ..RawIntake::default()
    });
    let (policy, _) = crate::ssr::backend().complaints.working_rules();
    // The model in use (retrained from the company's cases, or the shipped one); the browser
    // module loads the same version from `data-model-url`.
    let model = crate::ssr::backend().learning.in_use();
    let hint = model
        .model()
        .map_or_else(hints::CategoryHint::not_sure, |m| {
            hints::suggest_by(&m, &description)
        });
    let preview = hints::preview(
        &description,
        &stated,
        &IntakeFacts::default(),
        &policy.grading,
    );
    let (grade, suggested) = (preview.grade, preview.filled.suggested);
    let communities = Resource::new(|| (), |_| list_communities());
    let lang = current_lang();
    let count = fill(
        t(Msg::CharCount),
        &[&description.chars().count(), &DESCRIPTION_MAX],
    );

    view! {
                <input type="hidden" name="intake[submission_key]" value=submission_key />
                // The steps the owner's form is shown in on a phone (the browser module shows
                // one at a time; everywhere else they are one page).
                <div class="form-step" data-step="what">
                <Topics echoed=echo("topic") />
                <div class="field">
                    <label for="description">{t(Msg::FieldDescription)}</label>
                    <textarea id="description" name="intake[description]" rows="6" required
                        maxlength=DESCRIPTION_MAX.to_string()
                        aria-describedby="description-help description-error hint"
                        placeholder=t(Msg::FieldDescriptionHelp)
                    >{description}</textarea>
                    <p class="field-help" id="description-help">
                        <span class="char-count" data-testid="char-count"
                            data-template=t(Msg::CharCount)>{count}</span>
                    </p>
                    <FieldMessage id="description-error" field="description" error />
                    <HintPanel hint grade suggested category=category.clone()
                        model_version=model.version model_url=model.url() />
                    <div class="faq-suggestions" aria-live="polite" data-testid="faq-suggestions"
                        data-title=t(crate::i18n::FaqMsg::SuggestTitle)></div>
                </div>

                <div class="field">
                    <label for="category">{t(Msg::FieldCategory)}</label>
                    <select id="category" name="intake[category]" required
                        aria-describedby="category-error">
                        <option value="">{t(Msg::ChooseCategory)}</option>
                        {Category::ALL.iter().map(|c| {
                            let code = c.code();
                            view! { <option value=code selected=category == code>{c.label(lang)}</option> }
                        }).collect_view()}
                    </select>
                    <p class="field-help" id="category-auto" data-testid="category-preselected" hidden>
                        {t(Msg::HintPreselected)}
                    </p>
                    <FieldMessage id="category-error" field="category" error />
                </div>
                </div>

                <div class="form-step" data-step="where">
                <Suspense fallback=move || view! { <p>{t(Msg::Loading)}</p> }>
                    {move || {
                        let (community, echoed_building) = (community.clone(), echoed_building.clone());
                        Suspend::new(async move {
                            let list = communities.await.unwrap_or_default();
                            view! { <PlacePickers list community echoed_building error /> }
                        })
                    }}
                </Suspense>

                <div class="field">
                    <label for="unit">{t(Msg::FieldUnit)}</label>
                    <input id="unit" name="intake[unit]" type="text" maxlength="40" list="unit-options"
                        autocomplete="address-line2" value=echo("unit") aria-describedby="unit-error" />
                    // The chosen building's units from the estate, filled by the browser module;
                    // a unit not in the list can still be typed.
                    <datalist id="unit-options"></datalist>
                    <FieldMessage id="unit-error" field="unit" error />
                </div>
                </div>

                <div class="form-step" data-step="details">
                <Questions error values=answer_values />

                <div class="field">
                    <label for="impact">{t(Msg::FieldImpact)}</label>
                    <select id="impact" name="intake[impact]" aria-describedby="impact-help">
                        // Unanswered until the owner answers: what the text says is then
                        // only a suggestion, never taken as the owner's word.
                        <option value="" selected=echoed_impact.is_empty()>{t(Msg::ImpactUnstated)}</option>
                        {Impact::ALL.iter().rev().map(|i| view! {
                            <option value=i.code() selected=echoed_impact == i.code()>{i.label(lang)}</option>
                        }).collect_view()}
                    </select>
                    <p class="field-help" id="impact-help">{t(Msg::FieldImpactHelp)}</p>
                </div>

                <details class="more" open=!echo("people_count").is_empty() || !echo("claimed_amount_yuan").is_empty() || !echoed_flags.is_empty()>
                    <summary>{t(Msg::FieldMore)}</summary>
                    <div class="field">
                        <label for="people_count">{t(Msg::FieldPeople)}</label>
                        <input id="people_count" name="intake[people_count]" type="number" min="1"
                            max="9999" inputmode="numeric" placeholder="1" value=echo("people_count")
                            aria-describedby="people-help people_count-error" />
                        <p class="field-help" id="people-help">{t(Msg::FieldPeopleHelp)}</p>
                        <FieldMessage id="people_count-error" field="people_count" error />
                    </div>
                    <div class="field">
                        <label for="claimed_amount_yuan">{t(Msg::FieldAmount)}</label>
                        <input id="claimed_amount_yuan" name="intake[claimed_amount_yuan]" type="text"
                            inputmode="decimal" value=echo("claimed_amount_yuan")
                            aria-describedby="claimed_amount_yuan-error" />
                        <FieldMessage id="claimed_amount_yuan-error" field="claimed_amount_yuan" error />
                    </div>
                    <fieldset class="field checks">
                        <legend>{t(Msg::FieldFlags)}</legend>
                        {RiskFlag::ALL.iter().map(|&f| {
                            let checked = echoed_flags.split(',').any(|x| x == f.code());
                            view! {
                                <label class="check">
                                    <input type="checkbox" name="intake[flags][]" value=f.code() checked=checked />
                                    {f.label(lang)}
                                </label>
                            }
                        }).collect_view()}
                    </fieldset>
                </details>

                <label class="check emergency">
                    <input type="checkbox" id="emergency" name="intake[emergency]" value="on"
                        checked=echo("emergency") == "on" />
                    {t(Msg::FieldEmergency)}
                </label>
                </div>

                <div class="form-step" data-step="contact">
                <div class="field-row">
                    <div class="field">
                        <label for="name">{t(Msg::FieldName)}</label>
                        <input id="name" name="intake[name]" type="text" required maxlength="40"
                            autocomplete="name" value=echo("name") aria-describedby="name-error" />
                        <FieldMessage id="name-error" field="name" error />
                    </div>
                    <div class="field">
                        <label for="phone">{t(Msg::FieldPhone)}</label>
                        <input id="phone" name="intake[phone]" type="tel" required inputmode="tel"
                            autocomplete="tel" value=echo("phone")
                            aria-describedby="phone-help phone-error" />
                        <p class="field-help" id="phone-help">{t(Msg::FieldPhoneHelp)}</p>
                        <FieldMessage id="phone-error" field="phone" error />
                    </div>
                </div>

                <PromisePreview emergency=echo("emergency") == "on" />
                </div>
    }
}

/// "提交后，我们将在12月7日（周一）10:30 前联系您": the first-contact promise for a complaint
/// sent now, by the policy and business calendar in force. The browser module recomputes
/// it from the device's clock with the same domain function, from the rules carried here.
#[cfg(feature = "ssr")]
#[component]
fn PromisePreview(emergency: bool) -> impl IntoView {
    use domain::calendar::TimeBasis;
    use domain::sla::{deadlines_from, promise_by, SlaContext};
    use domain::{Clock, Level};

    let (policy, calendar) = crate::ssr::backend().complaints.working_rules();
    let now = chrono::Utc::now();
    let ctx = SlaContext::new(&policy, &calendar);
    let lang = current_lang();
    let text = deadlines_from(now, emergency, Level::Four, &ctx)
        .into_iter()
        .find(|(clock, _)| *clock == Clock::FirstContact)
        .map(|(clock, due)| promise_by(clock, due, now, policy.time_zone(), lang))
        .unwrap_or_default();
    let window =
        |emergency: bool| Clock::FirstContact.window(policy.sla.windows(Level::Four, emergency));
    let (normal, urgent) = (window(false), window(true));
    let basis = |b: TimeBasis| b.code();
    let hours = policy.sla.service_hours;
    let years: Vec<_> = calendar.years().map(|y| (y.year, y.to_text())).collect();
    view! {
        <div class="promise-preview" data-testid="promise-preview"
            data-offset=policy.utc_offset_minutes.to_string()
            data-opens=domain::calendar::time_label(hours.opens)
            data-closes=domain::calendar::time_label(hours.closes)
            data-window=normal.minutes.to_string() data-window-time=basis(normal.time)
            data-emergency-window=urgent.minutes.to_string() data-emergency-window-time=basis(urgent.time)
            data-lang=lang.tag()>
            <p class="promise-text" aria-live="polite">{t(Msg::PromiseAfterSending)}<strong>{text}</strong></p>
            {years.into_iter().map(|(year, (holidays, makeup))| view! {
                <span hidden data-year=year.to_string() data-holidays=holidays data-makeup=makeup></span>
            }).collect_view()}
        </div>
    }
}

/// 128 random bits as hex from the OS's generator, for the form's submission key (the form
/// is only ever rendered on the server).
#[cfg(feature = "ssr")]
fn new_submission_key() -> String {
    format!("{:032x}", rand::random::<u128>())
}

/// A logged-in owner is not asked again for what the portal knows: the name and phone of
/// the account, and their unit — the units the estate records with that phone as the
/// owner's (the phone is the proof that they are theirs), and those an agent confirmed. With one, it is filled in; with
/// several, the form offers each (`?household=`, checked against the phone again).
#[cfg(feature = "ssr")]
async fn what_the_portal_knows(
    chosen: Option<i64>,
) -> (
    std::collections::BTreeMap<String, String>,
    Vec<crate::model::Caller>,
) {
    let mut known = std::collections::BTreeMap::new();
    let Some(actor) = crate::ssr::session().ok().and_then(|s| s.actor()) else {
        return (known, Vec::new());
    };
    if actor.role != domain::Role::Owner {
        return (known, Vec::new());
    }
    known.insert("name".to_owned(), actor.display_name.clone());
    let backend = crate::ssr::backend();
    let Ok(Some(phone)) = backend.accounts.phone_of(&actor).await else {
        return (known, Vec::new());
    };
    known.insert("phone".to_owned(), phone.as_str().to_owned());
    let units = backend
        .estate
        .units_of(&actor, Some(&phone))
        .await
        .unwrap_or_default();
    let unit = match units.as_slice() {
        [one] => Some(one),
        several => chosen.and_then(|id| several.iter().find(|u| u.household_id == id)),
    };
    if let Some(unit) = unit {
        known.insert("community_id".to_owned(), unit.community_id.to_string());
        known.insert("building_id".to_owned(), unit.building_id.to_string());
        known.insert("unit".to_owned(), unit.unit.clone());
    }
    let offered = if units.len() > 1 { units } else { Vec::new() };
    (known, offered)
}
