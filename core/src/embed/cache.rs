//! The embedding cache: vectors keyed by (model hash, text hash), so re-runs and new questions
//! embed only what is new. One file per (model, text format). Layout (little-endian), see
//! docs/FORMATS.md:
//!
//! ```text
//! magic "GPOEMB01" | u32 version=1 | u32 dim | u8 dtype (0 f32, 1 f16) | 3 zero bytes
//! u64 count | 32 bytes model sha256 | u16 n + n bytes format id (utf-8)
//! count × 16-byte text keys (sha256 prefix) | count × dim values (f32 or f16)
//! 32 bytes sha256 of everything before
//! ```
//! A file whose length, magic or checksum is wrong is reported, never read as vectors.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use half::f16;
use sha2::{Digest, Sha256};

use super::EmbedError;
use crate::util::digest::{seal, unseal};

const MAGIC: &[u8; 8] = b"GPOEMB01";
const VERSION: u32 = 1;

/// How the values are stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StoreDType {
    F32,
    F16,
}

pub type TextKey = [u8; 16];

pub fn text_key(text: &str) -> TextKey {
    let digest = Sha256::digest(text.as_bytes());
    let mut key = [0u8; 16];
    key.copy_from_slice(&digest[..16]);
    key
}

#[derive(Clone, Debug, PartialEq)]
pub struct EmbeddingStore {
    pub model_sha256: String,
    pub format: String,
    pub dim: usize,
    keys: Vec<TextKey>,
    vectors: Vec<f32>,
    index: HashMap<TextKey, usize>,
}

impl EmbeddingStore {
    pub fn new(model_sha256: &str, format: &str, dim: usize) -> Self {
        Self {
            model_sha256: model_sha256.to_string(),
            format: format.to_string(),
            dim,
            keys: Vec::new(),
            vectors: Vec::new(),
            index: HashMap::new(),
        }
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    pub fn get(&self, text: &str) -> Option<&[f32]> {
        self.get_key(&text_key(text))
    }

    pub fn get_key(&self, key: &TextKey) -> Option<&[f32]> {
        self.index.get(key).map(|&i| &self.vectors[i * self.dim..(i + 1) * self.dim])
    }

    pub fn contains(&self, text: &str) -> bool {
        self.index.contains_key(&text_key(text))
    }

    /// Adds or replaces a vector.
    pub fn insert(&mut self, text: &str, vector: &[f32]) {
        assert_eq!(vector.len(), self.dim, "vector width");
        let key = text_key(text);
        match self.index.get(&key) {
            Some(&i) => self.vectors[i * self.dim..(i + 1) * self.dim].copy_from_slice(vector),
            None => {
                self.index.insert(key, self.keys.len());
                self.keys.push(key);
                self.vectors.extend_from_slice(vector);
            }
        }
    }

    /// The cache file for a model and format under `cache_dir`.
    pub fn path_in(cache_dir: &Path, model_sha256: &str, format: &str) -> PathBuf {
        cache_dir.join("embeddings").join(format!("{format}-{}.gpoemb", &model_sha256[..16.min(model_sha256.len())]))
    }

    pub fn to_bytes(&self, dtype: StoreDType) -> Vec<u8> {
        let mut out = Vec::with_capacity(96 + self.keys.len() * (16 + self.dim * 4));
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&VERSION.to_le_bytes());
        out.extend_from_slice(&(self.dim as u32).to_le_bytes());
        out.push(match dtype {
            StoreDType::F32 => 0,
            StoreDType::F16 => 1,
        });
        out.extend_from_slice(&[0, 0, 0]);
        out.extend_from_slice(&(self.keys.len() as u64).to_le_bytes());
        out.extend_from_slice(&hex_to_bytes32(&self.model_sha256));
        out.extend_from_slice(&(self.format.len() as u16).to_le_bytes());
        out.extend_from_slice(self.format.as_bytes());
        for key in &self.keys {
            out.extend_from_slice(key);
        }
        match dtype {
            StoreDType::F32 => self.vectors.iter().for_each(|v| out.extend_from_slice(&v.to_le_bytes())),
            StoreDType::F16 => {
                self.vectors.iter().for_each(|v| out.extend_from_slice(&f16::from_f32(*v).to_le_bytes()))
            }
        }
        seal(&mut out);
        out
    }

