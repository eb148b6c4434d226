//! What some lifecycle steps must carry, checked on construction (rules.md "Lifecycle"):
//! a reasoned not-valid reply (2), a solution plan (5), a closing report (8).

use serde::{Deserialize, Serialize};

use crate::fields::{bounded_text, Field, FieldError};
use crate::lifecycle::needs_approval;
use crate::policy::ApprovalPolicy;

/// Longest free text accepted in a lifecycle payload, in characters.
pub const MAX_PAYLOAD_CHARS: usize = 2000;

/// The polite, reasoned reply to a complaint judged not valid (rules.md "Categories": "a
/// not-valid complaint still gets a polite, reasoned reply"): at least 10 characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct NotValidReply(String);

impl NotValidReply {
    /// Fewest characters that can carry a reason.
    pub const MIN_CHARS: usize = 10;

    /// The form field.
    pub const FIELD: Field = Field {
        name: "reply",
        zh: "不成立的理由说明",
        en: "reasoned reply",
    };

    /// Trims and checks the reply: 10 to 2000 characters.
    pub fn parse(reply: &str) -> Result<NotValidReply, FieldError> {
        bounded_text(Self::FIELD, reply, Self::MIN_CHARS, MAX_PAYLOAD_CHARS).map(NotValidReply)
    }

    /// The reply as the owner will read it.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for NotValidReply {
    type Error = FieldError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        NotValidReply::parse(&s)
    }
}

impl From<NotValidReply> for String {
    fn from(reply: NotValidReply) -> String {
        reply.0
    }
}

/// The report a complaint is closed with (rules.md "Lifecycle" 8, 001 第7篇 3.5): root cause and
/// corrective/preventive action (纠正和预防措施), both required.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RawReport")]
pub struct ClosingReport {
    root_cause: String,
    corrective_action: String,
}

#[derive(Deserialize)]
struct RawReport {
    root_cause: String,
    corrective_action: String,
}

impl TryFrom<RawReport> for ClosingReport {
    type Error = FieldError;
    fn try_from(raw: RawReport) -> Result<Self, Self::Error> {
        ClosingReport::parse(&raw.root_cause, &raw.corrective_action)
    }
}

impl ClosingReport {
    /// The root-cause field.
    pub const ROOT_CAUSE: Field = Field {
        name: "root_cause",
        zh: "根本原因",
        en: "root cause",
    };

    /// The corrective/preventive-action field.
    pub const CORRECTIVE_ACTION: Field = Field {
        name: "corrective_action",
        zh: "纠正和预防措施",
        en: "corrective and preventive action",
    };

    /// Trims and checks both fields: required, at most 2000 characters each.
    pub fn parse(root_cause: &str, corrective_action: &str) -> Result<ClosingReport, FieldError> {
        Ok(ClosingReport {
            root_cause: bounded_text(Self::ROOT_CAUSE, root_cause, 1, MAX_PAYLOAD_CHARS)?,
            corrective_action: bounded_text(
                Self::CORRECTIVE_ACTION,
                corrective_action,
                1,
                MAX_PAYLOAD_CHARS,
            )?,
        })
    }

    /// Why it happened.
    pub fn root_cause(&self) -> &str {
        &self.root_cause
    }

    /// What was done so that it does not happen again.
    pub fn corrective_action(&self) -> &str {
        &self.corrective_action
    }
}

/// A proposed solution (rules.md "Lifecycle" 5): the plan in words and any compensation, in fen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RawPlan")]
pub struct SolutionPlan {
    plan: String,
    compensation_fen: u64,
}

#[derive(Deserialize)]
struct RawPlan {
    plan: String,
    #[serde(default)]
    compensation_fen: u64,
}

impl TryFrom<RawPlan> for SolutionPlan {
    type Error = FieldError;
    fn try_from(raw: RawPlan) -> Result<Self, Self::Error> {
        SolutionPlan::parse(&raw.plan, raw.compensation_fen)
    }
}

impl SolutionPlan {
    /// The plan field.
    pub const FIELD: Field = Field {
        name: "plan",
        zh: "处理方案",
        en: "plan",
    };

    /// Trims and checks the plan: required, at most 2000 characters.
    pub fn parse(plan: &str, compensation_fen: u64) -> Result<SolutionPlan, FieldError> {
        let plan = bounded_text(Self::FIELD, plan, 1, MAX_PAYLOAD_CHARS)?;
        Ok(SolutionPlan {
            plan,
            compensation_fen,
        })
    }

    /// The plan in words.
    pub fn plan(&self) -> &str {
        &self.plan
    }

    /// Compensation offered, in fen (0: none).
    pub fn compensation_fen(&self) -> u64 {
        self.compensation_fen
    }

