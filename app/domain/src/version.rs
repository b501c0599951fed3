//! The version every record the page keeps or exchanges carries (`"version"` in its JSON, `v1`
//! in its localStorage key): the one this page reads, a newer one (written by a later page:
//! left as it is, never overwritten), or an older one (refused, saying so: version 1 is the
//! first of each record, so there is nothing to migrate from yet).

use crate::error::PageError;

/// Whether a record's JSON is of version `reads`; a missing or non-numeric version is 0.
pub fn check(value: &serde_json::Value, reads: u32) -> Result<(), PageError> {
    let found = value.get("version").and_then(|v| v.as_u64()).unwrap_or(0);
    if found == reads as u64 { Ok(()) } else { Err(PageError::Version { found, reads }) }
}

/// The version in a storage key's `v{N}.` segment right after `prefix`
/// (`"gpo.answers.v2.oqa"` with `"gpo.answers."` → 2).
pub fn of_key(key: &str, prefix: &str) -> Option<u64> {
    key.strip_prefix(prefix)?.strip_prefix('v')?.split('.').next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_read_is_accepted_and_any_other_is_told_apart() {
        assert!(check(&serde_json::json!({"version": 1}), 1).is_ok());
        let newer = check(&serde_json::json!({"version": 3}), 1).unwrap_err();
        assert!(newer.is_newer_version(), "{newer}");
        for older in [serde_json::json!({}), serde_json::json!({"version": 0}), serde_json::json!({"version": "1"})] {
            let error = check(&older, 1).unwrap_err();
            assert!(matches!(error, PageError::Version { found: 0, reads: 1 }), "{older}: {error:?}");
        }
    }

    #[test]
    fn a_key_names_its_version() {
        assert_eq!(of_key("gpo.answers.v1.oqa", "gpo.answers."), Some(1));
        assert_eq!(of_key("gpo.answers.v12.my.poll", "gpo.answers."), Some(12));
        assert_eq!(of_key("gpo.answers.oqa", "gpo.answers."), None);
        assert_eq!(of_key("gpo.answers.vx.oqa", "gpo.answers."), None);
        assert_eq!(of_key("gpo.custom.v1", "gpo.answers."), None);
    }
}
