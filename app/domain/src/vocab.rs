//! The words of the domain (`docs/rules.md`): who acts, what a complaint is about,
//! how severe it is, and where it stands. Wire names are snake_case.

use serde::{Deserialize, Serialize};

use crate::lang::Lang;

/// Implements `code`/`parse`/`label`/`ALL` for a fieldless enum from one table,
/// so a wire code and its labels are written exactly once.
macro_rules! vocabulary {
    ($ty:ident { $($variant:ident => $code:literal, $zh:literal, $en:literal;)+ }) => {
        impl $ty {
            /// Every value, in the order the spec lists them.
            pub const ALL: &'static [$ty] = &[$($ty::$variant),+];

            /// The snake_case code used in JSON, URLs and the database.
            pub fn code(self) -> &'static str {
                match self { $($ty::$variant => $code),+ }
            }

            /// Reads a wire code; unknown codes are `None`.
            pub fn parse(code: &str) -> Option<$ty> {
                match code { $($code => Some($ty::$variant),)+ _ => None }
            }

            /// The name shown to people.
            pub fn label(self, lang: $crate::lang::Lang) -> &'static str {
                match (self, lang) {
                    $(($ty::$variant, $crate::lang::Lang::Zh) => $zh, ($ty::$variant, $crate::lang::Lang::En) => $en,)+
                }
            }
        }

        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }

        impl std::str::FromStr for $ty {
            type Err = $crate::vocab::UnknownCode;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $ty::parse(s).ok_or_else(|| $crate::vocab::UnknownCode { kind: stringify!($ty), code: s.to_owned() })
            }
        }
    };
}

// Other modules (grading rules, lifecycle actions, SLA clocks) use the same table form.
pub(crate) use vocabulary;

/// A code that names no value of the vocabulary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownCode {
    /// The vocabulary, e.g. `Category`.
    pub kind: &'static str,
    /// The code that was read.
    pub code: String,
}

impl std::fmt::Display for UnknownCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "unknown {} code `{}`", self.kind, self.code)
    }
}

impl std::error::Error for UnknownCode {}

/// Who acts (rules.md "Actors").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 业主 / 商户: files, tracks, answers revisits.
    Owner,
    /// 客服 (受理人): receives, judges validity, assigns, replies; 首问负责制.
    Agent,
    /// 责任部门处理人: one named handler who investigates and fixes.
    Handler,
    /// 主管 / 经理: approvals, escalations, reports.
    Supervisor,
    /// 管理员: users, departments, policy, FAQ.
    Admin,
}

vocabulary!(Role {
    Owner => "owner", "业主", "Owner";
    Agent => "agent", "客服", "Agent";
    Handler => "handler", "处理人", "Handler";
    Supervisor => "supervisor", "主管", "Supervisor";
    Admin => "admin", "管理员", "Administrator";
});

impl Role {
    /// Staff work the queue; owners only see their own complaints.
    pub fn is_staff(self) -> bool {
        !matches!(self, Role::Owner)
    }
}

/// What a complaint is about, by object (rules.md "Categories", 000 §3.2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// 工程质量: construction defects (leaks, cracks, doors, windows, pipes).
    EngineeringQuality,
    /// 规划设计: layout and design, plan changes after sale.
    PlanningDesign,
    /// 销售管理: sales promises, handover, certificates, contracts.
    SalesManagement,
    /// 物业管理: ongoing property services and in-community nuisances.
    PropertyManagement,
    /// 服务行为: a person's behaviour.
    ServiceConduct,
    /// 维修服务: quality and timeliness of repairs.
    RepairService,
    /// 物业招商与租赁: commercial leasing and tenant recruitment.
    LeasingCommercial,
    /// 外部环境: causes outside the company.
    ExternalEnvironment,
}

vocabulary!(Category {
    EngineeringQuality => "engineering_quality", "工程质量", "Engineering quality";
    PlanningDesign => "planning_design", "规划设计", "Planning & design";
    SalesManagement => "sales_management", "销售管理", "Sales management";
    PropertyManagement => "property_management", "物业管理", "Property management";
    ServiceConduct => "service_conduct", "服务行为", "Service conduct";
    RepairService => "repair_service", "维修服务", "Repair service";
    LeasingCommercial => "leasing_commercial", "物业招商与租赁", "Leasing & commercial";
    ExternalEnvironment => "external_environment", "外部环境", "External environment";
});

