//! The pages' event streams (server-sent events), one per page:
//! - `GET /live/track/{code}` — the owner's tracking page; only for a session that may
//!   track the complaint (proved code + phone, or staff). Others get 404, as for an
//!   unknown code, so codes cannot be probed.
//! - `GET /live/complaints/{id}` — the staff complaint page; the page's visibility rules.
//! - `GET /live/queue` — the staff queue; handlers hear of their department's complaints.
//!
//! Each `change` event has the complaint's newest timeline row as its id. A stream resumed
//! with `Last-Event-ID` (or `?last_event_id=`, for clients that reconnect by hand) first
//! replays, from the `complaint_events` table, every complaint changed since. Comments
//! every 15 s keep proxies from closing an idle stream and reveal a vanished client, whose
//! subscription is then dropped with the response body.

use std::convert::Infallible;
use std::time::Duration;

use app::error::AppError;
use app::model::Actor;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use axum_login::AuthSession;
use domain::TrackingCode;
use futures::{Stream, StreamExt};
use serde::Deserialize;

use super::caps::StreamPermit;
use super::{Change, Next, Subscription, Topic};
use crate::auth::{SessionHandle, Users};
use crate::http::Services;
use crate::store::complaints::{row, views};
use crate::store::events;

/// How often an idle stream sends a comment.
pub const HEARTBEAT: Duration = Duration::from_secs(15);
/// How long a browser waits before reconnecting a dropped stream.
const RETRY: Duration = Duration::from_secs(3);
/// Complaints replayed at most on resuming; past that the page refetches everything.
const REPLAY_LIMIT: i64 = 500;

pub fn router<S>(services: Services) -> Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    Router::new()
        .route("/live/track/{code}", get(track))
        .route("/live/complaints/{id}", get(complaint))
        .route("/live/queue", get(queue))
        .with_state(services)
}

#[derive(Debug, Default, Deserialize)]
struct Resume {
    last_event_id: Option<String>,
}

/// Where a reconnecting client left off, if it says.
fn resume_after(headers: &HeaderMap, query: &Resume) -> Option<i64> {
    headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .or(query.last_event_id.as_deref())
        .and_then(|v| v.trim().parse::<i64>().ok())
        .filter(|id| *id >= 0)
}

async fn track(
    State(services): State<Services>,
    auth: AuthSession<Users>,
    Path(code): Path<String>,
    Query(resume): Query<Resume>,
    headers: HeaderMap,
) -> Response {
    let session = session_key(&auth);
    let allowed = async {
        let Ok(code) = TrackingCode::parse(&code) else {
            return Err(AppError::NotFound);
        };
        let id = services
            .backend
            .complaints
            .id_by_code(&code)
            .await?
            .ok_or(AppError::NotFound)?;
        let session = SessionHandle {
            auth,
            limiter: services.limiter.clone(),
        };
        if !app::ssr::may_follow_as_owner(&session, id).await? {
            return Err(AppError::NotFound);
        }
        Ok(id)
    };
    match allowed.await {
        Ok(id) => follow_complaint(&services, session, id, resume_after(&headers, &resume)).await,
        Err(error) => refuse(&error),
    }
}

async fn complaint(
    State(services): State<Services>,
    auth: AuthSession<Users>,
    Path(id): Path<i64>,
    Query(resume): Query<Resume>,
    headers: HeaderMap,
) -> Response {
    let allowed = async {
        let actor = staff(&auth)?;
        let mut conn = services
            .db
            .pool
            .acquire()
            .await
            .map_err(crate::error::db("connecting"))?;
        let complaint = row::load(&mut conn, id)
            .await
            .map_err(crate::error::db("loading a complaint"))?
            .ok_or(AppError::NotFound)?;
        if !views::may_see(&actor, complaint.department_id) {
            return Err(AppError::Forbidden);
        }
        Ok::<(), AppError>(())
    };
    let session = session_key(&auth);
    match allowed.await {
        Ok(()) => follow_complaint(&services, session, id, resume_after(&headers, &resume)).await,
        Err(error) => refuse(&error),
    }
}

async fn queue(
    State(services): State<Services>,
    auth: AuthSession<Users>,
    Query(resume): Query<Resume>,
    headers: HeaderMap,
) -> Response {
    let actor = match staff(&auth) {
        Ok(actor) => actor,
        Err(error) => return refuse(&error),
    };
    let department = views::visible_department(&actor);
    let Some(permit) = services.streams.admit(session_key(&auth)) else {
        return too_many();
    };
    let subscription = services.live.subscribe(Topic::Queue);
    let replay = match resume_after(&headers, &resume) {
        Some(after) => {
            match events::changes_since(&services.db.pool, after, None, department, REPLAY_LIMIT)
                .await
            {
                Ok(replay) => replay,
                Err(error) => return refuse(&crate::error::internal("replaying changes", error)),
            }
        }
        None => Vec::new(),
    };
    let sees = move |change: &Change| {
        department
            .is_none_or(|d| change.department == Some(d) || change.previous_department == Some(d))
    };
    respond(
        subscription,
        replay,
        sees,
        permit,
        services.streams.limits.idle,
    )
}

