//! Where state lives, [`StateLocation`] (a SQLite file path or a `postgres://` URL, as given to
//! `--state` / `PROVISION_STATE`), and opening the store it names as a [`StateStore`].

use std::path::PathBuf;

use crate::error::StateError;
use crate::postgres_store::url::is_postgres_url;
use crate::postgres_store::PostgresStore;
use crate::state_store::StateStore;
use crate::store::Store as SqliteStore;

/// A state store's location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StateLocation {
    /// A SQLite database file.
    File(PathBuf),
    /// A PostgreSQL server: `postgres://user@host:port/database?sslmode=...`.
    Postgres(String),
}

impl StateLocation {
    /// `postgres://...` or `postgresql://...` is a server; anything else a file path.
    pub fn parse(text: &str) -> StateLocation {
        if is_postgres_url(text) {
            StateLocation::Postgres(text.to_string())
        } else {
            StateLocation::File(PathBuf::from(text))
        }
    }

    /// For messages: the path, or the URL without its password.
    pub fn describe(&self) -> String {
        match self {
            StateLocation::File(path) => path.display().to_string(),
            StateLocation::Postgres(url) => crate::postgres_store::url::redact(url),
        }
    }

    /// The file path, for a file.
    pub fn file(&self) -> Option<&std::path::Path> {
        match self {
            StateLocation::File(path) => Some(path),
            StateLocation::Postgres(_) => None,
        }
    }
}

/// Opens the store at `location`, creating the file (and its folders) or the server's schema
/// when missing, and migrating an older schema.
pub fn open(location: &StateLocation) -> Result<Box<dyn StateStore>, StateError> {
    Ok(match location {
        StateLocation::File(path) => Box::new(SqliteStore::open(path)?),
        StateLocation::Postgres(url) => Box::new(PostgresStore::open(url)?),
    })
}

/// Opens the store at `location` only if it holds state already (no file, or a database
/// without provision's schema, is None): reading must not create state.
pub fn open_existing(location: &StateLocation) -> Result<Option<Box<dyn StateStore>>, StateError> {
    Ok(match location {
        StateLocation::File(path) => {
            if path.exists() {
                Some(Box::new(SqliteStore::open(path)?))
            } else {
                None
            }
        }
        StateLocation::Postgres(url) => {
            PostgresStore::open_existing(url)?.map(|store| Box::new(store) as Box<dyn StateStore>)
        }
    })
}
