//! The administrator's page for the category hint model: what is in use, the company's
//! labelled complaints, training now, every trained model with its report, and putting an
//! earlier model (or the shipped one) back in use.

use leptos::prelude::*;

use crate::api::classifier::{classifier_overview, ActivateClassifier, RetrainClassifier};
use crate::i18n::{current_lang, fill, t, AdminMsg, ClassifierMsg, Msg};
use crate::model::classifier::{ChangedCase, ClassifierAdmin, Scores, TrainedModel};
use crate::ui::shared::{format_time, ErrorBanner};
use crate::ui::staff::StaffError;

fn category_label(code: &str) -> String {
    domain::Category::parse(code)
        .map(|c| c.label(current_lang()).to_owned())
        .unwrap_or_else(|| code.to_owned())
}

fn percent(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

#[component]
pub fn ClassifierPage() -> impl IntoView {
    let train = ServerAction::<RetrainClassifier>::new();
    let activate = ServerAction::<ActivateClassifier>::new();
    let overview = Resource::new(
        move || (train.version().get(), activate.version().get()),
        |_| classifier_overview(),
    );
    view! {
        <section class="card wide">
            <h1>{t(ClassifierMsg::Title)}</h1>
            <nav class="admin-nav">
                <a href="/staff/admin">{t(AdminMsg::Title)}</a>
                <a href="#models">{t(ClassifierMsg::Models)}</a>
            </nav>
            <p class="muted">{t(ClassifierMsg::Intro)}</p>
        </section>
        <Transition fallback=move || view! { <p class="card">{t(Msg::Loading)}</p> }>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok(admin) => view! {
                        <Summary admin=admin.clone() train />
                        <Models admin activate />
                    }.into_any(),
                    Err(error) => view! { <StaffError error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Summary(admin: ClassifierAdmin, train: ServerAction<RetrainClassifier>) -> impl IntoView {
    let error = Signal::derive(move || train.value().get().and_then(Result::err));
    let in_use = if admin.active_version == 0 {
        t(ClassifierMsg::Shipped).to_owned()
    } else {
        fill(t(ClassifierMsg::Version), &[&admin.active_version])
    };
    view! {
        <section class="card wide" data-testid="classifier-summary"
            data-active-version=admin.active_version.to_string()>
            <p><strong>{t(ClassifierMsg::InUse)}": "</strong>
                <span data-testid="active-version">{in_use}</span></p>
            <p data-testid="classifier-cases">{fill(t(ClassifierMsg::Cases), &[&admin.cases, &admin.new_cases])}</p>
            <p class="muted small">{fill(t(ClassifierMsg::Nightly), &[&admin.nightly_min_new, &admin.min_cases])}</p>
            {move || train.value().get().and_then(Result::ok).map(|outcome| {
                let (msg, class) = match outcome.verdict.as_str() {
                    "promoted" => (ClassifierMsg::Promoted, "notice"),
                    "worse_on_shipped" => (ClassifierMsg::WorseOnShipped, "notice warn"),
                    _ => (ClassifierMsg::NotBetter, "notice warn"),
                };
                view! {
                    <p class=class role="status" data-testid="training-outcome"
                        data-verdict=outcome.verdict.clone()>
                        {fill(t(msg), &[&outcome.version])}
                    </p>
                }
            })}
            <ActionForm action=train attr:class="form inline">
                <ErrorBanner error />
                <button type="submit" class="button primary" data-testid="train"
                    disabled=move || train.pending().get()>
                    {move || if train.pending().get() { t(ClassifierMsg::Training) } else { t(ClassifierMsg::Train) }}
                </button>
            </ActionForm>
        </section>
    }
}

#[component]
fn Models(admin: ClassifierAdmin, activate: ServerAction<ActivateClassifier>) -> impl IntoView {
    let error = Signal::derive(move || activate.value().get().and_then(Result::err));
    let shipped_in_use = admin.active_version == 0;
    view! {
        <section class="card wide" id="models" data-testid="classifier-models">
            <h2>{t(ClassifierMsg::Models)}</h2>
            <ErrorBanner error />
            {(!shipped_in_use).then(|| view! {
                <ActionForm action=activate attr:class="inline">
                    <input type="hidden" name="version" value="0" />
                    <button type="submit" class="button small" data-testid="use-shipped">{t(ClassifierMsg::UseShipped)}</button>
                </ActionForm>
            })}
            {if admin.models.is_empty() {
                view! { <p class="muted">{t(ClassifierMsg::NoModels)}</p> }.into_any()
            } else {
                admin.models.into_iter().map(|m| view! { <ModelCard model=m activate /> }).collect_view().into_any()
            }}
        </section>
    }
}

fn scores_line(scores: &Scores) -> String {
    let (candidate, in_use) = scores.accuracy();
    fill(
        t(ClassifierMsg::Accuracy),
        &[&percent(in_use), &percent(candidate), &scores.total],
    )
}

#[component]
fn ModelCard(model: TrainedModel, activate: ServerAction<ActivateClassifier>) -> impl IntoView {
    let verdict = match model.verdict.as_str() {
        "promoted" => t(ClassifierMsg::VerdictPromoted),
        "worse_on_shipped" => t(ClassifierMsg::VerdictWorse),
        _ => t(ClassifierMsg::VerdictNotBetter),
    };
    let may_use = model.verdict == "promoted" && !model.active;
    let report = model.report;
    let by = model
        .trainer
        .clone()
        .unwrap_or_else(|| t(ClassifierMsg::NightlyRun).to_owned());
    view! {
        <article class="model-card" data-testid="model" data-version=model.version.to_string()
            data-verdict=model.verdict.clone()>
            <header>
                <strong>{fill(t(ClassifierMsg::Version), &[&model.version])}</strong>" "
                <span class=format!("badge verdict-{}", model.verdict)>{verdict}</span>
                {model.active.then(|| view! { " "<span class="badge active">{t(ClassifierMsg::Active)}</span> })}
                <span class="muted small">" · "{format_time(model.created_at)}" · "{by}
                    " · "{t(ClassifierMsg::Size)}" "{format!("{:.1} KB", model.size as f64 / 1024.0)}</span>
            </header>
            <dl class="model-scores">
                <dt>{t(ClassifierMsg::Company)}</dt><dd data-testid="company-score">{scores_line(&report.company)}</dd>
                <dt>{t(ClassifierMsg::ShippedSet)}</dt><dd>{scores_line(&report.shipped)}</dd>
                <dt></dt><dd class="muted small">{fill(t(ClassifierMsg::Examples), &[&report.cases, &report.trained_on, &format!("{:.1}", report.training_ms as f64 / 1000.0)])}</dd>
            </dl>
            {may_use.then(|| view! {
                <ActionForm action=activate attr:class="inline">
                    <input type="hidden" name="version" value=model.version.to_string() />
                    <button type="submit" class="button small" data-testid="use-model">{t(ClassifierMsg::Use)}</button>
                </ActionForm>
            })}
            <details>
                <summary>{t(ClassifierMsg::Report)}</summary>
                <h3>{t(ClassifierMsg::ByCategory)}</h3>
                <div class="table-scroll" tabindex="0">
                <table class="queue">
                    <tbody>
                        {report.by_category.iter().filter(|c| c.total > 0).map(|c| view! {
                            <tr>
                                <td>{category_label(&c.category)}</td>
                                <td>{format!("{}/{} → {}/{}", c.in_use, c.total, c.candidate, c.total)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
                </div>
                <h3>{t(ClassifierMsg::Confusion)}</h3>
                <Confusion matrix=report.confusion.clone() />
                <h3>{t(ClassifierMsg::NowRight)}</h3>
                <Changed cases=report.now_right.clone() />
                <h3>{t(ClassifierMsg::NowWrong)}</h3>
                <Changed cases=report.now_wrong.clone() />
            </details>
        </article>
    }
}

#[component]
fn Confusion(matrix: Vec<Vec<u32>>) -> impl IntoView {
    let categories = domain::Category::ALL;
    // Only the categories that occur, as rows or as answers.
    let used: Vec<usize> = (0..categories.len())
        .filter(|i| {
            matrix.get(*i).is_some_and(|row| row.iter().any(|n| *n > 0))
                || matrix.iter().any(|row| row.get(*i).is_some_and(|n| *n > 0))
        })
        .collect();
    let lang = current_lang();
    view! {
        <div class="table-scroll" tabindex="0">
        <table class="queue confusion">
            <thead><tr><th><span class="visually-hidden">{t(Msg::ColConfusionCorner)}</span></th>
                {used.iter().map(|i| view! { <th>{categories[*i].label(lang)}</th> }).collect_view()}
            </tr></thead>
            <tbody>
                {used.iter().map(|r| view! {
                    <tr><th>{categories[*r].label(lang)}</th>
                        {used.iter().map(|c| {
                            let n = matrix.get(*r).and_then(|row| row.get(*c)).copied().unwrap_or(0);
                            view! { <td class:diagonal=r == c>{n}</td> }
                        }).collect_view()}
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
        </div>
    }
}

#[component]
fn Changed(cases: Vec<ChangedCase>) -> impl IntoView {
    if cases.is_empty() {
        return view! { <p class="muted small">{t(ClassifierMsg::None)}</p> }.into_any();
    }
    view! {
        <ul class="changed-cases">
            {cases.into_iter().map(|c| view! {
                <li>
                    <a href=format!("/staff/complaints/{}", c.complaint_id)>{"#"}{c.complaint_id}</a>" "
                    <span class="small">{category_label(&c.truth)}": "{category_label(&c.before)}" → "{category_label(&c.after)}</span>
                    <br /><span class="muted small">{c.excerpt.clone()}</span>
                </li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}
