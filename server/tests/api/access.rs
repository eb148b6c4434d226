//! The access rules (`app::access`) as an attacker meets them: a handler of another
//! department, staff acting as the owner, strangers. Each door is tried by every kind of
//! visitor; what is refused stores nothing.

use reqwest::multipart::{Form, Part};

use crate::on_every_engine;
use crate::support::{call_with, signed_in, TestApp};
use crate::workflow::file;

const JPEG: &[u8] = b"\xFF\xD8\xFF\xE0\0\x10JFIF\0\x01\x01\0\0\x01\0\x01\0\0 a tiny photo";

async fn upload(app: &TestApp, client: &reqwest::Client, code: &str) -> u16 {
    let form = Form::new().part("file", Part::bytes(JPEG.to_vec()).file_name("漏水.jpg"));
    client
        .post(format!("{}/track/{code}/evidence", app.base))
        .multipart(form)
        .send()
        .await
        .expect("upload")
        .status()
        .as_u16()
}

async fn status_of(client: &reqwest::Client, url: &str) -> u16 {
    client.get(url).send().await.expect("get").status().as_u16()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn handlers_reach_their_department_and_staff_never_act_as_the_owner() {
    on_every_engine!(matrix);
}

async fn matrix(app: &TestApp) {
    let base = &app.base;
    let (id, code, owner) = file(app, &[]).await;
    assert_eq!(
        upload(app, &owner, &code).await,
        303,
        "the owner attaches a photo"
    );
    let evidence: i64 = app
        .count(&format!(
            "SELECT MAX(id) FROM evidence WHERE complaint_id = {id}"
        ))
        .await;

    // The desk judges it and hands it to the repair department's first handler.
    app.log_in("agent").await;
    let (_, departments) = app.call("list_departments", &[]).await;
    let repair = departments
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "repair")
        .unwrap()
        .clone();
    let (status, body) = app.step(&id, &[("action", "judge_valid")]).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = app
        .step(
            &id,
            &[
                ("action", "assign"),
                ("department_id", &repair["id"].to_string()),
                ("handler_id", &repair["handlers"][0]["id"].to_string()),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");

    let stranger = app.new_visitor();
    let repair_handler = signed_in(app, "repair").await;
    let engineer = signed_in(app, "engineer").await;
    let supervisor = signed_in(app, "supervisor").await;
    let agent = app.client.clone();

    // One evidence file, every kind of visitor.
    let file_url = format!("{base}/evidence/{evidence}");
    for (who, client, expected) in [
        ("the owner", &owner, 200),
        ("a stranger", &stranger, 404),
        ("the agent", &agent, 200),
        ("the repair handler", &repair_handler, 200),
        ("a handler of engineering", &engineer, 404),
        ("a supervisor", &supervisor, 200),
    ] {
        assert_eq!(status_of(client, &file_url).await, expected, "{who}");
    }

    // The staff view and its stream: the department, not the other one.
    for (who, client, expected) in [
        ("the repair handler", &repair_handler, 200),
        ("a handler of engineering", &engineer, 403),
        ("the owner", &owner, 401),
    ] {
        let (status, body) = call_with(client, base, "load_staff_complaint", &[("id", &id)]).await;
        assert_eq!(status, expected, "{who}: {body}");
    }
    let (status, body) = call_with(
        &engineer,
        base,
        "take_step",
        &[
            ("id", &id),
            ("step[action]", "note"),
            ("step[body]", "看看"),
        ],
    )
    .await;
    assert_eq!(status, 403, "a note from another department: {body}");

    // Staff never take the owner's place: not the owner's page, nor its stream, nor a
    // message, an upload or the in-app survey in the owner's name.
    for client in [&agent, &supervisor, &repair_handler] {
        let (status, _) = call_with(client, base, "tracked_complaint", &[("code", &code)]).await;
        assert_eq!(status, 401);
        let (status, body) = call_with(
            client,
            base,
            "look_up_complaint",
            &[("code", &code), ("phone", "13800138000")],
        )
        .await;
        assert_eq!(status, 422, "{body}");
        assert!(body.to_string().contains("工作台"), "{body}");
        let (status, _) = call_with(
            client,
            base,
            "owner_message",
            &[("code", &code), ("body", "我是业主")],
        )
        .await;
        assert_eq!(status, 403);
        let (status, _) = call_with(
            client,
            base,
            "answer_revisit",
            &[
                ("code", &code),
                ("answers[process]", "very_satisfied"),
                ("answers[timeliness]", "very_satisfied"),
                ("answers[attitude]", "very_satisfied"),
                ("answers[result]", "very_satisfied"),
                ("answers[overall]", "5"),
            ],
        )
        .await;
        assert_eq!(status, 403);
        assert_eq!(
            upload(app, client, &code).await,
            404,
            "as for an unknown code"
        );
        assert_eq!(
            status_of(client, &format!("{base}/live/track/{code}")).await,
            404
        );
    }
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM evidence WHERE complaint_id = {id}"
        ))
        .await,
        1,
        "no upload from staff was stored"
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM complaint_events WHERE complaint_id = {id} AND body = '我是业主'"
        ))
        .await,
        0,
        "no message in the owner's name"
    );

    // The owner still follows their own.
    let (status, _) = call_with(&owner, base, "tracked_complaint", &[("code", &code)]).await;
    assert_eq!(status, 200);
}
