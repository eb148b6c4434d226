//! What the live-update benchmarks share: a server-function call, an owner's complaint, a
//! sequence of status changes, and an event stream that reports each change's arrival.
//! Included by `bench_live` and `bench_instances` (`#[path]`), not an example itself.

use std::time::Instant;

use reqwest::header::ACCEPT;
use tokio::sync::mpsc;

type AnyError = Box<dyn std::error::Error + Send + Sync>;

pub async fn call(
    client: &reqwest::Client,
    base: &str,
    endpoint: &str,
    form: &[(&str, &str)],
) -> Result<serde_json::Value, AnyError> {
    let response = client
        .post(format!("{base}/api/{endpoint}"))
        .header(ACCEPT, "application/json")
        .form(form)
        .send()
        .await?;
    let status = response.status();
    let body: serde_json::Value = response.json().await.unwrap_or_default();
    if !status.is_success() {
        return Err(format!("{endpoint}: {status} {body}").into());
    }
    Ok(body)
}

pub fn intake() -> Vec<(&'static str, &'static str)> {
    vec![
        (
            "intake[description]",
            "3栋2单元1501卫生间天花板漏水，已经三天了",
        ),
        ("intake[category]", "repair_service"),
        ("intake[community_id]", "1"),
        ("intake[building_id]", "3"),
        ("intake[unit]", "2单元1501"),
        ("intake[name]", "王先生"),
        ("intake[phone]", "13812345678"),
    ]
}

/// Accept, assign, then investigate → propose → resolve → "not satisfied" (reopened)
/// round and round.
pub fn status_changes<'a>(
    count: usize,
    department: &'a str,
    handler: &'a str,
) -> Vec<Vec<(&'static str, &'a str)>> {
    let mut steps: Vec<Vec<(&'static str, &'a str)>> = vec![
        vec![("action", "judge_valid")],
        vec![
            ("action", "assign"),
            ("department_id", department),
            ("handler_id", handler),
        ],
    ];
    let round: [Vec<(&'static str, &'a str)>; 4] = [
        vec![("action", "start_investigation")],
        vec![
            ("action", "propose_solution"),
            ("plan", "更换破损的水管接头"),
        ],
        vec![("action", "resolve"), ("body", "接头已更换，已试水无渗漏")],
        vec![
            ("action", "record_unsatisfied_revisit"),
            ("method", "phone"),
            ("process", "basic"),
            ("timeliness", "satisfied"),
            ("attitude", "satisfied"),
            ("result", "unsatisfied"),
            ("overall", "2"),
        ],
    ];
    while steps.len() < count {
        steps.extend(round.iter().cloned());
    }
    steps.truncate(count);
    steps
}

/// One stream: reports that it is open, then every `change` event as (number, when).
pub async fn follow(
    client: reqwest::Client,
    url: String,
    arrivals: mpsc::UnboundedSender<(usize, Instant)>,
    ready: mpsc::UnboundedSender<()>,
) {
    let Ok(mut response) = client
        .get(&url)
        .header(ACCEPT, "text/event-stream")
        .send()
        .await
    else {
        return;
    };
    if !response.status().is_success() {
        return;
    }
    let _ = ready.send(());
    let mut buffer = Vec::<u8>::new();
    let mut seen = 0;
    while let Ok(Some(bytes)) = response.chunk().await {
        let at = Instant::now();
        buffer.extend_from_slice(&bytes);
        while let Some(end) = buffer.windows(2).position(|w| w == b"\n\n") {
            let block: Vec<u8> = buffer.drain(..end + 2).collect();
            if block.windows(13).any(|w| w == b"event: change") {
                let _ = arrivals.send((seen, at));
                seen += 1;
            }
        }
    }
}
