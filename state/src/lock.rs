//! Stack locks: one per stack, taken over atomically from a holder that is gone (dead pid on
//! this host, or a heartbeat older than [`LOCK_STALE_AFTER_SECONDS`]); plus process liveness and
//! host name helpers.

use std::path::Path;

use rusqlite::{params, Connection, Row};

use crate::error::StateError;
use crate::records::{LockAcquisition, LockHolder, LockInfo};
use crate::store::{now_unix, Store};

/// A lock whose heartbeat is older than this is considered abandoned (when liveness of its
/// process cannot be checked directly). Holders should heartbeat well within it (every ~30 s).
pub const LOCK_STALE_AFTER_SECONDS: i64 = 120;

impl LockHolder {
    /// This process as a lock holder: `"<command> (<user>)"`, our pid, our host name.
    pub fn current(command: &str) -> LockHolder {
        let user = std::env::var("USER")
            .ok()
            .filter(|user| !user.is_empty())
            .unwrap_or_else(|| "unknown user".to_string());
        LockHolder {
            holder: format!("{command} ({user})"),
            pid: std::process::id(),
            host: current_host(),
        }
    }
}

/// This machine's host name: `/proc/sys/kernel/hostname`, else `$HOSTNAME`, else `localhost`.
pub fn current_host() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .map(|name| name.trim().to_string())
        .filter(|name| !name.is_empty())
        .or_else(|| {
            std::env::var("HOSTNAME")
                .ok()
                .filter(|name| !name.is_empty())
        })
        .unwrap_or_else(|| "localhost".to_string())
}

/// The start time of process `pid` on this host (field 22 of `/proc/<pid>/stat`, clock ticks
/// since boot), which tells a process from a later one that reused its pid. None without `/proc`.
pub(crate) fn process_start(pid: u32) -> Option<String> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) is in parentheses and may contain spaces: skip past it.
    let after_name = &stat[stat.rfind(')')? + 1..];
    after_name.split_whitespace().nth(19).map(str::to_string)
}

/// Whether process `pid` on this host is alive (and, if `recorded_start` is known, is the same
/// process that was recorded). None when this system has no `/proc` to ask.
pub(crate) fn process_is_alive(pid: u32, recorded_start: Option<&str>) -> Option<bool> {
    if !Path::new("/proc/self").exists() {
        return None;
    }
    if pid == 0 || !Path::new(&format!("/proc/{pid}")).exists() {
        return Some(false);
    }
    match (recorded_start, process_start(pid)) {
        (Some(recorded), Some(current)) => Some(recorded == current),
        _ => Some(true),
    }
}

/// Whether a lock's holder is gone, judged from `here` (this host) at `now`.
pub(crate) fn holder_is_gone(
    lock: &LockInfo,
    recorded_start: Option<&str>,
    here: &str,
    now: i64,
) -> bool {
    let stale = now - lock.heartbeat_at > LOCK_STALE_AFTER_SECONDS;
    if lock.host == here {
        match process_is_alive(lock.pid, recorded_start) {
            Some(alive) => !alive,
            None => stale,
        }
    } else {
        stale
    }
}

impl Store {
    /// Takes the stack's lock for `holder`, taking it over if its holder is gone. A live holder
    /// is an immediate [`StateError::Locked`] (no waiting).
    pub fn acquire_lock(
        &mut self,
        stack: &str,
        holder: &LockHolder,
    ) -> Result<LockInfo, StateError> {
        Ok(self.acquire_lock_reporting(stack, holder)?.lock)
    }

