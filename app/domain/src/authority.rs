//! The chain of responsibility (rules.md "Chain of responsibility"): the positions people hold
//! (客服主管, 部门经理, 分管副总, 总经理), who may approve a plan of a given amount, and who
//! decides a disputed 不成立 judgement.
//!
//! Approval authority comes in tiers by amount ("销售分公司不得超越权限…", 001 第8篇; "提交至质量
//! 负责人及经理批示", 第5篇). The defaults: up to ¥1,000 the handler decides alone, up to ¥10,000
//! the department manager of the complaint's department, above that the general manager. An
//! administrator is an IT role and approves nothing unless a tier names the administrator;
//! nobody approves a plan they proposed or asked approval for.

use serde::{Deserialize, Serialize};

use crate::lang::Lang;
use crate::money::format_yuan;
use crate::vocab::{vocabulary, Role};

/// A position in the company, held by a named person and mapped by the administrator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Position {
    /// 客服主管: runs the customer-service centre, reviews revisits.
    CsSupervisor,
    /// 部门经理: heads one department.
    DepartmentManager,
    /// 分管副总: the deputy general manager in charge.
    DeputyGm,
    /// 总经理 (公司主要负责人).
    GeneralManager,
}

vocabulary!(Position {
    CsSupervisor => "cs_supervisor", "客服主管", "Customer-service supervisor";
    DepartmentManager => "department_manager", "部门经理", "Department manager";
    DeputyGm => "deputy_gm", "分管副总", "Deputy general manager";
    GeneralManager => "general_manager", "总经理", "General manager";
});

/// Who a tier of the approval table names, lowest authority first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Approver {
    /// The handler (or agent) who proposed the plan: no approval needed.
    Handler,
    /// A supervisor (主管 role, or the 客服主管 position).
    Supervisor,
    /// The manager of the complaint's department.
    DepartmentManager,
    /// The deputy general manager in charge.
    DeputyGm,
    /// The general manager.
    GeneralManager,
    /// The administrator, only where a tier names it.
    Admin,
}

vocabulary!(Approver {
    Handler => "handler", "处理人", "Handler";
    Supervisor => "supervisor", "主管", "Supervisor";
    DepartmentManager => "department_manager", "部门经理", "Department manager";
    DeputyGm => "deputy_gm", "分管副总", "Deputy general manager";
    GeneralManager => "general_manager", "总经理", "General manager";
    Admin => "admin", "管理员", "Administrator";
});

/// One tier: plans up to `up_to_fen` (inclusive; `None`: any amount) need `approver`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApprovalTier {
    /// The largest compensation this tier covers, in fen; `None` on the last tier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub up_to_fen: Option<u64>,
    /// Who decides plans in this tier.
    pub approver: Approver,
}

/// What needs approval and by whom (rules.md "Lifecycle" 5 and "Chain of responsibility").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ApprovalPolicy {
    /// Every plan needs approval, even one without compensation (then the lowest tier above
    /// the handler decides plans the handler could otherwise carry out alone).
    pub every_plan_needs_approval: bool,
    /// Tiers by amount, ascending; the last has no upper bound.
    pub tiers: Vec<ApprovalTier>,
}

impl Default for ApprovalPolicy {
    fn default() -> Self {
        ApprovalPolicy {
            every_plan_needs_approval: false,
            tiers: vec![
                ApprovalTier {
                    up_to_fen: Some(100_000),
                    approver: Approver::Handler,
                },
                ApprovalTier {
                    up_to_fen: Some(1_000_000),
                    approver: Approver::DepartmentManager,
                },
                ApprovalTier {
                    up_to_fen: None,
                    approver: Approver::GeneralManager,
                },
            ],
        }
    }
}

impl ApprovalPolicy {
    /// Who must approve a plan with this compensation: the first tier that covers it. When
    /// every plan needs approval, a handler tier is decided by a supervisor.
    pub fn approver_for(&self, compensation_fen: u64) -> Approver {
        let tier = self
            .tiers
            .iter()
            .find(|t| t.up_to_fen.is_none_or(|max| compensation_fen <= max))
            .map_or(Approver::GeneralManager, |t| t.approver);
        if tier == Approver::Handler && self.every_plan_needs_approval {
            Approver::Supervisor
        } else {
            tier
        }
    }

    /// Whether a plan with this compensation needs someone else's approval.
    pub fn needs_approval(&self, compensation_fen: u64) -> bool {
        self.approver_for(compensation_fen) != Approver::Handler
    }

