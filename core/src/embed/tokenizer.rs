//! WordPiece tokenisation with the model's own `tokenizer.json`: no fixed padding (batches are
//! padded to their longest text), truncation at `max_tokens` that is reported, never silent.
//!
//! The tokenizer is typed with exactly the components all-MiniLM-L6-v2's `tokenizer.json` names
//! (BERT normaliser and pre-tokeniser, WordPiece, `[CLS] … [SEP]` template) rather than
//! `tokenizers::Tokenizer`, whose wrappers bring every model, normaliser and pre-tokeniser the
//! library has (BPE, Unigram, regex splitting…) into the page's wasm. A `tokenizer.json` with other
//! components is refused with serde's message naming the field.

use tokenizers::decoders::wordpiece::WordPiece as WordPieceDecoder;
use tokenizers::models::wordpiece::WordPiece;
use tokenizers::normalizers::BertNormalizer;
use tokenizers::pre_tokenizers::bert::BertPreTokenizer;
use tokenizers::processors::template::TemplateProcessing;
use tokenizers::{TokenizerImpl, TruncationParams};

use super::EmbedError;

/// sentence-transformers' `max_seq_length` for all-MiniLM-L6-v2.
pub const MAX_TOKENS: usize = 256;

type BertTokenizer = TokenizerImpl<WordPiece, BertNormalizer, BertPreTokenizer, TemplateProcessing, WordPieceDecoder>;

pub struct TextTokenizer {
    inner: BertTokenizer,
    max_tokens: usize,
}

/// One text's token ids, with `[CLS]` and `[SEP]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tokens {
    pub ids: Vec<u32>,
    /// True when the text had more than `max_tokens` tokens and its end was cut.
    pub truncated: bool,
}

impl TextTokenizer {
    pub fn from_bytes(json: &[u8], max_tokens: usize) -> Result<Self, EmbedError> {
        let mut inner = BertTokenizer::from_bytes(json).map_err(|e| EmbedError::Tokenizer(e.to_string()))?;
        inner.with_padding(None);
        inner
            .with_truncation(Some(TruncationParams { max_length: max_tokens, ..Default::default() }))
            .map_err(|e| EmbedError::Tokenizer(e.to_string()))?;
        Ok(Self { inner, max_tokens })
    }

    pub fn max_tokens(&self) -> usize {
        self.max_tokens
    }

    pub fn encode(&self, text: &str) -> Result<Tokens, EmbedError> {
        let encoding = self.inner.encode(text, true).map_err(|e| EmbedError::Tokenizer(e.to_string()))?;
        Ok(Tokens { ids: encoding.get_ids().to_vec(), truncated: !encoding.get_overflowing().is_empty() })
    }
}
