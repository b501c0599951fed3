//! Embeddings: all-MiniLM-L6-v2 (BERT) in Burn, its tokenizer, the text formats, and the cache.

pub mod bert;
pub mod cache;
mod encoder;
mod error;
pub mod fill;
pub mod task;
pub mod text;
pub mod tokenizer;
pub mod weights;

pub use cache::{EmbeddingStore, StoreDType};
pub use encoder::{EMBED_DIM, Embedded, SentenceEncoder};
pub use error::EmbedError;
pub use task::TaskEmbeddings;
pub use text::TextFormat;
