//! The server side of the app: the ports server functions call. The `server` crate
//! implements them with sqlx and puts them into context for every request, so this
//! crate never depends on a database driver (and the wasm build stays small).

pub mod assets;
mod faq;

use std::sync::Arc;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use domain::{Intake, Lang, PhoneNumber, TrackingCode};
use leptos::prelude::{expect_context, use_context};

use crate::error::{AppError, AppResult};
use crate::model::{
    Actor, CalendarAdmin, CalendarInput, CannedInput, CannedView, CommunityOption, Department,
    DepartmentInput, DepartmentView, MyComplaints, Notification, OwnerComplaint, QueueFilter,
    QueuePage, Receipt, RevisitList, StaffComplaint, StepInput, SurveyAnswers, SurveyView,
    UserInput, UserView,
};
pub use faq::{Faq, FaqHints};

/// Where complaints are filed, tracked and handled.
#[async_trait]
pub trait Complaints: Send + Sync {
    /// The policy and business calendar in force: the form promises its first contact
    /// with the same computation as the clocks.
    fn working_rules(&self) -> (Arc<domain::Policy>, Arc<domain::calendar::BusinessCalendar>);
    /// Grades, links and records a new complaint with its first timeline entry, atomically.
    async fn file(
        &self,
        intake: Intake,
        stated: domain::StatedFacts,
        owner: Option<i64>,
        key: Option<domain::SubmissionKey>,
        now: DateTime<Utc>,
    ) -> AppResult<Receipt>;
    /// A complaint an agent records for an owner (a call, a visit, a letter, a government
    /// transfer, WeChat, email): filed as received at `recording.received_at`, so its
    /// clocks start then; a call or a visit is the first contact.
    async fn record(
        &self,
        intake: Intake,
        stated: domain::StatedFacts,
        recording: domain::recording::Recording,
        agent: &Actor,
        now: DateTime<Utc>,
    ) -> AppResult<Receipt>;
    /// An owner's message on their complaint (a public timeline entry; handlers are told).
    async fn owner_message(
        &self,
        complaint_id: i64,
        owner: Option<&Actor>,
        body: &str,
        lang: Lang,
        now: DateTime<Utc>,
    ) -> AppResult<()>;
    /// The owner's answer to a 不成立 judgement: `accept` closes it; `dispute` (once, with
    /// reasons) sends it to a supervisor other than the judge.
    async fn answer_judgement(
        &self,
        complaint_id: i64,
        owner: Option<&Actor>,
        answer: &str,
        reasons: &str,
        lang: Lang,
        now: DateTime<Utc>,
    ) -> AppResult<()>;
    /// The id of the complaint with this code, whoever asks (callers check rights).
    async fn id_by_code(&self, code: &TrackingCode) -> AppResult<Option<i64>>;
    /// The complaint with this code, only if `phone` is the one it was filed with.
    async fn find_by_code(
        &self,
        code: &TrackingCode,
        phone: &PhoneNumber,
    ) -> AppResult<Option<i64>>;
    /// The owner's view: public timeline entries only, promised times.
    async fn owner_view(
        &self,
        complaint_id: i64,
        now: DateTime<Utc>,
    ) -> AppResult<Option<OwnerComplaint>>;
    /// What the owner chose for messages outside the app: SMS on or off, and an e-mail
    /// address (empty: none). A field error (`email`) for an address that is not one.
    async fn set_notices(
        &self,
        complaint_id: i64,
        sms_on: bool,
        email: &str,
        lang: Lang,
        now: DateTime<Utc>,
    ) -> AppResult<()>;
    /// A page of the staff queue, limited to what `actor` may see.
    async fn queue(
        &self,
        actor: &Actor,
        filter: &QueueFilter,
        now: DateTime<Utc>,
    ) -> AppResult<QueuePage>;
    /// Everything about one complaint, if `actor` may see it.
    async fn staff_view(
        &self,
        actor: &Actor,
        complaint_id: i64,
        now: DateTime<Utc>,
    ) -> AppResult<Option<StaffComplaint>>;
    /// One workflow step by `actor` (reply, note, transition…), checked and recorded atomically.
    async fn step(
        &self,
        actor: &Actor,
        complaint_id: i64,
        input: StepInput,
        lang: Lang,
        now: DateTime<Utc>,
    ) -> AppResult<()>;
}

