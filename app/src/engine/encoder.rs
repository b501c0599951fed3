//! The page's MiniLM: downloaded (f16 weights, checked against the manifest) only when the
//! editor first needs it, and core's `SentenceEncoder` on the page's device. Embeds a question
//! the way the bundle's survey questions were embedded (core's text format, one text per
//! option), shortening a question too long to leave room for its options, and saying so.

use burn::prelude::Device;
use gpo_core::embed::{EMBED_DIM, SentenceEncoder, TextFormat};
use gpo_core::export::bundle::{BundleError, Manifest};

use crate::domain::custom::{Draft, QuestionEmbedding};
use crate::domain::error::PageError;
use crate::domain::progress::Progress;
use crate::platform::browser::now_ms;
use crate::platform::bundle::fetch_files;

/// Embedded texts per forward pass (a question has at most 12 options: one pass).
const BATCH: usize = 16;
/// A question is never shortened below this many characters to make room for long options
/// (the options' ends are cut instead).
const MIN_QUESTION_CHARS: usize = 200;

pub struct PageEncoder {
    pub encoder: SentenceEncoder,
    pub format: TextFormat,
    /// sha256 of the weights file (custom questions' embeddings name it).
    pub sha256: String,
    /// The tokenizer's id for unknown characters.
    unknown: Option<u32>,
}

/// Downloads the encoder's two files (`on_progress` over both) and builds it on `device`.
pub async fn load(
    manifest: &Manifest,
    device: &Device,
    on_progress: impl FnMut(Progress),
) -> Result<PageEncoder, PageError> {
    let invalid = |detail: String| BundleError::Invalid { file: "manifest.json".into(), detail };
    let entry = manifest
        .encoder
        .as_ref()
        .ok_or_else(|| invalid("this bundle has no encoder (rebuild it with gpo export-web)".into()))?;
    let format = TextFormat::parse(&entry.format)
        .ok_or_else(|| invalid(format!("the bundle's text format \"{}\" is unknown to this page", entry.format)))?;
    let sha256 = manifest.entry(&entry.weights)?.sha256.clone();
    let mut files = fetch_files(manifest, &[entry.tokenizer.clone(), entry.weights.clone()], on_progress).await?;
    let (weights, tokenizer) = (files.pop().unwrap_or_default(), files.pop().unwrap_or_default());
    // The downloaded buffer is handed over (moved, not copied) and cast to f32 tensors as it is read.
    let encoder = SentenceEncoder::new(weights, &tokenizer, device)?;
    let unknown = encoder.tokenize(&["[UNK]".to_string()]).ok().and_then(|t| t.first()?.ids.get(1).copied());
    Ok(PageEncoder { encoder, format, sha256, unknown })
}

/// The first `chars` characters of `text`.
fn prefix(text: &str, chars: usize) -> &str {
    match text.char_indices().nth(chars) {
        Some((cut, _)) => &text[..cut],
        None => text,
    }
}

impl PageEncoder {
    fn fits(&self, question: &str, options: &[String]) -> Result<bool, PageError> {
        let tokens = self.encoder.tokenize(&self.format.texts(question, options))?;
        Ok(tokens.iter().all(|t| !t.truncated))
    }

    /// The question as it is embedded: whole if every option text fits the token limit, else
    /// its longest prefix that lets them fit (at least [`MIN_QUESTION_CHARS`]).
    fn fitted_question<'a>(&self, question: &'a str, options: &[String]) -> Result<&'a str, PageError> {
        if self.fits(question, options)? {
            return Ok(question);
        }
        let length = question.chars().count();
        let (mut low, mut high) = (0, length);
        // Largest prefix length that fits: `low` fits (or is 0), `high` does not.
        while high - low > 1 {
            let middle = (low + high) / 2;
            if self.fits(prefix(question, middle), options)? {
                low = middle;
            } else {
                high = middle;
            }
        }
        Ok(prefix(question, low.max(MIN_QUESTION_CHARS.min(length))))
    }

    /// Embeds a validated question: one vector per option, with notes for the person.
    pub async fn embed(&self, draft: &Draft) -> Result<(QuestionEmbedding, f64), PageError> {
        let started = now_ms();
        let question = self.fitted_question(&draft.text, &draft.options)?;
        let texts = self.format.texts(question, &draft.options);
        let tokens = self.encoder.tokenize(&texts)?;
        let embedded = self.encoder.embed_async(&texts, BATCH).await?;
        let elapsed = now_ms() - started;
        let mut notes = Vec::new();
        if question.len() < draft.text.len() {
            notes.push(format!(
                "The question is too long for the encoder (it reads at most 256 tokens per option): only its first {} of {} characters were embedded.",
                question.chars().count(),
                draft.text.chars().count()
            ));
        }
        if !embedded.truncated.is_empty() {
            let names: Vec<String> = embedded.truncated.iter().map(|i| (i + 1).to_string()).collect();
            notes.push(format!(
                "Option {} {} too long for the encoder: only {} beginning was embedded.",
                names.join(", "),
                if names.len() == 1 { "is" } else { "are" },
                if names.len() == 1 { "its" } else { "their" },
            ));
        }
        if self.unknown.is_some_and(|unk| tokens.iter().any(|t| t.ids.contains(&unk))) {
            notes.push(
                "Some characters (such as emoji) are unknown to the encoder and were read as [UNK]; the rest of the text is embedded as usual."
                    .into(),
            );
        }
        if embedded.vectors.len() != draft.options.len() * EMBED_DIM || embedded.vectors.iter().any(|v| !v.is_finite())
        {
            // A device that returns garbage is a failed device.
            let detail = "the encoder returned unusable vectors".to_string();
            return Err(PageError::Device(gpo_core::model::ReadBackError { detail }));
        }
        let embedding = QuestionEmbedding {
            vectors: embedded.vectors,
            texts,
            truncated: embedded.truncated,
            notes,
            encoder: self.sha256.clone(),
            format: self.format.id().to_string(),
        };
        Ok((embedding, elapsed))
    }

    /// One small embedding so the first real one does not pay for first-use set-up.
    pub async fn warm_up(&self) {
        let _ = self.encoder.embed_async(&["warm-up\nAnswer: yes".to_string()], BATCH).await;
    }
}
