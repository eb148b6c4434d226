//! Every door × every kind of visitor, against the table below.
//!
//! The server functions are not listed by hand: the test reads every one the portal
//! registers and fails if one has no row here, so a new door cannot ship unexamined. Each
//! row says who may pass; the test knocks as each of eight visitors — anonymous, owner A
//! (whose complaint it is, with an account), owner B (another owner with an account), the
//! agent, the handler of the complaint's department, a handler of another department, a
//! supervisor, the administrator — and reports every difference. Zero unexpected allows,
//! and zero unexpected refusals.
//!
//! "Passes" means the request reached the door's work: an answer other than 401, 403 or
//! 404 (a 422 for input the work refuses counts as passing; the staff look-up's message
//! counts as a refusal). Arguments are real ids from the scenario, so a refusal is the
//! access rule's, not a parse error's.

use std::collections::BTreeSet;

use reqwest::multipart::{Form, Part};
use serde_json::Value;

use crate::support::{call_with, complaint_form, signed_in, TestApp};
use crate::workflow::file;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Who {
    Anonymous,
    OwnerA,
    OwnerB,
    Agent,
    Handler,
    OtherHandler,
    Supervisor,
    Admin,
}

use Who::*;

const EVERYONE: &[Who] = &[
    Anonymous,
    OwnerA,
    OwnerB,
    Agent,
    Handler,
    OtherHandler,
    Supervisor,
    Admin,
];
const SIGNED_IN: &[Who] = &[
    OwnerA,
    OwnerB,
    Agent,
    Handler,
    OtherHandler,
    Supervisor,
    Admin,
];
const OWNERS: &[Who] = &[OwnerA, OwnerB];
const NOT_STAFF: &[Who] = &[Anonymous, OwnerA, OwnerB];
const STAFF: &[Who] = &[Agent, Handler, OtherHandler, Supervisor, Admin];
/// Staff who may see complaint X (of the repair department).
const SEE_X: &[Who] = &[Agent, Handler, Supervisor, Admin];
const FAQ_AUTHORS: &[Who] = &[Agent, Admin];
const RECORDERS: &[Who] = &[Agent, Supervisor, Admin];
const REPORT_READERS: &[Who] = &[Supervisor, Admin];
const ADMIN: &[Who] = &[Admin];
const OWNER_A: &[Who] = &[OwnerA];
const FILES_OF_X: &[Who] = &[OwnerA, Agent, Handler, Supervisor, Admin];

