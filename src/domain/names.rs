//! Finding a person's name in free text as a person would recognise it: the one matcher
//! that `forget`, published output and `check`'s forgotten-name scan share.
//!
//! Both the name and the text are normalised the same way: Unicode NFC (so a name typed
//! with a combining accent matches the precomposed one), case folded, and any run of
//! whitespace between two words (a non-breaking space, a line break and the next line's
//! indentation) read as one space. Only whole words match ("Maria" is not in
//! "Mariana"), and a match may carry the genitive ("Marias", "Maria's", "Maria’s").
//!
//! The text is cut into words once and every window of up to a few words is looked up
//! in a set, so the cost grows with the length of the text, not with the number of
//! names.

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// The longest name, in words, that a [`NameSet`] looks for.
const MAX_WORDS: usize = 12;

/// A set of names (or contact details) to find in text. It keeps a fingerprint of each
/// normalised name (see [`fingerprint`]), not the name, so that the cache can stand in
/// for case files without keeping names.
#[derive(Debug, Clone, Default)]
pub struct NameSet {
    prints: HashSet<u64, BuildHasherDefault<Spread>>,
    /// The hashes of every name's first words, for knowing when to stop looking.
    prefixes: HashSet<u64, BuildHasherDefault<Spread>>,
    max_words: usize,
}

impl NameSet {
    /// The set of `names`; blank ones are left out.
    pub fn new<S: AsRef<str>>(names: impl IntoIterator<Item = S>) -> NameSet {
        let mut set = NameSet::default();
        for name in names {
            set.insert(name.as_ref());
        }
        set
    }

    /// Adds `name` to the set.
    pub fn insert(&mut self, name: &str) {
        if let Some(print) = Fingerprint::of(name) {
            self.insert_fingerprint(&print);
        }
    }

    /// Adds a name known by its fingerprint.
    pub fn insert_fingerprint(&mut self, print: &Fingerprint) {
        self.max_words = self.max_words.max(usize::from(print.words).min(MAX_WORDS));
        self.prints.insert(print.hash);
        self.prefixes.extend(print.prefixes.iter().copied());
    }

    pub fn is_empty(&self) -> bool {
        self.prints.is_empty()
    }

    /// Whether the whole of `value` is one of the names (a table's `name`).
    pub fn is_exactly(&self, value: &str) -> bool {
        Fingerprint::of(value).is_some_and(|p| self.prints.contains(&p.hash))
    }

    /// Replaces every name of the set found in `text` with `with`, or `None` when there
    /// is none. The text comes back in NFC.
    pub fn replace(&self, text: &str, with: &str) -> Option<String> {
        if self.prints.is_empty() {
            return None;
        }
        let text = nfc(text);
        let found = scan_with(
            &text,
            self.max_words,
            Fnv(FNV_OFFSET),
            |key| self.prints.contains(&key.0),
            |key| self.prefixes.contains(&key.0),
        );
        if found.is_empty() {
            return None;
        }
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for range in found {
            out.push_str(&text[at..range.start]);
            out.push_str(with);
            at = range.end;
        }
        out.push_str(&text[at..]);
        Some(out)
    }

    /// Replaces the names in `text` in place; whether there were any.
    pub fn hide_in(&self, text: &mut String, with: &str) -> bool {
        match self.replace(text, with) {
            Some(new) => {
                *text = new;
                true
            }
            None => false,
        }
    }
}

/// `text` in Unicode NFC, borrowed when it already is.
pub fn nfc(text: &str) -> std::borrow::Cow<'_, str> {
    // Below U+0300 (lead bytes under 0xCC) every character is NFC as it stands and
    // combines with nothing: the common case, told without decoding.
    if text.bytes().all(|b| b < 0xcc) {
        return std::borrow::Cow::Borrowed(text);
    }
    if unicode_normalization::is_nfc_quick(text.chars()) == unicode_normalization::IsNormalized::Yes
    {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(text.nfc().collect())
    }
}

/// The set's hasher: a fingerprint is already a hash, so it is only mixed once.
#[derive(Debug, Clone, Copy, Default)]
struct Spread(u64);

impl Hasher for Spread {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 << 8 | u64::from(*b)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        }
    }

    fn write_u64(&mut self, n: u64) {
        // Mixed once, so that low and high bits both vary.
        let x = (n ^ (n >> 29)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        self.0 = x ^ (x >> 32);
    }
}

/// A name's fingerprint: the 64-bit FNV-1a hash of its normalised form, how many words
/// it has, and the hashes of its first word, first two words, … (so that a scan need
/// not look further than a text's words could still lead to a name).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Fingerprint {
    pub hash: u64,
    pub words: u8,
    pub prefixes: Vec<u64>,
}

impl Fingerprint {
    /// The fingerprint of `name`, or `None` when it has no word.
    pub fn of(name: &str) -> Option<Fingerprint> {
        let (key, ends) = normal_key_and_ends(name)?;
        let prefixes = ends[..ends.len() - 1]
            .iter()
            .map(|end| fingerprint(&key[..*end]))
            .collect();
        Some(Fingerprint {
            hash: fingerprint(&key),
            words: u8::try_from(ends.len()).unwrap_or(u8::MAX),
            prefixes,
        })
    }
}

