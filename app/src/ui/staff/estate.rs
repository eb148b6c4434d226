//! 管理 → 房产资料: the estate the complaint form offers. The import is a plain
//! multipart form (it works without JavaScript); the server sends the browser back here
//! with `?import=ID` and the page shows what happened, every bad row included.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::estate::{
    estate_import_outcome, estate_overview, estate_units, SaveEstateUnit, SetCommunityHotline,
    SetEstateRetired,
};
use crate::error::AppError;
use crate::i18n::{fill, t, AdminMsg, Msg};
use crate::model::{EstateCommunity, EstateImportReport, EstateUnitView};
use crate::ui::shared::{ErrorBanner, FieldMessage};
use crate::ui::staff::StaffError;

#[component]
pub fn EstatePage() -> impl IntoView {
    let query = use_query_map();
    let import_id = move || {
        query
            .read()
            .get("import")
            .and_then(|v| v.parse::<i64>().ok())
    };
    let building = move || {
        query
            .read()
            .get("building")
            .and_then(|v| v.parse::<i64>().ok())
    };
    let save_unit = ServerAction::<SaveEstateUnit>::new();
    let retire = ServerAction::<SetEstateRetired>::new();
    let hotline = ServerAction::<SetCommunityHotline>::new();
    let overview = Resource::new(
        move || {
            (
                save_unit.version().get(),
                retire.version().get(),
                hotline.version().get(),
            )
        },
        |_| estate_overview(),
    );
    let report = Resource::new(import_id, |id| async move {
        match id {
            Some(id) => estate_import_outcome(id).await,
            None => Ok(None),
        }
    });
    let units = Resource::new(
        move || {
            (
                building(),
                save_unit.version().get(),
                retire.version().get(),
            )
        },
        |(building, _, _)| async move {
            match building {
                Some(building) => estate_units(building).await.map(|u| Some((building, u))),
                None => Ok(None),
            }
        },
    );
    view! {
        <section class="card wide">
            <h1>{t(AdminMsg::Estate)}</h1>
            <p class="lead">{t(AdminMsg::EstateIntro)}</p>
            <nav class="admin-nav">
                <a href="/staff/admin">{t(AdminMsg::Title)}</a>
                <a href="/staff/admin/estate/export.csv" download="estate.csv" rel="external">{t(AdminMsg::EstateExport)}</a>
            </nav>
        </section>
        <section class="card wide" id="import">
            <h2>{t(AdminMsg::EstateImport)}</h2>
            <p class="lead">{t(AdminMsg::EstateImportHelp)}</p>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match report.await {
                        Ok(Some(report)) => view! { <ImportReport report /> }.into_any(),
                        Ok(None) => ().into_any(),
                        Err(error) => view! { <StaffError error /> }.into_any(),
                    }
                })}
            </Transition>
            <form class="form" method="post" action="/staff/admin/estate/import" enctype="multipart/form-data">
                <div class="field"><label>{t(AdminMsg::EstateFile)}
                    <input type="file" name="file" accept=".xlsx,.xls,.ods,.csv,.txt" required=true />
                </label></div>
                <button type="submit" class="button primary">{t(AdminMsg::EstateImportButton)}</button>
            </form>
        </section>
        <UnitForm action=save_unit />
        <Transition fallback=move || view! { <p class="card">{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match (overview.await, units.await) {
                    (Ok(communities), Ok(units)) => view! {
                        <Overview communities units retire hotline />
                    }.into_any(),
                    (Err(error), _) | (_, Err(error)) => view! { <StaffError error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ImportReport(report: EstateImportReport) -> impl IntoView {
    if report.ok {
        let text = fill(
            t(AdminMsg::EstateImported),
            &[
                &report.file_name,
                &report.units_created,
                &report.units_updated,
                &report.units_unchanged,
            ],
        );
        view! { <p class="notice" role="status" data-testid="estate-imported">{text}</p> }
            .into_any()
    } else {
        let text = fill(
            t(AdminMsg::EstateRejected),
            &[&report.file_name, &report.errors.len()],
        );
        view! {
            <div class="notice warn" role="alert" data-testid="estate-rejected">
                <p>{text}</p>
                <ul>{report.errors.into_iter().map(|e| view! { <li>{e}</li> }).collect_view()}</ul>
            </div>
        }
        .into_any()
    }
}

#[component]
fn UnitForm(action: ServerAction<SaveEstateUnit>) -> impl IntoView {
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let echo = move |name: &str| error.with(|e| e.as_ref().and_then(|e| e.echo(name)));
    let saved = move || matches!(action.value().get(), Some(Ok(())));
    let field = move |name: &'static str, label: AdminMsg| {
        let id = format!("estate-{name}");
        let error_id = format!("estate-{name}-error");
        view! {
            <div class="field">
                <label for=id.clone()>{t(label)}</label>
                <input id=id name=format!("unit[{name}]") type="text" aria-describedby=error_id.clone()
                    prop:value=move || echo(name).unwrap_or_default() />
                <FieldMessage id=error_id field=name error />
            </div>
        }
    };
    view! {
        <section class="card wide" id="add-unit">
            <details class="step" open=move || error.get().is_some()>
                <summary>{t(AdminMsg::EstateAddUnit)}</summary>
                <ErrorBanner error />
                <p class="notice" role="status" class:hidden=move || !saved()>{t(AdminMsg::Saved)}</p>
                <ActionForm action attr:class="form admin-form" attr:novalidate=true>
                    {field("community", AdminMsg::EstateCommunity)}
                    {field("building", AdminMsg::EstateBuilding)}
                    {field("entrance", AdminMsg::EstateEntrance)}
                    {field("unit", AdminMsg::EstateUnit)}
                    {field("owner_name", AdminMsg::EstateOwnerName)}
                    {field("phone", AdminMsg::EstatePhone)}
                    <button type="submit" class="button primary">{t(AdminMsg::Save)}</button>
                </ActionForm>
            </details>
        </section>
    }
}

fn retire_button(
    retire: ServerAction<SetEstateRetired>,
    kind: &'static str,
    id: i64,
    retired: bool,
) -> impl IntoView {
    view! {
        <ActionForm action=retire attr:class="inline-form">
            <input type="hidden" name="kind" value=kind />
            <input type="hidden" name="id" value=id.to_string() />
            <input type="hidden" name="retired" value=if retired { "0" } else { "1" } />
            <button type="submit" class="button small">
                {if retired { t(AdminMsg::EstateRestore) } else { t(AdminMsg::EstateRetire) }}
            </button>
        </ActionForm>
    }
}

#[component]
fn Overview(
    communities: Vec<EstateCommunity>,
    units: Option<(i64, Vec<EstateUnitView>)>,
    retire: ServerAction<SetEstateRetired>,
    hotline: ServerAction<SetCommunityHotline>,
) -> impl IntoView {
    let error: Signal<Option<AppError>> =
        Signal::derive(move || retire.value().get().and_then(Result::err));
    let units = StoredValue::new(units);
    let empty = communities.is_empty();
    view! {
        <section class="card wide" id="estate">
            <ErrorBanner error />
            {empty.then(|| view! { <p>{t(AdminMsg::EstateEmpty)}</p> })}
            <ul class="admin-list estate-list">
                {communities.into_iter().map(|c| {
                    let name = if c.retired { format!("{} · {}", c.name, t(AdminMsg::EstateRetired)) } else { c.name.clone() };
                    view! {
                        <li data-testid="estate-community">
                            <h2 class="h3">{name}</h2>
                            {retire_button(retire, "community", c.id, c.retired)}
                            <HotlineForm action=hotline community=c.id saved=c.hotline.clone() />
                            <ul>
                                {c.buildings.into_iter().map(|b| {
                                    let summary = format!("{} · {}{}", b.name, fill(t(AdminMsg::EstateUnits), &[&b.units]),
                                        if b.retired { format!(" · {}", t(AdminMsg::EstateRetired)) } else { String::new() });
                                    let shown = units.with_value(|u| u.as_ref().map(|(id, _)| *id) == Some(b.id));
                                    view! {
                                        <li>
                                            {summary}" "
                                            <a href=format!("/staff/admin/estate?building={}#building-{}", b.id, b.id)>{t(AdminMsg::EstateShowUnits)}</a>
                                            {retire_button(retire, "building", b.id, b.retired)}
                                            {shown.then(|| view! { <UnitList building=b.id units=units.with_value(|u| u.as_ref().map(|(_, u)| u.clone()).unwrap_or_default()) retire /> })}
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn UnitList(
    building: i64,
    units: Vec<EstateUnitView>,
    retire: ServerAction<SetEstateRetired>,
) -> impl IntoView {
    let empty = units.is_empty();
    view! {
        <div id=format!("building-{building}")>
            {empty.then(|| view! { <p>{t(AdminMsg::EstateNoUnits)}</p> })}
            <table class="table">
                <thead><tr>
                    <th>{t(AdminMsg::EstateEntrance)}</th><th>{t(AdminMsg::EstateUnit)}</th>
                    <th>{t(AdminMsg::EstateOwnerName)}</th><th>{t(AdminMsg::EstatePhone)}</th><th><span class="visually-hidden">{t(Msg::ColActions)}</span></th>
                </tr></thead>
                <tbody>
                    {units.into_iter().map(|u| view! {
                        <tr class:muted=u.retired>
                            <td>{u.entrance}</td><td>{u.unit}</td><td>{u.owner_name}</td><td>{u.owner_phone}</td>
                            <td>{retire_button(retire, "unit", u.id, u.retired)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// A community's service hotline: typed as people write it, refused with the reason when it
/// is no phone number (what was typed stays in the box).
#[component]
fn HotlineForm(
    action: ServerAction<SetCommunityHotline>,
    community: i64,
    saved: String,
) -> impl IntoView {
    // The refusal of this community's hotline, not another's.
    let error: Signal<Option<AppError>> = Signal::derive(move || {
        action
            .value()
            .get()
            .and_then(Result::err)
            .filter(|e| e.echo("community_id") == Some(community.to_string()))
    });
    let typed = move || {
        error
            .with(|e| e.as_ref().and_then(|e| e.echo("hotline")))
            .unwrap_or_else(|| saved.clone())
    };
    let id = format!("hotline-{community}");
    let error_id = format!("hotline-{community}-error");
    view! {
        <ActionForm action attr:class="form hotline-form" attr:novalidate=true>
            <input type="hidden" name="community_id" value=community.to_string() />
            <div class="field">
                <label for=id.clone()>{t(AdminMsg::EstateHotline)}</label>
                <input id=id name="hotline" type="tel" inputmode="tel" maxlength="24"
                    placeholder="400-820-1234" data-testid="hotline-input"
                    aria-describedby=format!("{error_id} hotline-{community}-help")
                    prop:value=typed />
                <p class="field-help" id=format!("hotline-{community}-help")>{t(AdminMsg::EstateHotlineHelp)}</p>
                <FieldMessage id=error_id field="hotline" error />
            </div>
            <button type="submit" class="button small">{t(AdminMsg::EstateHotlineSave)}</button>
        </ActionForm>
    }
}
