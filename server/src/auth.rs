//! Logging in: axum-login over our users table, sessions in the database
//! (tower-sessions' sqlx store), argon2 hashes (password-auth).

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;

use app::error::{AppError, AppResult};
use app::model::Actor;
use async_trait::async_trait;
use axum_login::{AuthSession, AuthUser, AuthnBackend, UserId};

use crate::db::Db;
use crate::error::internal;
use crate::store::logins;
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

/// How logins under attack are slowed (README "Security"). Nobody is locked out: past
/// `free_attempts` unsuccessful attempts on one login name within `window`, each
/// further attempt waits `first_delay`, doubled per attempt up to `max_delay`, before
/// its password is checked. A success clears the name's count.
#[derive(Debug, Clone, Copy)]
pub struct LoginPolicy {
    /// Default 5.
    pub free_attempts: u32,
    /// Default 15 minutes.
    pub window: Duration,
    /// Default 1 second.
    pub first_delay: Duration,
    /// Default 30 seconds.
    pub max_delay: Duration,
    /// Password hashes checked at once (argon2 takes ~19 MiB each). Default 4.
    pub concurrent_hashes: usize,
}

impl Default for LoginPolicy {
    fn default() -> Self {
        LoginPolicy {
            free_attempts: 5,
            window: Duration::from_secs(15 * 60),
            first_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(30),
            concurrent_hashes: 4,
        }
    }
}

/// Unsuccessful login attempts per login name, counted in the database so that every
/// instance sees the same count (`store::logins`). An attempt is counted when it begins,
/// in the one statement that reads the count, so parallel attempts each see the ones
/// before them (no check-then-act gap). The name is kept only as a digest.
pub struct LoginLimiter {
    pool: sqlx::AnyPool,
    policy: LoginPolicy,
    hashes: tokio::sync::Semaphore,
    /// Attempts since the expired windows were last deleted.
    since_cleanup: AtomicU32,
}

/// Attempts counted between two deletions of expired windows.
const ATTEMPTS_BEFORE_CLEANUP: u32 = 1_000;

impl LoginLimiter {
    pub fn new(pool: sqlx::AnyPool, policy: LoginPolicy) -> LoginLimiter {
        LoginLimiter {
            pool,
            policy,
            hashes: tokio::sync::Semaphore::new(policy.concurrent_hashes.max(1)),
            since_cleanup: AtomicU32::new(0),
        }
    }

    fn digest(login: &str) -> String {
        use sha2::{Digest, Sha256};
        Sha256::digest(login.trim().to_lowercase().as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// Window starts at or before this moment have expired.
    fn expired(&self) -> i64 {
        let window = chrono::Duration::from_std(self.policy.window).unwrap_or_default();
        crate::store::to_ms(chrono::Utc::now() - window)
    }

    /// Counts an attempt on `login` and says how long it must wait first.
    pub async fn begin(&self, login: &str) -> Result<Duration, sqlx::Error> {
        if self.since_cleanup.fetch_add(1, Ordering::Relaxed) >= ATTEMPTS_BEFORE_CLEANUP {
            self.since_cleanup.store(0, Ordering::Relaxed);
            logins::delete_expired(&self.pool, self.expired()).await?;
        }
        let now = crate::store::to_ms(chrono::Utc::now());
        let before =
            logins::count_attempt(&self.pool, &Self::digest(login), now, self.expired()).await?;
        Ok(self.delay_after(u32::try_from(before).unwrap_or(u32::MAX)))
    }

    fn delay_after(&self, attempts: u32) -> Duration {
        let Some(over) = attempts.checked_sub(self.policy.free_attempts) else {
            return Duration::ZERO;
        };
        let factor = 1u32.checked_shl(over.min(16)).unwrap_or(u32::MAX);
        self.policy
            .first_delay
            .saturating_mul(factor)
            .min(self.policy.max_delay)
    }

    /// Unsuccessful attempts on `login` in the current window.
    pub async fn attempts(&self, login: &str) -> Result<u32, sqlx::Error> {
        let n = logins::attempts(&self.pool, &Self::digest(login), self.expired()).await?;
        Ok(u32::try_from(n).unwrap_or(u32::MAX))
    }

    pub async fn clear(&self, login: &str) -> Result<(), sqlx::Error> {
        logins::clear(&self.pool, &Self::digest(login)).await
    }

    /// A permit to run one password hash.
    pub async fn hash_permit(&self) -> Option<tokio::sync::SemaphorePermit<'_>> {
        self.hashes.acquire().await.ok()
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
        let wait = self
            .limiter
            .begin(login)
            .await
            .map_err(|e| internal("counting login attempts", e))?;
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
        }
        let permit = self.limiter.hash_permit().await;
        let mut auth = self.auth.clone();
        let creds = Credentials {
            login: login.to_owned(),
            password: password.to_owned(),
        };
        let user = auth
            .authenticate(creds)
            .await
            .map_err(|e| internal("checking a password", e))?;
        drop(permit);
        let pool = &self.auth.backend.db.pool;
        let now = chrono::Utc::now();
        let Some(user) = user else {
            users::audit(pool, now, None, "login_failed", Some(login))
                .await
                .map_err(|e| internal("auditing", e))?;
            return Err(AppError::Unauthorized);
        };
        self.limiter
            .clear(login)
            .await
            .map_err(|e| internal("counting login attempts", e))?;
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

    async fn proven(&self, complaint_id: i64) -> AppResult<bool> {
        let tracked: Vec<i64> = self
            .auth
            .session
            .get(TRACKED_KEY)
            .await
            .map_err(|e| internal("reading the session", e))?
            .unwrap_or_default();
        if tracked.contains(&complaint_id) {
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
