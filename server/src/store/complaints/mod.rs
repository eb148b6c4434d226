//! Complaints: filing, tracking, the queue, and every step of their handling.

pub mod deadlines;
pub mod dispute;
pub mod filing;
pub mod groups;
pub mod queue;
pub mod regrading;
pub mod row;
pub mod similar;
pub mod steps;
pub mod views;
pub mod writer;

use std::sync::Arc;

use app::error::AppResult;
use app::model::{
    Actor, OwnerComplaint, QueueFilter, QueuePage, Receipt, StaffComplaint, StepInput,
};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use domain::{Intake, Lang, PhoneNumber, TrackingCode};
use sqlx::Row;

use crate::db::Db;
use crate::error::db;
use crate::policy::PolicyHandle;

pub struct ComplaintStore {
    pub db: Db,
    pub policy: Arc<PolicyHandle>,
    pub utc_offset_minutes: i32,
    /// Where owners reach the portal, for links sent outside the app.
    pub public_url: String,
    /// Where committed changes are published for the pages following them.
    pub live: Arc<dyn crate::live::LiveHub>,
    /// Complaints one phone may file online in 24 hours (0: no limit).
    pub phone_filings_per_day: u32,
    /// Where filings are written, several per commit.
    pub writer: writer::Writer,
}

impl ComplaintStore {
    /// The store, with its filing writer started.
    pub fn new(
        db: Db,
        policy: Arc<PolicyHandle>,
        public_url: String,
        live: Arc<dyn crate::live::LiveHub>,
        phone_filings_per_day: u32,
    ) -> ComplaintStore {
        let utc_offset_minutes = policy.current().utc_offset_minutes;
        let writer = writer::Writer::start(
            db.clone(),
            filing::Rules {
                policy: policy.clone(),
                utc_offset_minutes,
                frequencies: similar::Frequencies::default(),
            },
            live.clone(),
        );
        ComplaintStore {
            db,
            policy,
            utc_offset_minutes,
            public_url,
            live,
            phone_filings_per_day,
            writer,
        }
    }
}

#[async_trait]
impl app::ssr::Complaints for ComplaintStore {
    fn working_rules(&self) -> (Arc<domain::Policy>, Arc<domain::calendar::BusinessCalendar>) {
        (self.policy.current(), self.policy.calendar())
    }

    async fn file(
        &self,
        intake: Intake,
        stated: domain::StatedFacts,
        owner: Option<i64>,
        key: Option<domain::SubmissionKey>,
        now: DateTime<Utc>,
    ) -> AppResult<Receipt> {
        filing::file(self, intake, stated, owner, key, None, now).await
    }

    async fn record(
        &self,
        intake: Intake,
        stated: domain::StatedFacts,
        recording: domain::recording::Recording,
        agent: &Actor,
        now: DateTime<Utc>,
    ) -> AppResult<Receipt> {
        let recorded = filing::Recorded {
            recording,
            agent_id: agent.user_id,
            agent_role: agent.role,
        };
        filing::file(self, intake, stated, None, None, Some(recorded), now).await
    }

    async fn set_notices(
        &self,
        complaint_id: i64,
        sms_on: bool,
        email: &str,
        lang: Lang,
        _now: DateTime<Utc>,
    ) -> AppResult<()> {
        if !email.is_empty() && !domain::messages::is_email(email) {
            let mut errors = app::error::FieldErrors::one(
                "email",
                match lang {
                    Lang::Zh => "邮箱格式不正确，例如 wang@example.com",
                    Lang::En => "Not an e-mail address, e.g. wang@example.com",
                }
                .to_owned(),
            );
            errors.echo.insert("email".to_owned(), email.to_owned());
            return Err(app::error::AppError::Validation(errors));
        }
        let mut tx = self.db.begin().await.map_err(db("starting"))?;
        crate::store::outbox::set_notices(
            &mut tx,
            complaint_id,
            sms_on,
            (!email.is_empty()).then_some(email),
        )
        .await
        .map_err(db("saving the owner's message choices"))?;
        tx.commit().await.map_err(db("committing"))
    }

    async fn owner_message(
        &self,
        complaint_id: i64,
        owner: Option<&Actor>,
        body: &str,
        lang: Lang,
        now: DateTime<Utc>,
    ) -> AppResult<()> {
        let author = crate::store::evidence::Author {
            role: domain::Role::Owner,
            user_id: owner.map(|o| o.user_id),
        };
        crate::store::evidence::owner_message(
            &self.db,
            &self.policy,
            &*self.live,
            complaint_id,
            author,
            body,
            lang,
            now,
        )
        .await
    }

    async fn answer_judgement(
        &self,
        complaint_id: i64,
        owner: Option<&Actor>,
        answer: &str,
        reasons: &str,
        lang: Lang,
        now: DateTime<Utc>,
    ) -> AppResult<()> {
        let answer = dispute::Answer::parse(answer).ok_or_else(|| {
            app::error::AppError::Validation(app::error::FieldErrors::one(
                "answer",
                match lang {
                    Lang::Zh => "请选择认可或申诉",
                    Lang::En => "Choose to accept or to dispute",
                },
            ))
        })?;
        dispute::answer(
            self,
            complaint_id,
            owner.map(|o| o.user_id),
            answer,
            reasons,
            lang,
            now,
        )
        .await
    }

    async fn id_by_code(&self, code: &TrackingCode) -> AppResult<Option<i64>> {
        self.find(code, None).await
    }

    async fn find_by_code(
        &self,
        code: &TrackingCode,
        phone: &PhoneNumber,
    ) -> AppResult<Option<i64>> {
        self.find(code, Some(phone)).await
    }

    async fn owner_view(
        &self,
        complaint_id: i64,
        now: DateTime<Utc>,
    ) -> AppResult<Option<OwnerComplaint>> {
        views::owner_view(self, complaint_id, now).await
    }

    async fn queue(
        &self,
        actor: &Actor,
        filter: &QueueFilter,
        now: DateTime<Utc>,
    ) -> AppResult<QueuePage> {
        queue::queue(self, actor, filter, now).await
    }

    async fn staff_view(
        &self,
        actor: &Actor,
        complaint_id: i64,
        now: DateTime<Utc>,
    ) -> AppResult<Option<StaffComplaint>> {
        views::staff_view(self, actor, complaint_id, now).await
    }

    async fn step(
        &self,
        actor: &Actor,
        complaint_id: i64,
        input: StepInput,
        lang: Lang,
        now: DateTime<Utc>,
    ) -> AppResult<()> {
        steps::step(self, actor, complaint_id, input, lang, now).await
    }
}

impl ComplaintStore {
    /// The complaint with `code` (and, when given, filed with `phone`).
    async fn find(
        &self,
        code: &TrackingCode,
        phone: Option<&PhoneNumber>,
    ) -> AppResult<Option<i64>> {
        sqlx::query(
            "SELECT id FROM complaints WHERE tracking_code = $1 AND ($2 = '' OR phone = $2)",
        )
        .bind(code.as_str())
        .bind(phone.map_or("", |p| p.as_str()))
        .fetch_optional(&self.db.pool)
        .await
        .map_err(db("finding a complaint by code"))?
        .map(|row| row.try_get(0))
        .transpose()
        .map_err(db("reading a complaint id"))
    }
}
