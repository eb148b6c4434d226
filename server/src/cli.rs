//! Operator commands.

use std::io::BufRead;

use domain::Role;

use crate::config::Config;
use crate::store::users::{self, NewUser};
use crate::AnyError;

pub const USAGE: &str = "\
usage:
  server [serve]                                    run the portal (PORTAL_ADDR, PORTAL_DATABASE_URL, PORTAL_DEMO)
  server create-admin --login NAME [--name 显示名]   create an administrator; the password is read from
                                                    PORTAL_ADMIN_PASSWORD or, if unset, from standard input
  server import-estate FILE [--lang en]             import communities, buildings, units and owners from
                                                    .xlsx or .csv (UTF-8 or GB18030); all or nothing:
                                                    exit 1 with every bad row on standard error
  server backup FILE                                back up the SQLite database to FILE and its evidence
                                                    files to FILE.files/ while the portal runs
  server restore FILE                               put the backup FILE (and FILE.files/) in place as the
                                                    database of PORTAL_DATABASE_URL, which must not exist yet";

/// Passwords shorter than this are refused.
const MIN_PASSWORD_CHARS: usize = 10;

pub async fn create_admin(args: &[String]) -> Result<(), AnyError> {
    let mut login = None;
    let mut name = None;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--login" => login = rest.next().cloned(),
            "--name" => name = rest.next().cloned(),
            other => return Err(format!("unknown option `{other}`\n\n{USAGE}").into()),
        }
    }
    let login = login
        .filter(|l| !l.trim().is_empty())
        .ok_or(format!("--login is required\n\n{USAGE}"))?;
    let password = match std::env::var("PORTAL_ADMIN_PASSWORD") {
        Ok(p) if !p.is_empty() => p,
        _ => {
            eprintln!(
                "password for {login} (at least {MIN_PASSWORD_CHARS} characters), then Enter:"
            );
            let mut line = String::new();
            std::io::stdin().lock().read_line(&mut line)?;
            line.trim_end_matches(['\r', '\n']).to_owned()
        }
    };
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(
            format!("the password must have at least {MIN_PASSWORD_CHARS} characters").into(),
        );
    }
    let config = Config::from_env()?;
    let db = crate::db::connect(&config.database_url).await?;
    if users::by_login(&db.pool, &login).await?.is_some() {
        return Err(format!("an account named `{login}` already exists").into());
    }
    let hash = tokio::task::spawn_blocking(move || password_auth::generate_hash(password)).await?;
    let display_name = name.unwrap_or_else(|| "管理员".to_owned());
    let user = NewUser {
        login: &login,
        password_hash: &hash,
        display_name: &display_name,
        role: Role::Admin,
        department_code: None,
        phone: None,
    };
    let id = users::create(&db.pool, user, chrono::Utc::now()).await?;
    users::audit(
        &db.pool,
        chrono::Utc::now(),
        None,
        "create_admin",
        Some(&login),
    )
    .await?;
    println!("created administrator `{login}` (id {id})");
    Ok(())
}

/// `server import-estate FILE`: the same import as 管理 → 房产资料, without an actor.
pub async fn import_estate(args: &[String]) -> Result<(), AnyError> {
    let mut file = None;
    let mut lang = domain::Lang::Zh;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--lang" => {
                lang = rest
                    .next()
                    .and_then(|tag| domain::Lang::from_tag(tag))
                    .ok_or(format!("--lang takes zh or en\n\n{USAGE}"))?
            }
            other if other.starts_with("--") => {
                return Err(format!("unknown option `{other}`\n\n{USAGE}").into())
            }
            other if file.is_none() => file = Some(other.to_owned()),
            other => return Err(format!("unexpected argument `{other}`\n\n{USAGE}").into()),
        }
    }
    let file = file.ok_or(format!("FILE is required\n\n{USAGE}"))?;
    let bytes = std::fs::read(&file).map_err(|e| format!("cannot read {file}: {e}"))?;
    let rows = crate::estate::read_estate(&bytes).map_err(|errors| {
        let mut text = match lang {
            domain::Lang::Zh => format!("{file}：有{}处错误，未导入任何数据", errors.len()),
            domain::Lang::En => format!("{file}: {} problems, nothing imported", errors.len()),
        };
        for error in &errors {
            text.push('\n');
            text.push_str(&error.describe(lang));
        }
        text
    })?;
    let config = Config::from_env()?;
    let db = crate::db::connect(&config.database_url).await?;
    let summary = crate::store::estate::import(&db, &rows, None, chrono::Utc::now())
        .await
        .map_err(|e| format!("the import failed: {e:?}"))?;
    println!(
        "{file}: {} rows; {} communities, {} buildings, {} units added; {} units updated, {} unchanged",
        summary.rows,
        summary.communities_created,
        summary.buildings_created,
        summary.units_created,
        summary.units_updated,
        summary.units_unchanged
    );
    Ok(())
}

fn one_file(args: &[String]) -> Result<std::path::PathBuf, AnyError> {
    match args {
        [file] if !file.starts_with("--") => Ok(std::path::PathBuf::from(file)),
        _ => Err(format!("FILE is required (and nothing else)\n\n{USAGE}").into()),
    }
}

/// `server backup FILE`: a consistent copy while the portal serves.
pub async fn backup(args: &[String]) -> Result<(), AnyError> {
    let dest = one_file(args)?;
    let config = Config::from_env()?;
    let db = crate::db::connect(&config.database_url).await?;
    let files =
        crate::files::FileStore::from_setting(config.files.as_deref(), &config.database_url)?;
    let summary = crate::backup::create(&db, &files, &dest).await?;
    db.pool.close().await;
    print_summary("backed up", &summary);
    Ok(())
}

/// `server restore FILE`: a backup put in place for a portal that is not running.
pub async fn restore(args: &[String]) -> Result<(), AnyError> {
    use std::str::FromStr;
    let backup = one_file(args)?;
    let config = Config::from_env()?;
    if !config.database_url.starts_with("sqlite:") {
        return Err("restore puts a SQLite backup in place; PostgreSQL is restored with pg_restore (see the README, \"Operating\")".into());
    }
    let options = sqlx::sqlite::SqliteConnectOptions::from_str(&config.database_url)?;
    let database = options.get_filename().to_path_buf();
    let files =
        crate::files::FileStore::from_setting(config.files.as_deref(), &config.database_url)?;
    let summary = crate::backup::restore(&backup, &database, files.root()).await?;
    print_summary("restored", &summary);
    Ok(())
}

fn print_summary(what: &str, summary: &crate::backup::Summary) {
    let c = summary.counts;
    println!(
        "{what}: {} ({} complaints, {} timeline rows, {} accounts, {} evidence files) and {} ({} files checked against their SHA-256)",
        summary.database.display(),
        c.complaints,
        c.events,
        c.users,
        c.evidence,
        summary.files.display(),
        summary.files_copied
    );
}
