//! Data loaded on first start.

pub mod demo;
pub mod history;
