//! Server functions, grouped by area. Each is thin: who is asking, is the input
//! valid, call the port, map the error (and its HTTP status) once via `respond`.

pub mod complaints;
pub mod staff;
pub mod tracking;

#[cfg(feature = "ssr")]
pub(crate) mod support;
