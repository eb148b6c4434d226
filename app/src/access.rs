//! Who may do what: the portal's access rules in one place.
//!
//! Every server function, route, live stream, evidence download and store method that
//! decides on rights asks [`may`] (the server functions through `ssr::require`). The
//! browser asks the same to decide which links to show; the server always checks again.
//! The rules (written out in `ARCHITECTURE.md`, "Access"):
//!
//! | what | owner (account or proven code + phone) | agent | handler | supervisor | admin |
//! | --- | --- | --- | --- | --- | --- |
//! | the staff queue and notices | – | ✓ | ✓ | ✓ | ✓ |
//! | record a complaint received by phone, visit, letter, 12345… | – | ✓ | – | ✓ | ✓ |
//! | correct a complaint's record, hand it to another handler | – | ✓ | – | ✓ | ✓ |
//! | household files (业主档案) | – | ✓ | through own department's complaints | ✓ | ✓ |
//! | an owner's phone in full in a household file | – | ✓ | – (masked) | ✓ | ✓ |
//! | a complaint's staff view, its stream, its files | – | ✓ | own department | ✓ | ✓ |
//! | steps on a complaint (the workflow decides which) | – | ✓ | assigned to them (notes: own department) | ✓ | ✓ |
//! | the owner's view, stream, messages, uploads, in-app survey, answering a 不成立 judgement | their own | – | – | – | – |
//! | the owner's files | their own | ✓ | own department | ✓ | ✓ |
//! | an owner account's complaints, claiming one | with an account | – | – | – | – |
//! | changing one's own password | ✓ (account) | ✓ | ✓ | ✓ | ✓ |
//! | write the knowledge base | – | ✓ | – | – | ✓ |
//! | reports | – | – | – | ✓ | ✓ |
//! | users, policy, calendar, estate | – | – | – | – | ✓ |
//!
//! Staff never act as the owner: they answer through replies, and a revisit they make is
//! recorded as theirs, so no one rates their own work in the owner's name.

use domain::Role;

use crate::model::Actor;

/// Who a complaint belongs to, as far as rights go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Scope {
    pub department_id: Option<i64>,
    pub handler_id: Option<i64>,
}

/// What someone asks to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Doing {
    /// The queue, notices, revisits due, canned replies: staff pages.
    WorkQueue,
    /// Recording a complaint that reached the front desk (a call, a visit, a letter, a
    /// government transfer, WeChat, email) in the owner's name.
    RecordComplaint,
    /// Correcting a complaint's record (category, unit, stated facts) and handing it to
    /// another department or handler: the desk and supervisors.
    CorrectRecord,
    /// Searching household files and opening one (handlers: only through a complaint
    /// of their department, and only those complaints are listed).
    SeeHouseholds,
    /// An owner's phone in full in a household file (handlers see it masked; they reach
    /// owners through their complaints).
    SeeOwnerPhone,
    /// A complaint's staff view and live stream.
    SeeComplaint(Scope),
    /// A step that changes a complaint (the workflow decides which step when).
    ActOn(Scope),
    /// An internal note: the whole department may add one.
    Note(Scope),
    /// The owner's tracking view, its stream, messages, uploads and the in-app survey.
    /// `proven`: this visitor proved code + phone in this session or owns the complaint
    /// through their account.
    FollowAsOwner {
        proven: bool,
    },
    /// One evidence file of a complaint.
    ReadEvidence {
        scope: Scope,
        proven: bool,
    },
    /// An owner account's list of complaints, and claiming one filed earlier.
    OwnAccount,
    /// Changing one's own password (every signed-in person).
    ChangeOwnPassword,
    AuthorFaq,
    ReadReports,
    /// Reviewing revisit records (客户回访报告表) with guidance for the agent: the
    /// customer-service supervisors.
    ReviewRevisits,
    /// Users, departments, policy, the calendar, the estate.
    Administer,
}

/// Whether `actor` (`None`: an anonymous visitor) may do `doing`.
pub fn may(actor: Option<&Actor>, doing: Doing) -> bool {
    let role = actor.map(|a| a.role);
    let staff = role.is_some_and(Role::is_staff);
    let in_department = |scope: Scope| match actor {
        Some(a) if a.role == Role::Handler => {
            a.department_id.is_some() && scope.department_id == a.department_id
        }
        Some(a) => a.role.is_staff(),
        None => false,
    };
    match doing {
        Doing::WorkQueue => staff,
        Doing::SeeHouseholds => staff,
        Doing::RecordComplaint | Doing::CorrectRecord | Doing::SeeOwnerPhone => {
            matches!(role, Some(Role::Agent | Role::Supervisor | Role::Admin))
        }
        Doing::SeeComplaint(scope) | Doing::Note(scope) => in_department(scope),
        Doing::ActOn(scope) => match actor {
            Some(a) if a.role == Role::Handler => scope.handler_id == Some(a.user_id),
            _ => staff,
        },
        Doing::FollowAsOwner { proven } => proven && !staff,
        Doing::ReadEvidence { scope, proven } => {
            if staff {
                in_department(scope)
            } else {
                proven
            }
        }
        Doing::OwnAccount => role == Some(Role::Owner),
        Doing::ChangeOwnPassword => role.is_some(),
        Doing::AuthorFaq => matches!(role, Some(Role::Agent | Role::Admin)),
        Doing::ReadReports => matches!(role, Some(Role::Supervisor | Role::Admin)),
        Doing::ReviewRevisits => role == Some(Role::Supervisor),
        Doing::Administer => role == Some(Role::Admin),
    }
}

