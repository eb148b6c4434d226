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

    async fn acknowledge(&self, actor: &Actor, id: i64, now: DateTime<Utc>) -> AppResult<()> {
        let mut tx = self.db.begin().await.map_err(db("starting"))?;
        let acknowledged = notifications::acknowledge(&mut tx, actor.user_id, id, now)
            .await
            .map_err(db("acknowledging a notice"))?;
        if let Some((complaint, message)) = acknowledged {
            let text = format!("已确认收到：{message}");
            let event = crate::store::events::NewEvent::internal(
                complaint,
                now,
                app::model::EventKind::Escalation,
            )
            .by(actor)
            .body(&text)
            .after("acknowledged");
            crate::store::events::append(&mut tx, event)
                .await
                .map_err(db("recording an acknowledgement"))?;
        }
        tx.commit().await.map_err(db("committing"))
    }

    async fn mark_read(&self, actor: &Actor, id: Option<i64>, now: DateTime<Utc>) -> AppResult<()> {
        notifications::mark_read(&self.db.pool, actor.user_id, id, now)
            .await
            .map_err(db("marking notifications read"))
    }
}
