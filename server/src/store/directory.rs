//! Communities and buildings.

use app::error::AppResult;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use app::model::{BuildingOption, CommunityOption, Department, Person, ServiceHotline};
use async_trait::async_trait;
use domain::{Hotline, Role};
use sqlx::Row;

use crate::db::Db;
use crate::error::db;

pub struct DirectoryStore {
    pub db: Db,
    pub hotlines: Arc<HotlineCache>,
}

/// The hotlines every page's footer shows, kept for [`HOTLINE_TTL`]: a change made on this
/// instance shows at once ([`HotlineCache::forget`]), one made on another within the TTL.
#[derive(Default)]
pub struct HotlineCache {
    kept: Mutex<Option<(Instant, Arc<Vec<ServiceHotline>>)>>,
    /// Moves whenever the hotlines shown change (pages kept rendered are then stale).
    generation: std::sync::atomic::AtomicU64,
}

/// How long another instance's change to a hotline may take to show.
pub const HOTLINE_TTL: Duration = Duration::from_secs(30);

impl HotlineCache {
    fn fresh(&self) -> Option<Arc<Vec<ServiceHotline>>> {
        let kept = self.kept.lock().ok()?;
        kept.as_ref()
            .filter(|(at, _)| at.elapsed() < HOTLINE_TTL)
            .map(|(_, list)| list.clone())
    }

    fn keep(&self, list: Arc<Vec<ServiceHotline>>) {
        if let Ok(mut kept) = self.kept.lock() {
            if kept.as_ref().is_some_and(|(_, before)| **before != *list) {
                self.bump();
            }
            *kept = Some((Instant::now(), list));
        }
    }

    /// Drops what is kept (a hotline changed).
    pub fn forget(&self) {
        if let Ok(mut kept) = self.kept.lock() {
            *kept = None;
        }
        self.bump();
    }

    /// Changes whenever the hotlines change here or are seen to have changed elsewhere.
    pub fn generation(&self) -> u64 {
        self.generation.load(std::sync::atomic::Ordering::Acquire)
    }

    fn bump(&self) {
        self.generation
            .fetch_add(1, std::sync::atomic::Ordering::AcqRel);
    }
}

#[async_trait]
impl app::ssr::Directory for DirectoryStore {
    async fn communities(&self) -> AppResult<Vec<CommunityOption>> {
        let rows = sqlx::query(
            "SELECT c.id AS community_id, c.name AS community_name, c.hotline,
                    b.id AS building_id, b.name AS building_name
             FROM communities c LEFT JOIN buildings b ON b.community_id = c.id AND b.retired = 0
             WHERE c.retired = 0
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
                let hotline: String = row.try_get("hotline").map_err(db("reading a community"))?;
                communities.push(CommunityOption {
                    id,
                    name,
                    hotline: Hotline::stored(&hotline)
                        .map(|h| h.as_str().to_owned())
                        .unwrap_or_default(),
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

    async fn hotlines(&self) -> AppResult<Arc<Vec<ServiceHotline>>> {
        if let Some(list) = self.hotlines.fresh() {
            return Ok(list);
        }
        #[derive(sqlx::FromRow)]
        struct Row {
            name: String,
            hotline: String,
        }
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT name, hotline FROM communities WHERE retired = 0 AND hotline <> ''
             ORDER BY name, id",
        )
        .fetch_all(&self.db.pool)
        .await
        .map_err(db("listing hotlines"))?;
        let list = Arc::new(
            rows.into_iter()
                .filter_map(|r| {
                    let hotline = Hotline::stored(&r.hotline)?;
                    Some(ServiceHotline {
                        community: r.name,
                        number: hotline.as_str().to_owned(),
                        tel: hotline.tel_uri(),
                    })
                })
                .collect(),
        );
        self.hotlines.keep(Arc::clone(&list));
        Ok(list)
    }

    async fn departments(&self) -> AppResult<Vec<Department>> {
        let mut conn = self.db.pool.acquire().await.map_err(db("connecting"))?;
        departments(&mut conn).await
    }
}

/// Active departments with their active handlers, for assignment.
pub async fn departments(conn: &mut sqlx::AnyConnection) -> AppResult<Vec<Department>> {
    let rows = sqlx::query(
        "SELECT d.id, d.code, d.name_zh, d.name_en, u.id AS user_id, u.display_name
         FROM departments d LEFT JOIN users u ON u.department_id = d.id AND u.role = $1 AND u.active = 1
         WHERE d.active = 1 ORDER BY d.id, u.display_name",
    )
    .bind(Role::Handler.code())
    .fetch_all(&mut *conn)
    .await
    .map_err(db("listing departments"))?;
    let mut departments: Vec<Department> = Vec::new();
    for row in rows {
        let id: i64 = row.try_get("id").map_err(db("reading a department"))?;
        if departments.last().map(|d| d.id) != Some(id) {
            departments.push(Department {
                id,
                code: row.try_get("code").map_err(db("reading a department"))?,
                name_zh: row.try_get("name_zh").map_err(db("reading a department"))?,
                name_en: row.try_get("name_en").map_err(db("reading a department"))?,
                handlers: Vec::new(),
            });
        }
        let user: Option<i64> = row.try_get("user_id").map_err(db("reading a handler"))?;
        if let (Some(user), Some(last)) = (user, departments.last_mut()) {
            let name = row
                .try_get("display_name")
                .map_err(db("reading a handler"))?;
            last.handlers.push(Person { id: user, name });
        }
    }
    Ok(departments)
}

/// One staff member by id, as a name to show.
pub async fn person(conn: &mut sqlx::AnyConnection, id: i64) -> AppResult<Option<Person>> {
    let row = sqlx::query("SELECT id, display_name FROM users WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
        .map_err(db("loading a person"))?;
    row.map(|r| {
        Ok(Person {
            id: r.try_get(0)?,
            name: r.try_get(1)?,
        })
    })
    .transpose()
    .map_err(db("reading a person"))
}

/// Who may command a level-1 complaint: active supervisors and agents and every active
/// holder of a position (managers first).
pub async fn commanders(conn: &mut sqlx::AnyConnection) -> AppResult<Vec<Person>> {
    sqlx::query(
        "SELECT id, display_name FROM users
         WHERE active = 1 AND role <> $1 AND role <> $2 AND (role <> $3 OR position <> '')
         ORDER BY CASE WHEN position <> '' THEN 0 ELSE 1 END, display_name",
    )
    .bind(Role::Owner.code())
    .bind(Role::Admin.code())
    .bind(Role::Handler.code())
    .fetch_all(&mut *conn)
    .await
    .map_err(db("listing commanders"))?
    .iter()
    .map(|r| {
        Ok(Person {
            id: r.try_get(0)?,
            name: r.try_get(1)?,
        })
    })
    .collect::<Result<_, sqlx::Error>>()
    .map_err(db("reading commanders"))
}