/// Severity (rules.md "Severity"): level 1 is the most severe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub enum Level {
    /// 一级 / 重大.
    One = 1,
    /// 二级.
    Two = 2,
    /// 三级.
    Three = 3,
    /// 四级: every other routine complaint.
    Four = 4,
}

impl Level {
    /// From most to least severe.
    pub const ALL: &'static [Level] = &[Level::One, Level::Two, Level::Three, Level::Four];

    /// 1..=4.
    pub fn number(self) -> u8 {
        self as u8
    }

    /// Reads 1..=4.
    pub fn from_number(n: u8) -> Option<Level> {
        match n {
            1 => Some(Level::One),
            2 => Some(Level::Two),
            3 => Some(Level::Three),
            4 => Some(Level::Four),
            _ => None,
        }
    }

    /// True when `self` is more severe than `other`.
    pub fn is_more_severe_than(self, other: Level) -> bool {
        self.number() < other.number()
    }

    /// The more severe of the two: automatic re-grading only ever raises.
    pub fn most_severe(self, other: Level) -> Level {
        if other.is_more_severe_than(self) {
            other
        } else {
            self
        }
    }

    /// 一级 … 四级 / Level 1 … Level 4.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Level::One, Lang::Zh) => "一级（重大）",
            (Level::Two, Lang::Zh) => "二级",
            (Level::Three, Lang::Zh) => "三级",
            (Level::Four, Lang::Zh) => "四级",
            (Level::One, Lang::En) => "Level 1 (major)",
            (Level::Two, Lang::En) => "Level 2",
            (Level::Three, Lang::En) => "Level 3",
            (Level::Four, Lang::En) => "Level 4",
        }
    }
}

impl TryFrom<u8> for Level {
    type Error = String;
    fn try_from(n: u8) -> Result<Self, Self::Error> {
        Level::from_number(n).ok_or_else(|| format!("level must be 1..4, got {n}"))
    }
}

impl From<Level> for u8 {
    fn from(level: Level) -> u8 {
        level.number()
    }
}

/// Risk flags an owner or agent sets at intake (rules.md "Severity"). What happened and the
/// threat of it are different flags: media involved is `Media` (level 1), a threat to go to the
/// media or to protest is `MediaThreat` (level 2, "可能引发…被媒体曝光"), as a suit filed is
/// `Litigation` and the threat of one `Lawyer` (app/domain/docs/grading.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RiskFlag {
    /// The press or online media are involved: contacted, came, reported, posted, trending.
    Media,
    /// A protest took place: banners, a gathering, blocking a door.
    Protest,
    /// A suit has been filed.
    Litigation,
    /// Threatens litigation / has a lawyer.
    Lawyer,
    /// Threatens media exposure or a protest (维权) that has not happened.
    MediaThreat,
    /// 12345 hotline, regulator or a government office.
    Government,
}

vocabulary!(RiskFlag {
    Media => "media", "已联系媒体/网络曝光", "Media contacted";
    Protest => "protest", "聚集/拉横幅等抗议", "Protest";
    Litigation => "litigation", "已提起诉讼", "Lawsuit filed";
    Lawyer => "lawyer", "威胁起诉/已请律师", "Threatens legal action";
    MediaThreat => "media_threat", "扬言曝光/维权", "Threatens media exposure or protest";
    Government => "government", "已投诉至12345/政府部门", "Government / 12345 hotline";
});

/// How much the problem affects use of the home (rules.md "Severity").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Impact {
    /// Home or a key function unusable.
    Severe,
    /// Impaired but usable.
    Impaired,
    /// Appearance or slight inconvenience.
    Cosmetic,
    /// No effect on use stated.
    #[default]
    None,
}

