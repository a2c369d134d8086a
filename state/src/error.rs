//! The state store's error type, [`StateError`], and the UTC time formatting its messages use.

use std::path::PathBuf;

use crate::lock::LOCK_STALE_AFTER_SECONDS;

/// Everything that can go wrong while reading or writing the state database.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error("state database error: {0}")]
    Sqlite(#[from] rusqlite::Error),

    #[error(
        "stack {stack} is locked by {holder} (pid {pid} on {host}) since {since_text}; wait for \
         that run to finish and try again (the lock is taken over automatically once that \
         process is gone, or once its heartbeat is more than {LOCK_STALE_AFTER_SECONDS} s old)",
        since_text = format_unix_time(*since)
    )]
    Locked {
        stack: String,
        holder: String,
        pid: u32,
        host: String,
        since: i64,
    },

    #[error("state JSON error: {0}")]
    Json(#[from] serde_json::Error),

    #[error("state file error: {0}")]
    Io(#[from] std::io::Error),

    #[error("cannot set the permissions of {path}: {source}")]
    Permissions {
        path: PathBuf,
        source: std::io::Error,
    },

    #[error("cannot create the state directory {path}: {source}")]
    CreateDirectory {
        path: PathBuf,
        source: std::io::Error,
    },

    #[error(
        "the state's sensitive values were sealed with key {sealed_with}, but the key given is \
         {given}; set PROVISION_STATE_KEY (or PROVISION_STATE_KEY_FILE) to the key this state was \
         written with"
    )]
    WrongSealingKey { sealed_with: String, given: String },

    #[error("the state sealing key must be 64 hex digits (32 bytes)")]
    BadSealingKey,

    #[error(
        "the state holds sealed sensitive values but no sealing key was given; set \
         PROVISION_STATE_KEY or PROVISION_STATE_KEY_FILE"
    )]
    NoSealingKey,

    #[error("the state database is corrupt: {0}")]
    Corrupt(String),

    #[error(
        "the state database has schema version {found}, but this provision only knows up to \
         version {supported}; use a newer provision"
    )]
    SchemaTooNew { found: i64, supported: i64 },

    #[error("there is no stack named {0} in the state database")]
    UnknownStack(String),

    #[error("stack {stack} has no resource {address} in state")]
    NoSuchResource { stack: String, address: String },

    #[error("there is no pending operation with id {0} (already cleared, or of another stack)")]
    NoSuchPendingOperation(i64),

    #[error("there is no run {0} in the state database")]
    NoSuchRun(i64),

    #[error(
        "this process no longer holds the lock on stack {0} (it was released or taken over); \
         stop and run again"
    )]
    LockNotHeld(String),

    #[error("a stack name must not be empty")]
    EmptyStackName,

    #[error("PostgreSQL state error: {0}")]
    Postgres(#[from] postgres::Error),

    #[error("invalid state location {location}: {reason}")]
    BadLocation { location: String, reason: String },

    #[error("cannot connect to the PostgreSQL state server {server}: {reason}")]
    Connect { server: String, reason: String },

    #[error(
        "lost the connection to the PostgreSQL state server {server} and it did not come back \
         within {seconds} s ({reason}); work already committed is kept, and an operation whose \
         commit did not land is recorded as pending and resolved by the next run"
    )]
    ConnectionLost {
        server: String,
        seconds: u64,
        reason: String,
    },

    #[error("TLS setup for the PostgreSQL state server failed: {0}")]
    Tls(String),

    #[error(
        "{target} already holds stack {stack} ({summary}); refusing to overwrite it\n  hint: \
         migrate into a store where the stack does not exist yet, or remove it there first"
    )]
    TargetNotEmpty {
        stack: String,
        target: String,
        summary: String,
    },
}

impl StateError {
    /// Whether the error means the state server went away (the connection broke or could not
    /// be made again), as opposed to a refusal or a bad record.
    pub fn is_connection_lost(&self) -> bool {
        match self {
            StateError::ConnectionLost { .. } => true,
            StateError::Postgres(error) => crate::postgres_store::is_connection_error(error),
            _ => false,
        }
    }
}

/// Formats unix seconds as `YYYY-MM-DD HH:MM:SS UTC` (no time-zone database needed).
pub fn format_unix_time(seconds: i64) -> String {
    let days = seconds.div_euclid(86_400);
    let second_of_day = seconds.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02} UTC",
        second_of_day / 3600,
        second_of_day % 3600 / 60,
        second_of_day % 60
    )
}

/// Howard Hinnant's days-to-civil algorithm: days since 1970-01-01 to (year, month, day).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let shifted = days + 719_468;
    let era = shifted.div_euclid(146_097);
    let day_of_era = shifted.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_instants() {
        assert_eq!(format_unix_time(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(format_unix_time(951_782_400), "2000-02-29 00:00:00 UTC");
        assert_eq!(format_unix_time(1_700_000_000), "2023-11-14 22:13:20 UTC");
        assert_eq!(format_unix_time(-1), "1969-12-31 23:59:59 UTC");
    }

    #[test]
    fn locked_message_names_holder_and_says_what_to_do() {
        let error = StateError::Locked {
            stack: "specs/edgemind".into(),
            holder: "provision apply (alice)".into(),
            pid: 1234,
            host: "host1".into(),
            since: 1_700_000_000,
        };
        let text = error.to_string();
        assert!(text.starts_with(
            "stack specs/edgemind is locked by provision apply (alice) (pid 1234 on host1) \
             since 2023-11-14 22:13:20 UTC; wait"
        ));
        assert!(text.contains("taken over automatically"));
    }
}
