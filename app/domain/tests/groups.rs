//! rules.md "Group and repeat complaints": the same issue is the same community, the same
//! category and similar text; distinct complainants within 30 days raise the level; the same
//! owner coming back after handling is a repeat.

use chrono::{DateTime, Duration, TimeZone, Utc};
use domain::{find_same_issue, similarity, Category, GroupPolicy, Level, RecentComplaint};
use proptest::prelude::*;

/// Pairs owners actually write about one issue (the default `min_similarity` is chosen on
/// these and the pairs below; each clears it by a margin).
const SAME_ISSUE: &[(&str, &str)] = &[
    ("3栋电梯又坏了,困了人", "三号楼电梯故障,今天被困"),
    (
        "5号楼电梯经常停运,老人上下楼很不方便",
        "五栋的电梯又坏了,已经三天没修",
    ),
    (
        "小区门禁坏了,陌生人随便进出",
        "门禁系统失灵好几天,外来人员随意进入",
    ),
    (
        "2单元楼道灯坏了一个月没人修",
        "二单元的楼道灯一直不亮,报修了没人来",
    ),
    (
        "小区垃圾没人清理,臭味很大",
        "垃圾桶好几天没人清理了,臭得不行",
    ),
    (
        "楼上卫生间漏水,我家天花板渗水发霉",
        "天花板渗水,应该是楼上卫生间防水没做好",
    ),
    ("停水了也没有提前通知", "今天突然停水,物业没有通知"),
    ("小区里有人遛狗不牵绳,吓到孩子", "遛狗不拴绳,狗追着小孩跑"),
    ("消防通道被私家车堵了", "有车长期占用消防通道"),
    ("外墙瓷砖脱落,差点砸到人", "外墙砖掉下来了,很危险"),
    (
        "地下车库入口积水严重,车开不进去",
        "车库门口一下雨就积水,车没法进出",
    ),
    (
        "晚上十点以后隔壁工地还在施工,噪音太大",
        "工地夜间施工噪声扰民,晚上睡不着",
    ),
    (
        "停车费太贵了,比周边小区高一倍",
        "小区停车收费太高,周边小区便宜很多",
    ),
    (
        "房产证办了两年还没下来",
        "不动产证一直办不下来,开发商没有说法",
    ),
    (
        "物业费涨价没有开业主大会",
        "物业费突然上涨,没有经过业主同意",
    ),
];

/// Pairs about different issues that a grouping must keep apart.
const DIFFERENT: &[(&str, &str)] = &[
    (
        "楼上卫生间漏水,我家天花板渗水发霉",
        "停车费太贵了,比周边小区高一倍",
    ),
    ("3栋电梯又坏了,困了人", "电梯里的广告屏声音太吵"),
    ("小区垃圾没人清理,臭味很大", "保安态度很差,不让快递进小区"),
    ("物业费涨价没有开业主大会", "小区绿化带被改成停车位了"),
    (
        "楼上卫生间漏水,我家天花板渗水发霉",
        "窗户密封条老化,下雨窗边渗水",
    ),
    ("停水了也没有提前通知", "晚上停电,电梯停运"),
    (
        "地下车库入口积水严重,车开不进去",
        "地下车库灯坏了很多,太暗了",
    ),
    (
        "小区门禁坏了,陌生人随便进出",
        "宠物狗在小区随地大小便没人管",
    ),
    ("外墙瓷砖脱落,差点砸到人", "外墙渗水,卧室墙面发霉"),
    (
        "晚上十点以后隔壁工地还在施工,噪音太大",
        "楼下商铺的空调外机噪音很大",
    ),
    (
        "5号楼电梯经常停运,老人上下楼很不方便",
        "5号楼楼道灯坏了,晚上看不见",
    ),
    ("交房时间一拖再拖,到现在还没交房", "交房时发现面积比合同小"),
    ("保安态度恶劣,骂人", "保洁人员工作不认真,楼道很脏"),
];

