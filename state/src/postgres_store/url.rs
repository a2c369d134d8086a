//! `postgres://` state URLs: parsing into a driver configuration, the TLS choice (`sslmode`,
//! `sslrootcert`), and where the password comes from when the URL has none (`PGPASSWORD`, then
//! the `PGPASSFILE` / `~/.pgpass` file, as libpq does), and the URL as shown in messages
//! (never with its password).

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use postgres::config::{Host, SslMode};
use postgres::Config;

use crate::error::StateError;

/// How the connection is protected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TlsChoice {
    /// `sslmode=disable`: plain TCP.
    Disabled,
    /// `prefer` (the default): TLS when the server offers it, the certificate verified.
    Preferred,
    /// `require`, `verify-ca`, `verify-full`: TLS or no connection, the certificate verified.
    Required,
}

/// A parsed state URL.
#[derive(Debug, Clone)]
pub struct ServerOptions {
    pub config: Config,
    pub tls: TlsChoice,
    /// `sslrootcert=FILE`: PEM certificates trusted besides the system's.
    pub root_certificates: Option<PathBuf>,
    /// The URL without its password, for messages.
    pub display: String,
}

/// Whether `text` names a PostgreSQL server rather than a file.
pub fn is_postgres_url(text: &str) -> bool {
    text.starts_with("postgres://") || text.starts_with("postgresql://")
}

/// Parses `url` (`postgres://user[:password]@host[:port]/database?sslmode=...`), taking the
/// password from `PGPASSWORD` or the password file when the URL has none.
pub fn parse(url: &str) -> Result<ServerOptions, StateError> {
    let bad = |reason: String| StateError::BadLocation {
        location: redact(url),
        reason,
    };
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let mut tls = TlsChoice::Preferred;
    let mut root_certificates = None;
    let mut passed_on = Vec::new();
    for pair in query.into_iter().flat_map(|query| query.split('&')) {
        if pair.is_empty() {
            continue;
        }
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        match key {
            "sslmode" => {
                tls = match value {
                    "disable" => TlsChoice::Disabled,
                    "allow" | "prefer" => TlsChoice::Preferred,
                    "require" | "verify-ca" | "verify-full" => TlsChoice::Required,
                    other => {
                        return Err(bad(format!(
                            "sslmode={other} is not one of disable, allow, prefer, require, \
                             verify-ca, verify-full"
                        )))
                    }
                }
            }
            "sslrootcert" => root_certificates = Some(PathBuf::from(percent_decode(value))),
            _ => passed_on.push(pair),
        }
    }
    let rebuilt = if passed_on.is_empty() {
        base.to_string()
    } else {
        format!("{base}?{}", passed_on.join("&"))
    };
    let mut config = Config::from_str(&rebuilt).map_err(|error| bad(error.to_string()))?;
    config.ssl_mode(match tls {
        TlsChoice::Disabled => SslMode::Disable,
        TlsChoice::Preferred => SslMode::Prefer,
        TlsChoice::Required => SslMode::Require,
    });
    if config.get_hosts().is_empty() {
        config.host("localhost");
    }
    if config.get_user().is_none() {
        let user = std::env::var("PGUSER")
            .or_else(|_| std::env::var("USER"))
            .map_err(|_| bad("no user name in the URL (and no PGUSER or USER)".to_string()))?;
        config.user(&user);
    }
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(Duration::from_secs(10));
    }
    if config.get_application_name().is_none() {
        config.application_name("provision");
    }
    // Keepalives find a server that vanished without closing the connection (a killed host).
    config.keepalives(true);
    config.keepalives_idle(Duration::from_secs(30));
    if config.get_password().is_none() {
        if let Some(password) = password_from_environment(&config) {
            config.password(password);
        }
    }
    Ok(ServerOptions {
        display: display(&config),
        config,
        tls,
        root_certificates,
    })
}

/// `postgres://user@host:port/database`, never with a password.
fn display(config: &Config) -> String {
    let host = match config.get_hosts().first() {
        Some(Host::Tcp(name)) => name.clone(),
        #[cfg(unix)]
        Some(Host::Unix(path)) => path.display().to_string(),
        None => "localhost".to_string(),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let user = config.get_user().unwrap_or("");
    let database = config.get_dbname().unwrap_or(user);
    format!("postgres://{user}@{host}:{port}/{database}")
}

/// The URL with any password replaced by `***`, for an error about the URL itself.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let (authority, tail) = match rest.find('/') {
        Some(index) => rest.split_at(index),
        None => (rest, ""),
    };
    match authority.rsplit_once('@') {
        Some((credentials, host)) => match credentials.split_once(':') {
            Some((user, _)) => format!("{scheme}://{user}:***@{host}{tail}"),
            None => url.to_string(),
        },
        None => url.to_string(),
    }
}

