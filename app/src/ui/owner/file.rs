//! The complaint form: phone-first, one column, live hints computed in the browser.

use std::collections::BTreeSet;

use domain::{hints, Category, GradingPolicy, Impact, IntakeFacts, RiskFlag};
use leptos::prelude::*;

use crate::api::complaints::{list_communities, FileComplaint};
use crate::error::AppError;
use crate::i18n::{current_lang, fill, t, Msg};
use crate::model::CommunityOption;
use crate::ui::shared::{ErrorBanner, FieldMessage, LevelBadge};

const DESCRIPTION_MAX: usize = 2000;

#[component]
pub fn FilePage() -> impl IntoView {
    let action = ServerAction::<FileComplaint>::new();
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    // After a post without JavaScript the page is rendered again with what was typed.
    let echo = move |name: &str| {
        error
            .with_untracked(|e| e.as_ref().and_then(|e| e.echo(name)))
            .unwrap_or_default()
    };
    let description = RwSignal::new(echo("description"));
    let category = RwSignal::new(echo("category"));
    let community = RwSignal::new(echo("community_id"));
    let echoed_building = echo("building_id");
    let echoed_impact = echo("impact");
    let echoed_flags = echo("flags");
    // The facts the form holds so far, for the severity preview (no round trip).
    let people = RwSignal::new(echo("people_count"));
    let impact = RwSignal::new(echoed_impact.clone());
    let amount = RwSignal::new(echo("claimed_amount_yuan"));
    let flags = RwSignal::new(
        echoed_flags
            .split(',')
            .filter_map(RiskFlag::parse)
            .collect::<BTreeSet<_>>(),
    );
    let facts = Memo::new(move |_| IntakeFacts {
        people_count: people.with(|p| p.trim().parse().unwrap_or(1)),
        claimed_amount_fen: amount.with(|a| domain::money::parse_yuan(a, "amount").unwrap_or(0)),
        flags: flags.get(),
        impact: impact.with(|i| Impact::parse(i).unwrap_or(Impact::None)),
        ..IntakeFacts::default()
    });
    let hint = Memo::new(move |_| hints::suggest(&description.get()));
    let grade = Memo::new(move |_| {
        description.with(|d| hints::preview_level(d, &facts.get(), &GradingPolicy::default()))
    });
    let communities = Resource::new(|| (), |_| list_communities());
    let lang = current_lang();

    view! {
        <section class="card">
            <h1>{t(Msg::FileTitle)}</h1>
            <p class="lead">{t(Msg::FileIntro)}</p>
            <ErrorBanner error />
            <ActionForm action attr:class="form" attr:novalidate=true attr:id="file-form">
                <div class="field">
                    <label for="description">{t(Msg::FieldDescription)}</label>
                    <textarea id="description" name="intake[description]" rows="6" required
                        maxlength=DESCRIPTION_MAX.to_string()
                        aria-describedby="description-help description-error hint"
                        placeholder=t(Msg::FieldDescriptionHelp)
                        on:input=move |ev| description.set(event_target_value(&ev))
                        prop:value=move || description.get()
                    >{description.get_untracked()}</textarea>
                    <p class="field-help" id="description-help">
                        <span class="char-count" data-testid="char-count">
                            {move || fill(t(Msg::CharCount), &[&description.with(|d| d.chars().count()), &DESCRIPTION_MAX])}
                        </span>
                    </p>
                    <FieldMessage id="description-error" field="description" error />
                    <HintPanel hint grade category />
                    <crate::ui::faq::FaqSuggestions text=description />
                </div>

                <div class="field">
                    <label for="category">{t(Msg::FieldCategory)}</label>
                    <select id="category" name="intake[category]" required
                        aria-describedby="category-error"
                        on:change=move |ev| category.set(event_target_value(&ev))
                        prop:value=move || category.get()>
                        <option value="">{t(Msg::ChooseCategory)}</option>
                        {Category::ALL.iter().map(|c| {
                            let code = c.code();
                            view! {
                                <option value=code selected=move || category.with(|v| v == code)>
                                    {c.label(lang)}
                                </option>
                            }
                        }).collect_view()}
                    </select>
                    <FieldMessage id="category-error" field="category" error />
                </div>

                <Suspense fallback=move || view! { <p>{t(Msg::Loading)}</p> }>
                    {move || {
                        let echoed_building = echoed_building.clone();
                        Suspend::new(async move {
                            let list = communities.await.unwrap_or_default();
                            view! { <PlacePickers list community echoed_building error /> }
                        })
                    }}
                </Suspense>

                <div class="field">
                    <label for="unit">{t(Msg::FieldUnit)}</label>
                    <input id="unit" name="intake[unit]" type="text" maxlength="40"
                        autocomplete="address-line2" value=echo("unit") aria-describedby="unit-error" />
                    <FieldMessage id="unit-error" field="unit" error />
                </div>

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

                <details class="more" open=!echo("people_count").is_empty() || !echoed_flags.is_empty()>
                    <summary>{t(Msg::FieldFlags)}</summary>
                    <div class="field">
                        <label for="people_count">{t(Msg::FieldPeople)}</label>
                        <input id="people_count" name="intake[people_count]" type="number" min="1"
                            max="9999" inputmode="numeric" placeholder="1" value=echo("people_count")
                            on:input=move |ev| people.set(event_target_value(&ev))
                            aria-describedby="people-help people_count-error" />
                        <p class="field-help" id="people-help">{t(Msg::FieldPeopleHelp)}</p>
                        <FieldMessage id="people_count-error" field="people_count" error />
                    </div>
                    <div class="field">
                        <label for="impact">{t(Msg::FieldImpact)}</label>
                        <select id="impact" name="intake[impact]"
                            on:change=move |ev| impact.set(event_target_value(&ev))>
                            {Impact::ALL.iter().rev().map(|i| view! {
                                <option value=i.code() selected=echoed_impact == i.code()>{i.label(lang)}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="claimed_amount_yuan">{t(Msg::FieldAmount)}</label>
                        <input id="claimed_amount_yuan" name="intake[claimed_amount_yuan]" type="text"
                            inputmode="decimal" value=echo("claimed_amount_yuan")
                            on:input=move |ev| amount.set(event_target_value(&ev))
                            aria-describedby="claimed_amount_yuan-error" />
                        <FieldMessage id="claimed_amount_yuan-error" field="claimed_amount_yuan" error />
                    </div>
                    <fieldset class="field checks">
                        <legend>{t(Msg::FieldFlags)}</legend>
                        {RiskFlag::ALL.iter().map(|&f| {
                            let checked = echoed_flags.split(',').any(|x| x == f.code());
                            view! {
                                <label class="check">
                                    <input type="checkbox" name="intake[flags][]" value=f.code() checked=checked
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            flags.update(|set| { if on { set.insert(f); } else { set.remove(&f); } });
                                        } />
                                    {f.label(lang)}
                                </label>
                            }
                        }).collect_view()}
                    </fieldset>
                </details>

                <label class="check emergency">
                    <input type="checkbox" name="intake[emergency]" value="on"
                        checked=echo("emergency") == "on" />
                    {t(Msg::FieldEmergency)}
                </label>

                <button type="submit" class="button primary" disabled=move || action.pending().get()>
                    {move || if action.pending().get() { t(Msg::Submitting) } else { t(Msg::SubmitComplaint) }}
                </button>
            </ActionForm>
        </section>
    }
}

/// The live suggestion: likely category (with a runner-up when unsure) and the level the
/// facts imply so far. Tapping a category sets it; the hint never overrides a choice.
#[component]
fn HintPanel(
    hint: Memo<hints::CategoryHint>,
    grade: Memo<domain::Grade>,
    category: RwSignal<String>,
) -> impl IntoView {
    let lang = current_lang();
    let chip = move |suggested: Category, label: Msg| {
        let chosen = move || category.with(|c| c == suggested.code());
        view! {
            <button type="button" class="chip" aria-pressed=move || chosen().to_string()
                data-category=suggested.code()
                on:click=move |_| category.set(suggested.code().to_owned())>
                {move || if chosen() { t(Msg::HintInUse) } else { t(label) }}
            </button>
        }
    };
    view! {
        <div class="hint" id="hint" aria-live="polite" data-testid="hint">
            <span class="hint-title">{t(Msg::HintTitle)}</span>
            {move || {
                let current = hint.get();
                match current.category {
                    None => view! { <span class="hint-empty">{t(Msg::HintNotSure)}</span> }.into_any(),
                    Some(suggested) => view! {
                        <span>{t(Msg::HintLikely)}" "<strong class="hint-category">{suggested.label(lang)}</strong></span>
                        {chip(suggested, Msg::HintUse)}
                        {current.alternatives.first().map(|&(other, _)| view! {
                            <span class="hint-or">{t(Msg::HintOr)}" "<strong class="hint-alternative">{other.label(lang)}</strong></span>
                            {chip(other, Msg::HintUseOther)}
                        })}
                    }.into_any(),
                }
            }}
            {move || {
                let g = grade.get();
                // Routine (level 4) needs no mention; anything more urgent says why.
                (g.level.number() < 4).then(|| view! {
                    <p class="hint-level" data-testid="hint-level">
                        {t(Msg::HintLevel)}" "<LevelBadge level=g.level />" "
                        <span class="muted small">{g.reasons.first().map(|r| r.message.get(lang).to_owned())}</span>
                    </p>
                })
            }}
        </div>
    }
}

/// Community, then its buildings. Without JavaScript every building is listed,
/// grouped by community.
#[component]
fn PlacePickers(
    list: Vec<CommunityOption>,
    community: RwSignal<String>,
    echoed_building: String,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let list = StoredValue::new(list);
    view! {
        <div class="field-row">
            <div class="field">
                <label for="community_id">{t(Msg::FieldCommunity)}</label>
                <select id="community_id" name="intake[community_id]" required
                    aria-describedby="community_id-error"
                    on:change=move |ev| community.set(event_target_value(&ev))
                    prop:value=move || community.get()>
                    <option value="">{t(Msg::ChooseCommunity)}</option>
                    {list.get_value().into_iter().map(|c| {
                        let id = c.id.to_string();
                        let selected = community.with_untracked(|v| *v == id);
                        view! { <option value=id selected=selected>{c.name}</option> }
                    }).collect_view()}
                </select>
                <FieldMessage id="community_id-error" field="community_id" error />
            </div>
            <div class="field">
                <label for="building_id">{t(Msg::FieldBuilding)}</label>
                <select id="building_id" name="intake[building_id]" aria-describedby="building_id-error">
                    <option value="">{t(Msg::ChooseBuilding)}</option>
                    {move || {
                        let chosen = community.get();
                        list.get_value()
                            .into_iter()
                            .filter(|c| chosen.is_empty() || c.id.to_string() == chosen)
                            .map(|c| {
                                let echoed = echoed_building.clone();
                                view! {
                                    <optgroup label=c.name>
                                        {c.buildings.into_iter().map(|b| {
                                            let id = b.id.to_string();
                                            let selected = id == echoed;
                                            view! { <option value=id selected=selected>{b.name}</option> }
                                        }).collect_view()}
                                    </optgroup>
                                }
                            })
                            .collect_view()
                    }}
                </select>
                <FieldMessage id="building_id-error" field="building_id" error />
            </div>
        </div>
    }
}