    /// Tiers ascending, the last one open-ended; lists every problem found.
    pub fn check(&self, problems: &mut Vec<String>) {
        if self.tiers.is_empty() {
            problems.push("approval.tiers must name at least one tier".to_owned());
            return;
        }
        let last = self.tiers.len() - 1;
        let mut previous: Option<u64> = None;
        for (i, tier) in self.tiers.iter().enumerate() {
            match (tier.up_to_fen, i == last) {
                (None, false) => problems.push(format!(
                    "approval.tiers[{i}] has no up_to_fen but is not the last tier"
                )),
                (Some(_), true) => problems.push(
                    "the last of approval.tiers must have no up_to_fen (any amount)".to_owned(),
                ),
                _ => {}
            }
            if let Some(max) = tier.up_to_fen {
                if previous.is_some_and(|p| max <= p) {
                    problems.push(format!(
                        "approval.tiers[{i}].up_to_fen ({max}) must be greater than the tier before"
                    ));
                }
                previous = Some(max);
            }
        }
    }
}

/// Who is asking to approve, as far as authority goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Authority {
    /// Their role.
    pub role: Role,
    /// The position they hold, if any.
    pub position: Option<Position>,
    /// Whether they belong to the complaint's department (a department manager approves
    /// only for their own department).
    pub in_complaint_department: bool,
    /// Whether they proposed the plan or asked for its approval.
    pub own_plan: bool,
}

impl Authority {
    /// The highest tier this person may decide, `None`: no approval authority at all.
    fn rank(&self) -> Option<Approver> {
        let by_position = match self.position {
            Some(Position::GeneralManager) => Some(Approver::GeneralManager),
            Some(Position::DeputyGm) => Some(Approver::DeputyGm),
            Some(Position::DepartmentManager) if self.in_complaint_department => {
                Some(Approver::DepartmentManager)
            }
            Some(Position::DepartmentManager | Position::CsSupervisor) => {
                Some(Approver::Supervisor)
            }
            None => None,
        };
        let by_role = (self.role == Role::Supervisor).then_some(Approver::Supervisor);
        by_position.max(by_role)
    }
}

/// Why someone may not approve a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ApprovalRefusal {
    /// Nobody approves their own plan.
    OwnPlan,
    /// The amount is above this person's authority.
    AboveAuthority {
        /// Who must decide it.
        required: Approver,
        /// The plan's compensation.
        compensation_fen: u64,
    },
}

impl ApprovalRefusal {
    /// What to tell the person who tried.
    pub fn message(&self, lang: Lang) -> String {
        match (*self, lang) {
            (ApprovalRefusal::OwnPlan, Lang::Zh) => "不能审批自己提出或提交的方案".to_owned(),
            (ApprovalRefusal::OwnPlan, Lang::En) => {
                "You cannot approve a plan you proposed or submitted".to_owned()
            }
            (
                ApprovalRefusal::AboveAuthority {
                    required,
                    compensation_fen,
                },
                Lang::Zh,
            ) => format!(
                "补偿{}超出您的审批权限，须由{}审批",
                format_yuan(compensation_fen),
                required.label(lang)
            ),
            (
                ApprovalRefusal::AboveAuthority {
                    required,
                    compensation_fen,
                },
                Lang::En,
            ) => format!(
                "Compensation of {} is above your approval authority; the {} must decide it",
                format_yuan(compensation_fen),
                required.label(lang).to_lowercase()
            ),
        }
    }
}

/// Whether this person may approve (or deny) a plan with this compensation. Denying needs
/// the same authority as granting: the decision belongs to the tier.
pub fn may_decide(
    who: Authority,
    compensation_fen: u64,
    policy: &ApprovalPolicy,
) -> Result<(), ApprovalRefusal> {
    if who.own_plan {
        return Err(ApprovalRefusal::OwnPlan);
    }
    let required = policy.approver_for(compensation_fen);
    let refused = ApprovalRefusal::AboveAuthority {
        required,
        compensation_fen,
    };
    if required == Approver::Admin {
        return if who.role == Role::Admin {
            Ok(())
        } else {
            Err(refused)
        };
    }
    match who.rank() {
        Some(rank) if rank >= required => Ok(()),
        _ => Err(refused),
    }
}