    /// Like [`Store::acquire_lock`], also returning the lock of a dead holder that was taken over
    /// (so the caller can say so and mark that holder's runs interrupted).
    pub fn acquire_lock_reporting(
        &mut self,
        stack: &str,
        holder: &LockHolder,
    ) -> Result<LockAcquisition, StateError> {
        let now = now_unix();
        let here = current_host();
        let holder_start = if holder.host == here {
            process_start(holder.pid)
        } else {
            None
        };
        // Immediate: the check and the take-over are one step, so of two racing processes
        // exactly one wins.
        let transaction = self.write_transaction()?;
        let existing = read_lock(&transaction, stack)?;
        if let Some((lock, recorded_start)) = &existing {
            if !holder_is_gone(lock, recorded_start.as_deref(), &here, now) {
                return Err(StateError::Locked {
                    stack: stack.to_string(),
                    holder: lock.holder.clone(),
                    pid: lock.pid,
                    host: lock.host.clone(),
                    since: lock.acquired_at,
                });
            }
        }
        let lock = LockInfo {
            stack: stack.to_string(),
            token: uuid::Uuid::new_v4().to_string(),
            holder: holder.holder.clone(),
            pid: holder.pid,
            host: holder.host.clone(),
            acquired_at: now,
            heartbeat_at: now,
        };
        transaction.execute(
            "INSERT OR REPLACE INTO locks
                (stack, token, holder, pid, host, process_start, acquired_at, heartbeat_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                lock.stack,
                lock.token,
                lock.holder,
                lock.pid,
                lock.host,
                holder_start,
                lock.acquired_at,
                lock.heartbeat_at
            ],
        )?;
        transaction.commit()?;
        Ok(LockAcquisition {
            lock,
            taken_over: existing.map(|(lock, _)| lock),
        })
    }

    /// Refreshes the lock's heartbeat. [`StateError::LockNotHeld`] when `token` no longer holds
    /// the lock (it was released or taken over): the caller must stop.
    pub fn heartbeat(&mut self, stack: &str, token: &str) -> Result<(), StateError> {
        let now = now_unix();
        let transaction = self.write_transaction()?;
        let updated = transaction.execute(
            "UPDATE locks SET heartbeat_at = ?3 WHERE stack = ?1 AND token = ?2",
            params![stack, token, now],
        )?;
        if updated == 0 {
            return Err(StateError::LockNotHeld(stack.to_string()));
        }
        transaction.commit()?;
        Ok(())
    }

    /// Releases the lock if `token` holds it; otherwise does nothing.
    pub fn release_lock(&mut self, stack: &str, token: &str) -> Result<(), StateError> {
        let transaction = self.write_transaction()?;
        transaction.execute(
            "DELETE FROM locks WHERE stack = ?1 AND token = ?2",
            [stack, token],
        )?;
        transaction.commit()?;
        Ok(())
    }

    /// Removes the stack's lock whoever holds it (an operator's `force-unlock`); returns what
    /// was removed.
    pub fn force_release_lock(&mut self, stack: &str) -> Result<Option<LockInfo>, StateError> {
        let transaction = self.write_transaction()?;
        let existing = read_lock(&transaction, stack)?;
        transaction.execute("DELETE FROM locks WHERE stack = ?1", [stack])?;
        transaction.commit()?;
        Ok(existing.map(|(lock, _)| lock))
    }

    /// The stack's lock as currently recorded (its holder may be gone).
    pub fn lock_holder(&self, stack: &str) -> Result<Option<LockInfo>, StateError> {
        Ok(read_lock(&self.connection, stack)?.map(|(lock, _)| lock))
    }
}

/// The stack's lock row and its recorded process start time.
fn read_lock(
    connection: &Connection,
    stack: &str,
) -> Result<Option<(LockInfo, Option<String>)>, StateError> {
    let mut statement = connection.prepare(
        "SELECT stack, token, holder, pid, host, acquired_at, heartbeat_at, process_start
         FROM locks WHERE stack = ?1",
    )?;
    let mut rows = statement.query([stack])?;
    match rows.next()? {
        Some(row) => Ok(Some(lock_from_row(row)?)),
        None => Ok(None),
    }
}