    /// Parses a cache file's bytes; `path` only names the file in errors.
    pub fn from_bytes(bytes: &[u8], path: &Path) -> Result<Self, EmbedError> {
        let bad = |message: String| EmbedError::Cache { path: path.to_path_buf(), message };
        if bytes.len() < 8 + 4 + 4 + 4 + 8 + 32 + 2 + 32 || &bytes[..8] != MAGIC {
            return Err(bad("not an embedding cache (bad magic or too short)".into()));
        }
        let body = unseal(bytes).ok_or_else(|| bad("checksum mismatch (truncated or corrupted)".into()))?;
        let mut at = 8;
        let mut take = |n: usize| -> Result<&[u8], EmbedError> {
            let slice = body.get(at..at + n).ok_or_else(|| bad("truncated header".into()))?;
            at += n;
            Ok(slice)
        };
        let version = u32::from_le_bytes(take(4)?.try_into().unwrap());
        if version != VERSION {
            return Err(bad(format!("version {version}, this build reads {VERSION}")));
        }
        let dim = u32::from_le_bytes(take(4)?.try_into().unwrap()) as usize;
        let dtype = match take(4)?[0] {
            0 => StoreDType::F32,
            1 => StoreDType::F16,
            other => return Err(bad(format!("unknown dtype {other}"))),
        };
        let count = u64::from_le_bytes(take(8)?.try_into().unwrap()) as usize;
        let model_sha256: String = take(32)?.iter().map(|b| format!("{b:02x}")).collect();
        let name_len = u16::from_le_bytes(take(2)?.try_into().unwrap()) as usize;
        let format = String::from_utf8(take(name_len)?.to_vec()).map_err(|_| bad("format id is not utf-8".into()))?;
        let width = match dtype {
            StoreDType::F32 => 4,
            StoreDType::F16 => 2,
        };
        let expected = count.checked_mul(16 + dim * width).ok_or_else(|| bad("impossible entry count".into()))?;
        let rest = &body[at..];
        if rest.len() != expected || dim == 0 {
            return Err(bad(format!("{} bytes of entries, expected {expected}", rest.len())));
        }
        let (key_bytes, value_bytes) = rest.split_at(count * 16);
        let keys: Vec<TextKey> = key_bytes.chunks_exact(16).map(|k| k.try_into().unwrap()).collect();
        let vectors: Vec<f32> = match dtype {
            StoreDType::F32 => value_bytes.chunks_exact(4).map(|b| f32::from_le_bytes(b.try_into().unwrap())).collect(),
            StoreDType::F16 => {
                value_bytes.chunks_exact(2).map(|b| f16::from_le_bytes(b.try_into().unwrap()).to_f32()).collect()
            }
        };
        let index = keys.iter().enumerate().map(|(i, k)| (*k, i)).collect();
        Ok(Self { model_sha256, format, dim, keys, vectors, index })
    }

    /// Loads a cache file; `Ok(None)` when it does not exist.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn load(path: &Path) -> Result<Option<Self>, EmbedError> {
        match std::fs::read(path) {
            Ok(bytes) => Self::from_bytes(&bytes, path).map(Some),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(EmbedError::io(path, e)),
        }
    }

    /// Writes atomically (temporary file + rename).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn save(&self, path: &Path, dtype: StoreDType) -> Result<(), EmbedError> {
        crate::util::fs::write_atomic(path, &self.to_bytes(dtype)).map_err(|e| EmbedError::io(path, e))
    }
}

fn hex_to_bytes32(hex: &str) -> [u8; 32] {
    let mut out = [0u8; 32];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = hex.get(2 * i..2 * i + 2).and_then(|h| u8::from_str_radix(h, 16).ok()).unwrap_or(0);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Generated damage (issue 14): cut anywhere, bits flipped, a header field set to any
    /// value. The cache reads as it was or is refused — never a panic, never an allocation
    /// sized by a length the file claims. `GPO_FUZZ_CASES` sets the cases.
    mod fuzz {
        use proptest::prelude::*;

        use super::*;
        use crate::util::fuzz::{cases, damage};

        fn store() -> Vec<u8> {
            let mut store = EmbeddingStore::new("sha", "fmt", 4);
            for i in 0..5 {
                store.insert(&format!("text {i}"), &[i as f32, 0.5, -1.0, 2.0]);
            }
            store.to_bytes(StoreDType::F16)
        }

        proptest! {
            #![proptest_config(ProptestConfig { cases: cases(2000), failure_persistence: None, ..ProptestConfig::default() })]

            #[test]
            fn a_damaged_cache_reads_or_is_refused(
                cut in proptest::option::of(any::<usize>()),
                flips in proptest::collection::vec((any::<usize>(), any::<u8>()), 0..4),
                field in proptest::option::of((0usize..64, any::<u32>())),
            ) {
                let mut valid = store();
                if let Some((at, value)) = field && at + 4 <= valid.len() {
                    valid[at..at + 4].copy_from_slice(&value.to_le_bytes());
                }
                let bytes = damage(&valid, cut, &flips);
                if let Ok(read) = EmbeddingStore::from_bytes(&bytes, Path::new("cache.bin")) {
                    prop_assert!(read.len() <= 5 || bytes.len() > store().len());
                }
            }
        }
    }

    const SHA: &str = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db";

    fn store() -> EmbeddingStore {
        let mut s = EmbeddingStore::new(SHA, "qa", 3);
        s.insert("a", &[1.0, 2.0, 3.0]);
        s.insert("b", &[-1.0, 0.5, 0.25]);
        s
    }

    #[test]
    fn round_trips_f32_and_f16() {
        let s = store();
        let back = EmbeddingStore::from_bytes(&s.to_bytes(StoreDType::F32), Path::new("x")).unwrap();
        assert_eq!(back, s);
        let half = EmbeddingStore::from_bytes(&s.to_bytes(StoreDType::F16), Path::new("x")).unwrap();
        assert_eq!(half.get("b").unwrap(), &[-1.0, 0.5, 0.25]);
        assert_eq!(half.model_sha256, SHA);
        assert_eq!(half.format, "qa");
    }

    #[test]
    fn truncated_or_corrupted_files_are_errors() {
        let bytes = store().to_bytes(StoreDType::F32);
        for cut in [0, 10, bytes.len() / 2, bytes.len() - 1] {
            assert!(EmbeddingStore::from_bytes(&bytes[..cut], Path::new("x")).is_err(), "cut at {cut}");
        }
        let mut flipped = bytes.clone();
        flipped[70] ^= 1;
        let err = EmbeddingStore::from_bytes(&flipped, Path::new("cache.gpoemb")).unwrap_err();
        assert!(err.to_string().contains("cache.gpoemb") && err.to_string().contains("checksum"), "{err}");
    }

    #[test]
    fn insert_replaces_existing_text() {
        let mut s = store();
        s.insert("a", &[0.0, 0.0, 1.0]);
        assert_eq!(s.len(), 2);
        assert_eq!(s.get("a").unwrap(), &[0.0, 0.0, 1.0]);
        assert!(s.get("zzz").is_none());
    }
}
