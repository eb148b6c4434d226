//! Administration: accounts, departments, the policy and canned replies. Every change is
//! an append-only audit row written in the same transaction (who, when, before/after).

use app::error::{AppError, AppResult, FieldErrors};
use app::model::{
    Actor, CalendarAdmin, CalendarInput, CannedInput, CannedView, DepartmentInput, DepartmentView,
    UserInput, UserView,
};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use domain::{Lang, Policy, Role};
use sqlx::{AnyConnection, Row};

use super::accounts::{check_new_password, hash};
use super::{from_ms, to_ms};
use crate::db::Db;
use crate::error::{db, internal};
use crate::policy::{PolicyError, PolicyHandle};

pub struct AdminStore {
    pub db: Db,
    pub policy: std::sync::Arc<PolicyHandle>,
}

fn invalid(field: &str, lang: Lang, zh: impl Into<String>, en: impl Into<String>) -> AppError {
    let message = if lang == Lang::Zh {
        zh.into()
    } else {
        en.into()
    };
    AppError::Validation(FieldErrors::one(field, message))
}

fn require_admin(actor: &Actor) -> AppResult<()> {
    if app::access::may(Some(actor), app::access::Doing::Administer) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

async fn audit(
    conn: &mut AnyConnection,
    actor: &Actor,
    action: &str,
    target: &str,
    before: Option<String>,
    after: Option<String>,
    now: DateTime<Utc>,
) -> AppResult<()> {
    sqlx::query("INSERT INTO audit_log (at, actor_id, action, target, before_value, after_value) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(to_ms(now))
        .bind(actor.user_id)
        .bind(action)
        .bind(target)
        .bind(before)
        .bind(after)
        .execute(&mut *conn)
        .await
        .map_err(db("auditing"))
        .map(|_| ())
}

fn optional_id(raw: &str) -> Option<i64> {
    raw.trim().parse::<i64>().ok().filter(|id| *id > 0)
}

fn text(raw: &str, field: &str, max: usize, lang: Lang) -> AppResult<String> {
    let value = raw.trim();
    if value.is_empty() {
        return Err(invalid(field, lang, "此项必填", "This field is required"));
    }
    if value.chars().count() > max {
        return Err(invalid(
            field,
            lang,
            format!("最多{max}个字"),
            format!("At most {max} characters"),
        ));
    }
    Ok(value.to_owned())
}

#[async_trait]
impl app::ssr::Admin for AdminStore {
    async fn users(&self) -> AppResult<Vec<UserView>> {
        // Each handler's complaints still being handled, oldest first.
        let mut open: std::collections::HashMap<i64, Vec<app::model::OpenComplaint>> =
            std::collections::HashMap::new();
        let rows = sqlx::query(
            "SELECT handler_id, id, tracking_code FROM complaints
             WHERE handler_id IS NOT NULL
               AND status NOT IN ('resolved', 'revisited', 'closed', 'not_valid')
             ORDER BY filed_at LIMIT 5000",
        )
        .fetch_all(&self.db.pool)
        .await
        .map_err(db("listing open complaints"))?;
        for row in &rows {
            let handler: i64 = row.try_get(0).map_err(db("reading a complaint"))?;
            open.entry(handler)
                .or_default()
                .push(app::model::OpenComplaint {
                    id: row.try_get(1).map_err(db("reading a complaint"))?,
                    tracking_code: row.try_get(2).map_err(db("reading a complaint"))?,
                });
        }
        sqlx::query(
            "SELECT id, login, display_name, role, position, department_id, phone, active, created_at FROM users
             WHERE role <> $1 ORDER BY active DESC, role, display_name",
        )
        .bind(Role::Owner.code())
        .fetch_all(&self.db.pool)
        .await
        .map_err(db("listing users"))?
        .iter()
        .map(|r| {
            Ok(UserView {
                id: r.try_get("id")?,
                login: r.try_get("login")?,
                display_name: r.try_get("display_name")?,
                role: Role::parse(&r.try_get::<String, _>("role")?).unwrap_or(Role::Owner),
                position: domain::Position::parse(&r.try_get::<String, _>("position")?),
                department_id: r.try_get("department_id")?,
                phone: r.try_get("phone")?,
                active: r.try_get::<i64, _>("active")? == 1,
                created_at: from_ms(r.try_get("created_at")?),
                open_complaints: open.remove(&r.try_get("id")?).unwrap_or_default(),
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(db("reading users"))
    }

    async fn save_user(
        &self,
        actor: &Actor,
        input: UserInput,
        lang: Lang,
        now: DateTime<Utc>,
    ) -> AppResult<()> {
        require_admin(actor)?;
        let display_name = text(&input.display_name, "display_name", 40, lang)?;
        let role = Role::parse(input.role.trim())
            .filter(|r| r.is_staff())
            .ok_or_else(|| invalid("role", lang, "请选择角色", "Choose a role"))?;
        let department = optional_id(&input.department_id);
        if role == Role::Handler && department.is_none() {
            return Err(invalid(
                "department_id",
                lang,
                "处理人必须属于一个部门",
                "A handler belongs to a department",
            ));
        }
        let position = match input.position.trim() {
            "" => None,
            code => Some(
                domain::Position::parse(code)
                    .ok_or_else(|| invalid("position", lang, "未知的职务", "Unknown position"))?,
            ),
        };
        if position == Some(domain::Position::DepartmentManager) && department.is_none() {
            return Err(invalid(
                "department_id",
                lang,
                "部门经理必须属于一个部门",
                "A department manager belongs to a department",
            ));
        }
        let position_code = position.map_or("", |p| p.code());
        // A mobile number on record brings the notices that ask for action by SMS too.
        let phone = match input.phone.trim() {
            "" => None,
            given => Some(
                domain::PhoneNumber::parse(given)
                    .ok()
                    .filter(domain::PhoneNumber::is_mobile)
                    .ok_or_else(|| {
                        invalid(
                            "phone",
                            lang,
                            "请填写11位手机号（用于接收升级和预警短信），或留空",
                            "Enter an 11-digit mobile number (for escalation and warning SMS), or leave it empty",
                        )
                    })?,
            ),
        };
        let phone_value = phone.as_ref().map(|p| p.as_str().to_owned());
        let active = input.active == "on";
        let mut tx = self.db.begin().await.map_err(db("starting"))?;
        match optional_id(&input.id) {
            None => {
                let login = text(&input.login, "login", 40, lang)?;
                if !login
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
                {
                    return Err(invalid(
                        "login",
                        lang,
                        "账号只能用字母、数字和 . _ -",
                        "Logins use letters, digits and . _ - only",
                    ));
                }
                check_new_password(&input.password, lang)?;
                let hashed = hash(input.password.clone()).await?;
                let created = sqlx::query(
                    "INSERT INTO users (login, password_hash, display_name, role, department_id, active, created_at, password_changed_at, position, phone)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8, $9)",
                )
                .bind(&login)
                .bind(hashed)
                .bind(&display_name)
                .bind(role.code())
                .bind(department)
                .bind(i64::from(active))
                .bind(to_ms(now))
                .bind(position_code)
                .bind(&phone_value)
                .execute(&mut *tx)
                .await;
                match created {
                    Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                        return Err(invalid(
                            "login",
                            lang,
                            "这个账号已存在",
                            "That login already exists",
                        ))
                    }
                    other => other.map_err(db("creating a user"))?,
                };
                audit(
                    &mut tx,
                    actor,
                    "user_created",
                    &login,
                    None,
                    Some(format!("{display_name} {} {position_code}", role.code())),
                    now,
                )
                .await?;
            }
            Some(id) => {
                let before = sqlx::query("SELECT login, display_name, role, position, department_id, active FROM users WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(db("loading a user"))?
                    .ok_or(AppError::NotFound)?;
                let login: String = before.try_get("login").map_err(db("reading a user"))?;
                let old_role: String = before.try_get("role").map_err(db("reading a user"))?;
                if old_role == Role::Owner.code() {
                    return Err(AppError::Forbidden);
                }
                if id == actor.user_id && (!active || role != Role::Admin) {
                    return Err(invalid(
                        "role",
                        lang,
                        "不能停用自己或取消自己的管理员角色",
                        "You cannot deactivate yourself or drop your own admin role",
                    ));
                }
                sqlx::query("UPDATE users SET display_name = $2, role = $3, department_id = $4, active = $5, position = $6, phone = $7 WHERE id = $1")
                    .bind(id)
                    .bind(&display_name)
                    .bind(role.code())
                    .bind(department)
                    .bind(i64::from(active))
                    .bind(position_code)
                    .bind(&phone_value)
                    .execute(&mut *tx)
                    .await
                    .map_err(db("updating a user"))?;
                if !input.password.is_empty() {
                    check_new_password(&input.password, lang)?;
                    let hashed = hash(input.password.clone()).await?;
                    // A new hash ends every session of that account (sessions carry the hash).
                    sqlx::query("UPDATE users SET password_hash = $2, password_changed_at = $3 WHERE id = $1")
                        .bind(id)
                        .bind(hashed)
                        .bind(to_ms(now))
                        .execute(&mut *tx)
                        .await
                        .map_err(db("resetting a password"))?;
                    audit(&mut tx, actor, "password_reset", &login, None, None, now).await?;
                }
                let before_text = format!(
                    "{} {old_role} {} {:?} {}",
                    before
                        .try_get::<String, _>("display_name")
                        .unwrap_or_default(),
                    before.try_get::<String, _>("position").unwrap_or_default(),
                    before
                        .try_get::<Option<i64>, _>("department_id")
                        .unwrap_or_default(),
                    before.try_get::<i64, _>("active").unwrap_or_default()
                );
                let after_text = format!(
                    "{display_name} {} {position_code} {department:?} {}",
                    role.code(),
                    i64::from(active)
                );
                audit(
                    &mut tx,
                    actor,
                    "user_updated",
                    &login,
                    Some(before_text),
                    Some(after_text),
                    now,
                )
                .await?;
            }
        }
        tx.commit().await.map_err(db("committing"))
    }

    async fn departments(&self) -> AppResult<Vec<DepartmentView>> {
        sqlx::query(
            "SELECT d.id, d.code, d.name_zh, d.name_en, d.active,
                    (SELECT COUNT(*) FROM users u WHERE u.department_id = d.id AND u.active = 1) AS members
             FROM departments d ORDER BY d.active DESC, d.id",
        )
        .fetch_all(&self.db.pool)
        .await
        .map_err(db("listing departments"))?
        .iter()
        .map(|r| {
            Ok(DepartmentView {
                id: r.try_get("id")?,
                code: r.try_get("code")?,
                name_zh: r.try_get("name_zh")?,
                name_en: r.try_get("name_en")?,
                active: r.try_get::<i64, _>("active")? == 1,
                members: r.try_get("members")?,
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(db("reading departments"))
    }

    async fn save_department(
        &self,
        actor: &Actor,
        input: DepartmentInput,
        lang: Lang,
        now: DateTime<Utc>,
    ) -> AppResult<()> {
        require_admin(actor)?;
        let name_zh = text(&input.name_zh, "name_zh", 40, lang)?;
        let name_en = text(&input.name_en, "name_en", 60, lang)?;
        let active = i64::from(input.active == "on");
        let mut tx = self.db.begin().await.map_err(db("starting"))?;
        match optional_id(&input.id) {
            None => {
                let code = text(&input.code, "code", 30, lang)?.to_ascii_lowercase();
                if !code
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
                {
                    return Err(invalid(
                        "code",
                        lang,
                        "代码只能用小写字母、数字和下划线",
                        "Codes use lower-case letters, digits and _ only",
                    ));
                }
                let created = sqlx::query("INSERT INTO departments (code, name_zh, name_en, active) VALUES ($1, $2, $3, $4)")
                    .bind(&code)
                    .bind(&name_zh)
                    .bind(&name_en)
                    .bind(active)
                    .execute(&mut *tx)
                    .await;
                match created {
                    Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                        return Err(invalid(
                            "code",
                            lang,
                            "这个代码已被使用",
                            "That code is taken",
                        ))
                    }
                    other => other.map_err(db("creating a department"))?,
                };
                audit(
                    &mut tx,
                    actor,
                    "department_created",
                    &code,
                    None,
                    Some(name_zh),
                    now,
                )
                .await?;
            }
            Some(id) => {
                let updated = sqlx::query(
                    "UPDATE departments SET name_zh = $2, name_en = $3, active = $4 WHERE id = $1",
                )
                .bind(id)
                .bind(&name_zh)
                .bind(&name_en)
                .bind(active)
                .execute(&mut *tx)
                .await
                .map_err(db("updating a department"))?;
                if updated.rows_affected() != 1 {
                    return Err(AppError::NotFound);
                }
                audit(
                    &mut tx,
                    actor,
                    "department_updated",
                    &id.to_string(),
                    None,
                    Some(format!("{name_zh} {active}")),
                    now,
                )
                .await?;
            }
        }
        tx.commit().await.map_err(db("committing"))
    }

    async fn policy_text(&self) -> AppResult<String> {
        toml::to_string_pretty(&*self.policy.current())
            .map_err(|e| internal("writing the policy", e))
    }

    async fn save_policy(
        &self,
        actor: &Actor,
        text: &str,
        lang: Lang,
        now: DateTime<Utc>,
    ) -> AppResult<()> {
        require_admin(actor)?;
        let policy: Policy = toml::from_str(text).map_err(|e| {
            invalid(
                "policy",
                lang,
                format!("格式错误：{}", e.message()),
                format!("Not valid: {}", e.message()),
            )
        })?;
        match self
            .policy
            .save(&self.db.pool, policy, actor.user_id, now)
            .await
        {
            Ok(()) => Ok(()),
            Err(PolicyError::Invalid(problems)) => Err(invalid(
                "policy",
                lang,
                format!("数值不一致：{problems}"),
                format!("Inconsistent values: {problems}"),
            )),
            Err(e) => Err(internal("saving the policy", e)),
        }
    }

    async fn calendar(&self, now: DateTime<Utc>) -> AppResult<CalendarAdmin> {
        Ok(super::calendar::admin_view(&self.policy, now))
    }

    async fn save_calendar_year(
        &self,
        actor: &Actor,
        input: CalendarInput,
        lang: Lang,
        now: DateTime<Utc>,
    ) -> AppResult<()> {
        super::calendar::save(&self.policy, &self.db.pool, actor, input, lang, now).await
    }

    async fn canned_replies(&self) -> AppResult<Vec<CannedView>> {
        sqlx::query(
            "SELECT id, title, body, body_en, active FROM canned_replies ORDER BY active DESC, title",
        )
        .fetch_all(&self.db.pool)
        .await
        .map_err(db("listing canned replies"))?
        .iter()
        .map(|r| {
            Ok(CannedView {
                id: r.try_get("id")?,
                title: r.try_get("title")?,
                body: r.try_get("body")?,
                body_en: r.try_get("body_en")?,
                active: r.try_get::<i64, _>("active")? == 1,
            })
        })
        .collect::<Result<_, sqlx::Error>>()
        .map_err(db("reading canned replies"))
    }

    async fn save_canned_reply(
        &self,
        actor: &Actor,
        input: CannedInput,
        lang: Lang,
        now: DateTime<Utc>,
    ) -> AppResult<()> {
        require_admin(actor)?;
        let title = text(&input.title, "title", 40, lang)?;
        let body = text(&input.body, "body", 2000, lang)?;
        let body_en = input.body_en.trim().to_owned();
        if body_en.chars().count() > 2000 {
            return Err(invalid(
                "body_en",
                lang,
                "英文内容不能超过2000个字",
                "The English text can be at most 2000 characters",
            ));
        }
        if !domain::check_reply(&body).is_empty() || !domain::check_reply(&body_en).is_empty() {
            return Err(invalid(
                "body",
                lang,
                "常用回复里不能有服务禁语",
                "A canned reply must not contain forbidden phrases",
            ));
        }
        let active = i64::from(input.active == "on");
        let mut tx = self.db.begin().await.map_err(db("starting"))?;
        match optional_id(&input.id) {
            None => {
                sqlx::query("INSERT INTO canned_replies (title, body, active, updated_at, updated_by, body_en) VALUES ($1, $2, $3, $4, $5, $6)")
                    .bind(&title)
                    .bind(&body)
                    .bind(active)
                    .bind(to_ms(now))
                    .bind(actor.user_id)
                    .bind(&body_en)
                    .execute(&mut *tx)
                    .await
                    .map_err(db("creating a canned reply"))?;
            }
            Some(id) => {
                sqlx::query("UPDATE canned_replies SET title = $2, body = $3, active = $4, updated_at = $5, updated_by = $6, body_en = $7 WHERE id = $1")
                    .bind(id)
                    .bind(&title)
                    .bind(&body)
                    .bind(active)
                    .bind(to_ms(now))
                    .bind(actor.user_id)
                    .bind(&body_en)
                    .execute(&mut *tx)
                    .await
                    .map_err(db("updating a canned reply"))?;
            }
        }
        audit(
            &mut tx,
            actor,
            "canned_reply_saved",
            &title,
            None,
            Some(body),
            now,
        )
        .await?;
        tx.commit().await.map_err(db("committing"))
    }
}
