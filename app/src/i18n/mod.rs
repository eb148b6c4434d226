//! The message catalogue: every string a component shows, in zh-CN and English.
//!
//! The language is decided per request by the server (cookie, then
//! `Accept-Language`) and put into context; the browser reads it back from
//! `<html lang>` when it hydrates, so both render the same text.

pub use domain::lang::fill;
pub use domain::Lang;

mod account;
mod admin;
mod classifier;
mod faq;
mod live;
mod messages;
mod notices;
mod reports;
mod staff;
mod survey;
pub use account::AccountMsg;
pub use admin::AdminMsg;
pub use classifier::ClassifierMsg;
pub use faq::FaqMsg;
pub use live::LiveMsg;
pub use messages::Msg;
pub use notices::NoticeMsg;
pub use reports::ReportMsg;
pub use staff::StaffMsg;
pub use survey::SurveyMsg;

/// The language of the current page or request.
pub fn current_lang() -> Lang {
    leptos::prelude::use_context::<Lang>().unwrap_or_default()
}

/// A catalogue key: one text per language. Each area of the app has its own
/// catalogue (an enum made by `catalogue!`), so areas don't edit one shared file.
pub trait Message: Copy {
    fn text(self, lang: Lang) -> &'static str;
}

/// The message in the current language.
pub fn t(msg: impl Message) -> &'static str {
    msg.text(current_lang())
}

/// Items listed in a sentence of the current language: "维修部、工程部" / "Repairs, Engineering".
pub trait Listed {
    fn listed(&self) -> String;
}

impl<S: AsRef<str>> Listed for [S] {
    fn listed(&self) -> String {
        let sep = match current_lang() {
            Lang::Zh => "、",
            Lang::En => ", ",
        };
        self.iter().map(AsRef::as_ref).collect::<Vec<_>>().join(sep)
    }
}

/// Declares a catalogue enum and its two texts from one table, so a message cannot
/// lack a language: `catalogue!(FaqMsg { Title => "常见问题", "FAQ"; })`.
macro_rules! catalogue {
    ($name:ident { $($key:ident => $zh:literal, $en:literal;)+ }) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name { $($key),+ }

        impl $crate::i18n::Message for $name {
            fn text(self, lang: $crate::i18n::Lang) -> &'static str {
                match lang {
                    $crate::i18n::Lang::Zh => match self { $($name::$key => $zh),+ },
                    $crate::i18n::Lang::En => match self { $($name::$key => $en),+ },
                }
            }
        }
    };
}
pub(crate) use catalogue;

/// Makes the page's language available to every component. The server has
/// already provided it; in the browser it is read back from `<html lang>`.
pub fn provide_lang() {
    use leptos::prelude::{provide_context, use_context};
    if use_context::<Lang>().is_none() {
        provide_context(document_lang());
    }
}

#[cfg(feature = "hydrate")]
fn document_lang() -> Lang {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
        .and_then(|e| e.get_attribute("lang"))
        .and_then(|tag| Lang::from_tag(&tag))
        .unwrap_or_default()
}

#[cfg(not(feature = "hydrate"))]
fn document_lang() -> Lang {
    Lang::default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_fill_in_order() {
        assert_eq!(fill("{}/{} 字", &[&3, &2000]), "3/2000 字");
        assert_eq!(fill("无占位", &[&1]), "无占位");
    }
}