/// Subscribes first, then replays: a change committed in between arrives twice (the page
/// refetches twice), never not at all.
async fn follow_complaint(
    services: &Services,
    session: Option<String>,
    id: i64,
    after: Option<i64>,
) -> Response {
    let Some(permit) = services.streams.admit(session) else {
        return too_many();
    };
    let subscription = services.live.subscribe(Topic::Complaint(id));
    let replay = match after {
        Some(after) => {
            match events::changes_since(&services.db.pool, after, Some(id), None, REPLAY_LIMIT)
                .await
            {
                Ok(replay) => replay,
                Err(error) => return refuse(&crate::error::internal("replaying changes", error)),
            }
        }
        None => Vec::new(),
    };
    respond(
        subscription,
        replay,
        |_: &Change| true,
        permit,
        services.streams.limits.idle,
    )
}

/// The session a stream counts against (`None` before a session is stored: only the
/// instance's total applies, and such a visitor is refused the streams anyway).
fn session_key(auth: &AuthSession<Users>) -> Option<String> {
    auth.session.id().map(|id| id.to_string())
}

/// A cap on open streams is reached: 429, try again in a while (the page's own
/// reconnection does).
fn too_many() -> Response {
    let mut response = (StatusCode::TOO_MANY_REQUESTS, "Too Many Requests").into_response();
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("30"));
    response
}

fn staff(auth: &AuthSession<Users>) -> Result<Actor, AppError> {
    let actor = auth
        .user
        .as_ref()
        .map(crate::auth::User::actor)
        .ok_or(AppError::Unauthorized)?;
    if app::access::may(Some(&actor), app::access::Doing::WorkQueue) {
        Ok(actor)
    } else {
        Err(AppError::Forbidden)
    }
}

fn refuse(error: &AppError) -> Response {
    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, status.canonical_reason().unwrap_or("")).into_response()
}

fn change_event(change: &Change) -> Event {
    Event::default()
        .event("change")
        .id(change.event_id.to_string())
        .data(format!("{{\"complaint_id\":{}}}", change.complaint_id))
}

/// Changes were dropped (a slow client, a truncated replay): refetch everything. No id, so
/// the client's `Last-Event-ID` stays where it was.
fn resync() -> Event {
    Event::default().event("resync").data("{}")
}

fn respond(
    subscription: Subscription,
    replay: Vec<Change>,
    accept: impl Fn(&Change) -> bool + Send + 'static,
    permit: StreamPermit,
    idle: Duration,
) -> Response {
    let truncated = replay.len() >= usize::try_from(REPLAY_LIMIT).unwrap_or(usize::MAX);
    let head = std::iter::once(Event::default().retry(RETRY).comment("live"))
        .chain(replay.iter().map(change_event))
        .chain(truncated.then(resync))
        .collect::<Vec<_>>();
    let body = futures::stream::iter(head)
        .chain(follow(subscription, accept, permit, idle))
        .map(Ok::<_, Infallible>);
    let mut response = Sse::new(body)
        .keep_alive(KeepAlive::new().interval(HEARTBEAT).text("heartbeat"))
        .into_response();
    // Proxies (nginx) must pass events through at once, and nothing may cache them.
    let headers = response.headers_mut();
    headers.insert("x-accel-buffering", HeaderValue::from_static("no"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The live part of a stream. It holds its place under the caps (`permit`) until it
/// ends, and ends after `idle` without a change for this page.
fn follow(
    subscription: Subscription,
    accept: impl Fn(&Change) -> bool + Send + 'static,
    permit: StreamPermit,
    idle: Duration,
) -> impl Stream<Item = Event> + Send {
    futures::stream::unfold(
        (subscription, accept, permit),
        move |(mut subscription, accept, permit)| async move {
            loop {
                let Ok(next) = tokio::time::timeout(idle, subscription.next()).await else {
                    return None;
                };
                match next {
                    Next::Change(change) if accept(&change) => {
                        return Some((change_event(&change), (subscription, accept, permit)))
                    }
                    Next::Change(_) => {}
                    Next::Lagged => return Some((resync(), (subscription, accept, permit))),
                    Next::Closed => return None,
                }
            }
        },
    )
}
