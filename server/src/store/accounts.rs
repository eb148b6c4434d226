//! Owner accounts (optional for owners, rules.md "Self-service"): register with a phone
//! number, see every own complaint, claim complaints filed earlier with the same phone by
//! proving their tracking code; and changing passwords for everyone.

use app::error::{AppError, AppResult, FieldErrors};
use app::model::{Actor, MyComplaint, MyComplaints};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use domain::{Lang, PhoneNumber, Role, TrackingCode};
use sqlx::Row;

use super::complaints::row;
use super::users::{self, NewUser};
use super::{from_ms, to_ms};
use crate::db::Db;
use crate::error::{db, internal};

/// Shortest password accepted from owners and staff.
pub const MIN_PASSWORD_CHARS: usize = 8;

pub struct AccountStore {
    pub db: Db,
}

pub async fn hash(password: String) -> AppResult<String> {
    tokio::task::spawn_blocking(move || password_auth::generate_hash(password))
        .await
        .map_err(|e| internal("hashing a password", e))
}

fn field(field: &str, lang: Lang, zh: &str, en: &str) -> AppError {
    AppError::Validation(FieldErrors::one(
        field,
        if lang == Lang::Zh { zh } else { en },
    ))
}

pub fn check_new_password(password: &str, lang: Lang) -> AppResult<()> {
    let chars = password.chars().count();
    if !(MIN_PASSWORD_CHARS..=128).contains(&chars) {
        return Err(field(
            "password",
            lang,
            &format!("密码至少{MIN_PASSWORD_CHARS}位（最多128位）"),
            &format!("The password needs at least {MIN_PASSWORD_CHARS} characters (at most 128)"),
        ));
    }
    Ok(())
}

#[async_trait]
impl app::ssr::Accounts for AccountStore {
    async fn register_owner(
        &self,
        phone: &PhoneNumber,
        proof: &TrackingCode,
        name: &str,
        password: &str,
        lang: Lang,
        now: DateTime<Utc>,
    ) -> AppResult<()> {
        // The phone is proven first: nobody learns whether a phone has an account without
        // a complaint filed with it. Any mismatch reads the same.
        let proven: Option<i64> =
            sqlx::query("SELECT id FROM complaints WHERE tracking_code = $1 AND phone = $2")
                .bind(proof.as_str())
                .bind(phone.as_str())
                .fetch_optional(&self.db.pool)
                .await
                .map_err(db("proving a phone"))?
                .map(|row| row.try_get(0))
                .transpose()
                .map_err(db("reading a complaint"))?;
        let Some(complaint_id) = proven else {
            return Err(field(
                "code",
                lang,
                "查询码与手机号不匹配：请填写用这个手机号提交的投诉的查询码",
                "The tracking code does not match the phone number: enter the code of a complaint filed with this phone",
            ));
        };
        let hashed = hash(password.to_owned()).await?;
        let user = NewUser {
            login: phone.as_str(),
            password_hash: &hashed,
            display_name: name,
            role: Role::Owner,
            department_code: None,
            phone: Some(phone.as_str()),
        };
        let mut tx = self.db.begin().await.map_err(db("starting"))?;
        match users::create(&mut *tx, user, now).await {
            Ok(id) => {
                // The complaint that proved the phone is the account's from the start.
                sqlx::query(
                    "UPDATE complaints SET owner_user_id = $1, updated_at = $3
                     WHERE id = $2 AND owner_user_id IS NULL",
                )
                .bind(id)
                .bind(complaint_id)
                .bind(to_ms(now))
                .execute(&mut *tx)
                .await
                .map_err(db("claiming the proving complaint"))?;
                users::audit(&mut *tx, now, Some(id), "register", Some(proof.as_str()))
                    .await
                    .map_err(db("auditing"))?;
                tx.commit().await.map_err(db("committing"))
            }
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Err(field(
                "phone",
                lang,
                "这个手机号已经注册，请直接登录",
                "This phone number is already registered; please log in",
            )),
            Err(e) => Err(internal("registering", e)),
        }
    }

    async fn phone_of(&self, actor: &Actor) -> AppResult<Option<PhoneNumber>> {
        let phone: Option<String> = sqlx::query("SELECT phone FROM users WHERE id = $1")
            .bind(actor.user_id)
            .fetch_optional(&self.db.pool)
            .await
            .map_err(db("loading the account"))?
            .map(|row| row.try_get::<Option<String>, _>(0))
            .transpose()
            .map_err(db("reading the account"))?
            .flatten();
        Ok(phone.and_then(|p| PhoneNumber::parse(&p).ok()))
    }

