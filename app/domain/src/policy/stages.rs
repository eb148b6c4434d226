//! Stage limits of the handling itself (001 第5篇 第六条): for the serious levels, the
//! responsible department settles responsibility and a plan with the owner within one working
//! day of accepting the complaint, and a report goes to the general manager within three
//! working days of the handling.
//!
//! ```toml
//! [stages]
//! up_to_level = 2                        # levels 1 and 2; 0 turns the stage clocks off
//! plan = { hours = 9, time = "service" } # one working day of service hours
//! report = { hours = 27, time = "service" }
//! ```

use serde::{Deserialize, Serialize};

use super::{at_least, SlaWindow};

/// The two stage windows and the levels they apply to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StagePolicy {
    /// The least serious level the stage clocks run for (2: levels 1 and 2); 0: none.
    pub up_to_level: u8,
    /// From acceptance to a plan agreed with the owner (明确责任、整理方案并与客户沟通).
    pub plan: SlaWindow,
    /// From resolution to the handling report submitted to the general manager.
    pub report: SlaWindow,
}

impl Default for StagePolicy {
    fn default() -> Self {
        StagePolicy {
            up_to_level: 2,
            plan: SlaWindow::service_hours(9),
            report: SlaWindow::service_hours(27),
        }
    }
}

impl StagePolicy {
    /// Lists every problem found.
    pub fn check(&self, problems: &mut Vec<String>) {
        if self.up_to_level > 4 {
            problems.push(format!(
                "stages.up_to_level ({}) must be between 0 and 4",
                self.up_to_level
            ));
        }
        at_least(problems, "stages.plan", u64::from(self.plan.minutes), 1);
        at_least(problems, "stages.report", u64::from(self.report.minutes), 1);
    }
}