/// How a door is knocked on.
enum Knock {
    /// A server function, with form fields (`{…}` are filled from the scenario).
    Fn(&'static [(&'static str, &'static str)]),
    Get(&'static str),
    /// A JSON body.
    PostJson(&'static str),
    /// A multipart file.
    Upload {
        path: &'static str,
        field: &'static str,
        file_name: &'static str,
        bytes: &'static [u8],
    },
}

struct Door {
    /// The server function's name, or the route.
    name: &'static str,
    knock: Knock,
    open_to: &'static [Who],
}

const fn door(
    name: &'static str,
    fields: &'static [(&'static str, &'static str)],
    open_to: &'static [Who],
) -> Door {
    Door {
        name,
        knock: Knock::Fn(fields),
        open_to,
    }
}

const OWNER_A_PHONE: &str = "13655551111";
const OWNER_B_PHONE: &str = "13655552222";

const JPEG: &[u8] = b"\xFF\xD8\xFF\xE0\0\x10JFIF\0\x01\x01\0\0\x01\0\x01\0\0 matrix photo";
const ESTATE_CSV: &[u8] =
    "小区,楼栋,单元,房号,业主姓名,手机号\n阳光花园,3栋,2单元,1502,赵女士,13700001111\n".as_bytes();

/// The table. Order matters only where a door changes what later ones see: the survey
/// is read before it is answered, and logging in and out come last.
const DOORS: &[Door] = &[
    // Owners and the public.
    door("list_communities", &[], EVERYONE),
    door("service_hotlines", &[], EVERYONE),
    door("file_complaint", &[], EVERYONE),
    door(
        "record_complaint",
        &[("lookup", "1"), ("recording[channel]", "phone")],
        RECORDERS,
    ),
    door(
        "look_up_complaint",
        &[("code", "{code}"), ("phone", "13800000000")],
        NOT_STAFF,
    ),
    door("tracked_complaint", &[("code", "{code}")], OWNER_A),
    door(
        "owner_message",
        &[("code", "{code}"), ("body", "矩阵测试留言")],
        OWNER_A,
    ),
    // Complaint X is not judged not valid: the owner reaches the work, which says so (422).
    door(
        "answer_judgement",
        &[("code", "{code}"), ("answer", "accept")],
        OWNER_A,
    ),
    door(
        "register_owner",
        &[
            ("phone", "13700000009"),
            ("code", "{code}"),
            ("name", "矩阵"),
            ("password", "matrix-pass"),
        ],
        EVERYONE,
    ),
    door(
        "set_notices",
        &[("code", "{code}"), ("sms", "on"), ("email", "")],
        OWNER_A,
    ),
    door("my_complaints", &[], OWNERS),
    door("claim_complaint", &[("code", "{code}")], OWNERS),
    door(
        "change_password",
        &[("current", "not-the-password"), ("new", "another-pass-1")],
        SIGNED_IN,
    ),
    door("survey_by_token", &[("token", "{token}")], EVERYONE),
    door(
        "submit_survey",
        &[
            ("token", "{token}"),
            ("answers[process]", "satisfied"),
            ("answers[timeliness]", "satisfied"),
            ("answers[attitude]", "satisfied"),
            ("answers[result]", "satisfied"),
            ("answers[overall]", "4"),
        ],
        EVERYONE,
    ),
    door(
        "answer_revisit",
        &[
            ("code", "{code_z}"),
            ("answers[process]", "satisfied"),
            ("answers[timeliness]", "satisfied"),
            ("answers[attitude]", "satisfied"),
            ("answers[result]", "satisfied"),
            ("answers[overall]", "4"),
        ],
        OWNER_A,
    ),
    // The knowledge base.
    door("load_faq_home", &[], EVERYONE),
    door("load_faq_topic", &[("topic", "repair")], EVERYONE),
    door("faq_search", &[("q", "漏水")], EVERYONE),
    door("load_faq_article", &[("slug", "{faq_slug}")], EVERYONE),
    door(
        "faq_vote",
        &[("slug", "{faq_slug}"), ("helpful", "yes")],
        EVERYONE,
    ),
    door("faq_hint_entries", &[], EVERYONE),
    door("staff_faq_list", &[], FAQ_AUTHORS),
    door("load_staff_faq_article", &[("id", "{faq_id}")], FAQ_AUTHORS),
    door("save_faq_article", &[("article[slug]", "")], FAQ_AUTHORS),
    door(
        "set_faq_published",
        &[("id", "{faq_id}"), ("action", "publish")],
        FAQ_AUTHORS,
    ),
    door(
        "preview_faq_markdown",
        &[("body_md", "**漏水**")],
        FAQ_AUTHORS,
    ),
    door(
        "draft_faq_from_complaint",
        &[("complaint_id", "{id}")],
        FAQ_AUTHORS,
    ),
    // The staff desk.
    door("current_actor", &[], EVERYONE),
    door("staff_queue", &[], STAFF),
    door("load_staff_complaint", &[("id", "{id}")], SEE_X),
    door(
        "take_step",
        &[
            ("id", "{id}"),
            ("step[action]", "note"),
            ("step[body]", "矩阵测试备注"),
        ],
        SEE_X,
    ),
    door("list_departments", &[], STAFF),
    door("my_notifications", &[], STAFF),
    // The header's badge asks on every page: 0 for anyone without a work queue.
    door("unread_notifications", &[], EVERYONE),
    door("mark_notifications_read", &[], STAFF),
    // An id nobody holds: staff reach the work, which acknowledges nothing.
    door("acknowledge_notification", &[("id", "999999")], STAFF),
    door("revisits_due", &[], STAFF),
    door("admin_canned_replies", &[], ADMIN),
    door("load_report", &[], REPORT_READERS),
    door("load_summary", &[], REPORT_READERS),
    // Household files: handlers only through their department's complaints.
    door("find_households", &[("q", "{unit}")], STAFF),
    door("household_hits", &[("ids", "{household}")], STAFF),
    door("load_household", &[("id", "{household}")], SEE_X),
    door(
        "link_household_account",
        &[("id", "{household}"), ("phone", OWNER_B_PHONE)],
        RECORDERS,
    ),
    // Administration.
    door("admin_users", &[], ADMIN),
    door("save_user", &[("user[login]", "")], ADMIN),
    door("admin_departments", &[], ADMIN),
    door("save_department", &[("department[code]", "")], ADMIN),
    door("policy_text", &[], ADMIN),
    door("save_policy", &[("policy", "not = [valid")], ADMIN),
    door("admin_calendar", &[], ADMIN),
    door("save_calendar_year", &[("year[year]", "")], ADMIN),
    door("save_canned_reply", &[("reply[title]", "")], ADMIN),
    door("estate_overview", &[], ADMIN),
    door("estate_units", &[("building_id", "3")], ADMIN),
    door("save_estate_unit", &[("unit[community]", "")], ADMIN),
    door(
        "set_estate_retired",
        &[("kind", "building"), ("id", "3"), ("retired", "0")],
        ADMIN,
    ),
    door("estate_import_outcome", &[("id", "999999")], ADMIN),
    // Not a phone number (422): passing.
    door(
        "set_community_hotline",
        &[("community_id", "1"), ("hotline", "x")],
        ADMIN,
    ),
    door("delivery_log", &[], ADMIN),
    door("classifier_overview", &[], ADMIN),
    // Too few confirmed complaints in the demo data (409): passing.
    door("retrain_classifier", &[], ADMIN),
    door("activate_classifier", &[("version", "0")], ADMIN),
    // Nothing to retry (409), a private address (422), no such endpoint (422): passing.
    door("retry_delivery", &[("id", "999999")], ADMIN),
    door("add_webhook", &[("url", "http://127.0.0.1:1/")], ADMIN),
    door(
        "set_webhook_active",
        &[("id", "999999"), ("active", "false")],
        ADMIN,
    ),
    door(
        "send_test_message",
        &[("channel", "sms"), ("to", "13800000000")],
        ADMIN,
    ),
    // Routes outside the server functions.
    Door {
        name: "GET /evidence/{evidence}",
        knock: Knock::Get("/evidence/{evidence}"),
        open_to: FILES_OF_X,
    },
    Door {
        name: "POST /track/{code}/evidence",
        knock: Knock::Upload {
            path: "/track/{code}/evidence",
            field: "file",
            file_name: "矩阵.jpg",
            bytes: JPEG,
        },
        open_to: OWNER_A,
    },
    Door {
        name: "GET /live/track/{code}",
        knock: Knock::Get("/live/track/{code}"),
        open_to: OWNER_A,
    },
    Door {
        name: "GET /live/complaints/{id}",
        knock: Knock::Get("/live/complaints/{id}"),
        open_to: SEE_X,
    },
    Door {
        name: "GET /live/queue",
        knock: Knock::Get("/live/queue"),
        open_to: STAFF,
    },
    Door {
        name: "POST /staff/admin/estate/import",
        knock: Knock::Upload {
            path: "/staff/admin/estate/import",
            field: "file",
            file_name: "estate.csv",
            bytes: ESTATE_CSV,
        },
        open_to: ADMIN,
    },
    Door {
        name: "GET /staff/admin/estate/export.csv",
        knock: Knock::Get("/staff/admin/estate/export.csv"),
        open_to: ADMIN,
    },
    Door {
        name: "GET /staff/reports/export/complaints.csv",
        knock: Knock::Get("/staff/reports/export/complaints.csv"),
        open_to: REPORT_READERS,
    },
    Door {
        name: "GET /estate/buildings/{id}/units",
        knock: Knock::Get("/estate/buildings/3/units"),
        open_to: EVERYONE,
    },
    Door {
        name: "GET /api/v1/faq/search",
        knock: Knock::Get("/api/v1/faq/search?q=%E6%BC%8F%E6%B0%B4"),
        open_to: EVERYONE,
    },
    Door {
        name: "GET /api/v1/openapi.yaml",
        knock: Knock::Get("/api/v1/openapi.yaml"),
        open_to: EVERYONE,
    },
    // The SMS provider's reply callback: a machine with the token, never a visitor
    // (closed here: no token is configured).
    Door {
        name: "POST /api/v1/sms/inbound",
        knock: Knock::PostJson("/api/v1/sms/inbound"),
        open_to: &[],
    },
    // The classifier's model file: public, like the page assets.
    Door {
        name: "GET /api/v1/hints/model/0",
        knock: Knock::Get("/api/v1/hints/model/0"),
        open_to: EVERYONE,
    },
    Door {
        name: "POST /api/v1/hints",
        knock: Knock::PostJson("/api/v1/hints"),
        open_to: EVERYONE,
    },
    Door {
        name: "POST /api/v1/grade",
        knock: Knock::PostJson("/api/v1/grade"),
        open_to: EVERYONE,
    },
    Door {
        name: "POST /api/v1/deadlines",
        knock: Knock::PostJson("/api/v1/deadlines"),
        open_to: EVERYONE,
    },
    Door {
        name: "GET /healthz",
        knock: Knock::Get("/healthz"),
        open_to: EVERYONE,
    },
    Door {
        name: "GET /readyz",
        knock: Knock::Get("/readyz"),
        open_to: EVERYONE,
    },
    Door {
        name: "GET /lang/{tag}",
        knock: Knock::Get("/lang/en?to=/faq"),
        open_to: EVERYONE,
    },
    // Last: they change who each visitor is.
    door(
        "log_in",
        &[
            ("login", "nobody-by-this-name"),
            ("password", "wrong-password"),
        ],
        EVERYONE,
    ),
    door("log_out", &[], EVERYONE),
];

/// The scenario's ids and codes.
struct Scene {
    id: String,
    code: String,
    code_z: String,
    /// A survey link per visitor (a link is answered once).
    tokens: Vec<String>,
    evidence: String,
    faq_id: String,
    faq_slug: String,
    /// The household of complaint X, and its unit as typed.
    household: String,
    unit: String,
}

impl Scene {
    fn fill(&self, text: &str, visitor: usize) -> String {
        text.replace(
            "{token}",
            self.tokens.get(visitor).map_or("", String::as_str),
        )
        .replace("{id}", &self.id)
        .replace("{code}", &self.code)
        .replace("{code_z}", &self.code_z)
        .replace("{evidence}", &self.evidence)
        .replace("{faq_id}", &self.faq_id)
        .replace("{faq_slug}", &self.faq_slug)
        .replace("{household}", &self.household)
        .replace("{unit}", &self.unit)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_door_lets_in_exactly_whom_the_table_says() {
    crate::on_every_engine!(walk_every_door);
}

/// The owner's account on `client`, proven by `code`.
async fn register(app: &TestApp, client: &reqwest::Client, phone: &str, code: &str) {
    let (status, body) = call_with(
        client,
        &app.base,
        "register_owner",
        &[
            ("phone", phone),
            ("code", code),
            ("name", "业主"),
            ("password", "owner-pass-1"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
}

async fn walk_every_door(app: &TestApp) {
    // Every registered server function has a row.
    let registered: BTreeSet<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.trim_start_matches("/api/").to_owned())
        .collect();
    let tabled: BTreeSet<String> = DOORS
        .iter()
        .filter(|d| matches!(d.knock, Knock::Fn(_)))
        .map(|d| d.name.to_owned())
        .collect();
    assert_eq!(
        registered.difference(&tabled).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "server functions without a row in the access table"
    );
    assert_eq!(
        tabled.difference(&registered).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "rows for server functions that do not exist"
    );

    // Complaint X's unit is in the estate: it has a household file.
    app.log_in("admin").await;
    let (community, building): (String, String) = {
        use sqlx::Row;
        let row = sqlx::query(
            "SELECT c.name, b.name FROM buildings b JOIN communities c ON c.id = b.community_id WHERE b.id = 3",
        )
        .fetch_one(app.pool())
        .await
        .expect("building 3");
        (row.get(0), row.get(1))
    };
    let (status, body) = app
        .call(
            "save_estate_unit",
            &[
                ("unit[community]", community.as_str()),
                ("unit[building]", building.as_str()),
                ("unit[entrance]", "2单元"),
                ("unit[unit]", "1501"),
                ("unit[owner_name]", "业主甲"),
                ("unit[phone]", OWNER_A_PHONE),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");

    // Complaint X, of owner A: judged and given to the repair department's handler.
    let (id, code, owner_a) = file(app, &[("intake[phone]", OWNER_A_PHONE)]).await;
    let upload = Form::new().part("file", Part::bytes(JPEG.to_vec()).file_name("漏水.jpg"));
    let uploaded = owner_a
        .post(format!("{}/track/{code}/evidence", app.base))
        .multipart(upload)
        .send()
        .await
        .expect("upload");
    assert_eq!(uploaded.status(), 303);
    let evidence = app
        .count(&format!(
            "SELECT MAX(id) FROM evidence WHERE complaint_id = {id}"
        ))
        .await
        .to_string();
    // Complaint Z, also owner A's, resolved: its revisit survey waits.
    let (id_z, code_z, _) = {
        let (status, receipt) = call_with(
            &owner_a,
            &app.base,
            "file_complaint",
            &complaint_form(&[
                ("intake[description]", "楼道灯坏了一周,晚上看不见路"),
                ("intake[phone]", OWNER_A_PHONE),
            ]),
        )
        .await;
        assert_eq!(status, 200, "{receipt}");
        (
            receipt["complaint_id"].to_string(),
            receipt["tracking_code"].as_str().unwrap().to_owned(),
            (),
        )
    };
    crate::surveys::resolve(app, &id_z).await;
    // Survey links, one per visitor, of other resolved complaints.
    let mut tokens = Vec::new();
    for _ in EVERYONE {
        let (other, _, _) = file(app, &[("intake[phone]", "13655553333")]).await;
        tokens.push(crate::surveys::resolve(app, &other).await);
    }
    register(app, &owner_a, OWNER_A_PHONE, &code).await;
    let (_, code_b, owner_b) = file(app, &[("intake[phone]", OWNER_B_PHONE)]).await;
    register(app, &owner_b, OWNER_B_PHONE, &code_b).await;

    app.log_in("agent").await;
    crate::support::assign_to(app, &app.client, &id, "repair").await;
    let faq: (i64, String) = {
        use sqlx::Row;
        let row = sqlx::query(
            "SELECT id, slug FROM faq_articles WHERE status = 'published' ORDER BY id LIMIT 1",
        )
        .fetch_one(app.pool())
        .await
        .expect("a published article");
        (row.get(0), row.get(1))
    };
    let household = app
        .count(&format!(
            "SELECT household_id FROM complaints WHERE id = {id}"
        ))
        .await
        .to_string();
    let scene = Scene {
        id,
        code,
        code_z,
        tokens,
        evidence,
        faq_id: faq.0.to_string(),
        faq_slug: faq.1,
        household,
        unit: "2单元1501".to_owned(),
    };

    let visitors: Vec<(Who, reqwest::Client)> = vec![
        (Anonymous, app.new_visitor()),
        (OwnerA, owner_a),
        (OwnerB, owner_b),
        (Agent, signed_in(app, "agent").await),
        (Handler, signed_in(app, "repair").await),
        (OtherHandler, signed_in(app, "engineer").await),
        (Supervisor, signed_in(app, "supervisor").await),
        (Admin, signed_in(app, "admin").await),
    ];

    let mut differences = Vec::new();
    for door in DOORS {
        for (visitor, (who, client)) in visitors.iter().enumerate() {
            let (status, body) = knock(app, client, door, &scene, visitor).await;
            // Arguments the door could not even read prove nothing either way.
            assert!(
                !body.contains("提交的表单不完整"),
                "{}: the table's arguments do not parse: {body}",
                door.name
            );
            let refused = matches!(status, 401 | 403 | 404) || body.contains("工作台打开投诉");
            let expected = door.open_to.contains(who);
            if expected == refused {
                differences.push(format!(
                    "{:<40} {:<13} expected {}, got {status} {}",
                    door.name,
                    format!("{who:?}"),
                    if expected { "to pass" } else { "a refusal" },
                    body.chars().take(120).collect::<String>()
                ));
            }
        }
    }
    assert!(
        differences.is_empty(),
        "{} differences from the access table:\n{}",
        differences.len(),
        differences.join("\n")
    );
}

async fn knock(
    app: &TestApp,
    client: &reqwest::Client,
    door: &Door,
    scene: &Scene,
    visitor: usize,
) -> (u16, String) {
    let url = |path: &str| format!("{}{}", app.base, scene.fill(path, visitor));
    let response = match &door.knock {
        Knock::Fn(fields) => {
            // The complaint forms: a whole complaint, and the door's own fields.
            let base: Vec<(&str, &str)> =
                if matches!(door.name, "file_complaint" | "record_complaint") {
                    complaint_form(&[])
                } else {
                    Vec::new()
                };
            let filled: Vec<(String, String)> = base
                .into_iter()
                .chain(fields.iter().copied())
                .map(|(k, v)| (k.to_owned(), scene.fill(v, visitor)))
                .collect();
            let form: Vec<(&str, &str)> = filled
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            let (status, body) = call_with(client, &app.base, door.name, &form).await;
            return (status, body_text(&body));
        }
        Knock::Get(path) => client.get(url(path)).send().await,
        Knock::PostJson(path) => {
            client
                .post(url(path))
                .header("content-type", "application/json")
                .body("{}")
                .send()
                .await
        }
        Knock::Upload {
            path,
            field,
            file_name,
            bytes,
        } => {
            let form = Form::new().part(*field, Part::bytes(bytes.to_vec()).file_name(*file_name));
            client.post(url(path)).multipart(form).send().await
        }
    }
    .expect("request");
    let status = response.status().as_u16();
    // An event stream never ends: its status is enough.
    if door.name.starts_with("GET /live/") {
        return (status, String::new());
    }
    (status, response.text().await.unwrap_or_default())
}

fn body_text(body: &Value) -> String {
    match body {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}
