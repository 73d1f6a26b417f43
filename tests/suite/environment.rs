//! The environment variables sluss reads: an empty one counts as unset, as for other
//! Unix tools, and a wrong one is named.

use crate::common::Sandbox;

#[test]
fn an_empty_sluss_lang_or_sluss_repo_is_unset_and_a_wrong_language_is_named() {
    let sb = Sandbox::new();
    sb.new_case("Matsedel", &[]);
    // Empty: the language of sluss.toml (Swedish, from the Swedish template).
    sb.cmd(&["summary"])
        .env("SLUSS_LANG", "")
        .run()
        .success()
        .stdout_has("Portföljöversikt");
    sb.cmd(&["list"])
        .env("SLUSS_REPO", "")
        .run()
        .success()
        .stdout_has("1 case(s)");
    sb.cmd(&["summary"])
        .env("SLUSS_LANG", "de")
        .run()
        .failure(2)
        .stderr_has("SLUSS_LANG=de is not a language sluss speaks")
        .stderr_has("hint:");
    // --lang wins over the environment.
    sb.cmd(&["summary", "--lang", "en"])
        .env("SLUSS_LANG", "de")
        .run()
        .success()
        .stdout_has("Portfolio summary");
}
