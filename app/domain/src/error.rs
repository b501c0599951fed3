//! The page's one error type. Its variants are told apart by what the page does about them: a
//! device that failed while in use moves GPO to the CPU; everything else is told to the person
//! (a bad file is theirs to fix, a failed download is worth a retry, a full storage is the
//! browser's).

use gpo_core::embed::EmbedError;
use gpo_core::export::bundle::BundleError;
use gpo_core::model::ReadBackError;

#[derive(Debug, thiserror::Error)]
pub enum PageError {
    /// The device failed while in use (a lost WebGPU device, a refused read-back).
    #[error(transparent)]
    Device(#[from] ReadBackError),
    /// A bundle file is not what its manifest says, or cannot be read as what it should be.
    #[error(transparent)]
    Bundle(#[from] BundleError),
    /// The encoder could not be built or could not read a text.
    #[error(transparent)]
    Encoder(#[from] EmbedError),
    /// A download failed (network, HTTP status).
    #[error("{url}: {detail}")]
    Download { url: String, detail: String },
    /// A file the person chose, or an entry kept in this browser, is not readable; the text
    /// says what and where (row, question).
    #[error("{0}")]
    Input(String),
    /// A file or entry could not be written (its serialisation failed).
    #[error("{0}")]
    Write(String),
    /// A stored or imported record of another version than this page reads: a newer one is
    /// never overwritten, an older one is refused (no earlier version exists to migrate from).
    #[error("{}", version_text(*found, *reads))]
    Version { found: u64, reads: u32 },
    /// The browser's storage for this page is full (a `QuotaExceededError`): what was stored
    /// before is still there, what was to be written is not.
    #[error("this browser's storage for the page is full")]
    StorageFull,
    /// The browser refused (storage blocked, a download link, no window).
    #[error("{0}")]
    Browser(String),
}

fn version_text(found: u64, reads: u32) -> String {
    if found > reads as u64 {
        format!("version {found}, written by a newer version of this page (this one reads version {reads})")
    } else {
        format!("version {found}, older than this page reads (version {reads}), and there is no migration from it")
    }
}

impl PageError {
    /// Whether the device GPO runs on failed (then the page continues on the CPU).
    pub fn is_device(&self) -> bool {
        matches!(self, Self::Device(_))
    }

    /// A record written by a newer version of the page: left as it is, never overwritten.
    pub fn is_newer_version(&self) -> bool {
        matches!(self, Self::Version { found, reads } if *found > *reads as u64)
    }

    /// Whether trying the same download again may succeed: a failed or cut-off transfer (not a
    /// file that arrived whole and is wrong).
    pub fn worth_retrying(&self) -> bool {
        matches!(self, Self::Download { .. } | Self::Bundle(BundleError::Truncated { .. }))
    }

    pub fn input(detail: impl Into<String>) -> Self {
        Self::Input(detail.into())
    }

    pub fn browser(detail: impl Into<String>) -> Self {
        Self::Browser(detail.into())
    }
}

/// Up to three problems in one sentence, and how many more there were.
pub fn summary(problems: &[String]) -> String {
    let mut text = problems.iter().take(3).cloned().collect::<Vec<_>>().join("; ");
    if problems.len() > 3 {
        text.push_str(&format!("; and {} more", problems.len() - 3));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_failed_device_is_a_device_error() {
        assert!(PageError::from(ReadBackError { detail: "device lost".into() }).is_device());
        assert!(!PageError::input("row 2: not a number").is_device());
        assert!(!PageError::Bundle(BundleError::Checksum { file: "m.bpk".into() }).is_device());
        assert_eq!(
            PageError::Download { url: "bundle/x".into(), detail: "HTTP 404".into() }.to_string(),
            "bundle/x: HTTP 404"
        );
    }

    #[test]
    fn a_newer_version_is_told_apart_from_an_older_one() {
        let newer = PageError::Version { found: 2, reads: 1 };
        assert!(newer.is_newer_version());
        assert_eq!(newer.to_string(), "version 2, written by a newer version of this page (this one reads version 1)");
        let older = PageError::Version { found: 0, reads: 1 };
        assert!(!older.is_newer_version());
        assert!(older.to_string().contains("older than this page reads (version 1)"), "{older}");
        assert!(!PageError::StorageFull.is_newer_version());
    }

    #[test]
    fn only_a_failed_or_cut_off_download_is_worth_retrying() {
        assert!(PageError::Download { url: "bundle/m".into(), detail: "network error".into() }.worth_retrying());
        let cut = BundleError::Truncated { file: "m".into(), got: 10, expected: 20 };
        assert!(PageError::Bundle(cut).worth_retrying());
        assert!(!PageError::Bundle(BundleError::Checksum { file: "m".into() }).worth_retrying());
        assert!(!PageError::StorageFull.worth_retrying());
        assert!(!PageError::input("bad").worth_retrying());
    }

    #[test]
    fn a_summary_names_three_and_counts_the_rest() {
        let problems: Vec<String> = (1..=5).map(|i| format!("p{i}")).collect();
        assert_eq!(summary(&problems), "p1; p2; p3; and 2 more");
        assert_eq!(summary(&problems[..2]), "p1; p2");
        assert_eq!(summary(&[]), "");
    }
}
