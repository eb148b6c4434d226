//! The pieces of a staff filter form (the queue's, the reports'): a labelled `<select>`
//! whose first choice is "不限" (any), and the option lists the filters share.

use domain::{Category, Lang};
use leptos::prelude::*;

use crate::i18n::{t, StaffMsg};
use crate::model::{CommunityOption, Department};

/// One choice: the value sent and the text shown.
pub type Choice = (String, String);

/// A labelled filter `<select id=id name=name>` with `current` selected. With `any` (the
/// default) the first choice is "不限", sent as an empty value.
#[component]
pub fn FilterSelect(
    id: &'static str,
    name: &'static str,
    #[prop(into)] label: String,
    current: String,
    choices: Vec<Choice>,
    #[prop(default = true)] any: bool,
) -> impl IntoView {
    let options = choices
        .into_iter()
        .map(|(value, text)| {
            let is = value == current;
            view! { <option value=value selected=is>{text}</option> }
        })
        .collect_view();
    view! {
        <div class="filter">
            <label for=id>{label}</label>
            <select id=id name=name>
                {any.then(|| view! { <option value="">{t(StaffMsg::FilterAny)}</option> })}
                {options}
            </select>
        </div>
    }
}

pub fn category_choices(lang: Lang) -> Vec<Choice> {
    Category::ALL
        .iter()
        .map(|c| (c.code().to_owned(), c.label(lang).to_owned()))
        .collect()
}

pub fn department_choices(departments: &[Department], lang: Lang) -> Vec<Choice> {
    departments
        .iter()
        .map(|d| (d.id.to_string(), d.name(lang).to_owned()))
        .collect()
}

pub fn community_choices(communities: &[CommunityOption]) -> Vec<Choice> {
    communities
        .iter()
        .map(|c| (c.id.to_string(), c.name.clone()))
        .collect()
}
