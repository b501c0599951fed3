//! Atomic writes: a file is either the old one or the complete new one, never half-written.

use std::io::Write;
use std::path::Path;

/// Writes `bytes` to a temporary file beside `path`, syncs it, then renames it over `path`.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    let file_name =
        path.file_name().ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidInput, "no file name"))?;
    let temp = path.with_file_name(format!(".{}.tmp-{}", file_name.to_string_lossy(), std::process::id()));
    let result = (|| {
        let mut file = std::fs::File::create(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

/// Fills a new folder beside `dir` with `fill`, and only then puts it in `dir`'s place, the two
/// exchanged in one step: an interrupted write leaves the previous folder or the new one, never
/// a mixture of old and new files and (on Linux) never no folder.
pub fn replace_dir_atomically<T, E: From<std::io::Error>>(
    dir: &Path,
    fill: impl FnOnce(&Path) -> Result<T, E>,
) -> Result<T, E> {
    let name = dir.file_name().ok_or_else(|| std::io::Error::other("the folder has no name"))?;
    let sibling = |what: &str| dir.with_file_name(format!(".{}.{what}-{}", name.to_string_lossy(), std::process::id()));
    let (partial, previous) = (sibling("partial"), sibling("previous"));
    remove_abandoned(dir, &name.to_string_lossy());
    let _ = std::fs::remove_dir_all(&partial);
    std::fs::create_dir_all(&partial)?;
    let value = fill(&partial).inspect_err(|_| {
        let _ = std::fs::remove_dir_all(&partial);
    })?;
    if !dir.exists() {
        std::fs::rename(&partial, dir)?;
    } else if exchange(&partial, dir).is_ok() {
        // `partial` now holds the previous folder.
        let _ = std::fs::remove_dir_all(&partial);
    } else {
        // Where the exchange is not supported: a kill between these two renames leaves no
        // folder at `dir` (the previous one beside it), never a mixture.
        std::fs::rename(dir, &previous)?;
        std::fs::rename(&partial, dir)?;
        let _ = std::fs::remove_dir_all(&previous);
    }
    Ok(value)
}

/// Removes the `.<name>.partial-<pid>` / `.<name>.previous-<pid>` folders beside `dir` that a
/// killed writer left (its process is gone); a running writer's are kept. Linux only (`/proc`).
fn remove_abandoned(dir: &Path, name: &str) {
    let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty() && Path::new("/proc/self").exists()) else {
        return;
    };
    let Ok(entries) = std::fs::read_dir(parent) else { return };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let file_name = file_name.to_string_lossy();
        let pid = [".partial-", ".previous-"]
            .iter()
            .find_map(|what| file_name.strip_prefix(&format!(".{name}{what}")).and_then(|pid| pid.parse::<u32>().ok()));
        if let Some(pid) = pid
            && !Path::new("/proc").join(pid.to_string()).exists()
        {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Swaps two paths in one step (Linux's `renameat2` with `RENAME_EXCHANGE`): at every moment
/// each name is one of the two folders.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(std::io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::Error::from(std::io::ErrorKind::Unsupported))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_a_folder_whole_or_not_at_all() {
        let root = std::env::temp_dir().join(format!("gpo-fs-dir-test-{}", std::process::id()));
        let dir = root.join("out");
        let fill = |text: &'static [u8]| move |d: &Path| write_atomic(&d.join("f"), text);
        replace_dir_atomically(&dir, fill(b"one")).unwrap();
        let failed: std::io::Result<()> = replace_dir_atomically(&dir, |d| {
            write_atomic(&d.join("f"), b"half")?;
            Err(std::io::Error::other("interrupted"))
        });
        assert!(failed.is_err());
        assert_eq!(std::fs::read(dir.join("f")).unwrap(), b"one", "a failed write keeps the old folder");
        replace_dir_atomically(&dir, fill(b"two")).unwrap();
        assert_eq!(std::fs::read(dir.join("f")).unwrap(), b"two");
        assert_eq!(std::fs::read_dir(&root).unwrap().count(), 1, "nothing is left beside it");
        std::fs::remove_dir_all(root).unwrap();
    }

    #[test]
    fn a_killed_writers_folders_are_removed_by_the_next_write() {
        let root = std::env::temp_dir().join(format!("gpo-fs-abandoned-{}", std::process::id()));
        let dir = root.join("out");
        // Above Linux's largest pid (2^22) no process runs; pid 1 always does.
        let (gone, running) = (root.join(".out.partial-4194305"), root.join(".out.previous-1"));
        let other = root.join(".other.partial-4194305");
        for folder in [&gone, &running, &other] {
            std::fs::create_dir_all(folder).unwrap();
        }
        replace_dir_atomically(&dir, |d| write_atomic(&d.join("f"), b"one")).unwrap();
        assert!(!gone.exists(), "a dead writer's folder is removed");
        assert!(running.exists() && other.exists(), "a live writer's folder and another folder's stay");
        std::fs::remove_dir_all(root).unwrap();
    }

    #[test]
    fn writes_and_replaces() {
        let dir = std::env::temp_dir().join(format!("gpo-fs-test-{}", std::process::id()));
        let path = dir.join("a.bin");
        write_atomic(&path, b"one").unwrap();
        write_atomic(&path, b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        let leftovers = std::fs::read_dir(&dir).unwrap().count();
        assert_eq!(leftovers, 1);
        std::fs::remove_dir_all(dir).unwrap();
    }
}
