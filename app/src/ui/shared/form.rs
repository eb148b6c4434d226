use leptos::prelude::*;

use crate::error::AppError;

/// The error of the last submission, announced to screen readers.
#[component]
pub fn ErrorBanner(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    view! {
        <div class="error-banner" role="alert" aria-live="assertive"
            class:hidden=move || error.with(Option::is_none)>
            {move || error.get().map(|e| {
                let form_level = e.field("form");
                view! { <p>{form_level.unwrap_or_else(|| e.summary())}</p> }
            })}
        </div>
    }
}

/// The message for one field, tied to its input by `id` (use it in `aria-describedby`).
#[component]
pub fn FieldMessage(
    #[prop(into)] id: String,
    #[prop(into)] field: String,
    #[prop(into)] error: Signal<Option<AppError>>,
) -> impl IntoView {
    let message = move || error.with(|e| e.as_ref().and_then(|e| e.field(&field)));
    view! {
        <p class="field-error" id=id aria-live="polite">{message}</p>
    }
}
