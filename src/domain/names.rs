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
use std::ops::Range;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// The longest name, in words, that a [`NameSet`] looks for.
const MAX_WORDS: usize = 12;

/// A set of names (or contact details) to find in text. It keeps a fingerprint of each
/// normalised name (see [`fingerprint`]), not the name, so that the cache can stand in
/// for case files without keeping names.
#[derive(Debug, Clone, Default)]
pub struct NameSet {
    prints: HashSet<u64>,
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
            self.insert_fingerprint(print);
        }
    }

    /// Adds a name known by its fingerprint.
    pub fn insert_fingerprint(&mut self, print: Fingerprint) {
        self.max_words = self.max_words.max(usize::from(print.words).min(MAX_WORDS));
        self.prints.insert(print.hash);
    }

    pub fn is_empty(&self) -> bool {
        self.prints.is_empty()
    }

    /// Whether the whole of `value` is one of the names (a table's `name`).
    pub fn is_exactly(&self, value: &str) -> bool {
        Fingerprint::of(value).is_some_and(|p| self.prints.contains(&p.hash))
    }

    fn knows(&self, key: &str) -> bool {
        self.prints.contains(&fingerprint(key))
    }

    /// Replaces every name of the set found in `text` with `with`, or `None` when there
    /// is none. The text comes back in NFC.
    pub fn replace(&self, text: &str, with: &str) -> Option<String> {
        if self.prints.is_empty() {
            return None;
        }
        let text = nfc(text);
        let found = scan(&text, self.max_words, |key| self.knows(key));
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
    if unicode_normalization::is_nfc_quick(text.chars()) == unicode_normalization::IsNormalized::Yes
    {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(text.nfc().collect())
    }
}

/// A name's fingerprint: the 64-bit FNV-1a hash of its normalised form, and how many
/// words it has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Fingerprint {
    pub hash: u64,
    pub words: u8,
}

impl Fingerprint {
    /// The fingerprint of `name`, or `None` when it has no word.
    pub fn of(name: &str) -> Option<Fingerprint> {
        normal_key(name).map(|(key, words)| Fingerprint {
            hash: fingerprint(&key),
            words: u8::try_from(words).unwrap_or(u8::MAX),
        })
    }
}

/// FNV-1a over a normalised key: stable across versions and machines (the cache keeps
/// it), and quick enough to look up every window of words in a text.
pub fn fingerprint(key: &str) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
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
    let text = nfc(name);
    let tokens = tokens(&text);
    let first = tokens.first()?;
    let mut key = first.word.clone();
    for pair in tokens.windows(2) {
        push_gap(&mut key, &text[pair[0].range.end..pair[1].range.start]);
        key.push_str(&pair[1].word);
    }
    Some((key, tokens.len()))
}

/// One word of a text: where it is, and its lower-case form.
#[derive(Debug)]
struct Token {
    range: Range<usize>,
    word: String,
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c)
}

fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (is_word_char(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push(token(text, s..i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(token(text, s..text.len()));
    }
    out
}

fn token(text: &str, range: Range<usize>) -> Token {
    let word = text[range.clone()].to_lowercase();
    Token { range, word }
}

/// What separates two words, as the matcher compares it: only whitespace reads as one
/// space; otherwise its other characters ("@", ".", "-"), whitespace dropped.
fn push_gap(key: &mut String, gap: &str) {
    if gap.chars().all(char::is_whitespace) {
        key.push(' ');
    } else {
        key.extend(gap.chars().filter(|c| !c.is_whitespace()));
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
    let tokens = tokens(text);
    let mut found = Vec::new();
    let mut key = String::new();
    let mut i = 0;
    while i < tokens.len() {
        let mut best: Option<usize> = None;
        key.clear();
        for j in i..tokens.len().min(i + max_words.max(1)) {
            if j > i {
                push_gap(
                    &mut key,
                    &text[tokens[j - 1].range.end..tokens[j].range.start],
                );
            }
            key.push_str(&tokens[j].word);
            if known(&key) {
                best = Some(j);
            } else if let Some(bare) = key.strip_suffix('s')
                && !bare.is_empty()
                && !bare.ends_with(' ')
                && known(bare)
            {
                // "Marias": the Swedish genitive, written together.
                best = Some(j);
            }
        }
        match best {
            Some(j) => {
                let mut end = tokens[j].range.end;
                // "Maria's", "Maria’s", "SVT:s": the genitive written apart.
                if let Some(next) = tokens.get(j + 1)
                    && next.word == "s"
                    && matches!(&text[end..next.range.start], "'" | "’" | ":")
                    && !text[next.range.end..].starts_with(is_word_char)
                {
                    end = next.range.end;
                }
                found.push(tokens[i].range.start..end);
                i = j + 1;
                // The genitive's "s" token is inside the match.
                while i < tokens.len() && tokens[i].range.start < end {
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
