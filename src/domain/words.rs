//! The words coaches type: stage, outcome, coach, unit and program names matched by key
//! or by the name people see, case-insensitively and with Swedish letters folded
//! (`Prövning`, `prövning` and `provning` are one stage), and "did you mean" for a
//! word that matches nothing.

use unicode_normalization::UnicodeNormalization;

/// A word as sluss compares it: lower case, letters without their marks (å → a,
/// ö → o, é → e), and every run of spaces, `-` and `_` one space, trimmed. Keys and
/// names that fold alike are one thing to a coach.
pub fn fold(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    let mut gap = false;
    for c in word.nfd() {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        if c.is_whitespace() || c == '-' || c == '_' {
            gap = !out.is_empty();
            continue;
        }
        if gap {
            out.push(' ');
            gap = false;
        }
        out.extend(c.to_lowercase());
    }
    out
}

/// One thing a word may name: its key and the names it is also known by (its display
/// name, translations).
#[derive(Debug, Clone, Copy)]
pub struct Named<'a> {
    pub key: &'a str,
    pub names: &'a [&'a str],
}

/// The key among `known` that `word` names, by key or by any of its names, folded (see
/// [`fold`]). An exact key wins over a folded match, so a key that folds like another
/// thing's name is still reachable.
pub fn find<'a>(
    word: &str,
    known: impl IntoIterator<Item = (&'a str, Vec<&'a str>)>,
) -> Option<&'a str> {
    let known: Vec<(&str, Vec<&str>)> = known.into_iter().collect();
    if let Some((key, _)) = known.iter().find(|(key, _)| *key == word) {
        return Some(key);
    }
    let wanted = fold(word);
    if wanted.is_empty() {
        return None;
    }
    known
        .iter()
        .find(|(key, names)| fold(key) == wanted || names.iter().any(|n| fold(n) == wanted))
        .map(|(key, _)| *key)
}

/// The key among `known` closest to `word` (by key or name, folded), when one is close
/// enough to be what was meant: for "did you mean".
pub fn suggest<'a>(
    word: &str,
    known: impl IntoIterator<Item = (&'a str, Vec<&'a str>)>,
) -> Option<&'a str> {
    let wanted = fold(word);
    if wanted.is_empty() {
        return None;
    }
    let mut best: Option<(f64, &str)> = None;
    for (key, names) in known {
        for candidate in std::iter::once(key).chain(names) {
            let folded = fold(candidate);
            let mut score = strsim::jaro_winkler(&wanted, &folded);
            // A word typed as the start of a longer name ("verif") is meant as that name.
            if folded.starts_with(&wanted) && wanted.chars().count() >= 3 {
                score = score.max(0.95);
            }
            if best.is_none_or(|(s, _)| score > s) {
                best = Some((score, key));
            }
        }
    }
    best.filter(|(score, _)| *score >= 0.8).map(|(_, key)| key)
}

/// Keys with no other names, for [`find`] and [`suggest`].
pub fn keys<'a, S: AsRef<str> + 'a>(
    keys: impl IntoIterator<Item = &'a S>,
) -> Vec<(&'a str, Vec<&'a str>)> {
    keys.into_iter().map(|k| (k.as_ref(), Vec::new())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swedish_letters_and_case_fold_away() {
        assert_eq!(fold("Prövning"), "provning");
        assert_eq!(fold("  Vård och  omsorg "), "vard och omsorg");
        assert_eq!(fold("handed_over"), "handed over");
        assert_eq!(fold("Överlämnad"), "overlamnad");
    }

    #[test]
    fn a_stage_is_found_by_key_name_or_folded_name() {
        let stages = vec![("provning", vec!["Prövning"]), ("infora", vec!["Införa"])];
        assert_eq!(find("prövning", stages.clone()), Some("provning"));
        assert_eq!(find("PROVNING", stages.clone()), Some("provning"));
        assert_eq!(find("Införa", stages.clone()), Some("infora"));
        assert_eq!(find("testa", stages.clone()), None);
        assert_eq!(find("", stages), None);
    }

    #[test]
    fn a_near_miss_is_suggested_and_a_far_one_is_not() {
        let stages = vec![
            ("provning", vec!["Prövning"]),
            ("utveckla", vec!["Utveckla"]),
        ];
        assert_eq!(suggest("provnig", stages.clone()), Some("provning"));
        assert_eq!(suggest("utvek", stages.clone()), Some("utveckla"));
        assert_eq!(suggest("xyz", stages), None);
    }
}
