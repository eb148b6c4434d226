//! The complaint-handling domain of the owner self-service complaint portal.
//!
//! Pure Rust: no IO, no clock reads (time is a parameter), no framework. The same
//! code runs in the browser (WebAssembly) and on the server. The specification is
//! `shared/domain.md`; each rule cites its section.

pub mod lang;
pub mod text;
pub mod vocab;

pub use lang::{Lang, Text};
pub use vocab::{Category, Channel, Impact, Level, RiskFlag, Role, Status, UnknownCode};
pub mod intake;

pub use intake::{FieldError, Intake, IntakeLimits, PhoneNumber, RawIntake, TrackingCode};
pub mod hints;
