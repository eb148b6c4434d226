//! rules.md "Lifecycle": the transition table and who may take each step, written out here
//! independently of the code, then checked exhaustively and by random walks.

use std::collections::{BTreeSet, VecDeque};

use domain::{
    available_actions, check, check_resolve, next_status, roles_for, Action, ApprovalPolicy, Lang,
    Role, SolutionPlan, Status, TransitionError,
};
use proptest::prelude::*;

use Action as A;
use Role::{Admin, Agent, Handler, Owner, Supervisor};
use Status as S;

/// Every legal transition, as the issue lists it.
const TABLE: &[(Status, Action, Status)] = &[
    (S::Filed, A::JudgeValid, S::Accepted),
    (S::Filed, A::JudgeNotValid, S::NotValid),
    (S::NotValid, A::Dispute, S::Disputed),
    (S::NotValid, A::AcceptJudgement, S::Closed),
    (S::Disputed, A::ConfirmNotValid, S::NotValid),
    (S::Disputed, A::ReverseJudgement, S::Accepted),
    (S::Investigating, A::JudgeNotValid, S::NotValid),
    (S::NotValid, A::Close, S::Closed),
    (S::Accepted, A::Assign, S::Assigned),
    (S::Assigned, A::StartInvestigation, S::Investigating),
    (S::Reopened, A::StartInvestigation, S::Investigating),
    (S::Investigating, A::ProposeSolution, S::SolutionProposed),
    (S::SolutionProposed, A::RequestApproval, S::AwaitingApproval),
    (S::SolutionProposed, A::Resolve, S::Resolved),
    (S::AwaitingApproval, A::GrantApproval, S::Approved),
    (S::AwaitingApproval, A::DenyApproval, S::Investigating),
    (S::Approved, A::Resolve, S::Resolved),
    (S::Resolved, A::RecordRevisit, S::Revisited),
    (S::Resolved, A::RecordUnsatisfiedRevisit, S::Reopened),
    (S::Revisited, A::Close, S::Closed),
    (S::Closed, A::Reopen, S::Reopened),
];

/// Who may take each action.
fn allowed(action: Action) -> &'static [Role] {
    match action {
        A::JudgeValid | A::Assign => &[Agent, Supervisor, Admin],
        A::JudgeNotValid => &[Agent, Handler, Supervisor, Admin],
        A::StartInvestigation => &[Handler, Supervisor, Admin],
        A::ProposeSolution | A::Resolve => &[Handler, Supervisor, Admin, Agent],
        A::RequestApproval => &[Handler, Agent, Supervisor, Admin],
        A::GrantApproval | A::DenyApproval => &[Supervisor, Admin],
        A::RecordRevisit | A::RecordUnsatisfiedRevisit => &[Owner, Agent, Supervisor, Admin],
        A::Close | A::Reopen => &[Agent, Supervisor, Admin],
        A::Dispute | A::AcceptJudgement => &[Owner],
        A::ConfirmNotValid | A::ReverseJudgement => &[Supervisor],
    }
}

/// `allowed`, plus: a handler finds a complaint not valid only after investigating it.
fn permitted(from: Status, action: Action, role: Role) -> bool {
    allowed(action).contains(&role)
        && !(action == A::JudgeNotValid && role == Handler && from != S::Investigating)
}

fn table_target(from: Status, action: Action) -> Option<Status> {
    TABLE
        .iter()
        .find(|(f, a, _)| *f == from && *a == action)
        .map(|(_, _, to)| *to)
}

/// Every status reachable from `start` by any action (roles aside).
fn reachable(start: Status) -> BTreeSet<Status> {
    let mut seen = BTreeSet::from([start]);
    let mut queue = VecDeque::from([start]);
    while let Some(s) = queue.pop_front() {
        for a in Action::ALL {
            if let Ok(to) = next_status(s, *a) {
                if seen.insert(to) {
                    queue.push_back(to);
                }
            }
        }
    }
    seen
}

#[test]
fn every_status_role_and_action_is_decided_by_the_table() {
    for from in Status::ALL {
        for action in Action::ALL {
            for role in Role::ALL {
                let got = check(*from, *action, *role);
                match (
                    table_target(*from, *action),
                    permitted(*from, *action, *role),
                ) {
                    (Some(to), true) => assert_eq!(got, Ok(to), "{from} {action} {role}"),
                    _ => assert!(
                        got.is_err(),
                        "{from} --{action}--> as {role} must be refused"
                    ),
                }
            }
        }
    }
}

#[test]
fn roles_match_the_issue() {
    for action in Action::ALL {
        let mut got = roles_for(*action).to_vec();
        let mut want = allowed(*action).to_vec();
        got.sort();
        want.sort();
        assert_eq!(got, want, "{action}");
    }
}

#[test]
fn every_reachable_status_can_reach_closed() {
    let from_intake = reachable(S::Filed);
    assert_eq!(
        from_intake.len(),
        Status::ALL.len(),
        "every status is reachable from intake"
    );
    for s in from_intake {
        assert!(reachable(s).contains(&S::Closed), "{s} cannot reach closed");
    }
}