fn lock_from_row(row: &Row<'_>) -> Result<(LockInfo, Option<String>), StateError> {
    let stack: String = row.get(0)?;
    let pid: i64 = row.get(3)?;
    let pid = u32::try_from(pid)
        .map_err(|_| StateError::Corrupt(format!("lock of stack {stack}: invalid pid {pid}")))?;
    let lock = LockInfo {
        token: row.get(1)?,
        holder: row.get(2)?,
        pid,
        host: row.get(4)?,
        acquired_at: row.get(5)?,
        heartbeat_at: row.get(6)?,
        stack,
    };
    Ok((lock, row.get(7)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::STACK;

    fn holder(name: &str, pid: u32) -> LockHolder {
        LockHolder {
            holder: format!("provision apply ({name})"),
            pid,
            host: current_host(),
        }
    }

    /// The pid of a child process that has exited and been reaped.
    fn dead_pid() -> u32 {
        let mut child = std::process::Command::new("true").spawn().unwrap();
        child.wait().unwrap();
        child.id()
    }

    #[test]
    fn current_holder_names_command_user_pid_and_host() {
        let holder = LockHolder::current("provision apply");
        assert!(holder.holder.starts_with("provision apply ("));
        assert!(holder.holder.ends_with(')'));
        assert_eq!(holder.pid, std::process::id());
        assert_eq!(holder.host, current_host());
        assert!(!holder.host.is_empty());
    }

    #[test]
    fn a_live_holder_keeps_the_lock() {
        let mut store = Store::open_in_memory().unwrap();
        assert_eq!(store.lock_holder(STACK).unwrap(), None);
        let alice = holder("alice", std::process::id());
        let lock = store.acquire_lock(STACK, &alice).unwrap();
        assert_eq!(lock.holder, "provision apply (alice)");
        assert_eq!(store.lock_holder(STACK).unwrap(), Some(lock.clone()));

        let error = store
            .acquire_lock(STACK, &holder("bob", std::process::id()))
            .unwrap_err();
        match &error {
            StateError::Locked {
                stack,
                holder,
                pid,
                host,
                since,
            } => {
                assert_eq!(stack, STACK);
                assert_eq!(holder, "provision apply (alice)");
                assert_eq!(*pid, std::process::id());
                assert_eq!(host, &current_host());
                assert_eq!(*since, lock.acquired_at);
            }
            other => panic!("expected Locked, got {other:?}"),
        }
        assert!(error
            .to_string()
            .contains("is locked by provision apply (alice)"));
        assert_eq!(store.lock_holder(STACK).unwrap().unwrap().token, lock.token);
    }

    #[test]
    fn locks_are_per_stack() {
        let mut store = Store::open_in_memory().unwrap();
        let me = holder("alice", std::process::id());
        store.acquire_lock("specs/a/dev", &me).unwrap();
        store.acquire_lock("specs/b/dev", &me).unwrap();
    }

    #[test]
    fn a_dead_holders_lock_is_taken_over() {
        let mut store = Store::open_in_memory().unwrap();
        for dead in [dead_pid(), 999_999] {
            if Path::new(&format!("/proc/{dead}")).exists() {
                continue; // that pid happens to be alive right now
            }
            let old = store.acquire_lock(STACK, &holder("ghost", dead)).unwrap();
            let acquisition = store
                .acquire_lock_reporting(STACK, &holder("alice", std::process::id()))
                .unwrap();
            assert_eq!(acquisition.taken_over, Some(old.clone()));
            assert_ne!(acquisition.lock.token, old.token);
            assert_eq!(
                store.lock_holder(STACK).unwrap(),
                Some(acquisition.lock.clone())
            );
            store.release_lock(STACK, &acquisition.lock.token).unwrap();
        }
    }

    #[test]
    fn a_reused_pid_does_not_keep_a_dead_holders_lock() {
        if !Path::new("/proc/self").exists() {
            return;
        }
        let mut store = Store::open_in_memory().unwrap();
        store
            .acquire_lock(STACK, &holder("ghost", std::process::id()))
            .unwrap();
        // Pretend the recorded holder was an earlier process that had our pid.
        store
            .connection
            .execute("UPDATE locks SET process_start = 'earlier'", [])
            .unwrap();
        let acquisition = store
            .acquire_lock_reporting(STACK, &holder("alice", std::process::id()))
            .unwrap();
        assert_eq!(
            acquisition.taken_over.unwrap().holder,
            "provision apply (ghost)"
        );
    }

    #[test]
    fn a_remote_holder_is_judged_by_its_heartbeat() {
        let mut store = Store::open_in_memory().unwrap();
        let remote = LockHolder {
            holder: "provision apply (carol)".into(),
            pid: 4321,
            host: "elsewhere".into(),
        };
        store.acquire_lock(STACK, &remote).unwrap();
        let alice = holder("alice", std::process::id());
        assert!(matches!(
            store.acquire_lock(STACK, &alice),
            Err(StateError::Locked { ref host, pid: 4321, .. }) if host == "elsewhere"
        ));
        let old = now_unix() - LOCK_STALE_AFTER_SECONDS - 5;
        store
            .connection
            .execute("UPDATE locks SET heartbeat_at = ?1", [old])
            .unwrap();
        let lock = store.acquire_lock(STACK, &alice).unwrap();
        assert_eq!(lock.holder, "provision apply (alice)");
    }

    #[test]
    fn only_the_token_releases_or_heartbeats() {
        let mut store = Store::open_in_memory().unwrap();
        let lock = store
            .acquire_lock(STACK, &holder("alice", std::process::id()))
            .unwrap();
        store.release_lock(STACK, "not-the-token").unwrap();
        assert_eq!(store.lock_holder(STACK).unwrap(), Some(lock.clone()));
        assert!(
            matches!(store.heartbeat(STACK, "not-the-token"), Err(StateError::LockNotHeld(ref stack)) if stack == STACK)
        );

        store
            .connection
            .execute("UPDATE locks SET heartbeat_at = 5", [])
            .unwrap();
        store.heartbeat(STACK, &lock.token).unwrap();
        assert!(store.lock_holder(STACK).unwrap().unwrap().heartbeat_at >= lock.heartbeat_at);

        store.release_lock(STACK, &lock.token).unwrap();
        assert_eq!(store.lock_holder(STACK).unwrap(), None);
        assert!(matches!(
            store.heartbeat(STACK, &lock.token),
            Err(StateError::LockNotHeld(_))
        ));
    }

    #[test]
    fn force_release_removes_any_lock() {
        let mut store = Store::open_in_memory().unwrap();
        assert_eq!(store.force_release_lock(STACK).unwrap(), None);
        let lock = store
            .acquire_lock(STACK, &holder("alice", std::process::id()))
            .unwrap();
        assert_eq!(store.force_release_lock(STACK).unwrap(), Some(lock));
        assert_eq!(store.lock_holder(STACK).unwrap(), None);
    }

    #[test]
    fn of_racing_acquirers_exactly_one_wins() {
        let directory = tempfile::tempdir().unwrap();
        let path = directory.path().join("state.db");
        Store::open(&path).unwrap();
        let threads: Vec<_> = (0..4)
            .map(|index| {
                let path = path.clone();
                std::thread::spawn(move || {
                    let mut store = Store::open(&path).unwrap();
                    store.acquire_lock(
                        STACK,
                        &holder(&format!("racer {index}"), std::process::id()),
                    )
                })
            })
            .collect();
        let results: Vec<_> = threads
            .into_iter()
            .map(|thread| thread.join().unwrap())
            .collect();
        let winners = results.iter().filter(|result| result.is_ok()).count();
        assert_eq!(winners, 1);
        assert!(results
            .iter()
            .filter_map(|result| result.as_ref().err())
            .all(|error| matches!(error, StateError::Locked { .. })));
    }

    #[test]
    fn process_liveness_on_this_host() {
        if !Path::new("/proc/self").exists() {
            return;
        }
        let own = std::process::id();
        let start = process_start(own);
        assert!(start.is_some());
        assert_eq!(process_is_alive(own, start.as_deref()), Some(true));
        assert_eq!(process_is_alive(own, None), Some(true));
        assert_eq!(process_is_alive(own, Some("earlier")), Some(false));
        assert_eq!(process_is_alive(dead_pid(), None), Some(false));
        assert_eq!(process_is_alive(0, None), Some(false));
    }
}
