//! Accounts: staff (and later owners), with argon2 password hashes.

use chrono::{DateTime, Utc};
use domain::Role;
use sqlx::{AnyPool, Row};

use super::to_ms;

/// A user as the login code needs it.
#[derive(Clone)]
pub struct UserRecord {
    pub id: i64,
    pub login: String,
    pub password_hash: String,
    pub display_name: String,
    pub role: Role,
    pub department_id: Option<i64>,
}

impl std::fmt::Debug for UserRecord {
    // Never print the hash.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserRecord")
            .field("id", &self.id)
            .field("login", &self.login)
            .finish()
    }
}

const COLUMNS: &str = "id, login, password_hash, display_name, role, department_id";

fn record(row: &sqlx::any::AnyRow) -> Result<UserRecord, sqlx::Error> {
    let role: String = row.try_get("role")?;
    Ok(UserRecord {
        id: row.try_get("id")?,
        login: row.try_get("login")?,
        password_hash: row.try_get("password_hash")?,
        display_name: row.try_get("display_name")?,
        role: Role::parse(&role).unwrap_or(Role::Owner),
        department_id: row.try_get("department_id")?,
    })
}

/// An active user by login name.
pub async fn by_login(pool: &AnyPool, login: &str) -> Result<Option<UserRecord>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM users WHERE login = $1 AND active = 1");
    sqlx::query(&sql)
        .bind(login)
        .fetch_optional(pool)
        .await?
        .as_ref()
        .map(record)
        .transpose()
}

/// An active user by id.
pub async fn by_id(pool: &AnyPool, id: i64) -> Result<Option<UserRecord>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM users WHERE id = $1 AND active = 1");
    sqlx::query(&sql)
        .bind(id)
        .fetch_optional(pool)
        .await?
        .as_ref()
        .map(record)
        .transpose()
}

/// A new account.
pub struct NewUser<'a> {
    pub login: &'a str,
    pub password_hash: &'a str,
    pub display_name: &'a str,
    pub role: Role,
    pub department_code: Option<&'a str>,
    pub phone: Option<&'a str>,
}

pub async fn create<'e>(
    pool: impl sqlx::Executor<'e, Database = sqlx::Any>,
    user: NewUser<'_>,
    now: DateTime<Utc>,
) -> Result<i64, sqlx::Error> {
    sqlx::query(
        "INSERT INTO users (login, password_hash, display_name, role, department_id, phone, created_at, password_changed_at)
         VALUES ($1, $2, $3, $4, (SELECT id FROM departments WHERE code = $5), $6, $7, $7)
         RETURNING id",
    )
    .bind(user.login)
    .bind(user.password_hash)
    .bind(user.display_name)
    .bind(user.role.code())
    .bind(user.department_code)
    .bind(user.phone)
    .bind(to_ms(now))
    .fetch_one(pool)
    .await?
    .try_get(0)
}

pub async fn count(pool: &AnyPool) -> Result<i64, sqlx::Error> {
    sqlx::query("SELECT COUNT(*) FROM users")
        .fetch_one(pool)
        .await?
        .try_get(0)
}

/// Appends to the audit log (logins, account and policy changes).
pub async fn audit<'e>(
    pool: impl sqlx::Executor<'e, Database = sqlx::Any>,
    at: DateTime<Utc>,
    actor_id: Option<i64>,
    action: &str,
    target: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO audit_log (at, actor_id, action, target) VALUES ($1, $2, $3, $4)")
        .bind(to_ms(at))
        .bind(actor_id)
        .bind(action)
        .bind(target)
        .execute(pool)
        .await
        .map(|_| ())
}
