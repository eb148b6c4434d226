//! Photo and video evidence over plain HTTP: a multipart form post that works with and
//! without JavaScript (`POST /track/{code}/evidence`, answered with a redirect back to the
//! tracking page), and the files themselves (`GET /evidence/{id}`, streamed from the file
//! store with range requests, so a video can be scrubbed), each only for those who may
//! see the complaint.

use app::error::AppError;
use app::ssr::Session;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::header::{
    CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_SECURITY_POLICY, CONTENT_TYPE, LOCATION,
};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use axum_login::AuthSession;
use domain::evidence::EvidenceLimits;
use domain::{Lang, Role, TrackingCode};
use tokio::io::AsyncWriteExt;

use super::Services;
use crate::auth::{SessionHandle, Users};
use crate::store::evidence::{self as store, Author, Received};

/// One request carries a video and a few photos at most.
const UPLOAD_BODY_LIMIT: usize = 64 * 1024 * 1024;

pub fn router() -> Router<Services> {
    Router::new()
        .route(
            "/track/{code}/evidence",
            post(upload).layer(DefaultBodyLimit::max(UPLOAD_BODY_LIMIT)),
        )
        .route("/evidence/{id}", get(file))
}

fn session(services: &Services, auth: AuthSession<Users>) -> SessionHandle {
    SessionHandle {
        auth,
        limiter: services.limiter.clone(),
    }
}

/// Back to the tracking page, with what happened in the query (the page shows it).
fn back(code: &str, outcome: Result<usize, String>) -> Response {
    let query = match outcome {
        Ok(n) => format!("evidence_added={n}"),
        Err(message) => format!(
            "evidence_error={}",
            form_urlencoded::byte_serialize(message.as_bytes()).collect::<String>()
        ),
    };
    let location = format!("/track/{code}?{query}#evidence");
    (
        StatusCode::SEE_OTHER,
        [(
            LOCATION,
            HeaderValue::from_str(&location).unwrap_or(HeaderValue::from_static("/track")),
        )],
    )
        .into_response()
}

