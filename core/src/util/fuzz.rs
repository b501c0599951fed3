//! What the property tests of generated bad input share (issue 14): how many cases a run
//! tries, and byte damage to a valid file.

use proptest::prelude::*;

/// Cases per property: `default`, or `GPO_FUZZ_CASES` for a soak run.
pub fn cases(default: u32) -> u32 {
    std::env::var("GPO_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// `bytes` cut at `cut` (when set, modulo its length + 1), then with bit `bit % 8` of the byte at
/// each `(at % length, bit)` flipped.
pub fn damage(bytes: &[u8], cut: Option<usize>, flips: &[(usize, u8)]) -> Vec<u8> {
    let mut out = bytes.to_vec();
    if let Some(cut) = cut {
        out.truncate(cut % (bytes.len() + 1));
    }
    for &(at, bit) in flips {
        if !out.is_empty() {
            let i = at % out.len();
            out[i] ^= 1 << (bit % 8);
        }
    }
    out
}

/// What [`damage`] takes: maybe a cut, up to three bit flips.
pub fn byte_damage() -> impl Strategy<Value = (Option<usize>, Vec<(usize, u8)>)> {
    (proptest::option::of(any::<usize>()), proptest::collection::vec((any::<usize>(), any::<u8>()), 0..4))
}

/// Generated edits: JSON fields replaced by values that break what a reader assumes, removed
/// or duplicated; bytes of a text file cut, put, repeated or flipped.
pub mod edits {
    use proptest::prelude::*;
    use serde_json::{Value, json};

    /// Values that break what a field's reader assumes: zero, negative, huge, fractional, of
    /// the wrong type, empty.
    pub fn wild() -> impl Strategy<Value = Value> {
        prop_oneof![
            Just(json!(null)),
            Just(json!(0)),
            Just(json!(1)),
            Just(json!(2)),
            Just(json!(-1)),
            Just(json!(4_294_967_297u64)),
            Just(json!(u64::MAX)),
            Just(json!(1e300)),
            Just(json!(-1e-300)),
            Just(json!(0.5)),
            Just(json!("")),
            Just(json!("x")),
            Just(json!([])),
            Just(json!([[]])),
            Just(json!([0, [1.0]])),
            Just(json!({})),
            Just(json!(true)),
            (0i64..5000).prop_map(|v| json!(v)),
            any::<f32>().prop_map(|v| json!(v)),
        ]
    }

    #[derive(Clone, Debug)]
    pub enum JsonEdit {
        Replace(usize, Value),
        Remove(usize),
        Duplicate(usize),
    }

    /// An edit, and which of `regions` (prefixes of JSON pointers, one drawn as likely as
    /// another) it lands in.
    pub fn json_edit(regions: usize) -> impl Strategy<Value = (usize, JsonEdit)> {
        let kind = prop_oneof![
            6 => (any::<usize>(), wild()).prop_map(|(at, v)| JsonEdit::Replace(at, v)),
            2 => any::<usize>().prop_map(JsonEdit::Remove),
            1 => any::<usize>().prop_map(JsonEdit::Duplicate),
        ];
        (0..regions.max(1), kind)
    }

    /// JSON pointers to every node below the root.
    fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                for (key, child) in map {
                    let here = format!("{at}/{}", key.replace('~', "~0").replace('/', "~1"));
                    out.push(here.clone());
                    pointers(child, here, out);
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    let here = format!("{at}/{i}");
                    out.push(here.clone());
                    pointers(child, here, out);
                }
            }
            _ => {}
        }
    }

    /// Applies `edit` to a node under `regions[region]` (anywhere when no node is there).
    pub fn apply_json(value: &mut Value, regions: &[&str], (region, edit): &(usize, JsonEdit)) {
        let mut all = Vec::new();
        pointers(value, String::new(), &mut all);
        let prefix = regions.get(*region).copied().unwrap_or("");
        if all.iter().any(|p| p.starts_with(prefix)) {
            all.retain(|p| p.starts_with(prefix));
        }
        let (JsonEdit::Replace(at, _) | JsonEdit::Remove(at) | JsonEdit::Duplicate(at)) = edit;
        let Some(pointer) = all.get(at % all.len().max(1)).cloned() else { return };
        let split = pointer.rfind('/').unwrap_or(0);
        let (parent, key) = (&pointer[..split], pointer[split + 1..].replace("~1", "/").replace("~0", "~"));
        match edit {
            JsonEdit::Replace(_, new) => {
                if let Some(node) = value.pointer_mut(&pointer) {
                    *node = new.clone();
                }
            }
            JsonEdit::Remove(_) | JsonEdit::Duplicate(_) => match value.pointer_mut(parent) {
                Some(Value::Object(map)) if matches!(edit, JsonEdit::Remove(_)) => {
                    map.remove(&key);
                }
                Some(Value::Array(items)) => {
                    let Some(i) = key.parse::<usize>().ok().filter(|&i| i < items.len()) else { return };
                    if matches!(edit, JsonEdit::Remove(_)) {
                        items.remove(i);
                    } else {
                        let copy = items[i].clone();
                        items.insert(i, copy);
                    }
                }
                _ => {}
            },
        }
    }

    /// Pieces put into text files: separators, quotes, line ends, numbers a parser may not
    /// expect, a BOM, invalid UTF-8, random bytes.
    fn piece() -> impl Strategy<Value = Vec<u8>> {
        prop_oneof![
            Just(b",".to_vec()),
            Just(b"\"".to_vec()),
            Just(b"\n".to_vec()),
            Just(b"\r\n".to_vec()),
            Just(b"-1".to_vec()),
            Just(b"1e400".to_vec()),
            Just(b"NaN".to_vec()),
            Just(b"inf".to_vec()),
            Just(b"18446744073709551616".to_vec()),
            Just(b"0".to_vec()),
            Just(b"{".to_vec()),
            Just(b"null".to_vec()),
            Just(vec![0xff, 0xfe]),
            Just("\u{feff}".as_bytes().to_vec()),
            Just("é👍".as_bytes().to_vec()),
            proptest::collection::vec(any::<u8>(), 0..6),
        ]
    }

    #[derive(Clone, Debug)]
    pub enum TextEdit {
        Cut(usize),
        Put(usize, Vec<u8>),
        RepeatLine(usize),
        Flip(usize, u8),
    }

    pub fn text_edit() -> impl Strategy<Value = TextEdit> {
        prop_oneof![
            1 => any::<usize>().prop_map(TextEdit::Cut),
            4 => (any::<usize>(), piece()).prop_map(|(at, p)| TextEdit::Put(at, p)),
            2 => any::<usize>().prop_map(TextEdit::RepeatLine),
            1 => (any::<usize>(), any::<u8>()).prop_map(|(at, bit)| TextEdit::Flip(at, bit)),
        ]
    }

    pub fn apply_text(bytes: &mut Vec<u8>, edit: &TextEdit) {
        let at = |i: usize| i % (bytes.len() + 1);
        match edit {
            TextEdit::Cut(i) => bytes.truncate(at(*i)),
            TextEdit::Put(i, piece) => {
                let i = at(*i);
                bytes.splice(i..i, piece.iter().copied());
            }
            TextEdit::RepeatLine(i) => {
                let lines: Vec<&[u8]> = bytes.split_inclusive(|&b| b == b'\n').collect();
                if lines.is_empty() {
                    return;
                }
                let line = lines[i % lines.len()].to_vec();
                let start: usize = lines[..i % lines.len()].iter().map(|l| l.len()).sum();
                bytes.splice(start..start, line);
            }
            TextEdit::Flip(i, bit) => {
                if !bytes.is_empty() {
                    let i = i % bytes.len();
                    bytes[i] ^= 1 << (bit % 8);
                }
            }
        }
    }
}
