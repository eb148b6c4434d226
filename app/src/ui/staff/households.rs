//! 业主档案: find a household, and its file — the owner, every complaint about the unit
//! with its status, level, handler and the owner's satisfaction, the groups and repeats it
//! was part of. Linked from every complaint whose unit is in the estate.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::households::{
    household_hits, load_household, FindHouseholds, LinkHouseholdAccount,
};
use crate::i18n::{current_lang, fill, t, Msg, StaffMsg};
use crate::model::HouseholdFile;
use crate::ui::shared::{format_time, ErrorBanner, FieldMessage, LevelBadge, StatusBadge};
use crate::ui::staff::StaffError;

/// The search: by phone, name, unit or tracking code. The text is posted; the answer is
/// the household itself, or a list of the households found (by id).
#[component]
pub fn HouseholdsPage() -> impl IntoView {
    let search = ServerAction::<FindHouseholds>::new();
    let error = Signal::derive(move || search.value().get().and_then(Result::err));
    let query = use_query_map();
    let found = move || query.read().get("found").unwrap_or_default();
    let hits = Resource::new(found, |found| async move {
        if found.is_empty() || found == "none" {
            Ok(Vec::new())
        } else {
            household_hits(found).await
        }
    });
    view! {
        <section class="card wide">
            <h1>{t(StaffMsg::HouseholdsTitle)}</h1>
            <p class="lead">{t(StaffMsg::HouseholdsIntro)}</p>
            <ErrorBanner error />
            <ActionForm action=search attr:class="form inline-fields" attr:novalidate=true>
                <label class="visually-hidden" for="household-q">{t(StaffMsg::HouseholdSearch)}</label>
                <input id="household-q" name="q" type="search" autocomplete="off"
                    placeholder=t(StaffMsg::HouseholdSearch) aria-describedby="household-q-error" />
                <button type="submit" class="button primary">{t(StaffMsg::HouseholdFind)}</button>
            </ActionForm>
            <FieldMessage id="household-q-error" field="q" error />
            {move || (found() == "none").then(|| view! {
                <p class="muted" data-testid="households-none">{t(StaffMsg::HouseholdsNone)}</p>
            })}
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match hits.await {
                        Ok(hits) => view! {
                            <ul class="household-hits" data-testid="household-hits">
                                {hits.into_iter().map(|h| view! {
                                    <li class="card-row">
                                        <A href=format!("/staff/households/{}", h.id)>{h.place}</A>
                                        " · "{h.owner_name}
                                        <span class="muted small">" · "{fill(t(StaffMsg::HouseholdComplaintCount), &[&h.complaints])}</span>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(error) => view! { <StaffError error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// One household's file.
#[component]
pub fn HouseholdPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let file = Resource::new(id, load_household);
    view! {
        <p class="back"><A href="/staff/households">{t(StaffMsg::HouseholdsTitle)}</A></p>
        <Transition fallback=move || view! { <p class="card">{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match file.await {
                    Ok(file) => view! { <HouseholdView file /> }.into_any(),
                    Err(error) => view! { <StaffError error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn HouseholdView(file: HouseholdFile) -> impl IntoView {
    let lang = current_lang();
    let open = file
        .complaints
        .iter()
        .filter(|c| c.status.is_open())
        .count();
    let rated: Vec<i64> = file
        .complaints
        .iter()
        .filter_map(|c| c.satisfaction)
        .collect();
    let satisfaction = (!rated.is_empty()).then(|| {
        let sum: i64 = rated.iter().sum();
        format!("{:.1}", sum as f64 / rated.len() as f64)
    });
    let phone_link = (!file.owner_phone.contains('*') && !file.owner_phone.is_empty())
        .then(|| file.owner_phone.clone());
    view! {
        <section class="card wide household" data-testid="household">
            <h1>{format!("{} {} {}", file.community, file.building, file.unit)}</h1>
            {file.retired.then(|| view! { <p><span class="badge">{t(StaffMsg::HouseholdRetired)}</span></p> })}
            <dl class="facts">
                <dt>{t(StaffMsg::HouseholdOwner)}</dt>
                <dd>
                    {if file.owner_name.is_empty() { t(StaffMsg::HouseholdOwnerUnknown).to_owned() } else { file.owner_name.clone() }}
                    {(!file.owner_phone.is_empty()).then(|| match phone_link {
                        Some(phone) => view! { " · "<a href=format!("tel:{phone}")>{phone.clone()}</a> }.into_any(),
                        None => view! { " · "<span class="mono">{file.owner_phone.clone()}</span> }.into_any(),
                    })}
                </dd>
                <dt>{t(StaffMsg::HouseholdComplaints)}</dt>
                <dd data-testid="household-count">{fill(t(StaffMsg::HouseholdCounts), &[&file.complaints.len(), &open])}</dd>
                {satisfaction.map(|s| view! {
                    <dt>{t(StaffMsg::HouseholdSatisfaction)}</dt><dd>{fill(t(StaffMsg::HouseholdSatisfactionValue), &[&s, &rated.len()])}</dd>
                })}
            </dl>
            {(file.hidden > 0).then(|| view! {
                <p class="muted small">{fill(t(StaffMsg::HouseholdHidden), &[&file.hidden])}</p>
            })}
            {file.may_link.then(|| view! { <LinkAccount id=file.id /> })}
        </section>
        <section class="card wide">
            <h2>{t(StaffMsg::HouseholdComplaints)}</h2>
            {file.complaints.is_empty().then(|| view! { <p class="muted">{t(StaffMsg::HouseholdNoComplaints)}</p> })}
            <ul class="household-complaints" data-testid="household-complaints">
                {file.complaints.into_iter().map(|c| view! {
                    <li class="card-row">
                        <div>
                            <A href=format!("/staff/complaints/{}", c.id)>{c.summary}</A>
                            <br />
                            <span class="muted small">
                                <span class="mono">{c.tracking_code}</span>" · "{format_time(c.filed_at)}" · "{c.category.label(lang)}
                                " · "{c.complainant}
                                {c.handler.map(|h| format!(" · {h}"))}
                            </span>
                        </div>
                        <p class="badges">
                            <LevelBadge level=c.level />
                            <StatusBadge status=c.status />
                            {(c.channel != domain::Channel::Web).then(|| view! { <span class="badge channel">{c.channel.label(lang)}</span> })}
                            {c.group_id.map(|_| view! { <span class="badge">{t(StaffMsg::HouseholdInGroup)}</span> })}
                            {c.repeat_of.map(|_| view! { <span class="badge">{t(StaffMsg::HouseholdRepeat)}</span> })}
                            {c.satisfaction.map(|s| view! { <span class="badge">{fill(t(StaffMsg::HouseholdRated), &[&s])}</span> })}
                        </p>
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}

/// The desk confirms an owner account whose phone is not the one on record (a new number,
/// a family member) as this household's.
#[component]
fn LinkAccount(id: i64) -> impl IntoView {
    let link = ServerAction::<LinkHouseholdAccount>::new();
    let error = Signal::derive(move || link.value().get().and_then(Result::err));
    let done = move || matches!(link.value().get(), Some(Ok(())));
    view! {
        <details class="step" data-testid="link-account">
            <summary>{t(StaffMsg::LinkAccount)}</summary>
            <ActionForm action=link attr:class="form" attr:novalidate=true>
                <input type="hidden" name="id" value=id.to_string() />
                <div class="field">
                    <label for="link-phone">{t(StaffMsg::LinkAccountPhone)}</label>
                    <input id="link-phone" name="phone" type="tel" inputmode="tel" aria-describedby="link-phone-error" />
                    <FieldMessage id="link-phone-error" field="phone" error />
                </div>
                <p class="field-help">{t(StaffMsg::LinkAccountHelp)}</p>
                <p class="notice" role="status" class:hidden=move || !done()>{t(StaffMsg::LinkAccountDone)}</p>
                <button type="submit" class="button primary">{t(StaffMsg::LinkAccount)}</button>
            </ActionForm>
        </details>
    }
}
