//! Questions a person writes in the editor: what a valid one is (with a message for each
//! problem), and the JSON they are kept in (localStorage, with their embeddings) and exported in
//! (without: an imported question is embedded again by the page, never trusted).

use std::sync::Arc;

use gpo_core::data::Question;
use serde::{Deserialize, Serialize};

use crate::error::PageError;
use crate::vectors;
use crate::version;

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

/// A custom question with its (question, option) embeddings: what the models read.
#[derive(Clone, Debug)]
pub struct EmbeddedQuestion {
    pub question: Question,
    pub embedding: Arc<QuestionEmbedding>,
}

/// The questions of `custom` that have embeddings, in order.
pub fn embedded(custom: &[CustomQuestion]) -> Vec<EmbeddedQuestion> {
    custom
        .iter()
        .filter_map(|q| {
            let embedding = q.embedding.as_ref()?;
            Some(EmbeddedQuestion { question: q.question(), embedding: embedding.clone() })
        })
        .collect()
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
pub fn to_json(questions: &[CustomQuestion], with_embeddings: bool) -> Result<String, PageError> {
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
        .map_err(|e| PageError::Write(format!("the questions could not be written ({e})")))
}

/// What reading a file gave: the valid questions, and a sentence per question left out.
pub struct Parsed {
    pub questions: Vec<CustomQuestion>,
    pub problems: Vec<String>,
}

/// Reads [`to_json`]'s format. Each question is checked with [`validate`]; an embedding is kept
/// only when it fits the question and was made by `encoder` (sha256 and format), else the
/// question is kept without one (it will be embedded again).
pub fn parse(text: &str, encoder: Option<(&str, &str)>, dim: usize) -> Result<Parsed, PageError> {
    let value: serde_json::Value = serde_json::from_str(text.trim_start_matches('\u{feff}'))
        .map_err(|e| PageError::input(format!("not JSON ({e})")))?;
    if value.get("format").and_then(|f| f.as_str()) != Some(FORMAT) {
        return Err(PageError::input(format!("not a \"{FORMAT}\" file")));
    }
    version::check(&value, VERSION)?;
    let file: CustomFile =
        serde_json::from_value(value).map_err(|e| PageError::input(format!("malformed questions ({e})")))?;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(text: &str, options: &[&str]) -> Draft {
        Draft { text: text.into(), options: options.iter().map(|o| o.to_string()).collect(), ordinal: false }
    }

    fn embedded_question(key: &str, options: usize, dim: usize) -> CustomQuestion {
        let texts: Vec<String> = (0..options).map(|o| format!("Q\nAnswer: {o}")).collect();
        let options: Vec<String> = (0..options).map(|o| format!("option {o}")).collect();
        CustomQuestion {
            key: key.into(),
            draft: Draft { text: "Q".into(), options, ordinal: true },
            embedding: Some(Arc::new(QuestionEmbedding {
                vectors: (0..texts.len() * dim).map(|i| i as f32 / 7.0).collect(),
                texts,
                truncated: vec![1],
                notes: vec!["a note".into()],
                encoder: "sha".into(),
                format: "fmt".into(),
            })),
        }
    }

    #[test]
    fn a_valid_draft_is_trimmed_and_every_problem_is_named() {
        let ok = validate(&draft("  Do you agree?  ", &[" Yes", "No "])).unwrap();
        assert_eq!(ok, draft("Do you agree?", &["Yes", "No"]));
        let problems = validate(&draft(" ", &["Yes", "", "yes"])).unwrap_err();
        assert_eq!(problems, ["Write the question.", "Option 2 is empty.", "Options 1 and 3 are the same."]);
        let too_many: Vec<String> = (0..MAX_OPTIONS + 2).map(|i| i.to_string()).collect();
        let refs: Vec<&str> = too_many.iter().map(String::as_str).collect();
        assert_eq!(
            validate(&draft("Q", &refs)).unwrap_err(),
            [format!("A question has at most {MAX_OPTIONS} options; this one has 14 (remove 2).")]
        );
        assert!(validate(&draft("Q", &["only"])).is_err());
        let long = "x".repeat(MAX_CHARS + 1);
        assert!(validate(&draft(&long, &["a", "b"])).is_err());
    }

    #[test]
    fn new_keys_never_collide() {
        let taken = vec![format!("{KEY_PREFIX}a"), format!("{KEY_PREFIX}b")];
        assert_eq!(new_key(&taken, 10.0), format!("{KEY_PREFIX}c"));
        assert_eq!(new_key(&[], -5.0), format!("{KEY_PREFIX}0"));
    }

    #[test]
    fn stored_questions_read_back_with_their_embeddings_from_the_same_encoder_only() {
        let questions = vec![embedded_question("custom-1", 3, 4), embedded_question("custom-2", 2, 4)];
        let stored = to_json(&questions, true).unwrap();
        let same = parse(&stored, Some(("sha", "fmt")), 4).unwrap();
        assert!(same.problems.is_empty());
        assert_eq!(same.questions, questions);
        // Another encoder, another width, no encoder at all: kept, to be embedded again.
        for (encoder, dim) in [(Some(("other", "fmt")), 4), (Some(("sha", "fmt")), 5), (None, 4)] {
            let parsed = parse(&stored, encoder, dim).unwrap();
            assert_eq!(parsed.questions.len(), 2);
            assert!(parsed.questions.iter().all(|q| q.embedding.is_none()));
        }
        // An export carries no embedding.
        let exported = parse(&to_json(&questions, false).unwrap(), Some(("sha", "fmt")), 4).unwrap();
        assert!(exported.questions.iter().all(|q| q.embedding.is_none()));
        assert_eq!(embedded(&questions).len(), 2);
        assert_eq!(embedded(&exported.questions).len(), 0);
        assert_eq!(questions[0].question().ordinals, Some(vec![1.0, 2.0, 3.0]));
    }

    #[test]
    fn a_bad_file_is_one_error_and_a_bad_question_is_one_problem() {
        for (text, wanted) in [
            ("{", "not JSON"),
            ("[]", "not a \"gpo-custom-questions\" file"),
            (
                r#"{"format":"gpo-custom-questions","version":2,"questions":[]}"#,
                "version 2, written by a newer version",
            ),
            (r#"{"format":"gpo-custom-questions","questions":[]}"#, "version 0, older than this page reads"),
            (r#"{"format":"gpo-custom-questions","version":1,"questions":7}"#, "malformed questions"),
        ] {
            let error = parse(text, None, 4).err().unwrap_or_else(|| panic!("{text} was read"));
            let kind = matches!(error, PageError::Input(_) | PageError::Version { .. });
            assert!(kind && error.to_string().contains(wanted), "{text}: {error}");
        }
        let file = r#"{"format":"gpo-custom-questions","version":1,"questions":[
            {"key":"custom-1","text":"Fine?","options":["Yes","No"]},
            {"key":"custom-1","text":"Dup key","options":["Yes","No"]},
            {"key":"survey-key","text":"","options":["a"]},
            {"key":"custom-9","text":"Vectors wrong","options":["a","b"],
             "embedding":{"encoder":"sha","format":"fmt","texts":["x","y"],"vectors":"!!"}}]}"#;
        let parsed = parse(file, Some(("sha", "fmt")), 4).unwrap();
        assert_eq!(parsed.questions.len(), 3);
        assert_eq!(parsed.questions[1].key, "", "a duplicate key is dropped, to be given a new one");
        assert!(parsed.questions[2].embedding.is_none());
        assert_eq!(parsed.problems.len(), 1);
        assert!(parsed.problems[0].starts_with("question 3:"), "{:?}", parsed.problems);
    }
}
