//! The rules of the grading table (rules.md "Severity", "Made precise for the grading
//! function"): one variant per row, each explaining itself in both languages.

use serde::{Deserialize, Serialize};

use crate::lang::Text;
use crate::money::format_yuan;
use crate::vocab::{vocabulary, Level};

/// A rule that set the level: one per row of the spec's precise table, plus `KeptLevel`
/// (kept by an earlier re-grade; stored reasons may carry it) and `Manual` (set by hand, with
/// a reason).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// Flag `media`: the press or online media are involved (not only threatened).
    MediaExposure,
    /// Flag `protest`: a protest took place.
    Protest,
    /// Flag `litigation`: a suit has been filed.
    Litigation,
    /// Flag `lawyer`: threatens litigation.
    LawyerThreat,
    /// Flag `media_threat`: threatens media exposure or a protest that has not happened.
    ExposureThreat,
    /// Flag `government`: 12345 hotline, regulator, government office.
    Government,
    /// Impact `severe`: home or a key function unusable.
    ImpactSevere,
    /// Impact `impaired`: impaired but usable.
    ImpactImpaired,
    /// Impact `cosmetic`: appearance, slight inconvenience.
    ImpactCosmetic,
    /// ≥ 10 people jointly complaining.
    GroupOfTen,
    /// 3–9 people jointly complaining.
    GroupOfThree,
    /// 2 people jointly complaining.
    GroupOfTwo,
    /// Amount ≥ ¥10,000.
    AmountMajor,
    /// Any amount > ¥0.
    AmountAny,
    /// ≥ 10 distinct complainants of the same issue within 30 days.
    SameIssueTen,
    /// ≥ 3 distinct complainants of the same issue within 30 days.
    SameIssueThree,
    /// Unresolved ≥ 30 days for reasons on our side.
    Unresolved30Days,
    /// Unresolved ≥ 15 days for reasons on our side.
    Unresolved15Days,
    /// A second complaint after the first was handled.
    Repeat,
    /// None of the above: a routine complaint.
    Routine,
    /// Automatic re-grading kept the earlier, more severe level. No longer produced (escalation
    /// returns only raises); reasons stored before still read back.
    KeptLevel,
    /// Set by a staff member, with a reason for the audit trail.
    Manual,
}

vocabulary!(Rule {
    MediaExposure => "media_exposure", "媒体曝光", "Media exposure";
    Protest => "protest", "抗议", "Protest";
    Litigation => "litigation", "已起诉", "Lawsuit filed";
    LawyerThreat => "lawyer_threat", "威胁起诉", "Threatens legal action";
    ExposureThreat => "exposure_threat", "扬言曝光/维权", "Threatens exposure or protest";
    Government => "government", "政府/12345投诉", "Government / 12345";
    ImpactSevere => "impact_severe", "严重影响生活", "Severe impact";
    ImpactImpaired => "impact_impaired", "影响使用", "Impaired use";
    ImpactCosmetic => "impact_cosmetic", "轻微影响", "Cosmetic";
    GroupOfTen => "group_of_ten", "大规模集体投诉", "Large group complaint";
    GroupOfThree => "group_of_three", "集体投诉", "Group complaint";
    GroupOfTwo => "group_of_two", "多人投诉", "Joint complaint";
    AmountMajor => "amount_major", "重大金额", "Major amount";
    AmountAny => "amount_any", "涉及赔偿", "Compensation";
    SameIssueTen => "same_issue_ten", "大量业主同诉", "Many owners, same issue";
    SameIssueThree => "same_issue_three", "多位业主同诉", "Several owners, same issue";
    Unresolved30Days => "unresolved_30_days", "超一个月未解决", "Unresolved a month";
    Unresolved15Days => "unresolved_15_days", "超15天未解决", "Unresolved 15 days";
    Repeat => "repeat", "重复投诉", "Repeat complaint";
    Routine => "routine", "一般投诉", "Routine";
    KeptLevel => "kept_level", "维持原级别", "Level kept";
    Manual => "manual", "人工定级", "Set by staff";
});

