//! Logging in: axum-login over our users table, sessions in the database
//! (tower-sessions' sqlx store), argon2 hashes (password-auth).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use app::error::{AppError, AppResult};
use app::model::Actor;
use async_trait::async_trait;
use axum_login::{AuthSession, AuthUser, AuthnBackend, UserId};

use crate::db::Db;
use crate::error::internal;
use crate::store::users::{self, UserRecord};

/// A logged-in user. The session is bound to the password hash, so changing the
/// password ends every other session.
#[derive(Clone, Debug)]
pub struct User(pub UserRecord);

impl AuthUser for User {
    type Id = i64;

    fn id(&self) -> i64 {
        self.0.id
    }

    fn session_auth_hash(&self) -> &[u8] {
        self.0.password_hash.as_bytes()
    }
}

impl User {
    pub fn actor(&self) -> Actor {
        Actor {
            user_id: self.0.id,
            role: self.0.role,
            display_name: self.0.display_name.clone(),
            department_id: self.0.department_id,
        }
    }
}

pub struct Credentials {
    pub login: String,
    pub password: String,
}

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error("password check did not finish: {0}")]
    Task(#[from] tokio::task::JoinError),
}

/// Verifies passwords against the users table.
#[derive(Clone)]
pub struct Users {
    pub db: Db,
}

/// A hash of a random password, checked when the login is unknown so that an
/// unknown user takes as long to refuse as a wrong password.
static DUMMY_HASH: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| password_auth::generate_hash("not a real password"));

impl AuthnBackend for Users {
    type User = User;
    type Credentials = Credentials;
    type Error = AuthError;

    async fn authenticate(&self, creds: Credentials) -> Result<Option<User>, AuthError> {
        let user = users::by_login(&self.db.pool, &creds.login).await?;
        let hash = user
            .as_ref()
            .map_or_else(|| DUMMY_HASH.clone(), |u| u.password_hash.clone());
        let matches = tokio::task::spawn_blocking(move || {
            password_auth::verify_password(creds.password, &hash).is_ok()
        })
        .await?;
        Ok(user.filter(|_| matches).map(User))
    }

    async fn get_user(&self, user_id: &UserId<Self>) -> Result<Option<User>, AuthError> {
        Ok(users::by_id(&self.db.pool, *user_id).await?.map(User))
    }
}

/// Failed logins per login name within a window; past the limit, refuse for a while.
pub struct LoginLimiter {
    failures: Mutex<HashMap<String, (u32, Instant)>>,
    max_failures: u32,
    window: Duration,
}

impl Default for LoginLimiter {
    /// 5 failures per 15 minutes per login name.
    fn default() -> Self {
        LoginLimiter {
            failures: Mutex::new(HashMap::new()),
            max_failures: 5,
            window: Duration::from_secs(15 * 60),
        }
    }
}

impl LoginLimiter {
    fn key(login: &str) -> String {
        login.trim().to_lowercase()
    }

    pub fn is_blocked(&self, login: &str) -> bool {
        let failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        failures
            .get(&Self::key(login))
            .is_some_and(|(n, since)| *n >= self.max_failures && since.elapsed() < self.window)
    }

    pub fn record_failure(&self, login: &str) {
        let mut failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        if failures.len() > 100_000 {
            failures.retain(|_, (_, since)| since.elapsed() < self.window);
        }
        let entry = failures
            .entry(Self::key(login))
            .or_insert((0, Instant::now()));
        if entry.1.elapsed() >= self.window {
            *entry = (0, Instant::now());
        }
        entry.0 += 1;
    }

    pub fn clear(&self, login: &str) {
        self.failures
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&Self::key(login));
    }
}

const TRACKED_KEY: &str = "tracked_complaints";
const VISIT_KEY: &str = "visit_key";

/// The per-request session handed to server functions.
pub struct SessionHandle {
    pub auth: AuthSession<Users>,
    pub limiter: Arc<LoginLimiter>,
}