/// Communities, buildings, departments and other reference data.
#[async_trait]
pub trait Directory: Send + Sync {
    async fn communities(&self) -> AppResult<Vec<CommunityOption>>;
    /// The service hotlines of the communities in use that have one, by community name
    /// (read on every page for the footer: kept in memory for a few seconds).
    async fn hotlines(&self) -> AppResult<std::sync::Arc<Vec<crate::model::ServiceHotline>>>;
    /// Active departments with their active handlers, for assignment.
    async fn departments(&self) -> AppResult<Vec<Department>>;
}

/// Staff notifications (the header badge).
#[async_trait]
pub trait Inbox: Send + Sync {
    async fn notifications(&self, actor: &Actor, lang: Lang) -> AppResult<Vec<Notification>>;
    async fn unread(&self, actor: &Actor) -> AppResult<i64>;
    /// Marks one notification (or all, with `None`) of `actor` read.
    async fn mark_read(&self, actor: &Actor, id: Option<i64>, now: DateTime<Utc>) -> AppResult<()>;
    /// `actor` acknowledges their notice `id` (recorded on the complaint's timeline).
    async fn acknowledge(&self, actor: &Actor, id: i64, now: DateTime<Utc>) -> AppResult<()>;
}

/// Revisit surveys answered by owners, and the staff list of revisits due.
#[async_trait]
pub trait Surveys: Send + Sync {
    /// The survey behind a link, if the link is valid (unanswered, not expired). Reading it
    /// records nothing.
    async fn by_token(&self, token: &str, now: DateTime<Utc>) -> AppResult<Option<SurveyView>>;
    /// Answers the round behind a link; the link is then spent.
    async fn answer_by_token(
        &self,
        token: &str,
        answers: SurveyAnswers,
        lang: Lang,
        now: DateTime<Utc>,
    ) -> AppResult<()>;
    /// Answers the current round of a complaint the session may track.
    async fn answer_in_app(
        &self,
        complaint_id: i64,
        answers: SurveyAnswers,
        lang: Lang,
        now: DateTime<Utc>,
    ) -> AppResult<()>;
    /// Resolved complaints not yet revisited, oldest first, and the revisit rate.
    async fn revisits_due(&self, actor: &Actor, now: DateTime<Utc>) -> AppResult<RevisitList>;
}

/// Owner accounts: registering, "my complaints", claiming earlier ones; passwords.
#[async_trait]
pub trait Accounts: Send + Sync {
    /// A new owner account whose login is the phone number. The phone is proven by the
    /// tracking code of a complaint filed with it (until an SMS code can be sent), and
    /// that complaint becomes the account's; a field error if the code does not match or
    /// the phone is registered already.
    async fn register_owner(
        &self,
        phone: &PhoneNumber,
        proof: &TrackingCode,
        name: &str,
        password: &str,
        lang: Lang,
        now: DateTime<Utc>,
    ) -> AppResult<()>;
    async fn my_complaints(&self, actor: &Actor) -> AppResult<MyComplaints>;
    /// The phone an account was registered with (an owner's login), if any.
    async fn phone_of(&self, actor: &Actor) -> AppResult<Option<PhoneNumber>>;
    /// Attaches a complaint filed with the owner's phone, proven by its tracking code.
    async fn claim(
        &self,
        actor: &Actor,
        code: &TrackingCode,
        lang: Lang,
        now: DateTime<Utc>,
    ) -> AppResult<()>;
    /// Checks the current password and sets a new one (every session of the account ends).
    async fn change_password(
        &self,
        actor: &Actor,
        current: &str,
        new: &str,
        lang: Lang,
        now: DateTime<Utc>,
    ) -> AppResult<()>;
}

