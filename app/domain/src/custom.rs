//! Questions a person writes in the editor: what a valid one is (with a message for each
//! problem), and the JSON they are kept in (localStorage, with their embeddings) and exported in
//! (without: an imported question is embedded again by the page, never trusted).

use std::sync::Arc;

use gpo_core::data::Question;
use serde::{Deserialize, Serialize};

use crate::vectors;

pub const MIN_OPTIONS: usize = 2;
pub const MAX_OPTIONS: usize = 12;
/// Longer texts are refused; anything past the encoder's token limit is cut (with a notice).
pub const MAX_CHARS: usize = 20_000;
/// Every custom question's key starts with this (survey keys never do).
pub const KEY_PREFIX: &str = "custom-";
pub const FORMAT: &str = "gpo-custom-questions";
pub const VERSION: u32 = 1;

/// What the form holds: a question, its options in order, whether they are ordered.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    pub text: String,
    pub options: Vec<String>,
    #[serde(default)]
    pub ordinal: bool,
}

/// The vectors of a question's (question, option) texts, as the page's encoder made them.
#[derive(Clone, Debug, PartialEq)]
pub struct QuestionEmbedding {
    /// `options × dim`, row-major.
    pub vectors: Vec<f32>,
    /// The texts that were embedded (the question may have been shortened to fit).
    pub texts: Vec<String>,
    /// Options whose text was cut at the token limit.
    pub truncated: Vec<usize>,
    /// What the person should know about this embedding (shortened, unknown characters).
    pub notes: Vec<String>,
    /// sha256 of the encoder weights and the text format: a different encoder invalidates it.
    pub encoder: String,
    pub format: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct CustomQuestion {
    pub key: String,
    pub draft: Draft,
    /// `None` until the encoder has embedded it (e.g. imported, or from another encoder).
    pub embedding: Option<Arc<QuestionEmbedding>>,
}

impl CustomQuestion {
    /// As the surveys' questions are: ordinal options get the values 1, 2, …
    pub fn question(&self) -> Question {
        let n = self.draft.options.len();
        Question {
            key: self.key.clone(),
            text: self.draft.text.clone(),
            options: self.draft.options.clone(),
            ordinals: self.draft.ordinal.then(|| (1..=n).map(|v| v as f32).collect()),
        }
    }
}

/// Trims the texts and checks the rules; every problem is one sentence.
pub fn validate(draft: &Draft) -> Result<Draft, Vec<String>> {
    let text = draft.text.trim().to_string();
    let options: Vec<String> = draft.options.iter().map(|o| o.trim().to_string()).collect();
    let mut problems = Vec::new();
    if text.is_empty() {
        problems.push("Write the question.".to_string());
    } else if text.chars().count() > MAX_CHARS {
        problems.push(format!("The question is longer than {MAX_CHARS} characters."));
    }
    if options.len() < MIN_OPTIONS {
        problems.push(format!("A question needs at least {MIN_OPTIONS} options."));
    }
    if options.len() > MAX_OPTIONS {
        problems.push(format!(
            "A question has at most {MAX_OPTIONS} options; this one has {} (remove {}).",
            options.len(),
            options.len() - MAX_OPTIONS
        ));
    }
    for (i, option) in options.iter().enumerate() {
        if option.is_empty() {
            problems.push(format!("Option {} is empty.", i + 1));
        } else if option.chars().count() > MAX_CHARS {
            problems.push(format!("Option {} is longer than {MAX_CHARS} characters.", i + 1));
        }
    }
    for (i, a) in options.iter().enumerate() {
        if a.is_empty() {
            continue;
        }
        if let Some(j) = options[..i].iter().position(|b| b.to_lowercase() == a.to_lowercase()) {
            problems.push(format!("Options {} and {} are the same.", j + 1, i + 1));
        }
    }
    if problems.is_empty() { Ok(Draft { text, options, ordinal: draft.ordinal }) } else { Err(problems) }
}

/// A key no other question has (`taken` holds the keys in use).
pub fn new_key(taken: &[String], now_ms: f64) -> String {
    let mut n = now_ms.max(0.0) as u64;
    loop {
        let key = format!("{KEY_PREFIX}{n:x}");
        if !taken.contains(&key) {
            return key;
        }
        n += 1;
    }
}

/// The stored and exported form of an embedding (vectors as base64 of little-endian f32).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct EmbeddingRecord {
    encoder: String,
    format: String,
    texts: Vec<String>,
    #[serde(default)]
    truncated: Vec<usize>,
    #[serde(default)]
    notes: Vec<String>,
    vectors: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct QuestionRecord {
    key: String,
    text: String,
    options: Vec<String>,
    #[serde(default)]
    ordinal: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    embedding: Option<EmbeddingRecord>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct CustomFile {
    format: String,
    version: u32,
    questions: Vec<QuestionRecord>,
}

/// The JSON of `questions`; `with_embeddings` for localStorage, without for an export.
pub fn to_json(questions: &[CustomQuestion], with_embeddings: bool) -> Result<String, String> {
    let records = questions
        .iter()
        .map(|q| QuestionRecord {
            key: q.key.clone(),
            text: q.draft.text.clone(),
            options: q.draft.options.clone(),
            ordinal: q.draft.ordinal,
            embedding: q.embedding.as_ref().filter(|_| with_embeddings).map(|e| EmbeddingRecord {
                encoder: e.encoder.clone(),
                format: e.format.clone(),
                texts: e.texts.clone(),
                truncated: e.truncated.clone(),
                notes: e.notes.clone(),
                vectors: vectors::encode(&e.vectors),
            }),
        })
        .collect();
    let file = CustomFile { format: FORMAT.into(), version: VERSION, questions: records };
    if with_embeddings { serde_json::to_string(&file) } else { serde_json::to_string_pretty(&file) }
        .map_err(|e| e.to_string())
}

/// What reading a file gave: the valid questions, and a sentence per question left out.
pub struct Parsed {
    pub questions: Vec<CustomQuestion>,
    pub problems: Vec<String>,
}

/// Reads [`to_json`]'s format. Each question is checked with [`validate`]; an embedding is kept
/// only when it fits the question and was made by `encoder` (sha256 and format), else the
/// question is kept without one (it will be embedded again).
pub fn parse(text: &str, encoder: Option<(&str, &str)>, dim: usize) -> Result<Parsed, String> {
    let value: serde_json::Value =
        serde_json::from_str(text.trim_start_matches('\u{feff}')).map_err(|e| format!("not JSON ({e})"))?;
    if value.get("format").and_then(|f| f.as_str()) != Some(FORMAT) {
        return Err(format!("not a \"{FORMAT}\" file"));
    }
    let version = value.get("version").and_then(|v| v.as_u64()).unwrap_or(0);
    if version != VERSION as u64 {
        return Err(format!("version {version}; this page reads version {VERSION}"));
    }
    let file: CustomFile = serde_json::from_value(value).map_err(|e| format!("malformed questions ({e})"))?;
    let mut questions: Vec<CustomQuestion> = Vec::new();
    let mut problems = Vec::new();
    for (i, record) in file.questions.into_iter().enumerate() {
        let draft = Draft { text: record.text, options: record.options, ordinal: record.ordinal };
        let draft = match validate(&draft) {
            Ok(draft) => draft,
            Err(why) => {
                problems.push(format!("question {}: {}", i + 1, why.join(" ")));
                continue;
            }
        };
        let key = if record.key.starts_with(KEY_PREFIX) && !questions.iter().any(|q| q.key == record.key) {
            record.key
        } else {
            String::new()
        };
        let options = draft.options.len();
        let embedding = record.embedding.and_then(|e| {
            let (sha, format) = encoder?;
            let vectors = vectors::decode(&e.vectors)?;
            let fits = e.encoder == sha
                && e.format == format
                && vectors.len() == options * dim
                && e.texts.len() == options
                && vectors.iter().all(|v| v.is_finite());
            fits.then(|| {
                Arc::new(QuestionEmbedding {
                    vectors,
                    texts: e.texts,
                    truncated: e.truncated.into_iter().filter(|&t| t < options).collect(),
                    notes: e.notes,
                    encoder: e.encoder,
                    format: e.format,
                })
            })
        });
        questions.push(CustomQuestion { key, draft, embedding });
    }
    Ok(Parsed { questions, problems })
}
