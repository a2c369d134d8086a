//! Where the key that seals sensitive values in the state database comes from:
//! `PROVISION_STATE_KEY` (64 hex digits), else the file `PROVISION_STATE_KEY_FILE`, else
//! `$XDG_CONFIG_HOME/provision/state.key` (`~/.config/provision/state.key`). A missing default
//! key file is created (mode 0600) the first time state is written.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use provision_state::SealingKey;

/// The key for this run. `create` allows writing a new key file when there is none; without it
/// a missing file means "no key" (a read-only command on a state that holds no sealed value).
pub fn load(state_path: &Path, create: bool) -> Result<Option<SealingKey>> {
    if let Ok(text) = std::env::var("PROVISION_STATE_KEY") {
        let key = SealingKey::from_hex(&text).context("PROVISION_STATE_KEY")?;
        return Ok(Some(key));
    }
    let path = key_file_path(state_path);
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            Ok(Some(SealingKey::from_hex(&text).with_context(|| {
                format!("the state key file {}", path.display())
            })?))
        }
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            if create {
                Ok(Some(create_key_file(&path)?))
            } else {
                Ok(None)
            }
        }
        Err(error) => {
            Err(error).with_context(|| format!("cannot read the state key file {}", path.display()))
        }
    }
}

/// `PROVISION_STATE_KEY_FILE`, else the user's configuration folder, else beside the database.
pub fn key_file_path(state_path: &Path) -> PathBuf {
    if let Some(path) = std::env::var_os("PROVISION_STATE_KEY_FILE") {
        return PathBuf::from(path);
    }
    let config_home = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|value| !value.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|value| !value.is_empty())
                .map(|home| PathBuf::from(home).join(".config"))
        });
    match config_home {
        Some(folder) => folder.join("provision").join("state.key"),
        None => state_path.with_extension("key"),
    }
}

/// Writes a new random key to `path` (0600), unless another process got there first, in which
/// case that one is used: the file is written aside and linked into place without replacing.
fn create_key_file(path: &Path) -> Result<SealingKey> {
    let folder = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(folder)
        .with_context(|| format!("cannot create the folder {}", folder.display()))?;
    let key = SealingKey::generate();
    let temporary = folder.join(format!(".state.key.{}", std::process::id()));
    {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options
            .open(&temporary)
            .with_context(|| format!("cannot write the state key file {}", temporary.display()))?;
        writeln!(file, "{}", key.to_hex())?;
        file.sync_all()?;
    }
    let linked = std::fs::hard_link(&temporary, path);
    let _ = std::fs::remove_file(&temporary);
    match linked {
        Ok(()) => Ok(key),
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {
            let text = std::fs::read_to_string(path)?;
            Ok(SealingKey::from_hex(&text)
                .with_context(|| format!("the state key file {}", path.display()))?)
        }
        Err(error) => Err(error)
            .with_context(|| format!("cannot write the state key file {}", path.display())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_created_key_file_is_private_and_read_back() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("nested/state.key");
        let created = create_key_file(&path).unwrap();
        let again = create_key_file(&path).unwrap();
        assert_eq!(
            created.id(),
            again.id(),
            "an existing key file is never replaced"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}
