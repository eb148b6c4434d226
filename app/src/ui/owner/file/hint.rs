//! The live hint box and the questions about what the text seems to say.

use super::*;

/// The suggestion for the text so far: likely category (with a runner-up when unsure) and
/// the level the facts imply. The browser module redraws it as the owner types, with the
/// same markup and the texts in `data-*`; tapping a category sets it, never the reverse.
#[component]
pub(super) fn HintPanel(
    hint: hints::CategoryHint,
    grade: domain::Grade,
    suggested: Vec<hints::Suggestion>,
    category: String,
    /// The classifier model's version and address, for the browser module.
    model_version: i64,
    model_url: String,
) -> impl IntoView {
    let lang = current_lang();
    let chip = |suggested: Category, label: Msg| {
        let chosen = category == suggested.code();
        view! {
            <button type="button" class="chip" aria-pressed=chosen.to_string()
                data-category=suggested.code()>
                {if chosen { t(Msg::HintInUse) } else { t(label) }}
            </button>
        }
    };
    let guess = match hint.category {
        None => view! { <span class="hint-empty">{t(Msg::HintNotSure)}</span> }.into_any(),
        Some(suggested) => view! {
            <span>{t(Msg::HintLikely)}" "<strong class="hint-category">{suggested.label(lang)}</strong></span>
            {chip(suggested, Msg::HintUse)}
            {hint.alternatives.first().map(|&(other, _)| view! {
                <span class="hint-or">{t(Msg::HintOr)}" "<strong class="hint-alternative">{other.label(lang)}</strong></span>
                {chip(other, Msg::HintUseOther)}
            })}
        }.into_any(),
    };
    // Routine (level 4) needs no mention; anything more urgent says why.
    let level = (grade.level.number() < 4).then(|| view! {
        <p class="hint-level" data-testid="hint-level">
            {t(Msg::HintLevel)}" "<LevelBadge level=grade.level />" "
            <span class="muted small">{grade.reasons.first().map(|r| r.message.get(lang).to_owned())}</span>
        </p>
    });
    view! {
        <div class="hint" id="hint" aria-live="polite" data-testid="hint"
            data-title=t(Msg::HintTitle) data-not-sure=t(Msg::HintNotSure)
            data-likely=t(Msg::HintLikely) data-or=t(Msg::HintOr) data-use=t(Msg::HintUse)
            data-use-other=t(Msg::HintUseOther) data-in-use=t(Msg::HintInUse)
            data-level=t(Msg::HintLevel) data-confirm=t(Msg::HintConfirm)
            data-model-version=model_version.to_string() data-model-url=model_url>
            <span class="hint-title">{t(Msg::HintTitle)}</span>
            {guess}
            {level}
            <Suggestions suggested />
        </div>
    }
}

/// What the text seems to say beyond what the owner chose, asked rather than assumed
/// ("文字中提到“记者来了”：已联系媒体/网络曝光，是否属实？"); "是" fills the field in the form.
/// The browser module draws the same markup.
#[component]
pub(super) fn Suggestions(suggested: Vec<hints::Suggestion>) -> impl IntoView {
    let lang = current_lang();
    (!suggested.is_empty()).then(|| view! {
        <ul class="hint-suggestions" data-testid="hint-suggestions">
            {suggested.into_iter().map(|s| {
                let (field, value) = s.fact.form_answer();
                view! {
                    <li>
                        <span>{s.question().get(lang).to_owned()}</span>
                        " "<button type="button" class="chip" data-confirm-field=field data-confirm-value=value>
                            {t(Msg::HintConfirm)}
                        </button>
                    </li>
                }
            }).collect_view()}
        </ul>
    })
}
