//! The guided form: topics in the owner's words and the chosen category's questions
//! (`domain::guide`).

use super::*;

/// "您遇到的是哪方面的问题？": the owner's own words for what it is about (rules.md, "The
/// guided form"). Each topic carries the category it most likely means, which the browser
/// module puts in the category field (and the stylesheet reads, to show the questions
/// without script); with no category chosen, the server takes it from the topic.
#[component]
pub(super) fn Topics(echoed: String) -> impl IntoView {
    let lang = current_lang();
    view! {
        <fieldset class="field topics" data-testid="topics">
            <legend>{t(Msg::TopicLegend)}</legend>
            <p class="field-help">{t(Msg::TopicHelp)}</p>
            <div class="topic-list">
                {guide::TOPICS.iter().map(|topic| view! {
                    <label class="topic">
                        <input type="radio" name="intake[topic]" value=topic.code
                            checked=echoed == topic.code
                            data-category=topic.categories.first().map_or("", |c| c.code()) />
                        <span class="topic-label">{topic.label(lang)}</span>
                        <span class="topic-examples">{topic.examples(lang)}</span>
                    </label>
                }).collect_view()}
            </div>
        </fieldset>
    }
}

/// The chosen category's questions (`domain::guide`), every one optional. Each is rendered
/// once, marked with the categories that ask it; the stylesheet shows those of the category
/// chosen (or of the topic's, before one is), and a "yes" opens a question's follow-ups, so
/// the same page works without script. Answers to another category's questions are not kept.
#[component]
pub(super) fn Questions(
    #[prop(into)] error: Signal<Option<AppError>>,
    /// What was typed before, by field name (`answer_<key>`).
    values: std::collections::BTreeMap<String, String>,
) -> impl IntoView {
    let question = move |q: &'static guide::Question| {
        let lang = current_lang();
        let field = q.field();
        let id = format!("answer-{}", q.key);
        let name = format!("intake[answers][{}]", q.key);
        let value = values.get(&field).cloned().unwrap_or_default();
        let error_id = format!("{field}-error");
        let input = match q.kind {
            guide::Kind::Text(max) => view! {
                <label for=id.clone()>{q.label(lang)}</label>
                <input id=id.clone() name=name type="text" maxlength=max.to_string()
                    value=value placeholder=q.example(lang) aria-describedby=error_id.clone() />
            }
            .into_any(),
            guide::Kind::Choice(choices) => view! {
                <fieldset class="choices" aria-describedby=error_id.clone()>
                    <legend>{q.label(lang)}</legend>
                    {choices.iter().map(|c| view! {
                        <label class="choice">
                            <input type="radio" name=name.clone() value=c.code checked=value == c.code />
                            <span>{c.label(lang)}</span>
                        </label>
                    }).collect_view()}
                </fieldset>
            }
            .into_any(),
        };
        (
            input,
            view! { <FieldMessage id=error_id field=field error /> },
        )
    };
    view! {
        <div class="questions" data-testid="questions">
            <p class="questions-title"><strong>{t(Msg::QuestionsTitle)}</strong>" "
                <span class="muted small">{t(Msg::QuestionsHelp)}</span></p>
            {guide::all_questions().into_iter().map(|(q, categories)| {
                // Space-separated, for `~=` in the stylesheet.
                let categories: Vec<&str> = categories.iter().map(|c| c.code()).collect();
                let categories = categories.join(" ");
                view! {
                    <div class="field question" data-for=categories data-testid=format!("question-{}", q.key)>
                        {question(q)}
                        {(!q.follow_ups.is_empty()).then(|| view! {
                            <div class="follow-up">
                                {q.follow_ups.iter().map(|f| view! {
                                    <div class="field">{question(f)}</div>
                                }).collect_view()}
                            </div>
                        })}
                    </div>
                }
            }).collect_view()}
        </div>
    }
}
