//! Where the survey data lives: a flag, else `GPO_DATA_DIR`, else `../shared/data` beside the
//! checkout (found by walking up from the current folder, then from this crate's source).

use std::path::{Path, PathBuf};

use super::DataError;

/// Environment variable that names the data folder.
pub const DATA_ENV: &str = "GPO_DATA_DIR";

/// Resolves the data folder: `explicit` (a `--data` flag) wins, then `GPO_DATA_DIR`, then the
/// first `<ancestor>/shared/data` above the current folder or this crate.
pub fn resolve_data_dir(explicit: Option<&Path>) -> Result<PathBuf, DataError> {
    if let Some(path) = explicit {
        return existing(path, "--data");
    }
    if let Some(path) = std::env::var_os(DATA_ENV) {
        return existing(Path::new(&path), DATA_ENV);
    }
    let starts = [std::env::current_dir().ok(), Some(PathBuf::from(env!("CARGO_MANIFEST_DIR")))];
    for start in starts.into_iter().flatten() {
        for ancestor in start.ancestors() {
            let candidate = ancestor.join("shared").join("data");
            if candidate.join("README.md").is_file() && candidate.join("opinionqa").is_dir() {
                return Ok(candidate);
            }
        }
    }
    Err(DataError::Missing {
        message: format!("no shared/data folder above the current folder; pass --data <dir> or set {DATA_ENV}"),
    })
}

fn existing(path: &Path, source: &str) -> Result<PathBuf, DataError> {
    if path.is_dir() {
        Ok(path.to_path_buf())
    } else {
        Err(DataError::Missing { message: format!("{} (from {source}) is not a folder", path.display()) })
    }
}
