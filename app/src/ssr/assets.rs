//! The addresses pages give the site's own files: a content-hashed name when the server
//! knows one (cacheable for a year, a new name when the file changes), the plain name
//! otherwise. The server reads the site's files when it starts and gives every render the
//! table (`server::http::assets`), as context: each server its own.

use std::collections::HashMap;
use std::sync::Arc;

/// File under the package directory (`portal.css`) → its hashed address
/// (`/pkg/portal.3f9a….css`).
#[derive(Clone, Debug, Default)]
pub struct HashedAssets(pub Arc<HashMap<String, String>>);

/// The address of `file` in the package directory `pkg_dir`.
pub fn url(pkg_dir: &str, file: &str) -> String {
    leptos::prelude::use_context::<HashedAssets>()
        .and_then(|table| table.0.get(file).cloned())
        .unwrap_or_else(|| format!("/{pkg_dir}/{file}"))
}