/// Administration: accounts, departments, the SLA/grading policy, canned replies.
#[async_trait]
pub trait Admin: Send + Sync {
    async fn users(&self) -> AppResult<Vec<UserView>>;
    async fn save_user(
        &self,
        actor: &Actor,
        input: UserInput,
        lang: Lang,
        now: DateTime<Utc>,
    ) -> AppResult<()>;
    async fn departments(&self) -> AppResult<Vec<DepartmentView>>;
    async fn save_department(
        &self,
        actor: &Actor,
        input: DepartmentInput,
        lang: Lang,
        now: DateTime<Utc>,
    ) -> AppResult<()>;
    /// The policy in force, as TOML (the format of `PORTAL_POLICY_FILE`).
    async fn policy_text(&self) -> AppResult<String>;
    async fn save_policy(
        &self,
        actor: &Actor,
        toml: &str,
        lang: Lang,
        now: DateTime<Utc>,
    ) -> AppResult<()>;
    /// The business calendar: every known year and what is missing.
    async fn calendar(&self, now: DateTime<Utc>) -> AppResult<CalendarAdmin>;
    async fn save_calendar_year(
        &self,
        actor: &Actor,
        input: CalendarInput,
        lang: Lang,
        now: DateTime<Utc>,
    ) -> AppResult<()>;
    async fn canned_replies(&self) -> AppResult<Vec<CannedView>>;
    async fn save_canned_reply(
        &self,
        actor: &Actor,
        input: CannedInput,
        lang: Lang,
        now: DateTime<Utc>,
    ) -> AppResult<()>;
}

/// Supervisors' reports, aggregated in the database.
#[async_trait]
pub trait Reports: Send + Sync {
    /// The month `now` falls in, in the portal's zone (a report's default end).
    fn this_month(&self, now: DateTime<Utc>) -> crate::reports::Month;
    async fn dashboard(
        &self,
        query: &crate::reports::ReportQuery,
        now: DateTime<Utc>,
    ) -> AppResult<crate::reports::Report>;
    /// The printable summary of a month or a half year, with the closing actions.
    async fn summary(
        &self,
        period: crate::reports::Period,
        now: DateTime<Utc>,
    ) -> AppResult<crate::reports::Summary>;
}

/// The estate (communities, buildings, units and owners), administrators only.
#[async_trait]
pub trait Estate: Send + Sync {
    async fn overview(&self) -> AppResult<Vec<crate::model::EstateCommunity>>;
    async fn units(&self, building_id: i64) -> AppResult<Vec<crate::model::EstateUnitView>>;
    /// Adds a unit, or changes its owner; the places it names are created when new.
    async fn save_unit(
        &self,
        actor: &Actor,
        unit: crate::model::EstateUnitInput,
        lang: Lang,
        now: DateTime<Utc>,
    ) -> AppResult<()>;
    /// Sets a community's service hotline (`None`: none), audited.
    async fn set_hotline(
        &self,
        actor: &Actor,
        community_id: i64,
        hotline: Option<domain::Hotline>,
        now: DateTime<Utc>,
    ) -> AppResult<()>;
    /// Retires (hides from the complaint form) or brings back a community, building or
    /// unit (`kind`); nothing is deleted.
    async fn set_retired(
        &self,
        actor: &Actor,
        kind: &str,
        id: i64,
        retired: bool,
        now: DateTime<Utc>,
    ) -> AppResult<()>;
    async fn import_report(
        &self,
        id: i64,
        lang: Lang,
    ) -> AppResult<Option<crate::model::EstateImportReport>>;
    /// The households a caller may be: the units whose owner has `phone`, or else the unit
    /// `unit` of building `building_id` (at most 10, current units only).
    async fn callers(
        &self,
        phone: Option<&PhoneNumber>,
        building_id: Option<i64>,
        unit: &str,
    ) -> AppResult<Vec<crate::model::Caller>>;
    /// Households a staff search names: by tracking code, phone (the owner's or a
    /// complainant's), owner or complainant name, or unit text (at most 50).
    async fn find_households(&self, query: &str) -> AppResult<Vec<crate::model::HouseholdHit>>;
    /// One household's file with every complaint about it (callers filter by access).
    async fn household(&self, id: i64) -> AppResult<Option<crate::model::HouseholdFile>>;
    /// The units an owner account is the owner of: those the estate records under its
    /// phone, and those an agent confirmed for it.
    async fn units_of(
        &self,
        account: &Actor,
        phone: Option<&PhoneNumber>,
    ) -> AppResult<Vec<crate::model::Caller>>;
    /// An agent confirms that the owner account registered with `phone` owns household
    /// `id`; a field error when no owner account has that phone.
    async fn link_account(
        &self,
        agent: &Actor,
        id: i64,
        phone: &PhoneNumber,
        lang: Lang,
        now: DateTime<Utc>,
    ) -> AppResult<()>;
}

