//! The address bar after a form post. A post without the app (no JavaScript yet, or none at
//! all) that fails comes back to its page with the error in the address (`__path`, `__err`),
//! where the page reads it. Once the owner posts again from the hydrated page, that error is
//! out of date: it is taken out of the address, so it neither stays there nor comes back on a
//! reload.

/// `search` ("?a=1&__path=…&__err=…") without the form error's two parameters, when it has
/// them: `Some("?a=1")`, `Some("")` when nothing is left; `None` when there is none.
pub fn without_form_error(search: &str) -> Option<String> {
    let query = search.strip_prefix('?').unwrap_or(search);
    let is_error = |pair: &&str| pair.starts_with("__err=") || pair.starts_with("__path=");
    if !query.split('&').any(|pair| is_error(&pair)) {
        return None;
    }
    let kept: Vec<&str> = query
        .split('&')
        .filter(|pair| !pair.is_empty() && !is_error(pair))
        .collect();
    Some(if kept.is_empty() {
        String::new()
    } else {
        format!("?{}", kept.join("&"))
    })
}

/// Listens, for the life of the page, for form posts; the first one takes a stale form error
/// out of the address (`history.replaceState`: no navigation, nothing re-rendered).
#[cfg(feature = "hydrate")]
pub fn forget_stale_form_errors() {
    use wasm_bindgen::{closure::Closure, JsCast};
    let Some(window) = web_sys::window() else {
        return;
    };
    let Some(document) = window.document() else {
        return;
    };
    let on_submit = Closure::<dyn Fn(web_sys::Event)>::new(move |_: web_sys::Event| {
        let Some(window) = web_sys::window() else {
            return;
        };
        let location = window.location();
        let Some(search) = location.search().ok().and_then(|s| without_form_error(&s)) else {
            return;
        };
        let address = format!(
            "{}{search}{}",
            location.pathname().unwrap_or_default(),
            location.hash().unwrap_or_default()
        );
        if let Ok(history) = window.history() {
            let state = history.state().unwrap_or(wasm_bindgen::JsValue::NULL);
            let _ = history.replace_state_with_url(&state, "", Some(&address));
        }
    });
    let _ = document.add_event_listener_with_callback_and_bool(
        "submit",
        on_submit.as_ref().unchecked_ref(),
        true,
    );
    on_submit.forget();
}

#[cfg(test)]
mod tests {
    use super::without_form_error;

    #[test]
    fn only_the_form_error_leaves_the_address() {
        assert_eq!(without_form_error(""), None);
        assert_eq!(without_form_error("?voted=yes"), None);
        assert_eq!(
            without_form_error("?__path=%2Fapi%2Ff&__err=eyJ4Ijo"),
            Some(String::new())
        );
        assert_eq!(
            without_form_error("?tab=replies&__path=%2Fapi%2Ff&__err=eyJ4Ijo&x=1"),
            Some("?tab=replies&x=1".to_owned())
        );
        assert_eq!(without_form_error("?__error=1"), None, "another name");
    }
}
