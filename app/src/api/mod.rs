//! Server functions, grouped by area. Each is thin: who is asking, is the input
//! valid, call the port. The HTTP status of an error is set in one place, by the
//! server (`http::middleware::server_fn_status`), from the `AppError` variant.

pub mod accounts;
pub mod admin;
pub mod classifier;
pub mod complaints;
pub mod deliveries;
pub mod estate;
pub mod faq;
pub mod households;
pub mod reports;
pub mod staff;
pub mod surveys;
pub mod tracking;

#[cfg(feature = "ssr")]
pub(crate) mod support;
