//! Case ids: random, so that two people on two branches never mint the same one without
//! talking to each other (sequential numbers collide on every merge).
//!
//! An id is 12 characters of lowercase Crockford base32 (60 random bits): a collision
//! needs about a billion cases before it becomes likely. People type a short prefix.

/// Crockford's base32 alphabet, lowercase: no i, l, o or u to misread.
const ALPHABET: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";

pub const ID_LEN: usize = 12;

/// A new id from the given source of randomness.
pub fn new_id(rng: &mut fastrand::Rng) -> String {
    let bits = rng.u64(..);
    (0..ID_LEN)
        .map(|i| ALPHABET[((bits >> (i * 5)) & 31) as usize] as char)
        .collect()
}

/// Whether `s` could be (a prefix of) an id: ASCII letters, digits and `_` only, so it
/// can never name a path outside `cases/`. (Hand-made ids need not be base32.)
///
/// ```
/// use sluss::domain::id::is_id_text;
/// assert!(is_id_text("01jd3k7f3q"));
/// assert!(!is_id_text("../../etc/passwd"));
/// ```
pub fn is_id_text(s: &str) -> bool {
    !s.is_empty() && s.len() <= 64 && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// Whether `s` is a whole id a case may have: [`is_id_text`], and not a name Windows
/// reserves for a device (`con`, `aux`, `nul` …, see [`super::key::is_reserved_name`]),
/// since the case's file is named after it.
///
/// ```
/// use sluss::domain::id::is_id;
/// assert!(is_id("01jd3k7f3q"));
/// assert!(!is_id("Aux"));
/// ```
pub fn is_id(s: &str) -> bool {
    is_id_text(s) && !super::key::is_reserved_name(s)
}

/// [`is_id_text`] as a JSON Schema pattern; reserved names are refused beside it by
/// [`super::key::RESERVED_PATTERN`].
pub const ID_PATTERN: &str = "^[A-Za-z0-9_]{1,64}$";

/// The id part of a case file's name: `<id>.toml` or `<id>-<slug>.toml`.
pub fn id_from_file_name(name: &str) -> Option<&str> {
    let stem = name.strip_suffix(".toml")?;
    let id = stem.split_once('-').map(|(id, _)| id).unwrap_or(stem);
    (!id.is_empty()).then_some(id)
}

/// A short, stable fingerprint of some bytes (64-bit FNV-1a, in hex): the same on every
/// machine and in every version, so it can go into a file's name.
///
/// ```
/// use sluss::domain::id::fingerprint;
/// assert_eq!(fingerprint("Vård".as_bytes()).len(), 16);
/// assert_ne!(fingerprint("Vård".as_bytes()), fingerprint("Värd".as_bytes()));
/// ```
pub fn fingerprint(bytes: &[u8]) -> String {
    let hash = bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_distinct_and_well_formed() {
        let mut rng = fastrand::Rng::with_seed(7);
        let ids: std::collections::BTreeSet<String> =
            (0..10_000).map(|_| new_id(&mut rng)).collect();
        assert_eq!(ids.len(), 10_000);
        assert!(ids.iter().all(|id| id.len() == ID_LEN && is_id_text(id)));
    }

    #[test]
    fn path_like_text_is_not_an_id() {
        for bad in ["../x", "/etc/passwd", "a/b", "a\\b", "", ".", "x y"] {
            assert!(!is_id_text(bad), "{bad}");
        }
        for reserved in ["con", "NUL", "Com1", "lpt9"] {
            assert!(is_id_text(reserved) && !is_id(reserved), "{reserved}");
        }
    }

    #[test]
    fn file_names_give_ids() {
        assert_eq!(id_from_file_name("01jd3k7f3q.toml"), Some("01jd3k7f3q"));
        assert_eq!(
            id_from_file_name("01jd3k7f3q-matsedel.toml"),
            Some("01jd3k7f3q")
        );
        assert_eq!(id_from_file_name("notes.txt"), None);
    }
}
