//! Instant hints while an owner types: the likely category, computed in the browser.
//!
//! This first version is a keyword rule; the trained classifier replaces `suggest`'s
//! internals behind the same signature.

use serde::{Deserialize, Serialize};

use crate::text::content_chars;
use crate::vocab::Category;

/// What the form shows under the description.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CategoryHint {
    /// `None` means "not sure yet": too little or off-topic text.
    pub category: Option<Category>,
    /// 0..=1.
    pub confidence: f32,
    /// Runner-up guesses, most likely first.
    pub alternatives: Vec<(Category, f32)>,
}

const KEYWORDS: &[(Category, &[&str])] = &[
    (Category::EngineeringQuality, &["漏水", "渗水", "裂缝", "空鼓", "墙皮", "防水"]),
    (Category::RepairService, &["报修", "维修", "修好", "没人来修"]),
    (Category::PropertyManagement, &["物业费", "保洁", "停车", "保安", "垃圾", "噪音", "宠物"]),
    (Category::SalesManagement, &["交房", "房产证", "合同", "销售", "退房"]),
    (Category::PlanningDesign, &["规划", "绿地", "户型", "容积率"]),
    (Category::ServiceConduct, &["态度", "骂", "打人", "不理"]),
    (Category::LeasingCommercial, &["租金", "商铺", "押金", "招商", "租约"]),
    (Category::ExternalEnvironment, &["工地", "施工", "自来水公司", "地铁", "马路"]),
];

/// Suggests a category for a description; "not sure yet" below a few characters.
pub fn suggest(text: &str) -> CategoryHint {
    let chars = content_chars(text);
    let folded: String = chars.iter().collect();
    let mut scores: Vec<(Category, f32)> = KEYWORDS
        .iter()
        .map(|(c, words)| (*c, words.iter().filter(|w| folded.contains(**w)).count() as f32))
        .filter(|(_, s)| *s > 0.0)
        .collect();
    scores.sort_by(|a, b| b.1.total_cmp(&a.1));
    let total: f32 = scores.iter().map(|(_, s)| s).sum();
    if chars.len() < 4 || total == 0.0 {
        return CategoryHint { category: None, confidence: 0.0, alternatives: Vec::new() };
    }
    let mut ranked = scores.into_iter().map(|(c, s)| (c, s / total));
    let (best, confidence) = ranked.next().unwrap_or((Category::PropertyManagement, 0.0));
    CategoryHint { category: Some(best), confidence, alternatives: ranked.collect() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_leak_suggests_engineering_quality() {
        assert_eq!(suggest("卫生间天花板漏水好几天了").category, Some(Category::EngineeringQuality));
    }

    #[test]
    fn too_little_text_is_not_sure_yet() {
        assert_eq!(suggest("你好").category, None);
    }
}
