//! What owners see: the home page, filing a complaint, tracking it.

mod account;
mod evidence;
mod file;
mod home;
mod notices;
mod survey;
mod track;

pub use account::{MyComplaintsPage, PasswordPage, RegisterPage};
pub use evidence::EvidenceGallery;
#[cfg(feature = "ssr")]
pub(crate) use file::IntakeFields;
pub use file::{form_script, FilePage};
pub use home::HomePage;
pub use notices::{channel_label, status_label};
pub use survey::{SurveyPage, SurveyThanksPage};
pub use track::{LookUpPage, TrackPage};
