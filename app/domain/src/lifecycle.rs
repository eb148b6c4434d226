//! The complaint lifecycle as a state machine (rules.md "Lifecycle"): which action moves which
//! status where, and which role may take it. Refusals are errors with a message, never panics.

use serde::{Deserialize, Serialize};

use crate::lang::Lang;
use crate::money::format_yuan;
use crate::payloads::SolutionPlan;
use crate::policy::ApprovalPolicy;
use crate::vocab::{vocabulary, Role, Status};

/// A step a person takes on a complaint (rules.md "Lifecycle" 2–8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// 判断: the complaint is valid.
    JudgeValid,
    /// 判断: not valid, with a reasoned reply (`NotValidReply`).
    JudgeNotValid,
    /// 分派: department and one named handler; the receiving agent stays accountable.
    Assign,
    /// 调查: the handler starts (or, after a reopen, resumes) the investigation.
    StartInvestigation,
    /// 方案: a plan, possibly with compensation (`SolutionPlan`).
    ProposeSolution,
    /// Compensation or beyond the agent's authority: ask a supervisor.
    RequestApproval,
    /// The supervisor approves the plan.
    GrantApproval,
    /// The supervisor refuses the plan: back to investigating.
    DenyApproval,
    /// 实施: carried out, owner told.
    Resolve,
    /// 回访: the owner is satisfied.
    RecordRevisit,
    /// 回访: the owner is not satisfied, so the complaint reopens.
    RecordUnsatisfiedRevisit,
    /// 结案: with root cause and corrective/preventive action (`ClosingReport`).
    Close,
    /// New facts after closing: staff reopen it.
    Reopen,
    /// The owner answers a not-valid judgement: back to be judged again.
    OwnerResponds,
}

vocabulary!(Action {
    JudgeValid => "judge_valid", "判定投诉成立", "Accept as valid";
    JudgeNotValid => "judge_not_valid", "判定投诉不成立", "Judge not valid";
    Assign => "assign", "分派", "Assign";
    StartInvestigation => "start_investigation", "开始调查", "Start investigation";
    ProposeSolution => "propose_solution", "提出处理方案", "Propose solution";
    RequestApproval => "request_approval", "提交主管审批", "Request approval";
    GrantApproval => "grant_approval", "批准方案", "Approve";
    DenyApproval => "deny_approval", "驳回方案", "Reject";
    Resolve => "resolve", "处理完毕", "Resolve";
    RecordRevisit => "record_revisit", "回访满意", "Revisit: satisfied";
    RecordUnsatisfiedRevisit => "record_unsatisfied_revisit", "回访不满意", "Revisit: not satisfied";
    Close => "close", "结案", "Close";
    Reopen => "reopen", "重新打开", "Reopen";
    OwnerResponds => "owner_responds", "业主回复", "Owner responds";
});

/// Why an action was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TransitionError {
    /// The action does not apply to a complaint in this status.
    Illegal {
        /// The complaint's status.
        from: Status,
        /// The action refused.
        action: Action,
    },
    /// This role may never take this action.
    Forbidden {
        /// Who asked.
        role: Role,
        /// The action refused.
        action: Action,
    },
    /// The plan carries compensation that needs a supervisor's approval before it is carried out.
    ApprovalRequired {
        /// The plan's compensation, in fen.
        compensation_fen: u64,
    },
}

impl TransitionError {
    /// What to tell the user, e.g. "当前状态「已结案」不能执行「分派」".
    pub fn message(&self, lang: Lang) -> String {
        match (*self, lang) {
            (TransitionError::Illegal { from, action }, Lang::Zh) => {
                format!(
                    "当前状态「{}」不能执行「{}」",
                    from.label(lang),
                    action.label(lang)
                )
            }
            (TransitionError::Illegal { from, action }, Lang::En) => format!(
                "Cannot “{}” a complaint that is “{}”",
                action.label(lang),
                from.label(lang)
            ),
            (TransitionError::Forbidden { role, action }, Lang::Zh) => {
                format!("「{}」无权执行「{}」", role.label(lang), action.label(lang))
            }
            (TransitionError::Forbidden { role, action }, Lang::En) => {
                format!(
                    "The role “{}” may not “{}”",
                    role.label(lang),
                    action.label(lang)
                )
            }
            (TransitionError::ApprovalRequired { compensation_fen }, Lang::Zh) => format!(
                "该方案含补偿{},须经主管审批后才能实施",
                format_yuan(compensation_fen)
            ),
            (TransitionError::ApprovalRequired { compensation_fen }, Lang::En) => format!(
                "This plan includes compensation of {} and needs a supervisor's approval first",
                format_yuan(compensation_fen)
            ),
        }
    }
}

impl std::fmt::Display for TransitionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for TransitionError {}