/// FNV-1a over a normalised key: stable across versions and machines (the cache keeps
/// it), and quick enough to look up every window of words in a text.
pub fn fingerprint(key: &str) -> u64 {
    let mut hash: u64 = FNV_OFFSET;
    for b in key.bytes() {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// The normalised form of a name that the matcher compares (its words, lower case,
/// joined by what separates them, whitespace read as one space), and how many words it
/// has; `None` when it has no word.
pub fn normal_key(name: &str) -> Option<(String, usize)> {
    normal_key_and_ends(name).map(|(key, ends)| (key, ends.len()))
}

/// [`normal_key`], and where each word ends in it.
fn normal_key_and_ends(name: &str) -> Option<(String, Vec<usize>)> {
    let text = nfc(name);
    let words = words(&text);
    if words.is_empty() {
        return None;
    }
    let mut key = String::new();
    let mut ends = Vec::with_capacity(words.len());
    for (n, word) in words.iter().enumerate() {
        if n > 0 {
            push_gap(&mut key, &text[words[n - 1].end..word.start]);
        }
        text[word.clone()]
            .chars()
            .filter(|c| !is_invisible(*c))
            .flat_map(char::to_lowercase)
            .for_each(|c| key.push_char(c));
        ends.push(key.len());
    }
    Some((key, ends))
}

/// A window's key as it grows word by word: the text itself, or only its hash.
trait Key: Clone {
    fn push_char(&mut self, c: char);
}

impl Key for String {
    fn push_char(&mut self, c: char) {
        self.push(c);
    }
}

/// FNV-1a, fed as the key grows (the same as [`fingerprint`] of the whole key).
#[derive(Clone, Copy)]
struct Fnv(u64);

impl Key for Fnv {
    fn push_char(&mut self, c: char) {
        let mut buf = [0; 4];
        for b in c.encode_utf8(&mut buf).bytes() {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c)
}

/// Characters that are not seen: a soft hyphen, zero-width spaces and joiners, the
/// word joiner, a byte order mark. "An\u{ad}na" reads as "Anna", so the matcher skips
/// them, inside a word and between words alike.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{ad}' | '\u{180e}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{feff}'
    )
}

/// Where the words of `text` are. An invisible character inside a word belongs to it.
fn words(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (
            is_word_char(c) || (start.is_some() && is_invisible(c)),
            start,
        ) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push(s..i);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(s..text.len());
    }
    out
}

/// Whether `c` is a dash of any kind (hyphen, non-breaking hyphen, en and em dash,
/// minus): "Anna-Karin", "Anna–Karin" and "Anna Karin" name the same person.
fn is_dash(c: char) -> bool {
    matches!(
        c,
        '-' | '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{fe58}' | '\u{fe63}' | '\u{ff0d}'
    )
}

/// What separates two words, as the matcher compares it: whitespace and dashes read as
/// one space (a double name is written with a hyphen, a dash or a space), and so does a
/// lone "." or "_" (as in an e-mail address); otherwise its other characters ("@", ". "),
/// whitespace dropped.
fn push_gap(key: &mut impl Key, gap: &str) {
    // "anna.berg@kommun.se", "anna_berg": a name in an address is the name.
    if matches!(gap, "." | "_")
        || gap
            .chars()
            .all(|c| c.is_whitespace() || is_dash(c) || is_invisible(c))
    {
        key.push_char(' ');
    } else {
        gap.chars()
            .filter(|c| !c.is_whitespace() && !is_invisible(*c))
            .for_each(|c| key.push_char(c));
    }
}

/// Finds, in `text` (already NFC), the places where a window of up to `max_words`
/// words reads as a key that `known` accepts: the longest from each word on, without
/// overlaps, in text order. A genitive after the last word ("-s", "'s", "’s", ":s")
/// belongs to the match.
pub fn scan(
    text: &str,
    max_words: usize,
    mut known: impl FnMut(&str) -> bool,
) -> Vec<Range<usize>> {
    scan_with(
        text,
        max_words,
        String::new(),
        |key: &String| known(key),
        |_| true,
    )
}

