//! sha256 digests: hex names of files, and the trailing checksum that seals the files we write.

use sha2::{Digest, Sha256};

/// Bytes of the checksum [`seal`] appends.
pub const SEAL_BYTES: usize = 32;

/// Lower-case hex sha256 of `bytes` (model and bundle checksums).
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// Appends the sha256 of everything in `out` so far.
pub fn seal(out: &mut Vec<u8>) {
    let checksum = Sha256::digest(&out[..]);
    out.extend_from_slice(&checksum);
}

/// The body of a sealed file, or `None` when it is too short or its checksum does not match
/// (truncated or corrupted).
pub fn unseal(bytes: &[u8]) -> Option<&[u8]> {
    let (body, checksum) = bytes.split_at_checked(bytes.len().checked_sub(SEAL_BYTES)?)?;
    (Sha256::digest(body).as_slice() == checksum).then_some(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_of_a_known_digest() {
        assert_eq!(sha256_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    #[test]
    fn sealed_bytes_unseal_and_damage_is_caught() {
        let mut out = b"body".to_vec();
        seal(&mut out);
        assert_eq!(unseal(&out), Some(&b"body"[..]));
        assert_eq!(unseal(&out[..out.len() - 1]), None);
        out[0] ^= 1;
        assert_eq!(unseal(&out), None);
        assert_eq!(unseal(b"short"), None);
    }
}
