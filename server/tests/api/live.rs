//! Live updates: who may follow which stream, events after every kind of change, resuming
//! with `Last-Event-ID`, and no subscription left behind by a client that went away.

use std::time::Duration;

use reqwest::header::{ACCEPT, CONTENT_TYPE};

use crate::on_every_engine;
use crate::support::{call_with, TestApp};
use crate::workflow::file;

/// An open event stream, read like a browser's EventSource would.
pub(crate) struct EventStream {
    response: reqwest::Response,
    buffer: String,
}

/// One event of a stream (comments and bare `retry:` blocks are skipped).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SseEvent {
    pub(crate) event: String,
    pub(crate) id: Option<String>,
    pub(crate) data: String,
}

pub(crate) async fn open(
    client: &reqwest::Client,
    url: &str,
    last_event_id: Option<&str>,
) -> Result<EventStream, u16> {
    let mut request = client.get(url).header(ACCEPT, "text/event-stream");
    if let Some(id) = last_event_id {
        request = request.header("last-event-id", id);
    }
    let response = request.send().await.expect("request");
    if response.status() != 200 {
        return Err(response.status().as_u16());
    }
    let content_type = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    assert!(
        content_type.starts_with("text/event-stream"),
        "{content_type}"
    );
    Ok(EventStream {
        response,
        buffer: String::new(),
    })
}

impl EventStream {
    /// The next event within `wait`, if one comes.
    pub(crate) async fn next(&mut self, wait: Duration) -> Option<SseEvent> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            while let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let mut event = SseEvent {
                    event: String::new(),
                    id: None,
                    data: String::new(),
                };
                for line in block.lines() {
                    if let Some(v) = line.strip_prefix("event:") {
                        event.event = v.trim().to_owned();
                    } else if let Some(v) = line.strip_prefix("id:") {
                        event.id = Some(v.trim().to_owned());
                    } else if let Some(v) = line.strip_prefix("data:") {
                        event.data.push_str(v.trim());
                    }
                }
                if !event.event.is_empty() {
                    return Some(event);
                }
            }
            let chunk = tokio::time::timeout_at(deadline, self.response.chunk()).await;
            match chunk {
                Ok(Ok(Some(bytes))) => self.buffer.push_str(&String::from_utf8_lossy(&bytes)),
                _ => return None,
            }
        }
    }

    /// The next `change` event, failing the test if none comes within 5 s.
    pub(crate) async fn change(&mut self, what: &str) -> SseEvent {
        let event = self
            .next(Duration::from_secs(5))
            .await
            .unwrap_or_else(|| panic!("no event after {what}"));
        assert_eq!(event.event, "change", "{event:?}");
        event
    }

    /// The next `change` event of complaint `id`; the queue also hears of others (the SLA
    /// job runs on demo complaints when the portal starts).
    async fn change_of(&mut self, id: &str, what: &str) -> SseEvent {
        let data = format!("{{\"complaint_id\":{id}}}");
        loop {
            let event = self.change(what).await;
            if event.data == data {
                return event;
            }
        }
    }

    /// Nothing about complaint `id` arrives for a while.
    async fn quiet_about(&mut self, id: &str, what: &str) {
        let data = format!("{{\"complaint_id\":{id}}}");
        let until = tokio::time::Instant::now() + Duration::from_millis(700);
        while let Some(event) = self.next(until - tokio::time::Instant::now()).await {
            assert_ne!(event.data, data, "unexpected event after {what}");
        }
    }

    /// Nothing arrives for a while.
    async fn quiet(&mut self, what: &str) {
        if let Some(event) = self.next(Duration::from_millis(700)).await {
            panic!("unexpected event after {what}: {event:?}");
        }
    }
}

pub(crate) fn event_id(event: &SseEvent) -> i64 {
    event
        .id
        .as_deref()
        .and_then(|id| id.parse().ok())
        .expect("a change has a numeric id")
}

