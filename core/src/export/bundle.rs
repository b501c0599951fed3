//! The web page's bundle: what `gpo export-web` writes and the page reads. A manifest (format
//! version, every file's size and sha256) and, per survey, its questions and groups, its
//! (question, option) embeddings (f16), the trained GPO weights and the population statistics
//! GPO reads; optionally the MiniLM encoder (f16) for the page's question editor.

use serde::{Deserialize, Serialize};

use crate::data::Question;
use crate::embed::TaskEmbeddings;
use crate::model::{GpoConfig, Offset, Population};
use crate::util::digest::sha256_hex;

pub const BUNDLE_FORMAT: &str = "gpo-web-bundle";
pub const BUNDLE_VERSION: u32 = 3;
const EMBEDDINGS_MAGIC: &[u8; 8] = b"GPOEMBR1";

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BundleError {
    #[error("{file}: not a GPO bundle manifest ({detail})")]
    NotAManifest { file: String, detail: String },
    #[error("the bundle is version {found}; this page reads version {expected} — rebuild it with `gpo export-web`")]
    Version { found: u32, expected: u32 },
    #[error("{file} is truncated: {got} of {expected} bytes")]
    Truncated { file: String, got: usize, expected: u64 },
    #[error("{file}: checksum mismatch (corrupted download or stale file)")]
    Checksum { file: String },
    #[error("{file} is not listed in the manifest")]
    Unlisted { file: String },
    #[error("{file}: {detail}")]
    Invalid { file: String, detail: String },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FileEntry {
    pub name: String,
    pub bytes: u64,
    pub sha256: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SurveyEntry {
    /// The survey's id: `oqa`, `goqa`, `gd4` or a survey folder's own.
    pub task: String,
    pub title: String,
    /// Offered to a person as a survey to answer (else: only for the editor's group predictions).
    pub personal: bool,
    pub survey: String,
    pub embeddings: String,
    pub model: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EncoderEntry {
    /// all-MiniLM-L6-v2 weights as f16 safetensors.
    pub weights: String,
    pub tokenizer: String,
    /// The text format the surveys' embeddings were computed with.
    pub format: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub version: u32,
    pub created_by: String,
    pub surveys: Vec<SurveyEntry>,
    pub encoder: Option<EncoderEntry>,
    pub files: Vec<FileEntry>,
}

/// A group (or a segment of individuals) with its real answers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WebGroup {
    /// Also seeds the group's context order ([`super::contexts::context_order`]).
    pub name: String,
    /// e.g. "Party: Republican".
    pub label: String,
    /// Respondents aggregated (1 for a real group; the segment size for individuals).
    pub size: usize,
    /// (question index, distribution) pairs.
    pub answers: Vec<(usize, Vec<f32>)>,
}

/// One survey as the page sees it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct WebSurvey {
    /// The survey's id (`oqa`, or a survey folder's own `id`).
    pub task: String,
    pub title: String,
    /// What the survey is, as the page tells a person (a survey folder's `description`).
    #[serde(default)]
    pub description: String,
    /// `alignment` (groups) or `accuracy` (individuals).
    pub metric: String,
    /// How the survey is scored (bundles written before it: from the built-in task's id).
    #[serde(default)]
    pub scoring: Option<crate::data::Scoring>,
    pub questions: Vec<Question>,
    pub groups: Vec<WebGroup>,
    pub model: GpoConfig,
    pub population: Population,
    pub offset: Offset,
}

impl Manifest {
    pub fn parse(bytes: &[u8], file: &str) -> Result<Self, BundleError> {
        let value: serde_json::Value = serde_json::from_slice(bytes)
            .map_err(|e| BundleError::NotAManifest { file: file.into(), detail: e.to_string() })?;
        if value.get("format").and_then(|f| f.as_str()) != Some(BUNDLE_FORMAT) {
            return Err(BundleError::NotAManifest {
                file: file.into(),
                detail: format!("format is not \"{BUNDLE_FORMAT}\""),
            });
        }
        let version = value.get("version").and_then(|v| v.as_u64()).unwrap_or(0) as u32;
        if version != BUNDLE_VERSION {
            return Err(BundleError::Version { found: version, expected: BUNDLE_VERSION });
        }
        serde_json::from_value(value)
            .map_err(|e| BundleError::NotAManifest { file: file.into(), detail: e.to_string() })
    }

    pub fn entry(&self, name: &str) -> Result<&FileEntry, BundleError> {
        self.files.iter().find(|f| f.name == name).ok_or_else(|| BundleError::Unlisted { file: name.into() })
    }

    /// Checks a downloaded file's length and checksum against the manifest.
    pub fn verify(&self, name: &str, bytes: &[u8]) -> Result<(), BundleError> {
        let entry = self.entry(name)?;
        if bytes.len() as u64 != entry.bytes {
            return Err(BundleError::Truncated { file: name.into(), got: bytes.len(), expected: entry.bytes });
        }
        if sha256_hex(bytes) != entry.sha256 {
            return Err(BundleError::Checksum { file: name.into() });
        }
        Ok(())
    }
}

/// Row-major f16 embeddings: `"GPOEMBR1" | u32 rows | u32 dim | rows·dim f16 (LE)`.
pub fn embeddings_to_bytes(embeddings: &TaskEmbeddings) -> Vec<u8> {
    let mut out = Vec::with_capacity(16 + embeddings.data.len() * 2);
    out.extend_from_slice(EMBEDDINGS_MAGIC);
    out.extend_from_slice(&(embeddings.rows() as u32).to_le_bytes());
    out.extend_from_slice(&(embeddings.dim as u32).to_le_bytes());
    for v in &embeddings.data {
        out.extend_from_slice(&half::f16::from_f32(*v).to_le_bytes());
    }
    out
}

/// Reads [`embeddings_to_bytes`]' format, aligning rows with the survey's options.
pub fn embeddings_from_bytes(bytes: &[u8], questions: &[Question], file: &str) -> Result<TaskEmbeddings, BundleError> {
    let invalid = |detail: String| BundleError::Invalid { file: file.into(), detail };
    if bytes.len() < 16 || &bytes[..8] != EMBEDDINGS_MAGIC {
        return Err(invalid("not an embeddings file".into()));
    }
    let rows = u32::from_le_bytes(bytes[8..12].try_into().unwrap()) as usize;
    let dim = u32::from_le_bytes(bytes[12..16].try_into().unwrap()) as usize;
    let expected_rows: usize = questions.iter().map(|q| q.options.len()).sum();
    // Checked: on wasm32 a crafted header's rows × dim would wrap around.
    let length = rows.checked_mul(dim).and_then(|n| n.checked_mul(2)).and_then(|n| n.checked_add(16));
    if rows != expected_rows || length != Some(bytes.len()) {
        return Err(invalid(format!(
            "{rows} rows × {dim} in {} bytes; the survey has {expected_rows} options",
            bytes.len()
        )));
    }
    let data: Vec<f32> = bytes[16..].chunks_exact(2).map(|b| half::f16::from_le_bytes([b[0], b[1]]).to_f32()).collect();
    if let Some(at) = data.iter().position(|v| !v.is_finite()) {
        return Err(invalid(format!("value {at} is not a finite number")));
    }
    let mut offsets = vec![0];
    for q in questions {
        offsets.push(offsets.last().unwrap() + q.options.len());
    }
    Ok(TaskEmbeddings { dim, offsets, data })
}

impl WebSurvey {
    pub fn parse(bytes: &[u8], file: &str) -> Result<Self, BundleError> {
        let survey: Self = serde_json::from_slice(bytes)
            .map_err(|e| BundleError::Invalid { file: file.into(), detail: e.to_string() })?;
        let invalid = |detail: String| BundleError::Invalid { file: file.into(), detail };
        survey.model.check().map_err(|e| invalid(e.to_string()))?;
        if let Some(question) = survey.questions.iter().find(|q| q.options.is_empty()) {
            return Err(invalid(format!("question {} has no options", question.key)));
        }
        let rows: usize = survey.questions.iter().map(|q| q.options.len()).sum();
        if survey.population.rows() != rows {
            return Err(invalid("population rows do not match the questions".into()));
        }
        survey.population.check(survey.model.population_factors).map_err(|e| invalid(e.to_string()))?;
        if let Offset::Factor { lambda } = survey.offset
            && !(lambda.is_finite() && lambda >= 0.0)
        {
            return Err(invalid(format!("the factor offset's strength {lambda} is not a finite strength")));
        }
        for group in &survey.groups {
            for (q, probs) in &group.answers {
                let distribution = probs.iter().all(|p| p.is_finite() && *p >= 0.0) && probs.iter().sum::<f32>() > 0.0;
                if *q >= survey.questions.len() || probs.len() != survey.questions[*q].options.len() || !distribution {
                    return Err(BundleError::Invalid {
                        file: file.into(),
                        detail: format!("group {}: bad answer to question {q}", group.name),
                    });
                }
            }
        }
        Ok(survey)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest() -> Manifest {
        Manifest {
            format: BUNDLE_FORMAT.into(),
            version: BUNDLE_VERSION,
            created_by: "test".into(),
            surveys: vec![],
            encoder: None,
            files: vec![FileEntry { name: "a.bin".into(), bytes: 3, sha256: sha256_hex(b"abc") }],
        }
    }

    #[test]
    fn manifest_checks_version_length_and_checksum() {
        let m = manifest();
        let bytes = serde_json::to_vec(&m).unwrap();
        assert_eq!(Manifest::parse(&bytes, "manifest.json").unwrap(), m);
        let mut old = m.clone();
        old.version = 0;
        let err = Manifest::parse(&serde_json::to_vec(&old).unwrap(), "manifest.json").unwrap_err();
        assert_eq!(err, BundleError::Version { found: 0, expected: BUNDLE_VERSION });
        assert!(matches!(Manifest::parse(b"<html>", "manifest.json"), Err(BundleError::NotAManifest { .. })));
        assert!(m.verify("a.bin", b"abc").is_ok());
        assert!(matches!(m.verify("a.bin", b"ab"), Err(BundleError::Truncated { got: 2, .. })));
        assert!(matches!(m.verify("a.bin", b"abd"), Err(BundleError::Checksum { .. })));
        assert!(matches!(m.verify("b.bin", b"abc"), Err(BundleError::Unlisted { .. })));
    }

    #[test]
    fn embeddings_round_trip_in_f16() {
        let q = |n: usize| Question {
            key: "q".into(),
            text: "q".into(),
            options: (0..n).map(|i| i.to_string()).collect(),
            ordinals: None,
        };
        let questions = vec![q(2), q(1)];
        let e = TaskEmbeddings { dim: 2, offsets: vec![0, 2, 3], data: vec![0.5, -1.0, 0.25, 2.0, 0.0, 1.5] };
        let back = embeddings_from_bytes(&embeddings_to_bytes(&e), &questions, "e").unwrap();
        assert_eq!(back, e);
        assert!(embeddings_from_bytes(&embeddings_to_bytes(&e), &questions[..1], "e").is_err());
        assert!(embeddings_from_bytes(&embeddings_to_bytes(&e)[..20], &questions, "e").is_err());
    }
}
