//! A report describes a day that has been: `--as-of` or `[reports] as_of` after today
//! is refused by every report, naming where the day came from.

use crate::common::Sandbox;

#[test]
fn a_report_day_after_today_is_refused_by_every_report() {
    let sb = Sandbox::demo(1);
    for args in [
        vec!["summary"],
        vec!["program", "show", "ip2020"],
        vec!["network", "report"],
        vec!["maturity", "report"],
    ] {
        let mut with = args.clone();
        with.extend(["--as-of", "9999-12-31"]);
        sb.run(&with)
            .failure(2)
            .stderr_has("--as-of 9999-12-31 is after today (2020-06-30)")
            .stderr_has("hint:");
        // Today itself is a day that has been.
        let mut today = args.clone();
        today.extend(["--as-of", "2020-06-30"]);
        sb.run(&today).success();
    }
    let settings = sb
        .read("sluss.toml")
        .replace("as_of = 2020-06-30", "as_of = 2031-01-01");
    assert!(settings.contains("as_of = 2031-01-01"));
    sb.write("sluss.toml", &settings);
    for args in [
        vec!["summary"],
        vec!["digest", "--since", "2020-01-01"],
        vec!["network", "report"],
    ] {
        sb.assert_untouched("sluss.toml", || {
            sb.run(&args)
                .failure(2)
                .stderr_has("sluss.toml: [reports] as_of = 2031-01-01 is after today");
        });
    }
    // --as-of names another day, and wins.
    sb.run(&["summary", "--as-of", "2020-06-01"]).success();
}
