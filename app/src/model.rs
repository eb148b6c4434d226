//! What server functions return and the UI shows: plain serialisable data.

mod admin;
pub mod classifier;
mod common;
mod deliveries;
mod estate;
pub mod faq;
mod owner;
mod queue;
mod staff;
mod surveys;
mod timeline;

pub use self::admin::*;
pub use self::common::*;
pub use self::deliveries::*;
pub use self::estate::*;
pub use self::owner::*;
pub use self::queue::*;
pub use self::staff::*;
pub use self::surveys::*;
pub use self::timeline::*;

use chrono::{DateTime, Utc};
use domain::{
    grading::Reason, Action, Category, Clock, ClockState, Impact, Lang, Level, RiskFlag, Role,
    SlaState, Status,
};
use serde::{Deserialize, Serialize};
