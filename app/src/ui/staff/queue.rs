//! The queue: filters in the URL (a GET form, so it works without JavaScript and can be
//! bookmarked), counts by SLA state, level and SLA badges, paging.

use domain::{Category, Level, SlaState, Status};
use leptos::prelude::*;
use leptos_router::components::{Form, A};
use leptos_router::hooks::use_query_map;

use crate::api::complaints::list_communities;
use crate::api::staff::{list_departments, staff_queue};
use crate::error::AppError;
use crate::i18n::{current_lang, fill, t, Msg, StaffMsg};
use crate::model::{CommunityOption, Department, QueueFilter, QueuePage, QueueRow};
use crate::ui::shared::{
    format_time, loaded, LevelBadge, Live, LiveIndicator, SlaBadge, StatusBadge,
};
use crate::ui::staff::StaffError;

#[component]
pub fn QueuePage() -> impl IntoView {
    let query = use_query_map();
    let filter = move || {
        let q = query.read();
        let get = |k: &str| q.get(k).unwrap_or_default();
        QueueFilter {
            status: get("status"),
            category: get("category"),
            level: get("level"),
            department: get("department"),
            handler: get("handler"),
            community: get("community"),
            building: get("building"),
            from: get("from"),
            to: get("to"),
            sla: get("sla"),
            q: get("q"),
            sort: get("sort"),
            page: get("page"),
        }
    };
    let live = Live::new();
    let page = Resource::new(move || (filter(), live.version()), |(f, _)| staff_queue(f));
    live.follow(move || page.with(loaded), || "/live/queue".to_owned());
    // Every resource of the page is created here, before any <Suspense>/<Transition>:
    // they take ids from the same counter, and the server and the browser may run the
    // components' bodies in a different order (a direct load of the queue did not hydrate).
    let choices = FilterChoices {
        departments: Resource::new(|| (), |_| list_departments()),
        communities: Resource::new(|| (), |_| list_communities()),
    };
    view! {
        <section class="card wide">
            <div class="title-row">
                <h1>{t(Msg::QueueTitle)}</h1>
                <LiveIndicator live />
            </div>
            <Filters filter=filter() choices />
            <Transition fallback=move || view! { <p>{t(Msg::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(page) => view! { <QueueResults page filter=filter() /> }.into_any(),
                        Err(error) => view! { <StaffError error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// What the department, handler and community filters offer.
#[derive(Clone, Copy)]
struct FilterChoices {
    departments: Resource<Result<Vec<Department>, AppError>>,
    communities: Resource<Result<Vec<CommunityOption>, AppError>>,
}

#[component]
fn Filters(filter: QueueFilter, choices: FilterChoices) -> impl IntoView {
    let lang = current_lang();
    let FilterChoices {
        departments,
        communities,
    } = choices;
    let selected = |current: &str, value: &str| current == value;
    let f = StoredValue::new(filter);
    let current = move |pick: fn(&QueueFilter) -> &String| f.with_value(|f| pick(f).clone());
    view! {
        <Form method="GET" action="" attr:class="filters">
            <div class="filter">
                <label for="f-q">{t(StaffMsg::FilterSearch)}</label>
                <input id="f-q" name="q" type="search" value=current(|f| &f.q) />
            </div>
            <div class="filter">
                <label for="f-status">{t(StaffMsg::FilterStatus)}</label>
                <select id="f-status" name="status">
                    <option value="open" selected=selected(&current(|f| &f.status), "open")>{t(StaffMsg::FilterOpen)}</option>
                    <option value="all" selected=selected(&current(|f| &f.status), "all")>{t(StaffMsg::FilterAll)}</option>
                    {Status::ALL.iter().map(|s| view! {
                        <option value=s.code() selected=selected(&current(|f| &f.status), s.code())>{s.label(lang)}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="filter">
                <label for="f-sla">{t(StaffMsg::FilterSla)}</label>
                <select id="f-sla" name="sla">
                    <option value="">{t(StaffMsg::FilterAny)}</option>
                    {SlaState::ALL.iter().map(|s| view! {
                        <option value=s.code() selected=selected(&current(|f| &f.sla), s.code())>{s.label(lang)}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="filter">
                <label for="f-level">{t(StaffMsg::FilterLevel)}</label>
                <select id="f-level" name="level">
                    <option value="">{t(StaffMsg::FilterAny)}</option>
                    {Level::ALL.iter().map(|l| {
                        let n = l.number().to_string();
                        let is = selected(&current(|f| &f.level), &n);
                        view! { <option value=n selected=is>{l.label(lang)}</option> }
                    }).collect_view()}
                </select>
            </div>
            <div class="filter">
                <label for="f-category">{t(StaffMsg::FilterCategory)}</label>
                <select id="f-category" name="category">
                    <option value="">{t(StaffMsg::FilterAny)}</option>
                    {Category::ALL.iter().map(|c| view! {
                        <option value=c.code() selected=selected(&current(|f| &f.category), c.code())>{c.label(lang)}</option>
                    }).collect_view()}
                </select>
            </div>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let departments = departments.await.unwrap_or_default();
                    let communities = communities.await.unwrap_or_default();
                    let department = current(|f| &f.department);
                    let community = current(|f| &f.community);
                    let building = current(|f| &f.building);
                    let handler = current(|f| &f.handler);
                    view! {
                        <div class="filter">
                            <label for="f-department">{t(StaffMsg::FilterDepartment)}</label>
                            <select id="f-department" name="department">
                                <option value="">{t(StaffMsg::FilterAny)}</option>
                                {departments.iter().map(|d| {
                                    let id = d.id.to_string();
                                    let is = id == department;
                                    view! { <option value=id selected=is>{d.name(lang).to_owned()}</option> }
                                }).collect_view()}
                            </select>
                        </div>
                        <div class="filter">
                            <label for="f-handler">{t(StaffMsg::FilterHandler)}</label>
                            <select id="f-handler" name="handler">
                                <option value="">{t(StaffMsg::FilterAny)}</option>
                                <option value="mine" selected=handler == "mine">{t(StaffMsg::FilterMine)}</option>
                                {departments.iter().flat_map(|d| d.handlers.iter()).map(|h| {
                                    let id = h.id.to_string();
                                    let is = id == handler;
                                    view! { <option value=id selected=is>{h.name.clone()}</option> }
                                }).collect_view()}
                            </select>
                        </div>
                        <div class="filter">
                            <label for="f-community">{t(StaffMsg::FilterCommunity)}</label>
                            <select id="f-community" name="community">
                                <option value="">{t(StaffMsg::FilterAny)}</option>
                                {communities.iter().map(|c| {
                                    let id = c.id.to_string();
                                    let is = id == community;
                                    view! { <option value=id selected=is>{c.name.clone()}</option> }
                                }).collect_view()}
                            </select>
                        </div>
                        <div class="filter">
                            <label for="f-building">{t(StaffMsg::FilterBuilding)}</label>
                            <select id="f-building" name="building">
                                <option value="">{t(StaffMsg::FilterAny)}</option>
                                {communities.into_iter().map(|c| view! {
                                    <optgroup label=c.name>
                                        {c.buildings.into_iter().map(|b| {
                                            let id = b.id.to_string();
                                            let is = id == building;
                                            view! { <option value=id selected=is>{b.name}</option> }
                                        }).collect_view()}
                                    </optgroup>
                                }).collect_view()}
                            </select>
                        </div>
                    }
                })}
            </Suspense>
            <div class="filter">
                <label for="f-from">{t(StaffMsg::FilterFrom)}</label>
                <input id="f-from" name="from" type="month" value=current(|f| &f.from) />
            </div>
            <div class="filter">
                <label for="f-to">{t(StaffMsg::FilterTo)}</label>
                <input id="f-to" name="to" type="month" value=current(|f| &f.to) />
            </div>
            <div class="filter">
                <label for="f-sort">{t(StaffMsg::FilterSort)}</label>
                <select id="f-sort" name="sort">
                    {[("newest", StaffMsg::SortNewest), ("oldest", StaffMsg::SortOldest), ("level", StaffMsg::SortLevel), ("due", StaffMsg::SortDue)]
                        .into_iter()
                        .map(|(code, label)| view! {
                            <option value=code selected=selected(&current(|f| &f.sort), code)>{t(label)}</option>
                        })
                        .collect_view()}
                </select>
            </div>
            <div class="filter-actions">
                <button type="submit" class="button primary">{t(StaffMsg::ApplyFilters)}</button>
                <A href="/staff" attr:class="button">{t(StaffMsg::ClearFilters)}</A>
            </div>
        </Form>
    }
}

#[component]
fn QueueResults(page: QueuePage, filter: QueueFilter) -> impl IntoView {
    let counts = page.counts.clone();
    let pages = (counts.total + page.page_size - 1) / page.page_size;
    let link = move |to: i64| {
        let mut params = vec![];
        for (k, v) in [
            ("q", &filter.q),
            ("status", &filter.status),
            ("sla", &filter.sla),
            ("level", &filter.level),
            ("category", &filter.category),
            ("department", &filter.department),
            ("handler", &filter.handler),
            ("community", &filter.community),
            ("building", &filter.building),
            ("from", &filter.from),
            ("to", &filter.to),
            ("sort", &filter.sort),
        ] {
            if !v.is_empty() {
                params.push(format!("{k}={}", encode(v)));
            }
        }
        params.push(format!("page={to}"));
        format!("/staff?{}", params.join("&"))
    };
    view! {
        <p class="queue-counts" data-testid="queue-counts">
            <span>{fill(t(StaffMsg::CountTotal), &[&counts.total])}</span>
            {(counts.breached > 0).then(|| view! { <span class="count breached">{fill(t(StaffMsg::CountBreached), &[&counts.breached])}</span> })}
            {(counts.due_soon > 0).then(|| view! { <span class="count due-soon">{fill(t(StaffMsg::CountDueSoon), &[&counts.due_soon])}</span> })}
        </p>
        {if page.rows.is_empty() {
            view! { <p class="muted">{t(Msg::QueueEmpty)}</p> }.into_any()
        } else {
            view! { <QueueTable rows=page.rows now=page.now /> }.into_any()
        }}
        {(pages > 1).then(|| view! {
            <nav class="pager" aria-label=t(StaffMsg::PageOf)>
                {(page.page > 1).then(|| view! { <a href=link(page.page - 1)>{t(StaffMsg::PagePrev)}</a> })}
                <span>{fill(t(StaffMsg::PageOf), &[&page.page])}" / "{pages}</span>
                {(page.page < pages).then(|| view! { <a href=link(page.page + 1)>{t(StaffMsg::PageNext)}</a> })}
            </nav>
        })}
    }
}

#[component]
fn QueueTable(rows: Vec<QueueRow>, now: chrono::DateTime<chrono::Utc>) -> impl IntoView {
    let lang = current_lang();
    view! {
        <div class="table-scroll">
            <table class="queue">
                <thead>
                    <tr>
                        <th scope="col">{t(Msg::ColLevel)}</th>
                        <th scope="col">{t(Msg::ColSummary)}</th>
                        <th scope="col">{t(StaffMsg::ColSla)}</th>
                        <th scope="col">{t(Msg::ColStatus)}</th>
                        <th scope="col">{t(StaffMsg::ColHandler)}</th>
                        <th scope="col">{t(Msg::ColCategory)}</th>
                        <th scope="col">{t(Msg::ColFiled)}</th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|row| {
                        let href = format!("/staff/complaints/{}", row.id);
                        let reason = row.top_reason.as_ref().map(|r| r.message.get(lang).to_owned()).unwrap_or_default();
                        view! {
                            <tr class:emergency=row.emergency>
                                <td title=reason><LevelBadge level=row.level /></td>
                                <td class="summary">
                                    <A href=href>{row.summary}</A>
                                    <span class="muted small">
                                        {row.emergency.then(|| view! { <span class="badge emergency">{t(StaffMsg::Emergency)}</span>" " })}
                                        {row.complainant}" · "{row.community}" · "<span class="mono">{row.tracking_code}</span>
                                    </span>
                                </td>
                                <td><SlaBadge state=row.sla due=row.next_due now /></td>
                                <td><StatusBadge status=row.status /></td>
                                <td>{row.handler.unwrap_or_else(|| t(StaffMsg::Unassigned).to_owned())}</td>
                                <td>{row.category.label(lang)}</td>
                                <td><time datetime=row.filed_at.to_rfc3339()>{format_time(row.filed_at)}</time></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