/// Messages that leave the portal: the delivery log, retries, webhook endpoints, tests
/// (administrators only).
#[async_trait]
pub trait Deliveries: Send + Sync {
    /// The newest messages (of one status, or all), the counts, the endpoints.
    async fn log(&self, status: &str) -> AppResult<crate::model::DeliveryLog>;
    /// A dead (or waiting) message goes out again with a fresh count of tries.
    async fn retry(&self, actor: &Actor, id: i64, lang: Lang, now: DateTime<Utc>) -> AppResult<()>;
    /// A new webhook endpoint; returns its signing secret (shown once). Private addresses
    /// are refused unless `allow_private`.
    async fn add_endpoint(
        &self,
        actor: &Actor,
        url: &str,
        events: &str,
        allow_private: bool,
        lang: Lang,
        now: DateTime<Utc>,
    ) -> AppResult<String>;
    async fn set_endpoint_active(
        &self,
        actor: &Actor,
        id: i64,
        active: bool,
        now: DateTime<Utc>,
    ) -> AppResult<()>;
    /// A test message through `channel` (`sms`, `email`, `wechat`) to `to`, or a `ping`
    /// to webhook endpoint `to` (its id).
    async fn send_test(
        &self,
        actor: &Actor,
        channel: &str,
        to: &str,
        lang: Lang,
        now: DateTime<Utc>,
    ) -> AppResult<()>;
}

/// The category model in use: its version (0: the one shipped with the build), the SHA-256
/// of its bytes, and the bytes (what `/api/v1/hints/model/<version>` serves the browser).
#[derive(Debug, Clone)]
pub struct ModelInUse {
    pub version: i64,
    pub digest: String,
    pub bytes: Arc<[u8]>,
}

impl ModelInUse {
    /// The model these bytes hold (`None` only for bytes no training wrote).
    pub fn model(&self) -> Option<domain::classifier::Model<'_>> {
        domain::classifier::Model::parse(&self.bytes)
    }

    /// Where the browser loads it; the version makes the address immutable.
    pub fn url(&self) -> String {
        format!("/api/v1/hints/model/{}", self.version)
    }
}

/// The category classifier: the model in use, and retraining it from the company's
/// confirmed complaints (`domain::classifier::learning` has the rules).
#[async_trait]
pub trait Learning: Send + Sync {
    /// The model every hint uses now.
    fn in_use(&self) -> Arc<ModelInUse>;
    /// The model of `version` (0: the shipped one), for the browser asset.
    async fn version(&self, version: i64) -> AppResult<Option<ModelInUse>>;
    async fn overview(&self) -> AppResult<crate::model::classifier::ClassifierAdmin>;
    /// Trains a candidate and promotes it if the rules allow.
    async fn retrain(
        &self,
        actor: &Actor,
        lang: Lang,
        now: DateTime<Utc>,
    ) -> AppResult<crate::model::classifier::TrainingOutcome>;
    /// Puts a promoted model (or, with 0, the shipped one) back in use.
    async fn activate(
        &self,
        actor: &Actor,
        version: i64,
        lang: Lang,
        now: DateTime<Utc>,
    ) -> AppResult<()>;
}