    async fn my_complaints(&self, actor: &Actor) -> AppResult<MyComplaints> {
        let phone = sqlx::query("SELECT phone FROM users WHERE id = $1")
            .bind(actor.user_id)
            .fetch_one(&self.db.pool)
            .await
            .map_err(db("loading the account"))?
            .try_get::<Option<String>, _>(0)
            .map_err(db("reading the account"))?
            .unwrap_or_default();
        let own = sqlx::query(
            "SELECT tracking_code, category, status, filed_at, description FROM complaints
             WHERE owner_user_id = $1 ORDER BY filed_at DESC LIMIT 200",
        )
        .bind(actor.user_id)
        .fetch_all(&self.db.pool)
        .await
        .map_err(db("listing own complaints"))?
        .iter()
        .map(|r| {
            let description: String = r.try_get("description")?;
            Ok(MyComplaint {
                tracking_code: r.try_get("tracking_code")?,
                category: row::parse_category(&r.try_get::<String, _>("category")?),
                status: row::parse_status(&r.try_get::<String, _>("status")?),
                filed_at: from_ms(r.try_get("filed_at")?),
                summary: description.chars().take(60).collect(),
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()
        .map_err(db("reading own complaints"))?;
        let claimable = sqlx::query(
            "SELECT COUNT(*) FROM complaints WHERE phone = $1 AND owner_user_id IS NULL",
        )
        .bind(&phone)
        .fetch_one(&self.db.pool)
        .await
        .map_err(db("counting claimable complaints"))?
        .try_get(0)
        .map_err(db("reading a count"))?;
        Ok(MyComplaints {
            phone,
            own,
            claimable,
        })
    }

    async fn claim(
        &self,
        actor: &Actor,
        code: &TrackingCode,
        lang: Lang,
        now: DateTime<Utc>,
    ) -> AppResult<()> {
        // The code must belong to a complaint filed with this account's phone number; any
        // mismatch reads the same, so codes cannot be probed.
        let mut tx = self.db.begin().await.map_err(db("starting"))?;
        let claimed = sqlx::query(
            "UPDATE complaints SET owner_user_id = $1, updated_at = $3
             WHERE tracking_code = $2 AND owner_user_id IS NULL
               AND phone = (SELECT phone FROM users WHERE id = $1)",
        )
        .bind(actor.user_id)
        .bind(code.as_str())
        .bind(to_ms(now))
        .execute(&mut *tx)
        .await
        .map_err(db("claiming a complaint"))?;
        if claimed.rows_affected() != 1 {
            return Err(field(
                "code",
                lang,
                "查询码与您的手机号不匹配，或已关联到您的账号",
                "The code does not match your phone number, or is already yours",
            ));
        }
        users::audit(
            &mut *tx,
            now,
            Some(actor.user_id),
            "claim",
            Some(code.as_str()),
        )
        .await
        .map_err(db("auditing"))?;
        tx.commit().await.map_err(db("committing"))
    }

    async fn change_password(
        &self,
        actor: &Actor,
        current: &str,
        new: &str,
        lang: Lang,
        now: DateTime<Utc>,
    ) -> AppResult<()> {
        check_new_password(new, lang)?;
        let user = users::by_id(&self.db.pool, actor.user_id)
            .await
            .map_err(db("loading the account"))?
            .ok_or(AppError::Unauthorized)?;
        let (current, stored) = (current.to_owned(), user.password_hash.clone());
        let matches = tokio::task::spawn_blocking(move || {
            password_auth::verify_password(current, &stored).is_ok()
        })
        .await
        .map_err(|e| internal("checking a password", e))?;
        if !matches {
            return Err(field(
                "current",
                lang,
                "当前密码不正确",
                "The current password is wrong",
            ));
        }
        let hashed = hash(new.to_owned()).await?;
        let mut tx = self.db.begin().await.map_err(db("starting"))?;
        sqlx::query("UPDATE users SET password_hash = $2, password_changed_at = $3 WHERE id = $1")
            .bind(actor.user_id)
            .bind(hashed)
            .bind(to_ms(now))
            .execute(&mut *tx)
            .await
            .map_err(db("changing a password"))?;
        users::audit(&mut *tx, now, Some(actor.user_id), "password_changed", None)
            .await
            .map_err(db("auditing"))?;
        tx.commit().await.map_err(db("committing"))
    }
}
