//! Components, grouped by what the user sees.

pub mod faq;
pub mod lazy;
pub mod owner;
pub mod shared;
pub mod staff;
