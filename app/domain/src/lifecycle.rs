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
    /// The owner disputes a not-valid judgement, with reasons: a supervisor who did not
    /// make the judgement decides it again.
    Dispute,
    /// The owner accepts a not-valid judgement: the complaint is closed.
    AcceptJudgement,
    /// The other supervisor upholds the judgement, with a reasoned reply.
    ConfirmNotValid,
    /// The other supervisor reverses it: the complaint is valid and continues.
    ReverseJudgement,
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
    Dispute => "dispute", "业主申诉", "Owner disputes";
    AcceptJudgement => "accept_judgement", "业主认可", "Owner accepts";
    ConfirmNotValid => "confirm_not_valid", "维持不成立", "Uphold: not valid";
    ReverseJudgement => "reverse_judgement", "改判成立", "Reverse: valid";
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
                "该方案含补偿{}，超出处理人权限，须先提交审批",
                format_yuan(compensation_fen)
            ),
            (TransitionError::ApprovalRequired { compensation_fen }, Lang::En) => format!(
                "This plan includes compensation of {}, above the handler's authority: request approval first",
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
        // Findings can show a complaint is not valid after all (e.g. the owner's own works).
        (S::Investigating, A::JudgeNotValid) => S::NotValid,
        (S::NotValid, A::Dispute) => S::Disputed,
        (S::NotValid, A::AcceptJudgement) => S::Closed,
        (S::Disputed, A::ConfirmNotValid) => S::NotValid,
        (S::Disputed, A::ReverseJudgement) => S::Accepted,
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
        Action::JudgeValid | Action::Assign => &[Agent, Supervisor, Admin],
        // The handler only after investigating (see `check`).
        Action::JudgeNotValid => &[Agent, Handler, Supervisor, Admin],
        Action::StartInvestigation => &[Handler, Supervisor, Admin],
        Action::ProposeSolution | Action::Resolve => &[Agent, Handler, Supervisor, Admin],
        Action::RequestApproval => &[Agent, Handler, Supervisor, Admin],
        Action::GrantApproval | Action::DenyApproval => &[Supervisor, Admin],
        Action::RecordRevisit | Action::RecordUnsatisfiedRevisit => {
            &[Owner, Agent, Supervisor, Admin]
        }
        Action::Close | Action::Reopen => &[Agent, Supervisor, Admin],
        Action::Dispute | Action::AcceptJudgement => &[Owner],
        Action::ConfirmNotValid | Action::ReverseJudgement => &[Supervisor],
    }
}

/// Checks both the role and the status; the role is checked first, so a role that may never
/// take the action learns nothing about the complaint's status.
pub fn check(from: Status, action: Action, role: Role) -> Result<Status, TransitionError> {
    if !roles_for(action).contains(&role) {
        return Err(TransitionError::Forbidden { role, action });
    }
    // A handler judges validity only from what their investigation found.
    if action == Action::JudgeNotValid && role == Role::Handler && from != Status::Investigating {
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

/// True when a plan with compensation of `compensation_fen` needs someone else's approval
/// (rules.md "Chain of responsibility").
pub fn needs_approval(compensation_fen: u64, policy: &ApprovalPolicy) -> bool {
    policy.needs_approval(compensation_fen)
}

/// `check` for `Resolve`, plus the approval rule: straight from `SolutionProposed`, a plan that
/// needs approval may not be carried out by anyone, whatever their role (nobody approves their
/// own plan); it must go through `RequestApproval` first.
pub fn check_resolve(
    from: Status,
    role: Role,
    plan: &SolutionPlan,
    policy: &ApprovalPolicy,
) -> Result<Status, TransitionError> {
    let to = check(from, Action::Resolve, role)?;
    if from == Status::SolutionProposed && plan.needs_approval(policy) {
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
            [Action::Dispute, Action::AcceptJudgement]
        );
        assert_eq!(
            available_actions(Status::Resolved, Role::Owner),
            [Action::RecordRevisit, Action::RecordUnsatisfiedRevisit]
        );
        assert!(available_actions(Status::Investigating, Role::Owner).is_empty());
    }

    #[test]
    fn up_to_the_handler_tier_no_approval_is_needed_by_default() {
        let policy = ApprovalPolicy::default();
        assert!(!needs_approval(0, &policy));
        assert!(!needs_approval(100_000, &policy));
        assert!(needs_approval(100_001, &policy));
        let plan = SolutionPlan::parse("赔偿", 1_200_000).unwrap();
        for role in [Role::Handler, Role::Supervisor, Role::Admin] {
            assert_eq!(
                check_resolve(Status::SolutionProposed, role, &plan, &policy),
                Err(TransitionError::ApprovalRequired {
                    compensation_fen: 1_200_000
                })
            );
        }
        assert_eq!(
            check_resolve(Status::Approved, Role::Handler, &plan, &policy),
            Ok(Status::Resolved)
        );
    }

    #[test]
    fn a_disputed_judgement_is_upheld_or_reversed_by_a_supervisor() {
        assert_eq!(
            check(Status::NotValid, Action::Dispute, Role::Owner),
            Ok(Status::Disputed)
        );
        assert_eq!(
            check(Status::NotValid, Action::AcceptJudgement, Role::Owner),
            Ok(Status::Closed)
        );
        assert_eq!(
            check(Status::Disputed, Action::ReverseJudgement, Role::Supervisor),
            Ok(Status::Accepted)
        );
        assert_eq!(
            check(Status::Disputed, Action::ConfirmNotValid, Role::Supervisor),
            Ok(Status::NotValid)
        );
        assert!(check(Status::Disputed, Action::ReverseJudgement, Role::Agent).is_err());
        assert!(check(Status::Disputed, Action::ReverseJudgement, Role::Admin).is_err());
    }

    #[test]
    fn a_handler_finds_a_complaint_not_valid_only_after_investigating() {
        assert_eq!(
            check(Status::Investigating, Action::JudgeNotValid, Role::Handler),
            Ok(Status::NotValid)
        );
        assert!(check(Status::Filed, Action::JudgeNotValid, Role::Handler).is_err());
        assert_eq!(
            check(Status::Filed, Action::JudgeNotValid, Role::Agent),
            Ok(Status::NotValid)
        );
    }
}