vocabulary!(Impact {
    Severe => "severe", "严重影响生活（无法正常使用）", "Severe: unusable";
    Impaired => "impaired", "影响使用但仍可用", "Impaired but usable";
    Cosmetic => "cosmetic", "仅影响外观或轻微不便", "Cosmetic / slight inconvenience";
    None => "none", "不影响使用", "No effect on use";
});

/// How the complaint reached us (rules.md "Lifecycle" 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// 网上自助: the portal.
    #[default]
    Web,
    /// 电话.
    Phone,
    /// 来访: in person.
    Visit,
    /// 来函: a letter.
    Letter,
    /// 12345/政府转办: a transfer from the government hotline, with its reference and due date.
    Hotline,
    /// 微信.
    WeChat,
    /// 邮件.
    Email,
}

vocabulary!(Channel {
    Web => "web", "网上自助", "Web";
    Phone => "phone", "电话", "Phone";
    Visit => "visit", "来访", "Desk visit";
    Letter => "letter", "来函", "Letter";
    Hotline => "hotline", "12345/政府转办", "12345 hotline / government transfer";
    WeChat => "wechat", "微信", "WeChat";
    Email => "email", "邮件", "Email";
});

/// Where a complaint stands in its lifecycle (rules.md "Lifecycle").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// 已受理: recorded, validity not yet judged.
    Filed,
    /// 不成立: judged not valid, with a reasoned public reply; the owner may answer.
    NotValid,
    /// 申诉复核中: the owner disputed the judgement; another supervisor decides it again.
    Disputed,
    /// 已成立: valid, waiting for a department and handler.
    Accepted,
    /// 已分派: one named handler in a department owns it.
    Assigned,
    /// 调查中.
    Investigating,
    /// 方案已提出.
    SolutionProposed,
    /// 待审批: compensation or beyond the agent's authority.
    AwaitingApproval,
    /// 已批准: the supervisor approved the solution.
    Approved,
    /// 已解决: carried out, owner told; waiting for the revisit.
    Resolved,
    /// 已回访: the owner was satisfied; waiting to be closed.
    Revisited,
    /// 已结案: root cause and corrective/preventive action recorded.
    Closed,
    /// 已重开: unsatisfied revisit (or new facts); handled again by the same handler.
    Reopened,
}

vocabulary!(Status {
    Filed => "filed", "已受理", "Filed";
    NotValid => "not_valid", "投诉不成立", "Not valid";
    Disputed => "disputed", "申诉复核中", "Disputed";
    Accepted => "accepted", "投诉成立", "Accepted";
    Assigned => "assigned", "已分派", "Assigned";
    Investigating => "investigating", "调查处理中", "Investigating";
    SolutionProposed => "solution_proposed", "方案已提出", "Solution proposed";
    AwaitingApproval => "awaiting_approval", "待审批", "Awaiting approval";
    Approved => "approved", "方案已批准", "Approved";
    Resolved => "resolved", "已解决，待回访", "Resolved";
    Revisited => "revisited", "已回访", "Revisited";
    Closed => "closed", "已结案", "Closed";
    Reopened => "reopened", "已重新处理", "Reopened";
});

impl Status {
    /// Open complaints run SLA clocks and can be escalated.
    pub fn is_open(self) -> bool {
        !matches!(
            self,
            Status::Resolved | Status::Revisited | Status::Closed | Status::NotValid
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_reads_back_to_its_value() {
        for c in Category::ALL {
            assert_eq!(Category::parse(c.code()), Some(*c));
            assert_eq!(
                serde_json::to_string(c).unwrap(),
                format!("\"{}\"", c.code())
            );
        }
        for s in Status::ALL {
            assert_eq!(s.code().parse::<Status>().unwrap(), *s);
        }
        assert_eq!(Category::ALL.len(), 8);
    }

    #[test]
    fn levels_serialise_as_numbers_and_reject_others() {
        assert_eq!(serde_json::to_string(&Level::Two).unwrap(), "2");
        assert!(serde_json::from_str::<Level>("5").is_err());
        assert_eq!(Level::Three.most_severe(Level::One), Level::One);
        assert_eq!(Level::One.most_severe(Level::Four), Level::One);
    }
}