/// Why a complaint has its level: the rule, the level it forces, and the fact in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reason {
    /// Which rule fired.
    pub rule: Rule,
    /// The level it forces.
    pub level: Level,
    /// The fact, e.g. "10人及以上集体投诉(12人)" / "Group complaint of 10 or more people (12)".
    pub message: Text,
}

impl Reason {
    /// A reason whose message needs no numbers (flags, impact, repeat, routine).
    pub(crate) fn plain(rule: Rule, level: Level) -> Reason {
        let message = match rule {
            Rule::MediaExposure => Text::new(
                "媒体已介入或已在网上曝光",
                "The media are involved or it was exposed online",
            ),
            Rule::Protest => Text::new(
                "业主已聚集、拉横幅等抗议",
                "Owners have protested (gathering, banners)",
            ),
            Rule::Litigation => Text::new("业主已提起诉讼", "A lawsuit has been filed"),
            Rule::LawyerThreat => Text::new(
                "业主扬言起诉或已请律师",
                "The owner threatens legal action or has a lawyer",
            ),
            Rule::ExposureThreat => Text::new(
                "业主扬言找媒体曝光或维权（尚未发生）",
                "The owner threatens media exposure or a protest (not yet happened)",
            ),
            Rule::Government => Text::new(
                "已投诉至12345热线或政府部门",
                "Complained to the 12345 hotline or a government office",
            ),
            Rule::ImpactSevere => Text::new(
                "质量问题严重影响业主生活（房屋或关键功能无法使用）",
                "Seriously disrupts the owner's life (the home or a key function is unusable)",
            ),
            Rule::ImpactImpaired => Text::new(
                "影响正常使用，但仍能使用",
                "Impairs use of the home, though it still works",
            ),
            Rule::ImpactCosmetic => Text::new(
                "不影响使用，仅影响外观或轻微不便",
                "Does not affect use: only appearance or a slight inconvenience",
            ),
            Rule::Repeat => Text::new(
                "处理完毕后再次投诉（重复投诉）",
                "Complained again after it was handled (repeat)",
            ),
            _ => Text::new("一般日常投诉", "Routine complaint"),
        };
        Reason {
            rule,
            level,
            message,
        }
    }

    /// A tiered rule: `threshold` is the configured minimum, `actual` the fact.
    pub(crate) fn tiered(rule: Rule, level: Level, threshold: u64, actual: u64) -> Reason {
        let (t, n) = (threshold, actual);
        let message = match rule {
            Rule::GroupOfTen | Rule::GroupOfThree => Text::new(
                format!("{t}人及以上集体投诉（{n}人）"),
                format!("Group complaint of {t} or more people ({n})"),
            ),
            Rule::GroupOfTwo => Text::new(
                format!("{n}人共同投诉"),
                format!("{n} people complaining together"),
            ),
            Rule::AmountMajor => {
                let (t, n) = (format_yuan(t), format_yuan(n));
                Text::new(
                    format!("维修或赔偿金额{n}，达到{t}"),
                    format!("Repair or compensation of {n}, at or above {t}"),
                )
            }
            Rule::AmountAny => Text::new(
                format!("涉及维修或赔偿金额{}", format_yuan(n)),
                format!("Repair or compensation of {} involved", format_yuan(n)),
            ),
            Rule::SameIssueTen | Rule::SameIssueThree => Text::new(
                format!("同一问题已有{n}位不同业主投诉（达到{t}位）"),
                format!("{n} different complainants raised the same issue ({t} or more)"),
            ),
            _ => Text::new(
                format!("因我方原因已{n}天未解决（达到{t}天）"),
                format!("Unresolved for {n} days for reasons on our side ({t} or more)"),
            ),
        };
        Reason {
            rule,
            level,
            message,
        }
    }

    /// A level set by hand, with the staff member's reason.
    pub(crate) fn manual(level: Level, reason: &str) -> Reason {
        Reason {
            rule: Rule::Manual,
            level,
            message: Text::new(
                format!("人工定级：{reason}"),
                format!("Set by staff: {reason}"),
            ),
        }
    }
}