#[test]
fn owners_describing_one_issue_differently_are_recognised_as_the_same_issue() {
    let threshold = GroupPolicy::default().min_similarity;
    for (a, b) in SAME_ISSUE {
        let s = similarity(a, b);
        assert!(s >= threshold + 0.03, "{a} / {b}: {s:.3}");
    }
}

#[test]
fn different_issues_in_the_same_place_stay_apart() {
    let threshold = GroupPolicy::default().min_similarity;
    for (a, b) in DIFFERENT {
        let s = similarity(a, b);
        assert!(s <= threshold - 0.01, "{a} / {b}: {s:.3}");
    }
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 6, 30, 12, 0, 0).unwrap()
}

/// A complaint in community 1, building 3, about a lift, filed `days_ago`.
fn lift(id: i64, phone: &str, text: &str, days_ago: i64) -> RecentComplaint {
    RecentComplaint {
        id,
        community_id: 1,
        building_id: Some(3),
        category: Category::RepairService,
        text: text.to_owned(),
        complainant: phone.to_owned(),
        filed_at: now() - Duration::days(days_ago),
        handled: false,
    }
}

fn new_lift() -> RecentComplaint {
    lift(100, "13800000000", "3栋电梯又坏了,困了人", 0)
}

#[test]
fn three_owners_about_one_broken_lift_in_a_month_raise_level_two() {
    let recent = [
        lift(1, "13900000001", "三号楼电梯故障,今天被困", 2),
        lift(2, "13900000002", "3号楼的电梯坏了好几次了,有人被困", 5),
        lift(3, "13900000003", "楼下餐馆油烟太大", 1),
    ];
    let f = find_same_issue(&new_lift(), &recent, now(), &GroupPolicy::default());
    assert_eq!(f.same_issue_ids, [1, 2]);
    assert_eq!(f.distinct_complainants_30d, 3);
    assert_eq!(f.level, Some(Level::Two));
    assert_eq!(f.repeat_of, None);
}

#[test]
fn ten_owners_raise_level_one_and_nine_level_two() {
    let recent: Vec<RecentComplaint> = (1..=9)
        .map(|i| lift(i, &format!("1390000000{i}"), "3号楼电梯又坏了,被困", i))
        .collect();
    let policy = GroupPolicy::default();
    let ten = find_same_issue(&new_lift(), &recent, now(), &policy);
    assert_eq!(
        (ten.distinct_complainants_30d, ten.level),
        (10, Some(Level::One))
    );
    let nine = find_same_issue(&new_lift(), &recent[..8], now(), &policy);
    assert_eq!(
        (nine.distinct_complainants_30d, nine.level),
        (9, Some(Level::Two))
    );
}

#[test]
fn two_owners_do_not_form_a_group_yet() {
    let recent = [lift(1, "13900000001", "三号楼电梯故障,今天被困", 2)];
    let f = find_same_issue(&new_lift(), &recent, now(), &GroupPolicy::default());
    assert_eq!((f.distinct_complainants_30d, f.level), (2, None));
}

#[test]
fn the_same_owner_complaining_twice_counts_once() {
    let recent = [
        lift(1, "13800000000", "三号楼电梯故障,今天被困", 2),
        lift(2, "13900000002", "3号楼电梯坏了,被困", 3),
    ];
    let f = find_same_issue(&new_lift(), &recent, now(), &GroupPolicy::default());
    assert_eq!(f.same_issue_ids, [2], "the owner's own is no group member");
    assert_eq!(f.distinct_complainants_30d, 2);
}

#[test]
fn the_same_owner_alone_forms_no_group() {
    let mut handled = lift(1, "13800000000", "三号楼电梯故障,今天被困", 20);
    handled.handled = true;
    let f = find_same_issue(&new_lift(), &[handled], now(), &GroupPolicy::default());
    assert!(f.same_issue_ids.is_empty());
    assert_eq!(f.distinct_complainants_30d, 1);
    assert_eq!(f.repeat_of, Some(1), "a repeat, shown as such");
}