/// `PGPASSWORD`, else the matching line of the password file.
fn password_from_environment(config: &Config) -> Option<String> {
    if let Ok(password) = std::env::var("PGPASSWORD") {
        if !password.is_empty() {
            return Some(password);
        }
    }
    let file = std::env::var_os("PGPASSFILE")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".pgpass")))?;
    let host = match config.get_hosts().first() {
        Some(Host::Tcp(name)) => name.clone(),
        #[cfg(unix)]
        Some(Host::Unix(_)) => "localhost".to_string(),
        None => "localhost".to_string(),
    };
    let port = config
        .get_ports()
        .first()
        .copied()
        .unwrap_or(5432)
        .to_string();
    let user = config.get_user().unwrap_or("").to_string();
    let database = config.get_dbname().unwrap_or(&user).to_string();
    password_from_file(&file, &host, &port, &database, &user)
}

/// The password of the first line of a `.pgpass`-format file that matches
/// `host:port:database:user` (`*` matches anything; `\:` and `\\` escape). Like libpq, a file
/// that others may read is ignored.
pub fn password_from_file(
    file: &Path,
    host: &str,
    port: &str,
    database: &str,
    user: &str,
) -> Option<String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(file).ok()?.permissions().mode();
        if mode & 0o077 != 0 {
            return None;
        }
    }
    let text = std::fs::read_to_string(file).ok()?;
    for line in text.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let fields = split_pgpass_line(line);
        if fields.len() != 5 {
            continue;
        }
        let matches = |pattern: &str, value: &str| pattern == "*" || pattern == value;
        if matches(&fields[0], host)
            && matches(&fields[1], port)
            && matches(&fields[2], database)
            && matches(&fields[3], user)
        {
            return Some(fields[4].clone());
        }
    }
    None
}

fn split_pgpass_line(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut characters = line.chars();
    while let Some(character) = characters.next() {
        match character {
            '\\' => {
                if let Some(next) = characters.next() {
                    fields.last_mut().expect("one field").push(next);
                }
            }
            ':' if fields.len() < 5 => fields.push(String::new()),
            other => fields.last_mut().expect("one field").push(other),
        }
    }
    fields
}

/// Decodes `%XX` escapes in a URL query value.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' && index + 2 < bytes.len() {
            if let Some(byte) = std::str::from_utf8(&bytes[index + 1..index + 3])
                .ok()
                .and_then(|hex| u8::from_str_radix(hex, 16).ok())
            {
                decoded.push(byte);
                index += 3;
                continue;
            }
        }
        decoded.push(bytes[index]);
        index += 1;
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_parsed_and_shown_without_password() {
        let options =
            parse("postgres://alice:s3cret@db.example:6543/infra?sslmode=verify-full&sslrootcert=%2Fetc%2Fca.pem")
                .unwrap();
        assert_eq!(options.display, "postgres://alice@db.example:6543/infra");
        assert_eq!(options.tls, TlsChoice::Required);
        assert_eq!(
            options.root_certificates.as_deref(),
            Some(Path::new("/etc/ca.pem"))
        );
        assert_eq!(options.config.get_password(), Some(&b"s3cret"[..]));
        assert!(!options.display.contains("s3cret"));
        let plain = parse("postgresql://bob@127.0.0.1:5/state?sslmode=disable").unwrap();
        assert_eq!(plain.tls, TlsChoice::Disabled);
        assert!(matches!(
            parse("postgres://bob@h/db?sslmode=sideways"),
            Err(StateError::BadLocation { .. })
        ));
        assert_eq!(
            redact("postgres://alice:s3cret@db/infra"),
            "postgres://alice:***@db/infra"
        );
        assert!(is_postgres_url("postgres://x") && !is_postgres_url(".provision/state.db"));
    }

    #[test]
    fn the_password_file_is_matched_like_libpq_and_must_be_private() {
        let folder = tempfile::tempdir().unwrap();
        let file = folder.path().join("pgpass");
        std::fs::write(
            &file,
            "# comment\nother:5432:*:alice:wrong\n127.0.0.1:*:infra:alice:pa\\:ss\n*:*:*:*:fallback\n",
        )
        .unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
        assert_eq!(
            password_from_file(&file, "127.0.0.1", "5432", "infra", "alice").as_deref(),
            Some("pa:ss")
        );
        assert_eq!(
            password_from_file(&file, "db", "1", "x", "bob").as_deref(),
            Some("fallback")
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
            assert_eq!(
                password_from_file(&file, "db", "1", "x", "bob"),
                None,
                "a readable password file is ignored"
            );
        }
    }
}
