//! The queue: filters in the URL (a GET form, so it works without JavaScript and can be
//! bookmarked), counts by SLA state, level and SLA badges, paging.

use domain::{Level, SlaState, Status};
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
use crate::ui::staff::filters::{
    category_choices, community_choices, department_choices, FilterSelect,
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
            <FilterSelect id="f-status" name="status" label=t(StaffMsg::FilterStatus) any=false
                current=current(|f| &f.status)
                choices=[("open", t(StaffMsg::FilterOpen)), ("all", t(StaffMsg::FilterAll))]
                    .into_iter()
                    .map(|(code, text)| (code.to_owned(), text.to_owned()))
                    .chain(Status::ALL.iter().map(|s| (s.code().to_owned(), s.label(lang).to_owned())))
                    .collect() />
            <FilterSelect id="f-sla" name="sla" label=t(StaffMsg::FilterSla) current=current(|f| &f.sla)
                choices=SlaState::ALL.iter().map(|s| (s.code().to_owned(), s.label(lang).to_owned())).collect() />
            <FilterSelect id="f-level" name="level" label=t(StaffMsg::FilterLevel) current=current(|f| &f.level)
                choices=Level::ALL.iter().map(|l| (l.number().to_string(), l.label(lang).to_owned())).collect() />
            <FilterSelect id="f-category" name="category" label=t(StaffMsg::FilterCategory)
                current=current(|f| &f.category) choices=category_choices(lang) />
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let departments = departments.await.unwrap_or_default();
                    let communities = communities.await.unwrap_or_default();
                    let department = current(|f| &f.department);
                    let community = current(|f| &f.community);
                    let building = current(|f| &f.building);
                    let handler = current(|f| &f.handler);
                    view! {
                        <FilterSelect id="f-department" name="department" label=t(StaffMsg::FilterDepartment)
                            current=department choices=department_choices(&departments, lang) />
                        <FilterSelect id="f-handler" name="handler" label=t(StaffMsg::FilterHandler)
                            current=handler
                            choices=std::iter::once(("mine".to_owned(), t(StaffMsg::FilterMine).to_owned()))
                                .chain(departments.iter().flat_map(|d| d.handlers.iter()).map(|h| (h.id.to_string(), h.name.clone())))
                                .collect() />
                        <FilterSelect id="f-community" name="community" label=t(StaffMsg::FilterCommunity)
                            current=community choices=community_choices(&communities) />
                        <div class="filter">
                            <label for="f-building">{t(StaffMsg::FilterBuilding)}</label>
                            <select id="f-building" name="building">
                                <option value="">{t(StaffMsg::FilterAny)}</option>
                                <option value="none" selected=building == "none">{t(StaffMsg::FilterNoBuilding)}</option>
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
        <div class="table-scroll" tabindex="0">
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
                                        {row.waiting.then(|| view! { <span class="badge waiting">{t(StaffMsg::Waiting)}</span>" " })}
                                        {(row.channel != domain::Channel::Web).then(|| view! { <span class="badge channel" data-testid="channel">{row.channel.label(lang)}</span>" " })}
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
