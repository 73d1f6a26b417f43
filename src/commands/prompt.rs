//! Questions asked at a terminal (`sluss new` with something missing): a line read from
//! the input for each, the question and any choices written to stderr, so that stdout
//! stays what the command prints. Only asked when stdin is a terminal; the caller decides.

use std::io::{BufRead, Write};

use crate::Error;

/// Asks questions on `out` and reads the answers from `input`, a line each.
pub struct Prompter<R, W> {
    input: R,
    out: W,
}

/// One of the things a choice offers: what is stored, and how it is shown.
pub struct Choice<'a> {
    pub key: &'a str,
    pub label: String,
}

/// How often a question is asked again after an answer that does not fit, before the
/// command gives up (a typing mistake is put right; a runaway input is not looped on).
const TRIES: usize = 3;

impl<R: BufRead, W: Write> Prompter<R, W> {
    pub fn new(input: R, out: W) -> Self {
        Prompter { input, out }
    }

    fn say(&mut self, text: &str) -> Result<(), Error> {
        self.out
            .write_all(text.as_bytes())
            .and_then(|()| self.out.flush())
            .map_err(|e| Error::io("stderr", e))
    }

    /// One answer, trimmed; `None` when the input ends (Ctrl-D).
    fn line(&mut self, question: &str) -> Result<Option<String>, Error> {
        self.say(question)?;
        let mut line = String::new();
        let read = self
            .input
            .read_line(&mut line)
            .map_err(|e| Error::io("stdin", e))?;
        if read == 0 {
            self.say("\n")?;
            return Ok(None);
        }
        Ok(Some(line.trim().to_string()))
    }

    /// A text: `required` asks again until it gets one; optional takes an empty
    /// answer as none.
    pub fn text(&mut self, what: &str, required: bool) -> Result<Option<String>, Error> {
        let question = if required {
            format!("{what}: ")
        } else {
            format!("{what} [empty: none]: ")
        };
        for _ in 0..TRIES {
            match self.line(&question)? {
                None => return gave_up(what),
                Some(answer) if !answer.is_empty() => return Ok(Some(answer)),
                Some(_) if !required => return Ok(None),
                Some(_) => self.say(&format!("  {what} is needed.\n"))?,
            }
        }
        gave_up(what)
    }

    /// One of `choices`, by its number in the list, or a word that `resolve` accepts
    /// (a key or name, with "did you mean" when it is not one). An empty answer is
    /// none when `optional`.
    pub fn choose(
        &mut self,
        what: &str,
        choices: &[Choice],
        optional: bool,
        resolve: impl Fn(&str) -> Result<String, Error>,
    ) -> Result<Option<String>, Error> {
        let mut listing = format!("{what}:\n");
        for (i, c) in choices.iter().enumerate() {
            listing.push_str(&format!("  {:>2}) {}\n", i + 1, c.label));
        }
        self.say(&listing)?;
        let question = if optional {
            format!("{what} (number, key or name) [empty: none]: ")
        } else {
            format!("{what} (number, key or name): ")
        };
        for _ in 0..TRIES {
            let Some(answer) = self.line(&question)? else {
                return gave_up(what);
            };
            if answer.is_empty() {
                if optional {
                    return Ok(None);
                }
                self.say(&format!("  {what} is needed.\n"))?;
                continue;
            }
            if let Ok(n) = answer.parse::<usize>() {
                match n.checked_sub(1).and_then(|i| choices.get(i)) {
                    Some(c) => return Ok(Some(c.key.to_string())),
                    None => {
                        self.say(&format!("  choose a number from 1 to {}\n", choices.len()))?;
                        continue;
                    }
                }
            }
            match resolve(&answer) {
                Ok(key) => return Ok(Some(key)),
                Err(e) => {
                    let hint = e.hint().map(|h| format!(" ({h})")).unwrap_or_default();
                    self.say(&format!("  {e}{hint}\n"))?;
                }
            }
        }
        gave_up(what)
    }
}

fn gave_up<T>(what: &str) -> Result<T, Error> {
    Err(Error::usage(
        format!("no answer for {what}; nothing was created"),
        "answer the question, or give it as an option: `sluss new --help`",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn choices() -> Vec<Choice<'static>> {
        vec![
            Choice {
                key: "erik",
                label: "erik (Erik Lind)".into(),
            },
            Choice {
                key: "sara",
                label: "sara (Sara Holm)".into(),
            },
        ]
    }

    fn resolve(word: &str) -> Result<String, Error> {
        match word {
            "sara" | "Sara Holm" => Ok("sara".into()),
            _ => Err(Error::unknown(
                "coach",
                word,
                vec!["erik".into(), "sara".into()],
            )),
        }
    }

    #[test]
    fn a_number_a_name_or_nothing_is_an_answer() {
        let mut out = Vec::new();
        let mut p = Prompter::new(&b"9\nSara Holm\n"[..], &mut out);
        let got = p.choose("Coach", &choices(), true, resolve).unwrap();
        assert_eq!(got.as_deref(), Some("sara"));
        let shown = String::from_utf8(out).unwrap();
        assert!(shown.contains(" 1) erik (Erik Lind)"), "{shown}");
        assert!(shown.contains("from 1 to 2"), "{shown}");

        let mut p = Prompter::new(&b"\n"[..], Vec::new());
        assert_eq!(p.choose("Coach", &choices(), true, resolve).unwrap(), None);
        let mut p = Prompter::new(&b"2\n"[..], Vec::new());
        assert_eq!(
            p.choose("Coach", &choices(), false, resolve)
                .unwrap()
                .as_deref(),
            Some("sara")
        );
    }

    #[test]
    fn a_required_text_is_asked_again_and_the_end_of_input_gives_up() {
        let mut p = Prompter::new(&b"\n  Ett namn \n"[..], Vec::new());
        assert_eq!(p.text("Title", true).unwrap().as_deref(), Some("Ett namn"));
        let mut p = Prompter::new(&b""[..], Vec::new());
        assert!(p.text("Title", true).is_err());
        let mut p = Prompter::new(&b"\n"[..], Vec::new());
        assert_eq!(p.text("Need", false).unwrap(), None);
    }
}