/// The repair department's id and its first handler's id.
async fn repair(app: &TestApp) -> (String, String) {
    let (_, departments) = app.call("list_departments", &[]).await;
    let repair = departments
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "repair")
        .unwrap()
        .clone();
    (
        repair["id"].to_string(),
        repair["handlers"][0]["id"].to_string(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_those_who_may_see_a_complaint_follow_its_stream() {
    on_every_engine!(rights);
}

async fn rights(app: &TestApp) {
    let (id, code, owner) = file(app, &[]).await;
    let base = &app.base;
    let stranger = app.new_visitor();
    for url in [
        format!("{base}/live/track/{code}"),
        format!("{base}/live/track/AAAA-BBBB"),
        format!("{base}/live/track/not-a-code"),
    ] {
        assert_eq!(
            open(&stranger, &url, None).await.err(),
            Some(404),
            "a stranger cannot tell a real code from a made-up one: {url}"
        );
    }
    assert!(open(&owner, &format!("{base}/live/track/{code}"), None)
        .await
        .is_ok());
    for url in [
        format!("{base}/live/complaints/{id}"),
        format!("{base}/live/queue"),
    ] {
        assert_eq!(open(&owner, &url, None).await.err(), Some(401), "{url}");
    }

    // A handler sees only the department's complaints, as on the pages.
    let engineer = app.new_visitor();
    let (status, _) = call_with(
        &engineer,
        base,
        "log_in",
        &[("login", "engineer"), ("password", "demo-2026")],
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        open(&engineer, &format!("{base}/live/complaints/{id}"), None)
            .await
            .err(),
        Some(403)
    );
    assert_eq!(
        open(&engineer, &format!("{base}/live/complaints/999999"), None)
            .await
            .err(),
        Some(404)
    );
    assert!(open(&engineer, &format!("{base}/live/queue"), None)
        .await
        .is_ok());

    // Staff follow the staff page, never the owner's.
    app.log_in("agent").await;
    assert_eq!(
        open(&app.client, &format!("{base}/live/track/{code}"), None)
            .await
            .err(),
        Some(404)
    );
    assert!(
        open(&app.client, &format!("{base}/live/complaints/{id}"), None)
            .await
            .is_ok()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reply_reaches_the_owner_the_complaint_page_and_the_queue() {
    on_every_engine!(reply_reaches_everyone);
}

async fn reply_reaches_everyone(app: &TestApp) {
    let (id, code, owner) = file(app, &[]).await;
    let base = &app.base;
    app.log_in("agent").await;
    let mut owner_stream = open(&owner, &format!("{base}/live/track/{code}"), None)
        .await
        .unwrap();
    let mut page_stream = open(&app.client, &format!("{base}/live/complaints/{id}"), None)
        .await
        .unwrap();
    let mut queue_stream = open(&app.client, &format!("{base}/live/queue"), None)
        .await
        .unwrap();

    let (status, body) = app
        .step(
            &id,
            &[
                ("action", "reply"),
                ("body", "您好,维修师傅今天下午到场查看。"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let seen = owner_stream.change("a reply").await;
    assert_eq!(seen.data, format!("{{\"complaint_id\":{id}}}"));
    assert_eq!(page_stream.change("a reply").await, seen);
    assert_eq!(queue_stream.change_of(&id, "a reply").await, seen);

    // The event id is the newest timeline row: the reply the owner now reads.
    let (_, complaint) = call_with(&owner, base, "tracked_complaint", &[("code", &code)]).await;
    let newest = complaint["timeline"].as_array().unwrap().last().unwrap();
    assert_eq!(newest["kind"], "reply");
    assert_eq!(newest["id"].as_i64(), Some(event_id(&seen)));

    // A status change, too.
    let (status, body) = app.step(&id, &[("action", "judge_valid")]).await;
    assert_eq!(status, 200, "{body}");
    let moved = owner_stream.change("a status change").await;
    assert!(event_id(&moved) > event_id(&seen));
    assert_eq!(page_stream.change("a status change").await, moved);
    assert_eq!(queue_stream.change_of(&id, "a status change").await, moved);
    let (_, complaint) = call_with(&owner, base, "tracked_complaint", &[("code", &code)]).await;
    assert_eq!(complaint["status"], "accepted");

    // Another complaint is news for the queue only.
    let (other, _, _) = file(app, &[("intake[description]", "电梯经常停在12楼不动")]).await;
    queue_stream.change_of(&other, "another filing").await;
    owner_stream.quiet("another complaint was filed").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_resumed_stream_replays_what_it_missed() {
    on_every_engine!(resume);
}

async fn resume(app: &TestApp) {
    let (id, code, owner) = file(app, &[]).await;
    let base = &app.base;
    let url = format!("{base}/live/track/{code}");
    app.log_in("agent").await;
    let mut stream = open(&owner, &url, None).await.unwrap();
    app.step(&id, &[("action", "reply"), ("body", "收到,马上安排。")])
        .await;
    let last = stream.change("a reply").await.id.unwrap();
    drop(stream);

    // Missed while disconnected.
    let (status, body) = app.step(&id, &[("action", "judge_valid")]).await;
    assert_eq!(status, 200, "{body}");
    let (department, handler) = repair(app).await;
    let (status, body) = app
        .step(
            &id,
            &[
                ("action", "assign"),
                ("department_id", &department),
                ("handler_id", &handler),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");

    let mut resumed = open(&owner, &url, Some(&last)).await.unwrap();
    let replayed = resumed.change("resuming").await;
    let (_, complaint) = call_with(&owner, base, "tracked_complaint", &[("code", &code)]).await;
    let newest = complaint["timeline"].as_array().unwrap().last().unwrap();
    assert_eq!(newest["kind"], "assignment");
    assert_eq!(
        replayed.id.as_deref().and_then(|id| id.parse::<i64>().ok()),
        newest["id"].as_i64(),
        "one replayed change per complaint, with its newest row"
    );
    resumed.quiet("the replay").await;

    // Resuming from the newest id replays nothing; a client reconnecting by hand may
    // pass the id in the query.
    let mut current = open(
        &owner,
        &format!("{url}?last_event_id={}", event_id(&replayed)),
        None,
    )
    .await
    .unwrap();
    current.quiet("resuming from the newest row").await;
    let mut from_query = open(&owner, &format!("{url}?last_event_id={last}"), None)
        .await
        .unwrap();
    assert_eq!(from_query.change("resuming by query").await, replayed);

    // And the queue of the department it moved to hears of it when its handler resumes.
    let repair_handler = app.new_visitor();
    call_with(
        &repair_handler,
        base,
        "log_in",
        &[("login", "repair"), ("password", "demo-2026")],
    )
    .await;
    let mut queue = open(&repair_handler, &format!("{base}/live/queue"), Some(&last))
        .await
        .unwrap();
    assert_eq!(queue.change_of(&id, "resuming the queue").await, replayed);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn handlers_hear_of_their_department_only() {
    on_every_engine!(departments);
}

async fn departments(app: &TestApp) {
    let (id, _, _) = file(app, &[]).await;
    let base = &app.base;
    let mut queues = Vec::new();
    for login in ["repair", "engineer"] {
        let client = app.new_visitor();
        let (status, _) = call_with(
            &client,
            base,
            "log_in",
            &[("login", login), ("password", "demo-2026")],
        )
        .await;
        assert_eq!(status, 200);
        queues.push(
            open(&client, &format!("{base}/live/queue"), None)
                .await
                .unwrap(),
        );
    }
    app.log_in("supervisor").await;
    app.step(&id, &[("action", "judge_valid")]).await;
    let (department, handler) = repair(app).await;
    let (status, body) = app
        .step(
            &id,
            &[
                ("action", "assign"),
                ("department_id", &department),
                ("handler_id", &handler),
            ],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let [repair_queue, engineer_queue] = &mut queues[..] else {
        unreachable!()
    };
    repair_queue.change_of(&id, "an assignment to repair").await;
    engineer_queue
        .quiet_about(&id, "an assignment to repair")
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sla_job_and_the_owners_survey_answer_are_published() {
    on_every_engine!(job_and_survey);
}

async fn job_and_survey(app: &TestApp) {
    let (id, code, owner) = file(app, &[]).await;
    let base = &app.base;
    app.log_in("supervisor").await;
    let mut page = open(&app.client, &format!("{base}/live/complaints/{id}"), None)
        .await
        .unwrap();
    let running = app.running();
    let (warn_at, _) = app.sla_moments(&id).await;
    let later = warn_at + chrono::Duration::minutes(1);
    let done = server::jobs::sla::tick(&running.db, &running.policy, &*running.live, later)
        .await
        .unwrap();
    assert!(done.warned >= 1, "{done:?}");
    page.change("an SLA warning").await;

    let (department, handler) = repair(app).await;
    for step in [
        vec![("action", "judge_valid")],
        vec![
            ("action", "assign"),
            ("department_id", department.as_str()),
            ("handler_id", handler.as_str()),
        ],
        vec![("action", "start_investigation")],
        vec![
            ("action", "propose_solution"),
            ("plan", "更换破损的水管接头"),
        ],
        vec![("action", "resolve"), ("body", "接头已更换,已试水无渗漏")],
    ] {
        let (status, body) = app.step(&id, &step).await;
        assert_eq!(status, 200, "{step:?}: {body}");
        page.change("a step").await;
    }
    let form = [
        ("code", code.as_str()),
        ("answers[process]", "basic"),
        ("answers[timeliness]", "satisfied"),
        ("answers[attitude]", "satisfied"),
        ("answers[result]", "unsatisfied"),
        ("answers[overall]", "2"),
        ("answers[comment]", "柜子里还是有水"),
    ];
    let (status, body) = call_with(&owner, base, "answer_revisit", &form).await;
    assert_eq!(status, 200, "{body}");
    page.change("the owner's unsatisfied answer").await;
    let (_, complaint) = app.call("load_staff_complaint", &[("id", &id)]).await;
    assert_eq!(complaint["status"], "reopened");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_goes_away_leaves_no_subscription() {
    on_every_engine!(no_leaks);
}

async fn no_leaks(app: &TestApp) {
    let (id, code, owner) = file(app, &[]).await;
    let live = app.running().live.clone();
    let url = format!("{}/live/track/{code}", app.base);
    let streams = [
        open(&owner, &url, None).await.unwrap(),
        open(&owner, &url, None).await.unwrap(),
    ];
    assert_eq!(live.stats().subscribers, 2);
    assert_eq!(live.stats().topics, 1);
    drop(streams);

    // The server notices when it next writes (a change, or the heartbeat).
    app.log_in("agent").await;
    app.step(&id, &[("action", "reply"), ("body", "收到,马上安排。")])
        .await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while live.stats().subscribers > 0 && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(live.stats(), server::live::HubStats::default());
}

impl EventStream {
    /// Whether the server ends the stream within `wait`.
    async fn ends_within(&mut self, wait: Duration) -> bool {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            match tokio::time::timeout_at(deadline, self.response.chunk()).await {
                Ok(Ok(Some(_))) => continue,
                Ok(Ok(None)) | Ok(Err(_)) => return true,
                Err(_) => return false,
            }
        }
    }
}

/// ASVS 11.1.4, 1.4.x resource use: a session holds a few streams at once and the instance
/// a set number (429 with Retry-After beyond either); a stream with nothing to say ends
/// after the idle time and frees its place.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn streams_are_capped_per_session_and_overall_and_end_when_idle() {
    for engine in crate::support::engines() {
        let app = TestApp::spawn_with(engine, |config| {
            config.live_limits = server::live::caps::LiveLimits {
                per_session: 2,
                total: 3,
                idle: Duration::from_secs(2),
            };
        })
        .await;
        caps(&app).await;
        app.finish().await;
    }
}

async fn caps(app: &TestApp) {
    let base = &app.base;
    let (_, code, owner) = file(app, &[]).await;
    let track = format!("{base}/live/track/{code}");
    let first = open(&owner, &track, None).await.expect("first stream");
    let _second = open(&owner, &track, None).await.expect("second stream");
    let refused = owner
        .get(&track)
        .header(ACCEPT, "text/event-stream")
        .send()
        .await
        .expect("request");
    assert_eq!(refused.status().as_u16(), 429, "a third for one session");
    assert!(refused.headers().contains_key("retry-after"));
    drop(first);
    // The freed place is taken again once the server sees the client gone.
    let mut again = None;
    for _ in 0..50 {
        if let Ok(stream) = open(&owner, &track, None).await {
            again = Some(stream);
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let _again = again.expect("a freed place");

    // Staff have their own share, within the instance's total of 3.
    app.log_in("agent").await;
    let _queue = open(&app.client, &format!("{base}/live/queue"), None)
        .await
        .unwrap_or_else(|status| panic!("the queue stream: {status}"));
    let (_, other_code, other_owner) = file(app, &[("intake[phone]", "13987654321")]).await;
    assert_eq!(
        open(
            &other_owner,
            &format!("{base}/live/track/{other_code}"),
            None
        )
        .await
        .err(),
        Some(429),
        "past the instance's total"
    );

    // Idle streams end after 2 s here, and their places are free again.
    let mut idle = open(&app.client, &format!("{base}/live/queue"), None).await;
    assert_eq!(idle.as_ref().err(), Some(&429));
    tokio::time::sleep(Duration::from_secs(3)).await;
    idle = open(
        &other_owner,
        &format!("{base}/live/track/{other_code}"),
        None,
    )
    .await;
    let mut idle = idle.expect("places freed by idle streams");
    assert!(
        idle.ends_within(Duration::from_secs(5)).await,
        "an idle stream ends"
    );
}