    /// True when someone other than its author must approve it before it is carried out.
    pub fn needs_approval(&self, policy: &ApprovalPolicy) -> bool {
        needs_approval(self.compensation_fen, policy)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Lang;

    #[test]
    fn a_not_valid_reply_must_give_a_reason() {
        let err = NotValidReply::parse("不成立").unwrap_err();
        assert_eq!(err.field(), "reply");
        assert_eq!(err.message(Lang::Zh), "不成立的理由说明至少需要10个字");
        assert!(NotValidReply::parse("经现场核查,渗水来自楼上住户自行改造的管道。").is_ok());
    }

    #[test]
    fn closing_needs_root_cause_and_corrective_action() {
        let err = ClosingReport::parse("防水层施工缺陷", " ").unwrap_err();
        assert_eq!(err.field(), "corrective_action");
        assert_eq!(
            ClosingReport::parse("", "x").unwrap_err().field(),
            "root_cause"
        );
        let report = ClosingReport::parse("防水层施工缺陷", "重做防水并排查同批次").unwrap();
        assert_eq!(report.root_cause(), "防水层施工缺陷");
    }

    #[test]
    fn payloads_are_checked_when_read_from_json() {
        assert!(serde_json::from_str::<NotValidReply>("\"短\"").is_err());
        let plan: SolutionPlan = serde_json::from_str(r#"{"plan":"更换门锁"}"#).unwrap();
        assert_eq!(plan.compensation_fen(), 0);
        assert!(serde_json::from_str::<SolutionPlan>(r#"{"plan":" "}"#).is_err());
        let long = "因".repeat(MAX_PAYLOAD_CHARS + 1);
        assert!(SolutionPlan::parse(&long, 0).is_err());
    }
}

/// The 四不放过 checks a closing confirms (001 第5篇): nothing is let go until each is met.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClosingCheck {
    /// 原因未查清不放过: the cause is found.
    CauseFound,
    /// 责任人员未处理不放过: those responsible were dealt with.
    ResponsibleDealtWith,
    /// 有关人员未受到教育不放过: the staff involved were educated.
    StaffEducated,
    /// 整改措施未落实不放过: the preventive measures are in place.
    PreventiveMeasures,
}

crate::vocab::vocabulary!(ClosingCheck {
    CauseFound => "cause_found", "原因已查清", "Cause found";
    ResponsibleDealtWith => "responsible_dealt_with", "责任人已处理", "Those responsible dealt with";
    StaffEducated => "staff_educated", "相关人员已受教育", "Staff involved educated";
    PreventiveMeasures => "preventive_measures", "整改措施已落实", "Preventive measures in place";
});

/// Who was responsible, recorded when a valid complaint is closed (查明…具体责任人, 001 第5篇):
/// the responsible department (required), the person if one is named, the 四不放过 checks met,
/// and whether the case should be written up for training (写成案例).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Responsibility {
    /// The responsible department.
    pub department_id: i64,
    /// The person responsible, as named by the closer ("" when nobody in particular).
    pub person: String,
    /// The checks confirmed, in the order of `ClosingCheck::ALL`.
    pub checks: Vec<ClosingCheck>,
    /// Worth a training case.
    pub training_case: bool,
}

impl Responsibility {
    /// The department field.
    pub const DEPARTMENT: Field = Field {
        name: "responsible_department_id",
        zh: "责任部门",
        en: "responsible department",
    };

    /// The person field.
    pub const PERSON: Field = Field {
        name: "responsible_person",
        zh: "责任人",
        en: "person responsible",
    };

    /// Reads the closing form: a department id, an optional name (≤ 50 characters), the
    /// check codes ticked (unknown codes refused) and the training-case box (`on`).
    pub fn parse(
        department_id: &str,
        person: &str,
        checks: &[String],
        training_case: &str,
    ) -> Result<Responsibility, FieldError> {
        let department_id = department_id
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|id| *id > 0)
            .ok_or_else(|| {
                FieldError::new(
                    Self::DEPARTMENT.name,
                    "请选择责任部门",
                    "Choose the responsible department",
                )
            })?;
        let person = if person.trim().is_empty() {
            String::new()
        } else {
            bounded_text(Self::PERSON, person, 1, 50)?
        };
        let mut ticked = Vec::new();
        for code in checks {
            let check = ClosingCheck::parse(code.trim()).ok_or_else(|| {
                FieldError::new("checks", "未知的检查项", "Unknown closing check")
            })?;
            if !ticked.contains(&check) {
                ticked.push(check);
            }
        }
        ticked.sort();
        Ok(Responsibility {
            department_id,
            person,
            checks: ticked,
            training_case: training_case.trim() == "on",
        })
    }

    /// Whether all four checks are met.
    pub fn all_checks_met(&self) -> bool {
        self.checks.len() == ClosingCheck::ALL.len()
    }
}

#[cfg(test)]
mod responsibility_tests {
    use super::*;
    use crate::lang::Lang;

    #[test]
    fn the_closing_form_is_read_into_a_responsibility() {
        let r = Responsibility::parse(
            "3",
            " 张师傅 ",
            &["staff_educated".to_owned(), "cause_found".to_owned()],
            "on",
        )
        .unwrap();
        assert_eq!(r.department_id, 3);
        assert_eq!(r.person, "张师傅");
        assert_eq!(
            r.checks,
            [ClosingCheck::CauseFound, ClosingCheck::StaffEducated]
        );
        assert!(r.training_case && !r.all_checks_met());
        let err = Responsibility::parse("", "", &[], "").unwrap_err();
        assert_eq!(err.field(), "responsible_department_id");
        assert_eq!(err.message(Lang::Zh), "请选择责任部门");
        assert!(Responsibility::parse("1", "", &["x".to_owned()], "").is_err());
    }
}
