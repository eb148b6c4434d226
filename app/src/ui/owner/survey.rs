//! The revisit survey: on the tracking page when a complaint is resolved, and behind the
//! link sent by text message. The handling process and the result are asked separately.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::api::surveys::{survey_by_token, AnswerRevisit, SubmitSurvey};
use crate::error::AppError;
use crate::i18n::{current_lang, fill, t, SurveyMsg};
use crate::model::Satisfaction;
use crate::ui::shared::{ErrorBanner, FieldMessage};

/// The questions, named `answers[...]` for either server function.
#[component]
pub fn SurveyQuestions(error: Signal<Option<AppError>>) -> impl IntoView {
    let lang = current_lang();
    let question = move |name: &'static str, label: SurveyMsg| {
        view! {
            <fieldset class="field choice survey-question">
                <legend>{t(label)}</legend>
                {Satisfaction::ALL.iter().map(|s| view! {
                    <label class="check">
                        <input type="radio" name=format!("answers[{name}]") value=s.code() />
                        {s.label(lang)}
                    </label>
                }).collect_view()}
                <FieldMessage id=format!("survey-{name}-error") field=name error />
            </fieldset>
        }
    };
    view! {
        {question("process", SurveyMsg::QProcess)}
        {question("timeliness", SurveyMsg::QTimeliness)}
        {question("attitude", SurveyMsg::QAttitude)}
        {question("result", SurveyMsg::QResult)}
        <fieldset class="field choice stars">
            <legend>{t(SurveyMsg::QOverall)}</legend>
            {(1..=5).map(|n| view! {
                <label class="check">
                    <input type="radio" name="answers[overall]" value=n.to_string() />
                    {n}
                </label>
            }).collect_view()}
            <FieldMessage id="survey-overall-error" field="overall" error />
        </fieldset>
        <div class="field">
            <label for="survey-comment">{t(SurveyMsg::QComment)}</label>
            <textarea id="survey-comment" name="answers[comment]" rows="3" maxlength="1000"></textarea>
            <FieldMessage id="survey-comment-error" field="comment" error />
        </div>
    }
}

/// The survey inside the tracking page; `done` is bumped when it was answered.
#[component]
pub fn InAppSurvey(code: String, done: RwSignal<u32>) -> impl IntoView {
    let action = ServerAction::<AnswerRevisit>::new();
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    Effect::new(move |_| {
        if matches!(action.value().get(), Some(Ok(()))) {
            done.update(|n| *n += 1);
        }
    });
    view! {
        <section class="card survey" aria-labelledby="survey-title">
            <h2 id="survey-title">{t(SurveyMsg::Title)}</h2>
            <p class="lead">{t(SurveyMsg::Intro)}</p>
            <ErrorBanner error />
            <ActionForm action attr:class="form" attr:novalidate=true attr:data-testid="survey-form">
                <input type="hidden" name="code" value=code />
                <SurveyQuestions error />
                <button type="submit" class="button primary" disabled=move || action.pending().get()>
                    {move || if action.pending().get() { t(SurveyMsg::Submitting) } else { t(SurveyMsg::Submit) }}
                </button>
            </ActionForm>
        </section>
    }
}

/// `/survey/:token`: the page behind the link in the text message.
#[component]
pub fn SurveyPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let survey = Resource::new(token, survey_by_token);
    let action = ServerAction::<SubmitSurvey>::new();
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match survey.await {
                    Ok(s) => {
                        let lang = current_lang();
                        view! {
                            <section class="card survey">
                                <h1>{t(SurveyMsg::Title)}</h1>
                                <p class="lead">{t(SurveyMsg::Intro)}</p>
                                <p class="muted">{fill(t(SurveyMsg::ForComplaint), &[&s.tracking_code])}" · "{s.category.label(lang)}</p>
                                {s.result.map(|r| view! {
                                    <p><strong>{t(SurveyMsg::ResultTold)}</strong></p>
                                    <p class="description">{r}</p>
                                })}
                                <ErrorBanner error />
                                <ActionForm action attr:class="form" attr:novalidate=true attr:data-testid="survey-form">
                                    <input type="hidden" name="token" value=token() />
                                    <SurveyQuestions error />
                                    <button type="submit" class="button primary" disabled=move || action.pending().get()>
                                        {t(SurveyMsg::Submit)}
                                    </button>
                                </ActionForm>
                            </section>
                        }.into_any()
                    }
                    Err(_) => view! {
                        <section class="card narrow" role="status">
                            <h1>{t(SurveyMsg::Title)}</h1>
                            <p>{t(SurveyMsg::LinkInvalid)}</p>
                            <A href="/track">{t(SurveyMsg::TrackLink)}</A>
                        </section>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// After a survey was submitted through its link.
#[component]
pub fn SurveyThanksPage() -> impl IntoView {
    view! {
        <section class="card narrow" role="status">
            <h1>{t(SurveyMsg::Thanks)}</h1>
            <p>{t(SurveyMsg::ThanksBody)}</p>
            <A href="/track">{t(SurveyMsg::TrackLink)}</A>
        </section>
    }
}