/// A role-only door (no complaint involved) for a signed-in actor.
pub fn may_role(role: Role, doing: Doing) -> bool {
    let actor = Actor {
        user_id: 0,
        role,
        display_name: String::new(),
        department_id: None,
    };
    may(Some(&actor), doing)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(role: Role, user_id: i64, department_id: Option<i64>) -> Actor {
        Actor {
            user_id,
            role,
            display_name: String::new(),
            department_id,
        }
    }

    /// The table in the module's documentation, row by row, for every kind of visitor.
    #[test]
    fn the_matrix_holds_for_every_visitor_and_door() {
        let repair = Scope {
            department_id: Some(1),
            handler_id: Some(20),
        };
        let owner = actor(Role::Owner, 10, None);
        let agent = actor(Role::Agent, 11, None);
        let assigned = actor(Role::Handler, 20, Some(1));
        let colleague = actor(Role::Handler, 21, Some(1));
        let other_department = actor(Role::Handler, 30, Some(2));
        let no_department = actor(Role::Handler, 31, None);
        let supervisor = actor(Role::Supervisor, 40, None);
        let admin = actor(Role::Admin, 50, None);
        let visitors: [(&str, Option<&Actor>); 9] = [
            ("anonymous", None),
            ("owner", Some(&owner)),
            ("agent", Some(&agent)),
            ("assigned handler", Some(&assigned)),
            ("colleague", Some(&colleague)),
            ("other department", Some(&other_department)),
            ("no department", Some(&no_department)),
            ("supervisor", Some(&supervisor)),
            ("admin", Some(&admin)),
        ];
        #[rustfmt::skip]
        let rows: [(&str, Doing, [bool; 9]); 18] = [
            //                                                   anon   owner  agent  assig  coll   other  nodep  super  admin
            ("queue", Doing::WorkQueue,                          [false, false, true,  true,  true,  true,  true,  true,  true]),
            ("record", Doing::RecordComplaint,                   [false, false, true,  false, false, false, false, true,  true]),
            ("correct", Doing::CorrectRecord,                    [false, false, true,  false, false, false, false, true,  true]),
            ("households", Doing::SeeHouseholds,                 [false, false, true,  true,  true,  true,  true,  true,  true]),
            ("owner phone", Doing::SeeOwnerPhone,                [false, false, true,  false, false, false, false, true,  true]),
            ("staff view", Doing::SeeComplaint(repair),          [false, false, true,  true,  true,  false, false, true,  true]),
            ("step", Doing::ActOn(repair),                       [false, false, true,  true,  false, false, false, true,  true]),
            ("note", Doing::Note(repair),                        [false, false, true,  true,  true,  false, false, true,  true]),
            ("owner view, proven", Doing::FollowAsOwner { proven: true },
                                                                 [true,  true,  false, false, false, false, false, false, false]),
            ("owner view, unproven", Doing::FollowAsOwner { proven: false },
                                                                 [false, false, false, false, false, false, false, false, false]),
            ("file, proven", Doing::ReadEvidence { scope: repair, proven: true },
                                                                 [true,  true,  true,  true,  true,  false, false, true,  true]),
            ("file, unproven", Doing::ReadEvidence { scope: repair, proven: false },
                                                                 [false, false, true,  true,  true,  false, false, true,  true]),
            ("own account", Doing::OwnAccount,                   [false, true,  false, false, false, false, false, false, false]),
            ("own password", Doing::ChangeOwnPassword,           [false, true,  true,  true,  true,  true,  true,  true,  true]),
            ("write FAQ", Doing::AuthorFaq,                      [false, false, true,  false, false, false, false, false, true]),
            ("reports", Doing::ReadReports,                      [false, false, false, false, false, false, false, true,  true]),
            ("review revisits", Doing::ReviewRevisits,           [false, false, false, false, false, false, false, true,  false]),
            ("administer", Doing::Administer,                    [false, false, false, false, false, false, false, false, true]),
        ];
        for (name, doing, expected) in rows {
            for ((who, visitor), expected) in visitors.iter().zip(expected) {
                assert_eq!(may(*visitor, doing), expected, "{who} / {name}");
            }
        }
    }

    #[test]
    fn an_unassigned_complaint_is_acted_on_by_the_desk_not_by_handlers() {
        let unassigned = Scope::default();
        let handler = actor(Role::Handler, 20, Some(1));
        assert!(!may(Some(&handler), Doing::ActOn(unassigned)));
        assert!(!may(Some(&handler), Doing::SeeComplaint(unassigned)));
        assert!(may(
            Some(&actor(Role::Agent, 1, None)),
            Doing::ActOn(unassigned)
        ));
    }
}