/// Where `action` takes a complaint in status `from`, whoever asks (rules.md "Lifecycle").
pub fn next_status(from: Status, action: Action) -> Result<Status, TransitionError> {
    use Action as A;
    use Status as S;
    let to = match (from, action) {
        (S::Filed, A::JudgeValid) => S::Accepted,
        (S::Filed, A::JudgeNotValid) => S::NotValid,
        (S::NotValid, A::OwnerResponds) => S::Filed,
        (S::NotValid, A::Close) => S::Closed,
        (S::Accepted, A::Assign) => S::Assigned,
        (S::Assigned | S::Reopened, A::StartInvestigation) => S::Investigating,
        // A solution must be proposed before anything is resolved.
        (S::Investigating, A::ProposeSolution) => S::SolutionProposed,
        (S::SolutionProposed, A::RequestApproval) => S::AwaitingApproval,
        (S::SolutionProposed | S::Approved, A::Resolve) => S::Resolved,
        (S::AwaitingApproval, A::GrantApproval) => S::Approved,
        (S::AwaitingApproval, A::DenyApproval) => S::Investigating,
        (S::Resolved, A::RecordRevisit) => S::Revisited,
        (S::Resolved, A::RecordUnsatisfiedRevisit) => S::Reopened,
        (S::Revisited, A::Close) => S::Closed,
        (S::Closed, A::Reopen) => S::Reopened,
        _ => return Err(TransitionError::Illegal { from, action }),
    };
    Ok(to)
}

/// The roles that may take `action` (rules.md "Actors"): agents judge, assign, close and may
/// handle simple cases; handlers investigate; supervisors approve; owners answer and revisit.
pub fn roles_for(action: Action) -> &'static [Role] {
    use Role::*;
    match action {
        Action::JudgeValid | Action::JudgeNotValid | Action::Assign => &[Agent, Supervisor, Admin],
        Action::StartInvestigation => &[Handler, Supervisor, Admin],
        Action::ProposeSolution | Action::Resolve => &[Agent, Handler, Supervisor, Admin],
        Action::RequestApproval => &[Agent, Handler],
        Action::GrantApproval | Action::DenyApproval => &[Supervisor, Admin],
        Action::RecordRevisit | Action::RecordUnsatisfiedRevisit => {
            &[Owner, Agent, Supervisor, Admin]
        }
        Action::Close | Action::Reopen => &[Agent, Supervisor, Admin],
        Action::OwnerResponds => &[Owner],
    }
}

/// Checks both the role and the status; the role is checked first, so a role that may never
/// take the action learns nothing about the complaint's status.
pub fn check(from: Status, action: Action, role: Role) -> Result<Status, TransitionError> {
    if !roles_for(action).contains(&role) {
        return Err(TransitionError::Forbidden { role, action });
    }
    next_status(from, action)
}

/// The actions `role` may take on a complaint in status `from`, in lifecycle order.
pub fn available_actions(from: Status, role: Role) -> Vec<Action> {
    Action::ALL
        .iter()
        .copied()
        .filter(|a| check(from, *a, role).is_ok())
        .collect()
}

/// True when compensation of `compensation_fen` needs a supervisor (rules.md "Lifecycle" 5).
pub fn needs_approval(compensation_fen: u64, policy: &ApprovalPolicy) -> bool {
    compensation_fen > policy.compensation_needs_approval_above_fen
}

/// `check` for `Resolve`, plus the approval rule: straight from `SolutionProposed`, a plan whose
/// compensation needs approval may be carried out only by a supervisor or an admin (who hold
/// that authority); everyone else must `RequestApproval` first.
pub fn check_resolve(
    from: Status,
    role: Role,
    plan: &SolutionPlan,
    policy: &ApprovalPolicy,
) -> Result<Status, TransitionError> {
    let to = check(from, Action::Resolve, role)?;
    let has_authority = matches!(role, Role::Supervisor | Role::Admin);
    if from == Status::SolutionProposed && !has_authority && plan.needs_approval(policy) {
        return Err(TransitionError::ApprovalRequired {
            compensation_fen: plan.compensation_fen(),
        });
    }
    Ok(to)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_name_the_status_and_the_action() {
        let err = check(Status::Closed, Action::Assign, Role::Agent).unwrap_err();
        assert_eq!(err.message(Lang::Zh), "当前状态「已结案」不能执行「分派」");
        assert_eq!(
            err.message(Lang::En),
            "Cannot “Assign” a complaint that is “Closed”"
        );
        let err = check(Status::Filed, Action::Assign, Role::Owner).unwrap_err();
        assert_eq!(err.message(Lang::Zh), "「业主」无权执行「分派」");
    }

    #[test]
    fn an_owner_can_only_answer_a_judgement_or_a_revisit() {
        assert_eq!(
            available_actions(Status::NotValid, Role::Owner),
            [Action::OwnerResponds]
        );
        assert_eq!(
            available_actions(Status::Resolved, Role::Owner),
            [Action::RecordRevisit, Action::RecordUnsatisfiedRevisit]
        );
        assert!(available_actions(Status::Investigating, Role::Owner).is_empty());
    }

    #[test]
    fn any_compensation_needs_approval_by_default() {
        let policy = ApprovalPolicy::default();
        assert!(!needs_approval(0, &policy));
        assert!(needs_approval(1, &policy));
        let generous = ApprovalPolicy {
            compensation_needs_approval_above_fen: 50_000,
        };
        assert!(!needs_approval(50_000, &generous));
        assert!(needs_approval(50_001, &generous));
    }
}
