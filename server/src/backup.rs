//! Backups of a single-machine (SQLite) portal, taken while it serves, and their
//! restore. A backup is two things side by side: `FILE`, a consistent copy of the
//! database (`VACUUM INTO`: one snapshot, writers carry on), and `FILE.files/`, the
//! evidence files that copy refers to, each checked against the SHA-256 the database
//! keeps. Files are written before their rows commit, so every row in the snapshot has
//! its file; a file uploaded after the snapshot is simply not in the backup.
//!
//! PostgreSQL deployments back up the database with `pg_dump` (README, "Operating") and
//! the files store with their storage's own tools.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::ConnectOptions;

use crate::db::{Db, Engine};
use crate::files::FileStore;
use crate::store::backup::{self, Counts};
use crate::AnyError;

/// What a backup or a restore holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub database: PathBuf,
    pub files: PathBuf,
    pub counts: Counts,
    /// Evidence files copied and checked.
    pub files_copied: usize,
}

/// Where the files of the backup `database` go.
pub fn files_beside(database: &Path) -> PathBuf {
    let mut name = database.as_os_str().to_owned();
    name.push(".files");
    PathBuf::from(name)
}

/// Backs up the running portal's database and files to `dest` and `dest.files/`.
pub async fn create(db: &Db, files: &FileStore, dest: &Path) -> Result<Summary, AnyError> {
    if db.engine == Engine::Postgres {
        return Err("this portal runs on PostgreSQL: back up the database with pg_dump (see the README, \"Operating\") and the files store with its storage's tools".into());
    }
    if files.is_remote() {
        return Err("the evidence files are in object storage: back them up with the storage's own tools (versioning, replication); `server backup` copies a local files directory".into());
    }
    let files_dest = files_beside(dest);
    if dest.exists() || files_dest.exists() {
        return Err(format!(
            "{} or {} already exists: a backup never overwrites another; choose a new name",
            dest.display(),
            files_dest.display()
        )
        .into());
    }
    if let Some(parent) = dest.parent().filter(|p| !p.as_os_str().is_empty()) {
        tokio::fs::create_dir_all(parent).await?;
    }
    let text = dest
        .to_str()
        .ok_or_else(|| format!("{} is not a UTF-8 path", dest.display()))?;
    backup::vacuum_into(&db.pool, text).await?;
    let copy = open_read_only(dest).await?;
    let summary = copy_files(&copy, files.root(), &files_dest, dest).await;
    copy.close().await;
    match summary {
        Ok(summary) => Ok(summary),
        Err(error) => {
            // Half a backup is no backup.
            let _ = tokio::fs::remove_file(dest).await;
            let _ = tokio::fs::remove_dir_all(&files_dest).await;
            Err(error)
        }
    }
}

/// Puts the backup `backup` in place as a fresh portal's database `database` and files
/// store `files_root`, checking the database's integrity and every file's digest. Refuses
/// to overwrite an existing database.
pub async fn restore(
    backup: &Path,
    database: &Path,
    files_root: &Path,
) -> Result<Summary, AnyError> {
    if database.exists() {
        return Err(format!(
            "{} already exists: restore into a new location (stop the portal and move the old database away first)",
            database.display()
        )
        .into());
    }
    let copy = open_read_only(backup).await?;
    let check = backup::integrity(&copy).await?;
    copy.close().await;
    if check != "ok" {
        return Err(format!(
            "{} fails SQLite's integrity check: {check}",
            backup.display()
        )
        .into());
    }
    if let Some(parent) = database.parent().filter(|p| !p.as_os_str().is_empty()) {
        tokio::fs::create_dir_all(parent).await?;
    }
    tokio::fs::copy(backup, database).await?;
    let restored = open_read_only(database).await?;
    let summary = copy_files(&restored, &files_beside(backup), files_root, database).await;
    restored.close().await;
    summary
}

async fn open_read_only(path: &Path) -> Result<sqlx::AnyPool, AnyError> {
    sqlx::any::install_default_drivers();
    let url = SqliteConnectOptions::new()
        .filename(path)
        .read_only(true)
        .to_url_lossy();
    Ok(sqlx::any::AnyPoolOptions::new()
        .max_connections(1)
        .connect(url.as_str())
        .await?)
}

/// Copies every evidence file `database` refers to from the store at `from` to `to`,
/// checking each against its recorded digest.
async fn copy_files(
    database: &sqlx::AnyPool,
    from: &Path,
    to: &Path,
    database_path: &Path,
) -> Result<Summary, AnyError> {
    let counts = backup::counts(database).await?;
    let wanted = backup::evidence_files(database).await?;
    let source = FileStore::at(from.to_path_buf());
    let target = FileStore::at(to.to_path_buf());
    let mut copied = 0;
    for (id, sha256) in &wanted {
        let bytes = tokio::fs::read(source.path_of(*id))
            .await
            .map_err(|e| format!("evidence file {id} is missing from {}: {e}", from.display()))?;
        let digest = format!("{:x}", Sha256::digest(&bytes));
        if &digest != sha256 {
            return Err(format!(
                "evidence file {id} in {} does not match its recorded digest",
                from.display()
            )
            .into());
        }
        let path = target.path_of(*id);
        if let Some(parent) = path.parent() {
            tokio::fs::create_dir_all(parent).await?;
        }
        tokio::fs::write(&path, &bytes).await?;
        copied += 1;
    }
    tokio::fs::create_dir_all(to.join("evidence")).await?;
    Ok(Summary {
        database: database_path.to_path_buf(),
        files: to.to_path_buf(),
        counts,
        files_copied: copied,
    })
}