#[test]
fn unsatisfied_revisit_reopens_and_the_same_handler_investigates_again() {
    assert_eq!(
        check(S::Resolved, A::RecordUnsatisfiedRevisit, Owner),
        Ok(S::Reopened)
    );
    assert_eq!(
        check(S::Reopened, A::StartInvestigation, Handler),
        Ok(S::Investigating)
    );
}

#[test]
fn a_solution_must_be_proposed_before_resolving() {
    let err = check(S::Investigating, A::Resolve, Handler).unwrap_err();
    assert_eq!(
        err,
        TransitionError::Illegal {
            from: S::Investigating,
            action: A::Resolve
        }
    );
    assert_eq!(
        err.message(Lang::Zh),
        "当前状态「调查处理中」不能执行「处理完毕」"
    );
}

#[test]
fn a_not_valid_complaint_is_answered_by_the_owner_or_closed() {
    assert_eq!(check(S::NotValid, A::Dispute, Owner), Ok(S::Disputed));
    assert_eq!(check(S::NotValid, A::Close, Agent), Ok(S::Closed));
    assert!(matches!(
        check(S::NotValid, A::Dispute, Agent),
        Err(TransitionError::Forbidden { .. })
    ));
}

#[test]
fn only_staff_reopen_a_closed_complaint() {
    assert_eq!(check(S::Closed, A::Reopen, Agent), Ok(S::Reopened));
    let err = check(S::Closed, A::Reopen, Owner).unwrap_err();
    assert_eq!(
        err,
        TransitionError::Forbidden {
            role: Owner,
            action: A::Reopen
        }
    );
    assert_eq!(err.message(Lang::En), "The role “Owner” may not “Reopen”");
}

#[test]
fn compensation_above_the_handler_tier_needs_approval_before_it_is_carried_out() {
    let policy = ApprovalPolicy::default();
    let with_money = SolutionPlan::parse("更换入户门并赔偿误工费", 500_000).unwrap();
    let small = SolutionPlan::parse("赔偿清洁费", 50_000).unwrap();
    let err = check_resolve(S::SolutionProposed, Agent, &with_money, &policy).unwrap_err();
    assert_eq!(
        err,
        TransitionError::ApprovalRequired {
            compensation_fen: 500_000
        }
    );
    assert_eq!(
        err.message(Lang::Zh),
        "该方案含补偿¥5,000，超出处理人权限，须先提交审批"
    );
    assert_eq!(
        check_resolve(S::SolutionProposed, Agent, &small, &policy),
        Ok(S::Resolved)
    );
    assert_eq!(
        check_resolve(S::Approved, Agent, &with_money, &policy),
        Ok(S::Resolved)
    );
    // Nobody carries out their own plan above the tier, whatever their role.
    assert!(check_resolve(S::SolutionProposed, Supervisor, &with_money, &policy).is_err());
    assert_eq!(
        available_actions(S::AwaitingApproval, Supervisor),
        [A::GrantApproval, A::DenyApproval]
    );
}

#[test]
fn actions_have_codes_and_labels() {
    for a in Action::ALL {
        assert_eq!(Action::parse(a.code()), Some(*a));
        assert!(!a.label(Lang::Zh).is_empty() && !a.label(Lang::En).is_empty());
    }
    assert_eq!(
        serde_json::to_string(&A::RecordUnsatisfiedRevisit).unwrap(),
        "\"record_unsatisfied_revisit\""
    );
}

fn status() -> impl Strategy<Value = Status> {
    prop::sample::select(Status::ALL.to_vec())
}
fn action() -> impl Strategy<Value = Action> {
    prop::sample::select(Action::ALL.to_vec())
}
fn role() -> impl Strategy<Value = Role> {
    prop::sample::select(Role::ALL.to_vec())
}

proptest! {
    #[test]
    fn illegal_transitions_are_refused_for_every_role(from in status(), a in action(), r in role()) {
        let result = check(from, a, r);
        if table_target(from, a).is_none() {
            prop_assert_eq!(next_status(from, a), Err(TransitionError::Illegal { from, action: a }));
            prop_assert!(result.is_err());
        }
        if !allowed(a).contains(&r) {
            prop_assert_eq!(result, Err(TransitionError::Forbidden { role: r, action: a }));
        }
    }

    #[test]
    fn random_walks_follow_the_table_and_can_always_still_close(
        steps in prop::collection::vec((action(), role()), 0..60)
    ) {
        let mut at = S::Filed;
        for (a, r) in steps {
            match check(at, a, r) {
                Ok(to) => {
                    prop_assert_eq!(Some(to), table_target(at, a));
                    at = to;
                }
                Err(e) => prop_assert!(!e.message(Lang::Zh).is_empty()),
            }
            prop_assert!(reachable(at).contains(&S::Closed));
        }
    }

    #[test]
    fn available_actions_are_exactly_the_ones_check_accepts(from in status(), r in role()) {
        let listed = available_actions(from, r);
        for a in Action::ALL {
            prop_assert_eq!(listed.contains(a), check(from, *a, r).is_ok());
        }
    }
}
