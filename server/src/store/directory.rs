//! Communities and buildings.

use app::error::AppResult;
use app::model::{BuildingOption, CommunityOption};
use async_trait::async_trait;
use sqlx::Row;

use crate::db::Db;
use crate::error::db;

pub struct DirectoryStore {
    pub db: Db,
}

#[async_trait]
impl app::ssr::Directory for DirectoryStore {
    async fn communities(&self) -> AppResult<Vec<CommunityOption>> {
        let rows = sqlx::query(
            "SELECT c.id AS community_id, c.name AS community_name, b.id AS building_id, b.name AS building_name
             FROM communities c LEFT JOIN buildings b ON b.community_id = c.id
             ORDER BY c.name, c.id, LENGTH(b.name), b.name",
        )
        .fetch_all(&self.db.pool)
        .await
        .map_err(db("listing communities"))?;
        let mut communities: Vec<CommunityOption> = Vec::new();
        for row in rows {
            let id: i64 = row
                .try_get("community_id")
                .map_err(db("reading a community"))?;
            if communities.last().map(|c| c.id) != Some(id) {
                let name = row
                    .try_get("community_name")
                    .map_err(db("reading a community"))?;
                communities.push(CommunityOption {
                    id,
                    name,
                    buildings: Vec::new(),
                });
            }
            let building: Option<i64> = row
                .try_get("building_id")
                .map_err(db("reading a building"))?;
            if let (Some(building), Some(last)) = (building, communities.last_mut()) {
                let name = row
                    .try_get("building_name")
                    .map_err(db("reading a building"))?;
                last.buildings.push(BuildingOption { id: building, name });
            }
        }
        Ok(communities)
    }
}
