//! The complaint-handling domain of the owner self-service complaint portal.
//!
//! Pure Rust: no IO, no clock reads (time is a parameter), no framework. The same
//! code runs in the browser (WebAssembly) and on the server. The specification is
//! `app/domain/docs/rules.md`; each rule cites its section.
//!
//! - [`policy`]: every threshold, with the spec's values as `Default` (load from TOML or a row).
//! - [`calendar`]: working days (statutory holidays, make-up days), service hours and
//!   service-time arithmetic (`docs/working-time.md`).
//! - [`grading`]: level and reasons from the intake facts; stated facts win over text cues;
//!   re-grading only raises, on new facts (`docs/grading.md`).
//! - [`lifecycle`] and [`payloads`]: the state machine, who may act, what a step must carry.
//! - [`sla`]: the four clocks, computed from timestamps, `now` and the business calendar.
//! - [`similarity`](mod@similarity): same-issue groups and repeats.
//! - [`messages`]: what owners are told by SMS, e-mail and WeChat, and when.
//! - [`phrases`]: the forbidden phrases (禁语) in staff replies.
//! - [`classifier`]: the category classifier, trained by `build.rs` from `corpus/`.
//! - [`estate`]: the estate spreadsheet (communities, buildings, units, owners) read into
//!   typed rows, with every bad row listed.
//! - [`hints`]: what the complaint form shows while the owner types (category, severity
//!   preview, FAQ articles), one call per keystroke.

#![warn(missing_docs)]

pub mod authority;
pub mod calendar;
pub mod classifier;
pub mod estate;
pub mod evidence;
pub mod fields;
pub mod grading;
pub mod guide;
pub mod hints;
pub mod hotline;
pub mod intake;
pub mod lang;
pub mod lifecycle;
pub mod messages;
pub mod money;
pub mod payloads;
pub mod photo_metadata;
pub mod phrases;
pub mod policy;
pub mod recording;
pub mod similarity;
pub mod sla;
pub mod text;
pub mod vocab;
pub mod waiting;

pub use authority::{
    may_decide, may_decide_dispute, ApprovalRefusal, ApprovalTier, Approver, Authority, Position,
};
pub use calendar::{
    BusinessCalendar, CalendarProblem, CalendarYear, Pause, ServiceHours, TimeBasis, WorkingTime,
};
pub use fields::{FieldError, Problem};
pub use grading::{
    escalate, grade, new_reasons, with_agreed_amount, Escalation, Grade, IntakeFacts,
    ManualOverride, OverrideError, Reason, Rule, StatedFacts,
};
pub use hotline::Hotline;
pub use intake::{Intake, IntakeLimits, PhoneNumber, RawIntake, SubmissionKey, TrackingCode};
pub use lang::{Lang, Text};
pub use lifecycle::{
    available_actions, check, check_resolve, needs_approval, next_status, roles_for, Action,
    TransitionError,
};
pub use messages::{MessagePolicy, Occasion};
pub use money::format_yuan;
pub use payloads::{ClosingCheck, ClosingReport, NotValidReply, Responsibility, SolutionPlan};
pub use phrases::{check_reply, review_reply, NeedsConfirmation, PhraseHit};
pub use policy::{
    ApprovalPolicy, ClockWindows, EscalationPolicy, FlagLevels, GradingPolicy, GroupPolicy,
    ImpactLevels, Policy, RevisitPolicy, SlaPolicy, SlaWindow, StagePolicy,
};
pub use similarity::{
    find_same_issue, similarity, Features, GroupFinding, Lookup, RecentComplaint,
};
pub use sla::{
    days_unresolved, deadlines, deadlines_from, evaluate, evaluate_stages, format_local, overall,
    promise_by, promise_text, promise_within, promised_times, remaining_label, time_based_level,
    Clock, ClockInputs, ClockState, Deadlines, SlaContext, SlaState, Stage, StageInputs,
};
pub use vocab::{Category, Channel, Impact, Level, RiskFlag, Role, Status, UnknownCode};
