//! Grading and group detection at filing (rules.md "Severity", "Group and repeat").

use crate::on_every_engine;
use crate::support::{call_with, complaint_form, TestApp};

async fn level_of(app: &TestApp, id: &str) -> (u64, serde_json::Value) {
    let (status, c) = app.call("load_staff_complaint", &[("id", id)]).await;
    assert_eq!(status, 200, "{c}");
    (c["level"].as_u64().unwrap(), c)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_people_together_is_level_one_and_the_supervisors_are_told() {
    on_every_engine!(ten_people);
}

async fn ten_people(app: &TestApp) {
    let (_, receipt) = app
        .call(
            "file_complaint",
            &complaint_form(&[("intake[people_count]", "12")]),
        )
        .await;
    let id = receipt["complaint_id"].to_string();
    app.log_in("supervisor").await;
    let (level, c) = level_of(app, &id).await;
    assert_eq!(level, 1);
    assert!(
        c["reasons"].to_string().contains("12"),
        "the reason names the fact: {}",
        c["reasons"]
    );
    let (_, notes) = app.call("my_notifications", &[]).await;
    assert!(notes
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n["kind"] == "level_one"));
    let (_, unread) = app.call("unread_notifications", &[]).await;
    assert!(unread.as_i64().unwrap() >= 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn media_contact_and_compensation_are_graded_by_the_table() {
    on_every_engine!(flags_and_amounts);
}

async fn flags_and_amounts(app: &TestApp) {
    app.log_in("agent").await;
    for (fields, expected) in [
        (vec![("intake[flags][]", "media")], 1),
        (vec![("intake[flags][]", "lawyer")], 2),
        (vec![("intake[claimed_amount_yuan]", "10000")], 1),
        (vec![("intake[claimed_amount_yuan]", "9999.99")], 2),
        (vec![("intake[impact]", "cosmetic")], 3),
        (vec![], 4),
    ] {
        // A description with no cues of its own, so only the table row speaks.
        let mut fields = fields;
        fields.push(("intake[description]", "小区北门的路灯比较暗,晚上看不太清"));
        let (status, receipt) = app.call("file_complaint", &complaint_form(&fields)).await;
        assert_eq!(status, 200, "{receipt}");
        let (level, _) = level_of(app, &receipt["complaint_id"].to_string()).await;
        assert_eq!(level, expected, "{fields:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_owners_with_the_same_issue_form_a_group_raised_to_level_two() {
    on_every_engine!(group_of_three);
}

async fn group_of_three(app: &TestApp) {
    let texts = [
        ("13800000001", "3栋电梯又坏了,困了人,物业快来修"),
        ("13800000002", "三号楼电梯故障,今天被困在里面半小时"),
        ("13800000003", "3栋的电梯坏了好几天,老人上下楼困难"),
    ];
    let mut ids = Vec::new();
    for (phone, text) in texts {
        let owner = app.new_visitor();
        let form = complaint_form(&[
            ("intake[phone]", phone),
            ("intake[description]", text),
            ("intake[category]", "property_management"),
        ]);
        let (status, receipt) = call_with(&owner, &app.base, "file_complaint", &form).await;
        assert_eq!(status, 200);
        ids.push(receipt["complaint_id"].to_string());
    }
    app.log_in("agent").await;
    let (level, newest) = level_of(app, &ids[2]).await;
    assert_eq!(
        level, 2,
        "three complainants within 30 days: {}",
        newest["reasons"]
    );
    assert_eq!(
        newest["group"].as_array().unwrap().len(),
        2,
        "linked to the other two"
    );
    let (first_level, _) = level_of(app, &ids[0]).await;
    assert_eq!(first_level, 2, "the earlier members are raised too");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_owner_twice_is_no_group() {
    on_every_engine!(same_owner_twice);
}

async fn same_owner_twice(app: &TestApp) {
    let file = |phone: &'static str, text: &'static str| async move {
        let form = complaint_form(&[
            ("intake[phone]", phone),
            ("intake[description]", text),
            ("intake[category]", "property_management"),
        ]);
        let (status, receipt) =
            call_with(&app.new_visitor(), &app.base, "file_complaint", &form).await;
        assert_eq!(status, 200, "{receipt}");
        receipt["complaint_id"].to_string()
    };
    let first = file("13800000011", "5栋电梯又坏了,困了人,物业快来修").await;
    let second = file("13800000011", "五号楼电梯故障,今天又被困在里面").await;
    app.log_in("agent").await;
    let load = |id: String| async move { level_of(app, &id).await.1 };
    let c = load(second.clone()).await;
    assert!(
        c["group"].as_array().unwrap().is_empty(),
        "the owner's own earlier complaint is no group member: {}",
        c["group"]
    );
    assert_eq!(c["same_issue_complainants"], 1);

    let third = file("13800000012", "5栋的电梯坏了好几天,老人被困过").await;
    let c = load(third.clone()).await;
    assert_eq!(
        c["same_issue_complainants"], 2,
        "two owners, three complaints"
    );
    let listed = |c: &serde_json::Value| -> Vec<String> {
        c["group"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["id"].to_string())
            .collect()
    };
    assert!(listed(&c).contains(&first), "{c}");
    let c = load(first.clone()).await;
    assert!(
        !listed(&c).contains(&second),
        "the same owner is not listed: {c}"
    );
    assert!(listed(&c).contains(&third), "the other owner is: {c}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_owners_reporting_one_issue_is_one_group_raised_and_told_once() {
    on_every_engine!(burst_of_one_issue);
}

/// Thirty owners report the same overflowing bins within minutes, most of them at the same time:
/// one group holding every one of them, each open member at level one, raised once per
/// threshold, and the supervisors told once per threshold — not once per owner.
async fn burst_of_one_issue(app: &TestApp) {
    const OWNERS: usize = 30;
    let wordings = [
        "2栋门口的垃圾桶满了好几天没人清理,臭味很大",
        "二号楼门口垃圾桶堆满了,一直没人来清,很臭",
        "2栋楼下垃圾好几天没清运了,味道太大",
        "2号楼入口的垃圾桶满出来了,没人清理",
    ];
    let file = |n: usize| {
        let phone = format!("1390000{n:04}");
        let text = wordings[n % wordings.len()].to_owned();
        async move {
            let form = complaint_form(&[
                ("intake[phone]", phone.as_str()),
                ("intake[description]", text.as_str()),
                ("intake[category]", "property_management"),
            ]);
            let (status, receipt) =
                call_with(&app.new_visitor(), &app.base, "file_complaint", &form).await;
            assert_eq!(status, 200, "{receipt}");
            receipt["complaint_id"].as_i64().unwrap()
        }
    };
    // The first two start the group; the rest arrive together, eight at a time.
    let mut ids = vec![file(0).await, file(1).await];
    for wave in (2..OWNERS).collect::<Vec<_>>().chunks(8) {
        ids.extend(futures::future::join_all(wave.iter().map(|n| file(*n))).await);
    }
    let root = ids[0];
    let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM complaints WHERE id IN ({list}) AND group_id = {root}"
        ))
        .await,
        OWNERS as i64,
        "every owner's complaint is in the one group named after the first"
    );
    assert_eq!(
        app.count(&format!(
            "SELECT complainants FROM complaint_groups WHERE id = {root}"
        ))
        .await,
        OWNERS as i64
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM complaints WHERE id IN ({list}) AND level = 1"
        ))
        .await,
        OWNERS as i64,
        "ten complainants or more: every member at level one"
    );
    // The similar-complaint index keeps the group's first complaint and its eight most recent:
    // the next owner is compared with nine texts, not thirty.
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(DISTINCT complaint_id) FROM complaint_grams WHERE complaint_id IN ({list})"
        ))
        .await,
        9
    );
    assert!(
        app.count(&format!(
            "SELECT COUNT(*) FROM complaint_grams WHERE complaint_id = {root}"
        ))
        .await
            > 0,
        "the group's first complaint stays in the index"
    );
    // Raised at most once per threshold crossed (to 2, then to 1): the first members twice,
    // the later ones filed at their level, never raised again by each newcomer.
    assert_eq!(
        app.count(&format!(
            "SELECT COALESCE(MAX(n), 0) FROM (SELECT complaint_id, COUNT(*) AS n
             FROM complaint_events WHERE kind = 'level' AND complaint_id IN ({list})
             GROUP BY complaint_id) t"
        ))
        .await,
        2
    );
    let told = app
        .count(&format!(
            "SELECT COUNT(*) FROM notifications WHERE kind = 'group' AND complaint_id IN ({list})"
        ))
        .await;
    let told_people = app
        .count(&format!(
            "SELECT COUNT(DISTINCT user_id) FROM notifications
             WHERE kind = 'group' AND complaint_id IN ({list})"
        ))
        .await;
    assert!(told_people > 0, "the supervisors are told");
    assert_eq!(
        told,
        2 * told_people,
        "each supervisor told once when the group reached three owners and once at ten"
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM notifications WHERE kind = 'level_one' AND complaint_id IN ({list})"
        ))
        .await,
        0,
        "level one by the group's size is not told again by every owner who joins"
    );
    app.log_in("agent").await;
    let (level, newest) = level_of(app, &ids[OWNERS - 1].to_string()).await;
    assert_eq!(level, 1);
    assert_eq!(newest["same_issue_complainants"], OWNERS as u64);
    // Staff see every other member of the group, and how many there are.
    assert_eq!(newest["group_total"], OWNERS as u64 - 1);
    assert_eq!(newest["group"].as_array().unwrap().len(), OWNERS - 1);
}
