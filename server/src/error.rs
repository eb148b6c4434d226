//! Store errors and how they reach the client: causes are logged here, once, and
//! the client only learns that something failed on our side.

use app::error::AppError;

/// Turns any failure into `AppError::Internal`, logging its cause chain.
pub fn internal(context: &str, error: impl std::error::Error) -> AppError {
    let mut message = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    tracing::error!(context, error = %message, "internal error");
    AppError::Internal
}

/// `?`-friendly: `query.await.map_err(db("loading the queue"))?`.
pub fn db(context: &'static str) -> impl Fn(sqlx::Error) -> AppError {
    move |e| internal(context, e)
}
