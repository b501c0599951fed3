//! Download progress, as the loading bar and the editor show it.

/// Bytes so far and in all (known once the manifest is in), and the file under way.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Progress {
    pub loaded: u64,
    pub total: Option<u64>,
    pub file: String,
}
