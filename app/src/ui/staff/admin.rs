//! Administration: staff accounts, departments, the policy, canned replies.

use domain::Role;
use leptos::prelude::*;

use crate::i18n::Listed;

use crate::api::admin::{
    admin_calendar, admin_canned_replies, admin_departments, admin_users, policy_text,
    SaveCalendarYear, SaveCannedReply, SaveDepartment, SavePolicy, SaveUser,
};
use crate::error::AppError;
use crate::i18n::{current_lang, fill, t, AdminMsg, Msg};
use crate::model::{CalendarAdmin, CalendarYearView, CannedView, DepartmentView, UserView};
use crate::ui::shared::{ErrorBanner, FieldMessage};
use crate::ui::staff::StaffError;

const STAFF_ROLES: [Role; 4] = [Role::Agent, Role::Handler, Role::Supervisor, Role::Admin];

#[component]
pub fn AdminPage() -> impl IntoView {
    let save_user = ServerAction::<SaveUser>::new();
    let save_department = ServerAction::<SaveDepartment>::new();
    let save_policy = ServerAction::<SavePolicy>::new();
    let save_canned = ServerAction::<SaveCannedReply>::new();
    let save_calendar = ServerAction::<SaveCalendarYear>::new();
    // All resources up front (never inside a Suspend), each refetched after its saves.
    let users = Resource::new(move || save_user.version().get(), |_| admin_users());
    let departments = Resource::new(
        move || save_department.version().get(),
        |_| admin_departments(),
    );
    let policy = Resource::new(move || save_policy.version().get(), |_| policy_text());
    let canned = Resource::new(
        move || save_canned.version().get(),
        |_| admin_canned_replies(),
    );
    let calendar = Resource::new(move || save_calendar.version().get(), |_| admin_calendar());
    let estate = Resource::new(|| (), |_| crate::api::estate::estate_overview());
    view! {
        <section class="card wide">
            <h1>{t(AdminMsg::Title)}</h1>
            <nav class="admin-nav">
                <a href="/staff/admin/estate">{t(AdminMsg::Estate)}</a>
                <a href="/staff/admin/deliveries">{t(crate::i18n::NoticeMsg::LogTitle)}</a>
                <a href="/staff/admin/classifier">{t(crate::i18n::ClassifierMsg::Title)}</a>
                <a href="#users">{t(AdminMsg::Users)}</a>
                <a href="#departments">{t(AdminMsg::Departments)}</a>
                <a href="#policy">{t(AdminMsg::Policy)}</a>
                <a href="#calendar">{t(AdminMsg::Calendar)}</a>
                <a href="#canned">{t(AdminMsg::Canned)}</a>
            </nav>
        </section>
        <Transition fallback=move || view! { <p class="card">{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                let (users, departments, policy, canned, calendar) =
                    (users.await, departments.await, policy.await, canned.await, calendar.await);
                let estate = estate.await.unwrap_or_default();
                match (users, departments, policy, canned, calendar) {
                    (Ok(users), Ok(departments), Ok(policy), Ok(canned), Ok(calendar)) => view! {
                        <SetupChecklist estate users=users.clone() departments=departments.clone() calendar=calendar.clone() />
                        <CalendarBanner calendar=calendar.clone() />
                        <UsersSection users departments=departments.clone() action=save_user />
                        <DepartmentsSection departments action=save_department />
                        <PolicySection policy action=save_policy />
                        <CalendarSection calendar action=save_calendar />
                        <CannedSection canned action=save_canned />
                    }.into_any(),
                    (Err(error), ..) | (_, Err(error), ..) | (_, _, Err(error), ..)
                    | (_, _, _, Err(error), _) | (.., Err(error)) => {
                        view! { <StaffError error /> }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

fn saved<T>(action: ServerAction<T>) -> impl Fn() -> bool + Copy
where
    T: Clone + Send + Sync + 'static,
    T: leptos::server_fn::ServerFn<Output = (), Error = AppError>,
{
    move || matches!(action.value().get(), Some(Ok(())))
}

#[component]
fn UsersSection(
    users: Vec<UserView>,
    departments: Vec<DepartmentView>,
    action: ServerAction<SaveUser>,
) -> impl IntoView {
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let departments = StoredValue::new(departments);
    let form = move |user: Option<UserView>| {
        let lang = current_lang();
        let id = user.as_ref().map(|u| u.id.to_string()).unwrap_or_default();
        let role = user.as_ref().map(|u| u.role).unwrap_or(Role::Agent);
        let department = user.as_ref().and_then(|u| u.department_id);
        let position = user.as_ref().and_then(|u| u.position);
        let position_id = format!("user-position-{}", user.as_ref().map_or(0, |u| u.id));
        let active = user.as_ref().is_none_or(|u| u.active);
        let is_new = user.is_none();
        view! {
            <ActionForm action attr:class="form admin-form" attr:novalidate=true>
                <input type="hidden" name="user[id]" value=id />
                {is_new.then(|| view! {
                    <div class="field"><label>{t(AdminMsg::Login)}<input name="user[login]" type="text" autocapitalize="none" /></label></div>
                })}
                <div class="field"><label>{t(AdminMsg::Name)}<input name="user[display_name]" type="text" value=user.as_ref().map(|u| u.display_name.clone()) /></label></div>
                <div class="field"><label>{t(AdminMsg::Role)}
                    <select name="user[role]">
                        {STAFF_ROLES.iter().map(|r| view! { <option value=r.code() selected=*r == role>{r.label(lang)}</option> }).collect_view()}
                    </select>
                </label></div>
                // Labelled by `for`, not by wrapping: the options' names (部门经理…) must not
                // become part of the field's name.
                <div class="field"><label for=position_id.clone()>{t(AdminMsg::Position)}</label>
                    <select id=position_id name="user[position]">
                        <option value="" selected=position.is_none()>{t(AdminMsg::NoPosition)}</option>
                        {domain::Position::ALL.iter().map(|p| view! { <option value=p.code() selected=Some(*p) == position>{p.label(lang)}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field"><label>{t(AdminMsg::Department)}
                    <select name="user[department_id]">
                        <option value="">{t(AdminMsg::NoDepartment)}</option>
                        {departments.get_value().into_iter().filter(|d| d.active).map(|d| {
                            let selected = Some(d.id) == department;
                            view! { <option value=d.id.to_string() selected=selected>{d.name_zh}</option> }
                        }).collect_view()}
                    </select>
                </label></div>
                <div class="field"><label>{t(AdminMsg::StaffPhone)}
                    <input name="user[phone]" type="tel" inputmode="numeric" autocomplete="off" value=user.as_ref().and_then(|u| u.phone.clone()) />
                </label></div>
                <label class="check"><input type="checkbox" name="user[active]" value="on" checked=active />{t(AdminMsg::Active)}</label>
                <div class="field"><label>{if is_new { t(AdminMsg::Password) } else { t(AdminMsg::NewPassword) }}
                    <input name="user[password]" type="password" autocomplete="new-password" />
                </label></div>
                <button type="submit" class="button primary">{t(AdminMsg::Save)}</button>
            </ActionForm>
        }
    };
    let lang = current_lang();
    view! {
        <section class="card wide" id="users">
            <h2>{t(AdminMsg::Users)}</h2>
            <ErrorBanner error />
            <FieldMessage id="user-form-error" field="login" error />
            <FieldMessage id="user-phone-error" field="phone" error />
            <p class="notice" role="status" class:hidden=move || !saved(action)()>{t(AdminMsg::Saved)}</p>
            <ul class="admin-list">
                {users.into_iter().map(|u| {
                    let summary = format!("{} · {} · {}{}{}", u.display_name, u.login, u.role.label(lang),
                        u.position.map(|p| format!(" · {}", p.label(lang))).unwrap_or_default(),
                        if u.active { String::new() } else { format!(" · {}", t(AdminMsg::Inactive)) });
                    // A handler who left still holds complaints: each to hand on.
                    let to_hand_on = (!u.active && !u.open_complaints.is_empty()).then(|| {
                        let open = u.open_complaints.clone();
                        view! {
                            <div class="notice warn" data-testid="hand-on">
                                <p>{fill(t(AdminMsg::HandOn), &[&open.len()])}</p>
                                <p>{open.into_iter().map(|c| view! {
                                    <a class="mono" href=format!("/staff/complaints/{}", c.id)>{c.tracking_code}</a>" "
                                }).collect_view()}</p>
                            </div>
                        }
                    });
                    view! { <li><details><summary>{summary}</summary>{form(Some(u))}</details>{to_hand_on}</li> }
                }).collect_view()}
            </ul>
            <details class="step"><summary>{t(AdminMsg::AddUser)}</summary>{form(None)}</details>
        </section>
    }
}

#[component]
fn DepartmentsSection(
    departments: Vec<DepartmentView>,
    action: ServerAction<SaveDepartment>,
) -> impl IntoView {
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let form = move |d: Option<DepartmentView>| {
        let is_new = d.is_none();
        view! {
            <ActionForm action attr:class="form admin-form" attr:novalidate=true>
                <input type="hidden" name="department[id]" value=d.as_ref().map(|d| d.id.to_string()) />
                {is_new.then(|| view! { <div class="field"><label>{t(AdminMsg::Code)}<input name="department[code]" type="text" /></label></div> })}
                <div class="field"><label>{t(AdminMsg::NameZh)}<input name="department[name_zh]" type="text" value=d.as_ref().map(|d| d.name_zh.clone()) /></label></div>
                <div class="field"><label>{t(AdminMsg::NameEn)}<input name="department[name_en]" type="text" value=d.as_ref().map(|d| d.name_en.clone()) /></label></div>
                <label class="check"><input type="checkbox" name="department[active]" value="on" checked=d.as_ref().is_none_or(|d| d.active) />{t(AdminMsg::Active)}</label>
                <button type="submit" class="button primary">{t(AdminMsg::Save)}</button>
            </ActionForm>
        }
    };
    view! {
        <section class="card wide" id="departments">
            <h2>{t(AdminMsg::Departments)}</h2>
            <ErrorBanner error />
            <ul class="admin-list">
                {departments.into_iter().map(|d| {
                    let summary = format!("{} · {} · {} {}", d.name_zh, d.code, d.members, t(AdminMsg::Members));
                    view! { <li><details><summary>{summary}</summary>{form(Some(d))}</details></li> }
                }).collect_view()}
            </ul>
            <details class="step"><summary>{t(AdminMsg::AddDepartment)}</summary>{form(None)}</details>
        </section>
    }
}

#[component]
fn PolicySection(policy: String, action: ServerAction<SavePolicy>) -> impl IntoView {
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    view! {
        <section class="card wide" id="policy">
            <h2>{t(AdminMsg::Policy)}</h2>
            <p class="lead">{t(AdminMsg::PolicyIntro)}</p>
            <ErrorBanner error />
            <p class="notice" role="status" class:hidden=move || !saved(action)()>{t(AdminMsg::Saved)}</p>
            <ActionForm action attr:class="form" attr:novalidate=true>
                <label class="visually-hidden" for="policy-text">{t(AdminMsg::Policy)}</label>
                <textarea id="policy-text" name="policy" rows="24" class="mono policy-text" spellcheck="false"
                    aria-describedby="policy-error">{policy}</textarea>
                <FieldMessage id="policy-error" field="policy" error />
                <button type="submit" class="button primary">{t(AdminMsg::Save)}</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn CannedSection(canned: Vec<CannedView>, action: ServerAction<SaveCannedReply>) -> impl IntoView {
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let form = move |c: Option<CannedView>| {
        view! {
            <ActionForm action attr:class="form admin-form" attr:novalidate=true>
                <input type="hidden" name="reply[id]" value=c.as_ref().map(|c| c.id.to_string()) />
                <div class="field"><label>{t(AdminMsg::CannedTitle)}<input name="reply[title]" type="text" value=c.as_ref().map(|c| c.title.clone()) /></label></div>
                <div class="field"><label>{t(AdminMsg::CannedBody)}<textarea name="reply[body]" rows="4">{c.as_ref().map(|c| c.body.clone())}</textarea></label></div>
                <div class="field"><label>{t(AdminMsg::CannedBodyEn)}<textarea name="reply[body_en]" rows="3" lang="en">{c.as_ref().map(|c| c.body_en.clone())}</textarea></label></div>
                <label class="check"><input type="checkbox" name="reply[active]" value="on" checked=c.as_ref().is_none_or(|c| c.active) />{t(AdminMsg::Active)}</label>
                <button type="submit" class="button primary">{t(AdminMsg::Save)}</button>
            </ActionForm>
        }
    };
    view! {
        <section class="card wide" id="canned">
            <h2>{t(AdminMsg::Canned)}</h2>
            <p class="lead">{t(AdminMsg::CannedIntro)}</p>
            <ErrorBanner error />
            <FieldMessage id="canned-body-error" field="body" error />
            <ul class="admin-list">
                {canned.into_iter().map(|c| {
                    let summary = if c.active { c.title.clone() } else { format!("{} · {}", c.title, t(AdminMsg::Inactive)) };
                    view! { <li><details><summary>{summary}</summary>{form(Some(c))}</details></li> }
                }).collect_view()}
            </ul>
            <details class="step"><summary>{t(AdminMsg::AddCanned)}</summary>{form(None)}</details>
        </section>
    }
}

/// From 1 November, while next year's holiday schedule is missing.
/// 上线准备: what a company must have before owners can file and staff can work — the
/// estate, a handler in each department, desk and supervisors, the calendar — each with
/// what is still missing and where to do it.
#[component]
fn SetupChecklist(
    estate: Vec<crate::model::EstateCommunity>,
    users: Vec<UserView>,
    departments: Vec<DepartmentView>,
    calendar: CalendarAdmin,
) -> impl IntoView {
    let lang = current_lang();
    let units: i64 = estate
        .iter()
        .filter(|c| !c.retired)
        .flat_map(|c| c.buildings.iter().filter(|b| !b.retired))
        .map(|b| b.units)
        .sum();
    let communities = estate.iter().filter(|c| !c.retired).count();
    let active = |role: Role| users.iter().filter(|u| u.active && u.role == role).count();
    let without_handler: Vec<String> = departments
        .iter()
        .filter(|d| d.active)
        .filter(|d| {
            !users
                .iter()
                .any(|u| u.active && u.role == Role::Handler && u.department_id == Some(d.id))
        })
        .map(|d| {
            if lang == crate::i18n::Lang::Zh {
                d.name_zh.clone()
            } else {
                d.name_en.clone()
            }
        })
        .collect();
    let without_hotline: Vec<&str> = estate
        .iter()
        .filter(|c| !c.retired && c.hotline.is_empty())
        .map(|c| c.name.as_str())
        .collect();
    // The server says when next year's schedule is due and missing.
    let has_year = !calendar.years.is_empty();
    let items: Vec<(bool, String, &'static str)> = vec![
        (
            units > 0,
            if units > 0 {
                fill(t(AdminMsg::SetupEstateDone), &[&communities, &units])
            } else {
                t(AdminMsg::SetupEstateMissing).to_owned()
            },
            "/staff/admin/estate",
        ),
        (
            communities > 0 && without_hotline.is_empty(),
            if communities == 0 {
                t(AdminMsg::SetupHotlinesNoEstate).to_owned()
            } else if without_hotline.is_empty() {
                t(AdminMsg::SetupHotlinesDone).to_owned()
            } else {
                fill(
                    t(AdminMsg::SetupHotlinesMissing),
                    &[&without_hotline.listed()],
                )
            },
            "/staff/admin/estate",
        ),
        (
            without_handler.is_empty(),
            if without_handler.is_empty() {
                t(AdminMsg::SetupHandlersDone).to_owned()
            } else {
                fill(
                    t(AdminMsg::SetupHandlersMissing),
                    &[&without_handler.listed()],
                )
            },
            "#users",
        ),
        (
            active(Role::Agent) > 0,
            fill(t(AdminMsg::SetupAgents), &[&active(Role::Agent)]),
            "#users",
        ),
        (
            active(Role::Supervisor) > 0,
            fill(t(AdminMsg::SetupSupervisors), &[&active(Role::Supervisor)]),
            "#users",
        ),
        (true, t(AdminMsg::SetupPolicy).to_owned(), "#policy"),
        (
            has_year && calendar.missing_next_year.is_none(),
            fill(
                t(AdminMsg::SetupCalendar),
                &[&calendar
                    .years
                    .iter()
                    .map(|y| y.year.to_string())
                    .collect::<Vec<_>>()
                    .listed()],
            ),
            "#calendar",
        ),
    ];
    let missing = items.iter().filter(|(done, _, _)| !done).count();
    view! {
        <section class="card wide setup" data-testid="setup-checklist">
            <h2>{if missing == 0 { t(AdminMsg::SetupReady).to_owned() } else { fill(t(AdminMsg::SetupMissing), &[&missing]) }}</h2>
            <ul class="checklist">
                {items.into_iter().map(|(done, text, href)| view! {
                    <li class:done=done class:todo=!done>
                        <span class="check-mark" aria-hidden="true">{if done { "✓" } else { "!" }}</span>
                        <a href=href>{text}</a>
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
pub fn CalendarBanner(calendar: CalendarAdmin) -> impl IntoView {
    calendar.missing_next_year.map(|year| {
        let year = year.to_string();
        view! {
            <p class="card notice warn" role="status" data-testid="calendar-missing">
                {fill(t(AdminMsg::CalendarMissing), &[&year, &year])}
                " "<a href="/staff/admin#calendar">{t(AdminMsg::Calendar)}</a>
            </p>
        }
    })
}

#[component]
fn CalendarSection(
    calendar: CalendarAdmin,
    action: ServerAction<SaveCalendarYear>,
) -> impl IntoView {
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    let echo = move |name: &str| error.with(|e| e.as_ref().and_then(|e| e.echo(name)));
    let known: Vec<String> = calendar.years.iter().map(|y| y.year.to_string()).collect();
    let known = StoredValue::new(known);
    let form = move |year: Option<CalendarYearView>, suggested: Option<i32>| {
        let is_new = year.is_none();
        // What was typed comes back into the form it was typed in after a refused save.
        let mine = {
            let this = year.as_ref().map(|y| y.year.to_string());
            move || {
                echo("year").is_some_and(|typed| match &this {
                    Some(this) => *this == typed.trim(),
                    None => !known.with_value(|k| k.iter().any(|y| *y == typed.trim())),
                })
            }
        };
        let typed = move |name: &str, stored: String| {
            if mine() {
                echo(name).unwrap_or(stored)
            } else {
                stored
            }
        };
        let year_value = year
            .as_ref()
            .map(|y| y.year)
            .or(suggested)
            .map(|y| y.to_string())
            .unwrap_or_default();
        let id = year
            .as_ref()
            .map_or("new".to_owned(), |y| y.year.to_string());
        let holidays = typed(
            "holidays",
            year.as_ref()
                .map(|y| y.holidays.clone())
                .unwrap_or_default(),
        );
        let makeup = typed(
            "makeup_workdays",
            year.as_ref()
                .map(|y| y.makeup_workdays.clone())
                .unwrap_or_default(),
        );
        let (holidays_id, makeup_id) = (format!("holidays-{id}"), format!("makeup-{id}"));
        view! {
            <ActionForm action attr:class="form admin-form calendar-form" attr:novalidate=true>
                {if is_new {
                    view! { <div class="field"><label>{t(AdminMsg::CalendarYear)}
                        <input name="year[year]" type="number" inputmode="numeric" min="2000" max="2100"
                            value=echo("year").unwrap_or(year_value) />
                    </label></div> }.into_any()
                } else {
                    view! { <input type="hidden" name="year[year]" value=year_value /> }.into_any()
                }}
                <div class="field">
                    <label for=holidays_id.clone()>{t(AdminMsg::CalendarHolidays)}</label>
                    <textarea id=holidays_id name="year[holidays]" rows="8" class="mono" spellcheck="false">{holidays}</textarea>
                </div>
                <div class="field">
                    <label for=makeup_id.clone()>{t(AdminMsg::CalendarMakeup)}</label>
                    <textarea id=makeup_id name="year[makeup_workdays]" rows="3" class="mono" spellcheck="false">{makeup}</textarea>
                </div>
                <button type="submit" class="button primary">{t(AdminMsg::Save)}</button>
            </ActionForm>
        }
    };
    let suggested = calendar.missing_next_year;
    view! {
        <section class="card wide" id="calendar">
            <h2>{t(AdminMsg::Calendar)}</h2>
            <p class="lead">{t(AdminMsg::CalendarIntro)}</p>
            <ErrorBanner error />
            <FieldMessage id="calendar-year-error" field="year" error />
            <FieldMessage id="calendar-holidays-error" field="holidays" error />
            <FieldMessage id="calendar-makeup-error" field="makeup_workdays" error />
            <p class="notice" role="status" class:hidden=move || !saved(action)()>{t(AdminMsg::Saved)}</p>
            <ul class="admin-list">
                {calendar.years.into_iter().map(|y| {
                    let source = if y.saved { t(AdminMsg::CalendarSaved) } else { t(AdminMsg::CalendarOfficial) };
                    let summary = format!("{} · {} · {}", y.year, fill(t(AdminMsg::CalendarWorkingDays), &[&y.working_days.to_string()]), source);
                    view! { <li><details><summary>{summary}</summary>{form(Some(y), None)}</details></li> }
                }).collect_view()}
            </ul>
            <details class="step" open=suggested.is_some()><summary>{t(AdminMsg::CalendarAddYear)}</summary>{form(None, suggested)}</details>
        </section>
    }
}
