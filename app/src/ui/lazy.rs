//! Pages split out of the first download: only the home page and the complaint form are
//! in the main WebAssembly module (the owner's first load); every other page arrives, as
//! its own module, when it is first shown (`cargo leptos build --split`, `hydrate_lazy`).

use leptos::prelude::{AnyView, IntoAny};
use leptos_router::{lazy_route, LazyRoute};

macro_rules! lazy_page {
    ($($route:ident => $page:path;)+) => {$(
        pub struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(_this: Self) -> AnyView {

                crate::ui::shared::interactive_once_hydrated();
                $page().into_any()
            }
        }
    )+};
}

lazy_page! {
    LookUpRoute => crate::ui::owner::LookUpPage;
    TrackRoute => crate::ui::owner::TrackPage;
    SurveyThanksRoute => crate::ui::owner::SurveyThanksPage;
    SurveyRoute => crate::ui::owner::SurveyPage;
    RegisterRoute => crate::ui::owner::RegisterPage;
    MyComplaintsRoute => crate::ui::owner::MyComplaintsPage;
    PasswordRoute => crate::ui::owner::PasswordPage;
    LoginRoute => crate::ui::staff::LoginPage;
    FaqHomeRoute => crate::ui::faq::FaqHomePage;
    FaqSearchRoute => crate::ui::faq::FaqSearchPage;
    FaqTopicRoute => crate::ui::faq::FaqTopicPage;
    FaqArticleRoute => crate::ui::faq::FaqArticlePage;
}
