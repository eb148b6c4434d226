//! Background jobs.

pub mod sla;
