//! The addresses pages give the site's own files: a content-hashed name when the server
//! knows one (cacheable for a year, a new name when the file changes), the plain name
//! otherwise. The server fills the table when it starts (`server::http::assets`).

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

static HASHED: RwLock<Option<Arc<HashMap<String, String>>>> = RwLock::new(None);

/// Replaces the table: file under the package directory (`portal.css`) → its hashed
/// address (`/pkg/portal.3f9a….css`).
pub fn set_hashed(table: HashMap<String, String>) {
    *HASHED.write().unwrap_or_else(|p| p.into_inner()) = Some(Arc::new(table));
}

/// The address of `file` in the package directory `pkg_dir`.
pub fn url(pkg_dir: &str, file: &str) -> String {
    HASHED
        .read()
        .unwrap_or_else(|p| p.into_inner())
        .as_ref()
        .and_then(|table| table.get(file).cloned())
        .unwrap_or_else(|| format!("/{pkg_dir}/{file}"))
}
