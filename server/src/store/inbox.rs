//! Staff notifications, behind the app's `Inbox` port.

use app::error::AppResult;
use app::model::{Actor, Notification};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use domain::Lang;

use super::notifications;
use crate::db::Db;
use crate::error::db;

/// How many notifications the page shows.
const SHOWN: i64 = 100;

pub struct InboxStore {
    pub db: Db,
}

#[async_trait]
impl app::ssr::Inbox for InboxStore {
    async fn notifications(&self, actor: &Actor, lang: Lang) -> AppResult<Vec<Notification>> {
        notifications::list(&self.db.pool, actor.user_id, lang, SHOWN)
            .await
            .map_err(db("listing notifications"))
    }

    async fn unread(&self, actor: &Actor) -> AppResult<i64> {
        notifications::unread(&self.db.pool, actor.user_id)
            .await
            .map_err(db("counting notifications"))
    }

    async fn mark_read(&self, actor: &Actor, id: Option<i64>, now: DateTime<Utc>) -> AppResult<()> {
        notifications::mark_read(&self.db.pool, actor.user_id, id, now)
            .await
            .map_err(db("marking notifications read"))
    }
}