/// Everything server functions need, provided once per request by the server.
#[derive(Clone)]
pub struct Backend {
    pub complaints: Arc<dyn Complaints>,
    pub directory: Arc<dyn Directory>,
    pub inbox: Arc<dyn Inbox>,
    pub surveys: Arc<dyn Surveys>,
    pub accounts: Arc<dyn Accounts>,
    pub admin: Arc<dyn Admin>,
    pub deliveries: Arc<dyn Deliveries>,
    pub reports: Arc<dyn Reports>,
    pub faq: Arc<dyn Faq>,
    pub estate: Arc<dyn Estate>,
    pub learning: Arc<dyn Learning>,
}

/// The visitor's session: who is logged in, and which complaints they have proven
/// they may track (tracking code + phone) without an account.
#[async_trait]
pub trait Session: Send + Sync {
    fn actor(&self) -> Option<Actor>;
    /// Checks the password; on success the session gets a new id (no fixation).
    async fn log_in(&self, login: &str, password: &str) -> AppResult<Actor>;
    async fn log_out(&self) -> AppResult<()>;
    async fn remember_tracked(&self, complaint_id: i64) -> AppResult<()>;
    /// Whether this visitor proved tracking code + phone for the complaint in this session,
    /// or owns it through their account. Says nothing about staff: ask `crate::access`.
    async fn proven(&self, complaint_id: i64) -> AppResult<bool>;
    /// A random key for this browser's visit (FAQ deflections); `create` makes one if missing.
    async fn visit_key(&self, create: bool) -> AppResult<Option<String>>;
}

/// The session of the current request.
#[derive(Clone)]
pub struct RequestSession(pub Arc<dyn Session>);

/// The ports, from context.
pub fn backend() -> Backend {
    expect_context::<Backend>()
}

/// The ports, or an error when there are none: for what components on every page ask
/// for, since the server also renders the app once with no request at all (to list its
/// routes) and must not panic then.
pub fn try_backend() -> AppResult<Backend> {
    use_context::<Backend>().ok_or(AppError::Internal)
}

/// The current session, from context.
pub fn session() -> AppResult<Arc<dyn Session>> {
    use_context::<RequestSession>()
        .map(|s| s.0)
        .ok_or(AppError::Internal)
}

/// The logged-in actor, or `Unauthorized`.
pub fn require_actor() -> AppResult<Actor> {
    session()?.actor().ok_or(AppError::Unauthorized)
}

/// The one guard of server functions: the signed-in actor if `crate::access` lets them do
/// `doing`; `Unauthorized` without a login, `Forbidden` otherwise.
pub fn require(doing: crate::access::Doing) -> AppResult<Actor> {
    let actor = require_actor()?;
    if crate::access::may(Some(&actor), doing) {
        Ok(actor)
    } else {
        Err(AppError::Forbidden)
    }
}

/// Whether this visitor may follow complaint `id` as its owner (view, stream, messages,
/// uploads, the in-app survey): proven in this session or owned, and not staff.
pub async fn follows_as_owner(id: i64) -> AppResult<bool> {
    may_follow_as_owner(session()?.as_ref(), id).await
}

/// `follows_as_owner` for a session at hand (routes outside server functions).
pub async fn may_follow_as_owner(session: &dyn Session, id: i64) -> AppResult<bool> {
    let proven = session.proven(id).await?;
    Ok(crate::access::may(
        session.actor().as_ref(),
        crate::access::Doing::FollowAsOwner { proven },
    ))
}

/// The request's language (the server provides it with the other contexts).
pub fn lang() -> Lang {
    use_context::<Lang>().unwrap_or_default()
}
