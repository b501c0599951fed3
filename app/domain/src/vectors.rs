//! Embedding vectors as text for localStorage: base64 (standard alphabet, padded) of their
//! little-endian f32 bytes — exact, and about a third of the size of JSON numbers.

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

pub fn encode(values: &[f32]) -> String {
    let bytes: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// `None` for anything that is not [`encode`]'s output.
pub fn decode(text: &str) -> Option<Vec<f32>> {
    let text = text.trim_end_matches('=');
    let mut bytes = Vec::with_capacity(text.len() * 3 / 4);
    let mut buffer = 0u32;
    let mut bits = 0;
    for c in text.bytes() {
        let value = ALPHABET.iter().position(|&a| a == c)? as u32;
        buffer = (buffer << 6) | value;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            bytes.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    if bytes.len() % 4 != 0 {
        return None;
    }
    Some(bytes.chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vectors_come_back_bit_for_bit() {
        for n in [0, 1, 2, 3, 5, 384] {
            let values: Vec<f32> = (0..n).map(|i| (i as f32 * 0.37).sin() * 1e3 - 0.5).collect();
            let text = encode(&values);
            assert_eq!(text.len() % 4, 0);
            let back = decode(&text).unwrap();
            assert_eq!(
                back.iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
                values.iter().map(|v| v.to_bits()).collect::<Vec<_>>()
            );
        }
        let special = [f32::MIN_POSITIVE, -0.0, f32::MAX];
        assert_eq!(decode(&encode(&special)).unwrap(), special);
    }

    #[test]
    fn anything_else_is_refused() {
        assert_eq!(decode("not base64!"), None);
        assert_eq!(decode("AAAA"), None); // 3 bytes: not whole f32s
        assert_eq!(decode("é"), None);
        assert_eq!(decode(""), Some(Vec::new()));
    }
}