fn scan_with<K: Key>(
    text: &str,
    max_words: usize,
    empty: K,
    mut known: impl FnMut(&K) -> bool,
    mut leads_on: impl FnMut(&K) -> bool,
) -> Vec<Range<usize>> {
    let words = words(text);
    let mut found = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let mut best: Option<usize> = None;
        let mut key = empty.clone();
        for j in i..words.len().min(i + max_words.max(1)) {
            if j > i {
                push_gap(&mut key, &text[words[j - 1].end..words[j].start]);
            }
            // Each character but the last goes in as it comes; the key without the
            // last is kept when that is an "s".
            let (mut pending, mut count) = (None, 0);
            let mut feed = |c: char| {
                if let Some(p) = pending.replace(c) {
                    key.push_char(p);
                }
                count += 1;
            };
            for c in text[words[j].clone()].chars().filter(|c| !is_invisible(*c)) {
                if c.is_ascii() {
                    feed(c.to_ascii_lowercase());
                } else {
                    c.to_lowercase().for_each(&mut feed);
                }
            }
            let last = pending.expect("a word has a character");
            // "Marias": the Swedish genitive, written together.
            let bare = (last == 's' && count > 1).then(|| key.clone());
            key.push_char(last);
            if known(&key) || bare.is_some_and(|b| known(&b)) {
                best = Some(j);
            }
            if !leads_on(&key) {
                break;
            }
        }
        match best {
            Some(j) => {
                let mut end = words[j].end;
                // "Maria's", "Maria’s", "SVT:s": the genitive written apart.
                if let Some(next) = words.get(j + 1)
                    && text[next.clone()].eq_ignore_ascii_case("s")
                    && matches!(&text[end..next.start], "'" | "’" | ":")
                {
                    end = next.end;
                }
                found.push(words[i].start..end);
                i = j + 1;
                // The genitive's "s" is inside the match.
                while i < words.len() && words[i].start < end {
                    i += 1;
                }
            }
            None => i += 1,
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hide(names: &[&str], text: &str) -> String {
        NameSet::new(names.iter().copied())
            .replace(text, "[x]")
            .unwrap_or_else(|| text.to_string())
    }

    #[test]
    fn case_and_whole_words() {
        assert_eq!(
            hide(&["Åsa Berg"], "Möte med ÅSA BERG, åsa berg."),
            "Möte med [x], [x]."
        );
        assert_eq!(hide(&["Maria"], "Mariana och Maria"), "Mariana och [x]");
        assert_eq!(hide(&["Anna Berg"], "Anna Bergström"), "Anna Bergström");
        assert_eq!(hide(&["Anna Berg"], "Joanna Berg"), "Joanna Berg");
    }

    #[test]
    fn nfc_nfd_and_whitespace() {
        let nfd = "Jose\u{301} Nystro\u{308}m";
        assert_eq!(
            hide(&["José Nyström"], &format!("Ring {nfd}!")),
            "Ring [x]!"
        );
        assert_eq!(hide(&[nfd], "Ring José Nyström!"), "Ring [x]!");
        assert_eq!(hide(&["Anna Berg"], "Anna\u{a0}Berg"), "[x]");
        assert_eq!(
            hide(&["Anna Berg"], "ringde Anna\n    Berg idag"),
            "ringde [x] idag"
        );
        assert_eq!(hide(&["Anna  Berg"], "Anna Berg"), "[x]");
    }

    #[test]
    fn double_names_with_any_dash_or_a_space() {
        let name = ["Anna-Karin Öberg"];
        for text in [
            "Anna Karin Öberg",
            "anna\u{2011}karin öberg",
            "Anna–Karin Öberg",
            "Anna — Karin Öberg",
            "ANNA-KARIN\n  ÖBERGS",
        ] {
            assert_eq!(hide(&name, text), "[x]", "{text}");
        }
        assert_eq!(hide(&["Anna Karin Öberg"], "Anna-Karin Öberg"), "[x]");
        assert_eq!(hide(&["anna-karin@x.se"], "anna-karin@x.se"), "[x]");
    }

    #[test]
    fn invisible_characters() {
        let name = ["Anna Berg"];
        for text in [
            "An\u{ad}na Berg",
            "Anna\u{200b} Berg",
            "Anna \u{2060}Berg\u{200d}s",
            "Anna \u{200b} Berg",
        ] {
            assert_eq!(hide(&name, text), "[x]", "{text:?}");
        }
        assert_eq!(hide(&["An\u{ad}na Berg"], "Anna Berg"), "[x]");
        assert_eq!(hide(&name, "\u{feff}Anna Berg"), "\u{feff}[x]");
    }

    #[test]
    fn genitive() {
        assert_eq!(hide(&["Maria"], "Marias idé"), "[x] idé");
        assert_eq!(hide(&["Maria"], "Maria's idea"), "[x] idea");
        assert_eq!(hide(&["Maria"], "Maria’s idea"), "[x] idea");
        assert_eq!(hide(&["Anna Berg"], "Anna Bergs förslag"), "[x] förslag");
        assert_eq!(hide(&["Anna Berg"], "Anna Bergsten"), "Anna Bergsten");
    }

    #[test]
    fn contact_details() {
        assert_eq!(hide(&["anna@x.se"], "mejl:anna@x.se."), "mejl:[x].");
        assert_eq!(
            hide(&["Anna Berg"], "anna.berg@kommun.se, Anna_Berg"),
            "[x]@kommun.se, [x]"
        );
        assert_eq!(
            hide(&["Anna Berg"], "sa Anna. Berg kom"),
            "sa Anna. Berg kom"
        );
        assert_eq!(hide(&["anna@x.se"], "joanna@x.se"), "joanna@x.se");
    }

    #[test]
    fn longest_name_first() {
        assert_eq!(
            hide(&["Anna", "Anna Berg"], "Anna Berg och Anna"),
            "[x] och [x]"
        );
    }
}