#[async_trait]
impl app::ssr::Session for SessionHandle {
    fn actor(&self) -> Option<Actor> {
        self.auth.user.as_ref().map(User::actor)
    }

    async fn log_in(&self, login: &str, password: &str) -> AppResult<Actor> {
        if self.limiter.is_blocked(login) {
            return Err(AppError::RateLimited);
        }
        let mut auth = self.auth.clone();
        let creds = Credentials {
            login: login.to_owned(),
            password: password.to_owned(),
        };
        let user = auth
            .authenticate(creds)
            .await
            .map_err(|e| internal("checking a password", e))?;
        let pool = &self.auth.backend.db.pool;
        let now = chrono::Utc::now();
        let Some(user) = user else {
            self.limiter.record_failure(login);
            users::audit(pool, now, None, "login_failed", Some(login))
                .await
                .map_err(|e| internal("auditing", e))?;
            return Err(AppError::Unauthorized);
        };
        self.limiter.clear(login);
        auth.login(&user)
            .await
            .map_err(|e| internal("starting a session", e))?;
        users::audit(pool, now, Some(user.0.id), "login", None)
            .await
            .map_err(|e| internal("auditing", e))?;
        Ok(user.actor())
    }

    async fn log_out(&self) -> AppResult<()> {
        let mut auth = self.auth.clone();
        let user = auth
            .logout()
            .await
            .map_err(|e| internal("ending a session", e))?;
        if let Some(user) = user {
            users::audit(
                &self.auth.backend.db.pool,
                chrono::Utc::now(),
                Some(user.0.id),
                "logout",
                None,
            )
            .await
            .map_err(|e| internal("auditing", e))?;
        }
        Ok(())
    }

    async fn remember_tracked(&self, complaint_id: i64) -> AppResult<()> {
        let session = &self.auth.session;
        let mut tracked: Vec<i64> = session
            .get(TRACKED_KEY)
            .await
            .map_err(|e| internal("reading the session", e))?
            .unwrap_or_default();
        if !tracked.contains(&complaint_id) {
            tracked.push(complaint_id);
            // A visitor tracking more than a handful is unusual; keep the newest 50.
            let excess = tracked.len().saturating_sub(50);
            tracked.drain(..excess);
            session
                .insert(TRACKED_KEY, tracked)
                .await
                .map_err(|e| internal("writing the session", e))?;
        }
        Ok(())
    }

    async fn may_track(&self, complaint_id: i64) -> AppResult<bool> {
        let tracked: Vec<i64> = self
            .auth
            .session
            .get(TRACKED_KEY)
            .await
            .map_err(|e| internal("reading the session", e))?
            .unwrap_or_default();
        if tracked.contains(&complaint_id) || self.actor().is_some_and(|a| a.role.is_staff()) {
            return Ok(true);
        }
        // A logged-in owner may track every complaint of their own.
        let Some(owner) = self.actor().filter(|a| a.role == domain::Role::Owner) else {
            return Ok(false);
        };
        let mine = sqlx::query("SELECT 1 FROM complaints WHERE id = $1 AND owner_user_id = $2")
            .bind(complaint_id)
            .bind(owner.user_id)
            .fetch_optional(&self.auth.backend.db.pool)
            .await
            .map_err(|e| internal("checking ownership", e))?;
        Ok(mine.is_some())
    }

    async fn visit_key(&self, create: bool) -> AppResult<Option<String>> {
        let session = &self.auth.session;
        let existing: Option<String> = session
            .get(VISIT_KEY)
            .await
            .map_err(|e| internal("reading the session", e))?;
        if existing.is_some() || !create {
            return Ok(existing);
        }
        // 128 random bits: the key only links a visit's FAQ opens to its filing.
        let key = format!("{:032x}", rand::random::<u128>());
        session
            .insert(VISIT_KEY, &key)
            .await
            .map_err(|e| internal("writing the session", e))?;
        Ok(Some(key))
    }
}
