//! The form's steps on a phone: the progress list and the review box the browser module
//! fills (`app/complaint-form/src/steps.rs`).

use super::*;

/// Where the owner is in the form's steps (what happened → where → details and photos →
/// contact → check and send). Hidden until the browser module shows the form one step at a
/// time on a phone; the owner can switch to one page (remembered on the device).
#[component]
pub(super) fn StepProgress() -> impl IntoView {
    let steps = [
        ("what", Msg::StepWhat),
        ("where", Msg::StepWhere),
        ("details", Msg::StepDetails),
        ("contact", Msg::StepContact),
        ("review", Msg::StepReview),
    ];
    view! {
        <nav class="step-progress" id="step-progress" aria-label=t(Msg::StepsLabel) hidden
            data-of=t(Msg::StepOf) data-testid="step-progress">
            <p class="step-count" id="step-count" aria-live="polite"></p>
            <ol>
                {steps.into_iter().map(|(code, name)| view! {
                    <li data-step=code><span>{t(name)}</span></li>
                }).collect_view()}
            </ol>
        </nav>
    }
}

/// The last step: everything the owner is about to send, by step, each with "修改"; drawn
/// by the browser module from the form (answers worded by the domain), with the step
/// buttons and the switch between steps and one page.
#[component]
pub(super) fn StepReview() -> impl IntoView {
    view! {
        <section class="form-step review" data-step="review" id="step-review" hidden
            aria-labelledby="review-title" data-edit=t(Msg::StepEdit)
            data-files=t(Msg::ReviewFiles) data-empty=t(Msg::ReviewEmpty)
            data-testid="step-review">
            <h2 id="review-title">{t(Msg::ReviewTitle)}</h2>
            <p class="field-help">{t(Msg::ReviewHelp)}</p>
            <div id="review-list"></div>
        </section>
        <div class="step-nav" id="step-nav" hidden>
            <button type="button" class="button" id="step-back">{t(Msg::StepBack)}</button>
            <button type="button" class="button primary" id="step-next">{t(Msg::StepNext)}</button>
        </div>
        <p class="step-switch" id="step-switch" hidden>
            <button type="button" class="link" id="steps-toggle"
                data-off=t(Msg::StepsOff) data-on=t(Msg::StepsOn)>{t(Msg::StepsOff)}</button>
        </p>
    }
}
