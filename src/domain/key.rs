//! What a key may be: the one statement of the rule for every name that `sluss.toml`
//! and the record folders define (stages, coaches, programs, network members, maturity
//! questions), which the commands apply when they write one and `check` when it reads
//! one. Case ids follow the same reserved-name rule (see `id`). The JSON Schemas are
//! built from the patterns here, so that they say the same.
//!
//! A key ends up in file names (`network/<key>.toml`, `programs/<key>.toml`), URLs and
//! report columns: lowercase ASCII letters, digits, `-` and `_`, starting with a letter,
//! at most [`MAX_KEY_LEN`] characters, and never a name that Windows reserves for a
//! device (`con`, `prn`, `aux`, `nul`, `com0`–`com9`, `lpt0`–`lpt9`): Windows opens the
//! device, not a file, for such a name with any extension and in any case of letters.

/// The longest a key may be.
pub const MAX_KEY_LEN: usize = 40;

/// The names Windows reserves for devices (without their digit for `com` and `lpt`).
const RESERVED: [&str; 4] = ["con", "prn", "aux", "nul"];
const RESERVED_NUMBERED: [&str; 2] = ["com", "lpt"];

/// The key rule as a JSON Schema (ECMA 262) pattern; reserved names are refused by
/// [`RESERVED_PATTERN`] beside it.
pub const KEY_PATTERN: &str = "^[a-z][a-z0-9_-]{0,39}$";

/// A file name that Windows reserves, whatever the case of its letters and with any
/// extension, as a JSON Schema pattern (no inline flags: validators differ on them).
pub const RESERVED_PATTERN: &str = "^([Cc][Oo][Nn]|[Pp][Rr][Nn]|[Aa][Uu][Xx]|[Nn][Uu][Ll]|[Cc][Oo][Mm][0-9]|[Ll][Pp][Tt][0-9])(\\..*)?$";

/// Whether Windows reserves `name` for a device: `con`, `prn`, `aux`, `nul`,
/// `com0`–`com9` or `lpt0`–`lpt9`, in any case, alone or with an extension
/// (`nul.toml`, `Aux.tar.gz`).
///
/// ```
/// use sluss::domain::key::is_reserved_name;
/// assert!(is_reserved_name("CON"));
/// assert!(is_reserved_name("lpt1.toml"));
/// assert!(!is_reserved_name("console"));
/// ```
pub fn is_reserved_name(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or(name).to_ascii_lowercase();
    RESERVED.contains(&stem.as_str())
        || RESERVED_NUMBERED.iter().any(|prefix| {
            stem.strip_prefix(prefix)
                .is_some_and(|n| n.len() == 1 && n.as_bytes()[0].is_ascii_digit())
        })
}

/// Whether `key` is a valid key (see the module's doc).
pub fn is_key(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= MAX_KEY_LEN
        && key.starts_with(|c: char| c.is_ascii_lowercase())
        && key
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
        && !is_reserved_name(key)
}

/// `Ok` for a valid key of `kind` (a stage, a coach …), else a sentence saying why not.
pub fn check_key(kind: &str, key: &str) -> Result<(), String> {
    if is_key(key) {
        Ok(())
    } else if is_reserved_name(key) {
        Err(format!(
            "'{key}' is not a valid {kind} key: Windows reserves it for a device (con, prn, aux, nul, com0–com9, lpt0–lpt9), so no file may be named after it"
        ))
    } else {
        Err(format!(
            "'{key}' is not a valid {kind} key: use lowercase letters, digits, '-' and '_', starting with a letter, at most {MAX_KEY_LEN} characters"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_names_in_any_case_and_with_any_extension() {
        for name in [
            "con",
            "CON",
            "Prn",
            "aux",
            "nUl",
            "com1",
            "COM9",
            "lpt0",
            "lpt5",
            "con.toml",
            "Aux.tar.gz",
            "nul.",
        ] {
            assert!(is_reserved_name(name), "{name}");
            assert!(check_key("coach", name).is_err(), "{name}");
        }
        for name in [
            "console",
            "com",
            "com10",
            "lpt",
            "auxiliary",
            "nulla",
            "co-n",
            "x.con",
        ] {
            assert!(!is_reserved_name(name), "{name}");
        }
    }

    #[test]
    fn the_pattern_says_what_the_function_says() {
        // A hand-made check of the schema pattern on the names above, without a regex
        // engine: every reserved stem, in a mixed case, with and without an extension.
        for stem in ["con", "prn", "aux", "nul", "com3", "lpt7"] {
            for name in [
                stem.to_string(),
                stem.to_uppercase(),
                format!("{stem}.toml"),
            ] {
                assert!(is_reserved_name(&name));
            }
        }
        assert!(RESERVED_PATTERN.contains("[Cc][Oo][Nn]"));
        assert!(KEY_PATTERN.contains(&(MAX_KEY_LEN - 1).to_string()));
    }

    #[test]
    fn keys() {
        for good in ["erik", "ip2018", "a", "inkommen", "x-y_z", &"a".repeat(40)] {
            assert!(is_key(good), "{good}");
        }
        for bad in [
            "",
            "../../etc",
            "Erik",
            "1ab",
            "-a",
            "a b",
            "a/b",
            "å",
            &"a".repeat(41),
            "con",
        ] {
            assert!(!is_key(bad), "{bad}");
        }
    }
}