/// Who decides a disputed 不成立 judgement: a supervisor (or a holder of a position) who did
/// not make the judgement.
pub fn may_decide_dispute(role: Role, position: Option<Position>, judged_it: bool) -> bool {
    !judged_it && (role == Role::Supervisor || position.is_some() && role.is_staff())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn who(role: Role, position: Option<Position>, same_department: bool) -> Authority {
        Authority {
            role,
            position,
            in_complaint_department: same_department,
            own_plan: false,
        }
    }

    #[test]
    fn the_default_tiers_follow_the_seeds() {
        let p = ApprovalPolicy::default();
        assert_eq!(p.approver_for(0), Approver::Handler);
        assert_eq!(p.approver_for(100_000), Approver::Handler);
        assert_eq!(p.approver_for(100_001), Approver::DepartmentManager);
        assert_eq!(p.approver_for(1_000_000), Approver::DepartmentManager);
        assert_eq!(p.approver_for(1_200_000), Approver::GeneralManager);
        assert!(!p.needs_approval(50_000));
        assert!(p.needs_approval(1_200_000));
        let mut problems = Vec::new();
        p.check(&mut problems);
        assert!(problems.is_empty(), "{problems:?}");
    }

    #[test]
    fn every_plan_can_be_made_to_need_approval() {
        let p = ApprovalPolicy {
            every_plan_needs_approval: true,
            ..ApprovalPolicy::default()
        };
        assert!(p.needs_approval(0));
        assert_eq!(p.approver_for(0), Approver::Supervisor);
        assert_eq!(p.approver_for(500_000), Approver::DepartmentManager);
    }

    #[test]
    fn a_plan_above_a_tier_goes_to_the_next_one_up() {
        let p = ApprovalPolicy::default();
        let manager = who(Role::Supervisor, Some(Position::DepartmentManager), true);
        let other_manager = who(Role::Supervisor, Some(Position::DepartmentManager), false);
        let gm = who(Role::Supervisor, Some(Position::GeneralManager), false);
        let supervisor = who(Role::Supervisor, None, true);
        assert_eq!(may_decide(manager, 500_000, &p), Ok(()));
        assert_eq!(
            may_decide(manager, 1_200_000, &p),
            Err(ApprovalRefusal::AboveAuthority {
                required: Approver::GeneralManager,
                compensation_fen: 1_200_000
            })
        );
        assert!(may_decide(other_manager, 500_000, &p).is_err());
        assert!(may_decide(supervisor, 500_000, &p).is_err());
        assert_eq!(may_decide(gm, 1_200_000, &p), Ok(()));
        assert_eq!(may_decide(gm, 500_000, &p), Ok(()));
    }

    #[test]
    fn the_admin_approves_only_where_a_tier_names_it_and_nobody_their_own_plan() {
        let p = ApprovalPolicy::default();
        let admin = who(Role::Admin, None, false);
        assert!(may_decide(admin, 500_000, &p).is_err());
        assert!(may_decide(admin, 1_200_000, &p).is_err());
        let it_decides = ApprovalPolicy {
            every_plan_needs_approval: false,
            tiers: vec![ApprovalTier {
                up_to_fen: None,
                approver: Approver::Admin,
            }],
        };
        assert_eq!(may_decide(admin, 1, &it_decides), Ok(()));
        let gm = who(Role::Supervisor, Some(Position::GeneralManager), false);
        assert!(may_decide(gm, 1, &it_decides).is_err());
        let own = Authority {
            own_plan: true,
            ..gm
        };
        assert_eq!(
            may_decide(own, 1_200_000, &p),
            Err(ApprovalRefusal::OwnPlan)
        );
        let msg = may_decide(admin, 1_200_000, &p)
            .unwrap_err()
            .message(Lang::Zh);
        assert_eq!(msg, "补偿¥12,000超出您的审批权限，须由总经理审批");
    }

    #[test]
    fn tiers_must_rise_and_end_open() {
        let bad = ApprovalPolicy {
            every_plan_needs_approval: false,
            tiers: vec![
                ApprovalTier {
                    up_to_fen: Some(1_000),
                    approver: Approver::Handler,
                },
                ApprovalTier {
                    up_to_fen: Some(500),
                    approver: Approver::DepartmentManager,
                },
            ],
        };
        let mut problems = Vec::new();
        bad.check(&mut problems);
        assert_eq!(problems.len(), 2, "{problems:?}");
    }

    #[test]
    fn a_dispute_is_decided_by_someone_else() {
        assert!(may_decide_dispute(Role::Supervisor, None, false));
        assert!(!may_decide_dispute(Role::Supervisor, None, true));
        assert!(!may_decide_dispute(Role::Agent, None, false));
        assert!(may_decide_dispute(
            Role::Handler,
            Some(Position::DepartmentManager),
            false
        ));
    }
}
