//! Data loaded on first start.

pub mod demo;
pub mod faq_history;
pub mod history;