#[test]
fn a_leak_and_a_parking_fee_are_not_the_same_issue() {
    let mut leak = lift(1, "13900000001", "楼上卫生间漏水,天花板渗水发霉", 1);
    let mut fee = lift(2, "13900000002", "停车费太贵了,比周边小区高一倍", 1);
    leak.category = Category::PropertyManagement;
    fee.category = Category::PropertyManagement;
    let f = find_same_issue(&leak, &[fee], now(), &GroupPolicy::default());
    assert!(f.same_issue_ids.is_empty());
    assert_eq!(f.distinct_complainants_30d, 1);
}

#[test]
fn another_community_or_category_is_never_the_same_issue() {
    let mut elsewhere = lift(1, "13900000001", "3栋电梯又坏了,困了人", 1);
    elsewhere.community_id = 2;
    let mut other_kind = lift(2, "13900000002", "3栋电梯又坏了,困了人", 1);
    other_kind.category = Category::EngineeringQuality;
    let f = find_same_issue(
        &new_lift(),
        &[elsewhere, other_kind],
        now(),
        &GroupPolicy::default(),
    );
    assert!(f.same_issue_ids.is_empty());
}

#[test]
fn only_complaints_within_thirty_days_count() {
    let mut edge = lift(1, "13900000001", "三号楼电梯故障,今天被困", 30);
    let mut old = lift(2, "13900000002", "三号楼电梯故障,今天被困", 30);
    old.filed_at -= Duration::seconds(1);
    edge.filed_at = now() - Duration::days(30);
    let f = find_same_issue(&new_lift(), &[edge, old], now(), &GroupPolicy::default());
    assert_eq!(f.same_issue_ids, [1]);
    assert_eq!(f.distinct_complainants_30d, 2);
}

#[test]
fn the_same_owner_after_handling_is_a_repeat() {
    let mut handled = lift(1, "13800000000", "三号楼电梯故障,今天被困", 60);
    handled.handled = true;
    let mut earlier = lift(2, "13800000000", "3号楼电梯坏了", 200);
    earlier.handled = true;
    let f = find_same_issue(
        &new_lift(),
        &[handled, earlier],
        now(),
        &GroupPolicy::default(),
    );
    assert_eq!(f.repeat_of, Some(1));
    // Outside the 30-day group window: a repeat, but no group.
    assert!(f.same_issue_ids.is_empty());
}

#[test]
fn not_a_repeat_while_the_first_is_open_or_when_it_was_someone_else() {
    let open = lift(1, "13800000000", "三号楼电梯故障,今天被困", 3);
    let mut neighbour = lift(2, "13900000002", "三号楼电梯故障,今天被困", 3);
    neighbour.handled = true;
    let f = find_same_issue(
        &new_lift(),
        &[open, neighbour],
        now(),
        &GroupPolicy::default(),
    );
    assert_eq!(f.repeat_of, None);
    let mut ancient = lift(3, "13800000000", "三号楼电梯故障,今天被困", 400);
    ancient.handled = true;
    let f = find_same_issue(&new_lift(), &[ancient], now(), &GroupPolicy::default());
    assert_eq!(f.repeat_of, None, "older than repeat_window_days");
}

#[test]
fn same_building_only_keeps_buildings_apart_when_asked() {
    let mut next_door = lift(1, "13900000001", "3栋电梯又坏了,困了人", 1);
    next_door.building_id = Some(5);
    let community = GroupPolicy::default();
    let building = GroupPolicy {
        same_building_only: true,
        ..GroupPolicy::default()
    };
    let recent = [next_door];
    assert_eq!(
        find_same_issue(&new_lift(), &recent, now(), &community).same_issue_ids,
        [1]
    );
    assert!(find_same_issue(&new_lift(), &recent, now(), &building)
        .same_issue_ids
        .is_empty());
}

proptest! {
    #[test]
    fn similarity_is_symmetric_bounded_and_one_for_identical_text(
        a in "[电梯坏了漏水停车费3栋,。 ]{0,12}",
        b in "[电梯坏了漏水停车费3栋,。 ]{0,12}",
    ) {
        let s = similarity(&a, &b);
        prop_assert!((0.0..=1.0).contains(&s));
        prop_assert_eq!(s, similarity(&b, &a));
        prop_assert_eq!(similarity(&a, &a), 1.0);
    }
}
