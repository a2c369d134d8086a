//! Who may read the state database: the file (and SQLite's `-wal` / `-shm` beside it) is
//! created 0600 and its folder 0700; an existing file or `.provision` folder that others can
//! read is tightened, and each tightening is reported as a [`PermissionNotice`] for the CLI to
//! print. Another folder the user chose for the database is left as it is (it may be shared
//! on purpose); only what provision itself created or owns by name is changed.

use std::path::{Path, PathBuf};

use crate::error::StateError;

/// The mode of the database file and its `-wal` / `-shm` companions.
pub const DATABASE_MODE: u32 = 0o600;
/// The mode of the folder provision creates for the database (and of `.provision`).
pub const FOLDER_MODE: u32 = 0o700;
/// The folder name of the default state path (`.provision/state.db`), tightened when found open.
pub const STATE_FOLDER_NAME: &str = ".provision";

/// A file or folder whose permissions were narrowed when the store was opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PermissionNotice {
    pub path: PathBuf,
    pub old_mode: u32,
    pub new_mode: u32,
}

impl std::fmt::Display for PermissionNotice {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            formatter,
            "tightened the permissions of {} from {:04o} to {:04o}: the state database is for \
             its owner only",
            self.path.display(),
            self.old_mode,
            self.new_mode
        )
    }
}

/// Makes `path`'s folder (0700 when created) and the database file (0600) exist with private
/// permissions, tightening what is looser; returns what it tightened.
pub fn prepare(path: &Path) -> Result<Vec<PermissionNotice>, StateError> {
    let mut notices = Vec::new();
    if let Some(folder) = path
        .parent()
        .filter(|parent| !parent.as_os_str().is_empty())
    {
        if folder.exists() {
            if folder
                .file_name()
                .is_some_and(|name| name == STATE_FOLDER_NAME)
            {
                tighten(folder, FOLDER_MODE, &mut notices)?;
            }
        } else {
            create_folder(folder)?;
        }
    }
    create_file(path)?;
    for companion in companions(path) {
        if companion.exists() {
            tighten(&companion, DATABASE_MODE, &mut notices)?;
        }
    }
    tighten(path, DATABASE_MODE, &mut notices)?;
    Ok(notices)
}

/// The files SQLite keeps beside the database in WAL mode.
fn companions(path: &Path) -> [PathBuf; 2] {
    let with_suffix = |suffix: &str| {
        let mut name = path.as_os_str().to_os_string();
        name.push(suffix);
        PathBuf::from(name)
    };
    [with_suffix("-wal"), with_suffix("-shm")]
}

fn create_folder(folder: &Path) -> Result<(), StateError> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(FOLDER_MODE);
    }
    builder
        .create(folder)
        .map_err(|source| StateError::CreateDirectory {
            path: folder.to_path_buf(),
            source,
        })
}

/// Creates the database file empty with [`DATABASE_MODE`] if it does not exist, so SQLite
/// never creates it with the umask's mode (SQLite gives `-wal` / `-shm` the database's mode).
fn create_file(path: &Path) -> Result<(), StateError> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(DATABASE_MODE);
    }
    options
        .open(path)
        .map(drop)
        .map_err(|source| StateError::Permissions {
            path: path.to_path_buf(),
            source,
        })
}

/// Removes every permission bit of `path` beyond `mode` (never adds one).
#[cfg(unix)]
fn tighten(path: &Path, mode: u32, notices: &mut Vec<PermissionNotice>) -> Result<(), StateError> {
    use std::os::unix::fs::PermissionsExt;
    let error = |source| StateError::Permissions {
        path: path.to_path_buf(),
        source,
    };
    let old_mode = std::fs::metadata(path).map_err(error)?.permissions().mode() & 0o7777;
    let new_mode = old_mode & mode;
    if new_mode != old_mode {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(new_mode)).map_err(error)?;
        notices.push(PermissionNotice {
            path: path.to_path_buf(),
            old_mode,
            new_mode,
        });
    }
    Ok(())
}

#[cfg(not(unix))]
fn tighten(_: &Path, _: u32, _: &mut Vec<PermissionNotice>) -> Result<(), StateError> {
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o7777
    }

    #[test]
    fn a_new_database_and_folder_are_private() {
        let root = tempfile::tempdir().unwrap();
        let path = root.path().join("deep/state/state.db");
        let notices = prepare(&path).unwrap();
        assert!(notices.is_empty());
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(&root.path().join("deep/state")), 0o700);
        assert_eq!(mode(&root.path().join("deep")), 0o700);
    }

    #[test]
    fn an_open_database_and_provision_folder_are_tightened_with_notices() {
        let root = tempfile::tempdir().unwrap();
        let folder = root.path().join(".provision");
        std::fs::create_dir(&folder).unwrap();
        std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o755)).unwrap();
        let path = folder.join("state.db");
        std::fs::write(&path, b"").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let wal = folder.join("state.db-wal");
        std::fs::write(&wal, b"").unwrap();
        std::fs::set_permissions(&wal, std::fs::Permissions::from_mode(0o664)).unwrap();

        let notices = prepare(&path).unwrap();

        assert_eq!(mode(&folder), 0o700);
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(&wal), 0o600);
        let described: Vec<(PathBuf, u32, u32)> = notices
            .iter()
            .map(|notice| (notice.path.clone(), notice.old_mode, notice.new_mode))
            .collect();
        assert_eq!(
            described,
            vec![
                (folder.clone(), 0o755, 0o700),
                (wal, 0o664, 0o600),
                (path.clone(), 0o644, 0o600),
            ]
        );
        assert!(notices[2].to_string().contains("from 0644 to 0600"));
        // Already private: nothing more to say.
        assert!(prepare(&path).unwrap().is_empty());
    }

    #[test]
    fn a_folder_the_user_chose_is_left_as_it_is() {
        let root = tempfile::tempdir().unwrap();
        let folder = root.path().join("shared");
        std::fs::create_dir(&folder).unwrap();
        std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o750)).unwrap();
        let path = folder.join("state.db");
        let notices = prepare(&path).unwrap();
        assert!(notices.is_empty());
        assert_eq!(mode(&folder), 0o750);
        assert_eq!(mode(&path), 0o600);
    }
}