async fn upload(
    State(services): State<Services>,
    auth: AuthSession<Users>,
    headers: HeaderMap,
    Path(code): Path<String>,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let lang = super::lang::from_headers(&headers);
    let Ok(code) = TrackingCode::parse(&code) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let session = session(&services, auth);
    let id = match services.backend.complaints.id_by_code(&code).await {
        Ok(Some(id)) => id,
        Ok(None) => return StatusCode::NOT_FOUND.into_response(),
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    // A real code this visitor may not use looks like an unknown one: no enumeration.
    match app::ssr::may_follow_as_owner(&session, id).await {
        Ok(true) => {}
        Ok(false) => return StatusCode::NOT_FOUND.into_response(),
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
    match services
        .uploads
        .check(&services.db.pool, id, chrono::Utc::now())
        .await
    {
        Ok(None) => {}
        Ok(Some(super::quotas::Refusal::DiskFull)) => {
            let text = message(
                lang,
                "服务器存储空间不足，暂时不能上传照片或视频。您的投诉已保存，请稍后再试，或在留言中描述情况。",
                "The server is short of storage: photos and videos cannot be uploaded for now. Your complaint is saved; try again later, or describe it in a message.",
            );
            return (
                StatusCode::INSUFFICIENT_STORAGE,
                axum::response::Html(format!(
                    "<!DOCTYPE html><meta charset=\"utf-8\"><title>507</title><p>{}</p><p><a href=\"/track/{}\">←</a></p>",
                    text,
                    code.as_str()
                )),
            )
                .into_response();
        }
        Ok(Some(super::quotas::Refusal::PhoneBudget)) => {
            return back(code.as_str(), Err(phone_budget(lang)));
        }
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
    let actor = session.actor();
    let author = Author {
        role: actor.as_ref().map_or(Role::Owner, |a| a.role),
        user_id: actor.as_ref().map(|a| a.user_id),
    };
    let Ok(multipart) = multipart else {
        return back(
            code.as_str(),
            Err(message(
                lang,
                "上传格式不正确，请重新选择文件",
                "The upload was malformed; choose the files again",
            )),
        );
    };
    // Uploads stream to disk; a photo is read whole (at most 10 MB) to remove where it
    // was taken, so a bounded number at a time bound the memory; the others wait.
    let Ok(_turn) = services.uploads.at_once.clone().acquire_owned().await else {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    };
    back(
        code.as_str(),
        receive(&services, id, author, multipart, lang).await,
    )
}

fn phone_budget(lang: Lang) -> String {
    message(
        lang,
        "这个手机号今天上传的照片和视频已达上限，请明天再上传，或在留言中描述情况",
        "This phone number has uploaded today's limit of photos and videos; upload more tomorrow, or describe it in a message",
    )
}

fn message(lang: Lang, zh: &str, en: &str) -> String {
    if lang == Lang::Zh { zh } else { en }.to_owned()
}

/// Reads every `file` part, checking each before it is stored; stops at the first refusal
/// (files stored before it stay).
async fn receive(
    services: &Services,
    id: i64,
    author: Author,
    mut multipart: Multipart,
    lang: Lang,
) -> Result<usize, String> {
    let limits = EvidenceLimits::default();
    let mut added = 0;
    // What this complainant's phone may still add today; a file beyond it is refused whole.
    let mut budget = services
        .uploads
        .phone_bytes_left(&services.db.pool, id, chrono::Utc::now())
        .await
        .map_err(|e| e.summary_in(lang))?;
    let too_big = || {
        message(
            lang,
            "文件太大：照片不超过10MB，视频不超过50MB",
            "Too large: photos up to 10 MB, videos up to 50 MB",
        )
    };
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(too_big()),
            Err(_) => {
                return Err(message(
                    lang,
                    "上传中断，请重试",
                    "The upload was interrupted; please try again",
                ))
            }
        };
        if field.name() != Some("file") {
            continue;
        }
        let name = field.file_name().unwrap_or("evidence").to_owned();
        let mut field = field;
        // Written to disk as it arrives, every limit checked on the way: nothing beyond
        // a limit is kept, and no file is held in memory.
        let mut incoming = services.files.incoming().await.map_err(|e| {
            tracing::error!(error = %e, "opening a file for an upload");
            AppError::Internal.summary_in(lang)
        })?;
        let mut received = Received::new(incoming.path.clone());
        let outcome = loop {
            match field.chunk().await {
                Ok(Some(chunk)) => {
                    received.add(&chunk);
                    if received.size > limits.max_any_bytes() {
                        break Err(too_big());
                    }
                    if received.size > budget {
                        break Err(phone_budget(lang));
                    }
                    if let Err(e) = incoming.file.write_all(&chunk).await {
                        tracing::error!(error = %e, "writing an upload");
                        break Err(AppError::Internal.summary_in(lang));
                    }
                }
                Ok(None) => break Ok(()),
                Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => break Err(too_big()),
                Err(_) => {
                    break Err(message(
                        lang,
                        "上传中断，请重试",
                        "The upload was interrupted; please try again",
                    ))
                }
            }
        };
        let flushed = incoming.file.flush().await;
        drop(incoming.file);
        if let Err(refusal) = outcome {
            let _ = tokio::fs::remove_file(&received.path).await;
            return Err(refusal);
        }
        if flushed.is_err() {
            let _ = tokio::fs::remove_file(&received.path).await;
            return Err(AppError::Internal.summary_in(lang));
        }
        // A file input left empty still sends an empty part.
        if received.size == 0 && name.is_empty() {
            let _ = tokio::fs::remove_file(&received.path).await;
            continue;
        }
        let size = received.size;
        let path = received.path.clone();
        let stored = store::add(
            &services.db,
            &services.files,
            &*services.live,
            id,
            author,
            &name,
            received,
            &limits,
            lang,
            chrono::Utc::now(),
        )
        .await;
        // Placed when stored; removed when refused.
        let _ = tokio::fs::remove_file(&path).await;
        stored.map_err(|e| e.summary_in(lang))?;
        budget = budget.saturating_sub(size);
        added += 1;
    }
    if added == 0 {
        return Err(message(
            lang,
            "请选择要上传的照片或视频",
            "Choose a photo or video to upload",
        ));
    }
    Ok(added)
}

async fn file(
    State(services): State<Services>,
    auth: AuthSession<Users>,
    Path(id): Path<i64>,
    request: axum::extract::Request,
) -> Response {
    // Rights first, from the file's complaint; the bytes are read only when allowed.
    // Unknown files and files of others' complaints look the same.
    let (complaint_id, scope) = match store::owner_of(&services.db.pool, id).await {
        Ok(Some(found)) => found,
        Ok(None) => return StatusCode::NOT_FOUND.into_response(),
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    let session = session(&services, auth);
    let proven = match app::ssr::Session::proven(&session, complaint_id).await {
        Ok(proven) => proven,
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    let doing = app::access::Doing::ReadEvidence { scope, proven };
    if !app::access::may(app::ssr::Session::actor(&session).as_ref(), doing) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let stored = match store::load(&services.db.pool, id).await {
        Ok(Some(stored)) => stored,
        Ok(None) => return StatusCode::NOT_FOUND.into_response(),
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    let disposition = format!(
        "inline; filename*=UTF-8''{}",
        form_urlencoded::byte_serialize(stored.file_name.as_bytes()).collect::<String>()
    );
    // The bytes (whole or a range, streamed) from the store; type, name and sandbox
    // are ours.
    let mut response = services.files.serve(id, request).await;
    if !response.status().is_success() && response.status() != StatusCode::NOT_MODIFIED {
        return response;
    }
    let headers = response.headers_mut();
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_str(&stored.content_type)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(CONTENT_DISPOSITION, value);
    }
    headers.insert(
        CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=3600"),
    );
    headers.insert(CONTENT_SECURITY_POLICY, HeaderValue::from_static("sandbox"));
    response
}

/// Not an error type of ours: a refused upload reads as the message the page shows.
trait Summary {
    fn summary_in(&self, lang: Lang) -> String;
}

impl Summary for AppError {
    fn summary_in(&self, lang: Lang) -> String {
        match self {
            AppError::Validation(fields) => fields
                .fields
                .values()
                .next()
                .cloned()
                .unwrap_or_else(|| message(lang, "文件未能保存", "The file was not saved")),
            _ => message(
                lang,
                "文件未能保存，请稍后再试",
                "The file was not saved; please try again later",
            ),
        }
    }
}
