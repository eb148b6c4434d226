//! "紧急情况请先打电话": the service hotline before anything else on the form.

use super::*;

/// "紧急情况请先打电话": the service hotline before anything else on the form (rules.md, "The
/// emergency path"). Without script it is a line with the numbers to tap; the browser module
/// adds the danger taps and, when the text or a tap says there is danger now, the call button
/// with the chosen community's number, what to do meanwhile, and filing as an emergency in
/// one tap.
#[component]
pub(super) fn EmergencyCall(list: Vec<ServiceHotline>) -> impl IntoView {
    let lang = current_lang();
    let mut numbers: Vec<ServiceHotline> = Vec::new();
    for h in list {
        if !numbers.iter().any(|n| n.number == h.number) {
            numbers.push(h);
        }
    }
    let several = numbers.len() > 1;
    let first = numbers.first().cloned();
    let count = numbers.len();
    let lead = if numbers.is_empty() {
        view! { {t(Msg::EmergencyNoHotline)} }.into_any()
    } else {
        view! {
            {t(Msg::EmergencyBody)}
            {numbers.into_iter().enumerate().map(|(i, h)| view! {
                <a class="tel" href=h.tel data-testid="hotline-link">{h.number}</a>
                {several.then(|| fill(t(Msg::InParens), &[&h.community]))}
                {(i + 1 < count).then(|| t(Msg::ListSep))}
            }).collect_view()}
            {t(Msg::FullStop)}
        }
        .into_any()
    };
    let (call_label, call_number, call_tel) = match &first {
        Some(h) => (
            fill(t(Msg::DangerCall), &[&h.number]),
            h.number.clone(),
            h.tel.clone(),
        ),
        None => (
            t(Msg::DangerCallNoHotline).to_owned(),
            String::new(),
            String::new(),
        ),
    };
    view! {
        <div class="emergency-call" id="emergency-call" data-testid="emergency-call"
            data-danger-now=t(Msg::DangerNow) data-call=t(Msg::DangerCall)
            data-call-none=t(Msg::DangerCallNoHotline)>
            <p class="emergency-lead"><strong>{t(Msg::EmergencyTitle)}</strong>" "{lead}" "
                {t(Msg::EmergencyPublic)}" "<a class="tel" href="tel:119">"119"</a>{t(Msg::OrSep)}
                <a class="tel" href="tel:120">"120"</a>{t(Msg::FullStop)}</p>
            // Shown from the first paint where script runs (the stylesheet hides it where
            // none does): the page does not move when the module starts.
            <p class="danger-taps" id="danger-taps">
                <span>{t(Msg::EmergencyTaps)}</span>
                {hints::Danger::ALL.iter().map(|d| view! {
                    <button type="button" class="chip" data-danger=d.code() aria-pressed="false">
                        {d.label(lang)}
                    </button>
                }).collect_view()}
            </p>
            <div class="danger-now" id="danger-now" role="alert" data-testid="danger-now" hidden>
                <p class="danger-title" id="danger-title"></p>
                <a class="button danger-call" id="danger-call" data-testid="danger-call"
                    href=(!call_tel.is_empty()).then(|| call_tel.clone()) data-default-tel=call_tel data-default-number=call_number>
                    {call_label}
                </a>
                <p class="danger-advice" id="danger-advice"></p>
                <button type="button" class="button primary" id="danger-file" data-testid="danger-file">
                    {t(Msg::DangerFile)}
                </button>
                <p class="field-help">{t(Msg::DangerFileHelp)}</p>
            </div>
        </div>
    }
}
