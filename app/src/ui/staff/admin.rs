//! Administration: staff accounts, departments, the policy, canned replies.

use domain::Role;
use leptos::prelude::*;

use crate::api::admin::{
    admin_canned_replies, admin_departments, admin_users, policy_text, SaveCannedReply,
    SaveDepartment, SavePolicy, SaveUser,
};
use crate::error::AppError;
use crate::i18n::{current_lang, t, AdminMsg, Msg};
use crate::model::{CannedView, DepartmentView, UserView};
use crate::ui::shared::{ErrorBanner, FieldMessage};
use crate::ui::staff::StaffError;

const STAFF_ROLES: [Role; 4] = [Role::Agent, Role::Handler, Role::Supervisor, Role::Admin];

#[component]
pub fn AdminPage() -> impl IntoView {
    let save_user = ServerAction::<SaveUser>::new();
    let save_department = ServerAction::<SaveDepartment>::new();
    let save_policy = ServerAction::<SavePolicy>::new();
    let save_canned = ServerAction::<SaveCannedReply>::new();
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
    view! {
        <section class="card wide">
            <h1>{t(AdminMsg::Title)}</h1>
            <nav class="admin-nav">
                <a href="#users">{t(AdminMsg::Users)}</a>
                <a href="#departments">{t(AdminMsg::Departments)}</a>
                <a href="#policy">{t(AdminMsg::Policy)}</a>
                <a href="#canned">{t(AdminMsg::Canned)}</a>
            </nav>
        </section>
        <Transition fallback=move || view! { <p class="card">{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                let (users, departments, policy, canned) = (users.await, departments.await, policy.await, canned.await);
                match (users, departments, policy, canned) {
                    (Ok(users), Ok(departments), Ok(policy), Ok(canned)) => view! {
                        <UsersSection users departments=departments.clone() action=save_user />
                        <DepartmentsSection departments action=save_department />
                        <PolicySection policy action=save_policy />
                        <CannedSection canned action=save_canned />
                    }.into_any(),
                    (Err(error), ..) | (_, Err(error), ..) | (_, _, Err(error), _) | (.., Err(error)) => {
                        view! { <StaffError error /> }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

fn saved<T: Clone + Send + Sync + 'static>(action: ServerAction<T>) -> impl Fn() -> bool + Copy
where
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
                <div class="field"><label>{t(AdminMsg::Department)}
                    <select name="user[department_id]">
                        <option value="">{t(AdminMsg::NoDepartment)}</option>
                        {departments.get_value().into_iter().filter(|d| d.active).map(|d| {
                            let selected = Some(d.id) == department;
                            view! { <option value=d.id.to_string() selected=selected>{d.name_zh}</option> }
                        }).collect_view()}
                    </select>
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
            <p class="notice" role="status" class:hidden=move || !saved(action)()>{t(AdminMsg::Saved)}</p>
            <ul class="admin-list">
                {users.into_iter().map(|u| {
                    let summary = format!("{} · {} · {}{}", u.display_name, u.login, u.role.label(lang),
                        if u.active { "" } else { " · 已停用" });
                    view! { <li><details><summary>{summary}</summary>{form(Some(u))}</details></li> }
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
