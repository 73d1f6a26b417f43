//! The CSV output layer: every CSV that sluss writes leaves through [`finish`], which
//! puts it in the dialect asked for.
//!
//! Each command writes its rows as RFC 4180 CSV (commas, numbers with a decimal point,
//! text cells neutralised against formula injection with
//! [`crate::report::escape::csv_cell`]). [`finish`] then gives it the dialect:
//! unchanged for [`CsvDialect::Standard`], or for [`CsvDialect::Excel`] a UTF-8
//! byte-order mark, semicolons between cells and decimal commas, which is what a
//! double-click into Excel set up for Swedish (or most other European languages) reads
//! right.
//!
//! The dialect is `--csv-dialect`, else `[csv] dialect` in sluss.toml, else standard.
//! The setting is read when the repository is opened ([`use_setting`], called by
//! [`crate::context::Context`]), so that a command's `deliver` applies it without
//! each command passing its settings along.

use std::sync::OnceLock;

pub use crate::domain::config::CsvDialect;

/// The repository's `[csv] dialect`, once a command has opened it.
static SETTING: OnceLock<CsvDialect> = OnceLock::new();

/// Records the repository's `[csv] dialect` for this run (the first repository opened
/// decides; a region's summary reads the first repository's settings).
pub fn use_setting(dialect: CsvDialect) {
    let _ = SETTING.set(dialect);
}

/// The dialect to write in: `flag` (`--csv-dialect`) over the repository's setting.
pub fn dialect(flag: Option<CsvDialect>) -> CsvDialect {
    flag.or_else(|| SETTING.get().copied()).unwrap_or_default()
}

/// `csv`, written as RFC 4180 CSV, in `dialect`. For the Excel dialect: a byte-order
/// mark first, `;` between cells (a cell holding `;`, a quote or a line break is
/// quoted), and a cell that is a plain decimal number (`7.3`, `-0.25`) written with a
/// decimal comma (`7,3`). Text cells are never plain numbers with a point unless the
/// text is one, since [`crate::report::escape::csv_cell`] already marked any cell that
/// starts with a sign.
pub fn finish(csv: String, dialect: CsvDialect) -> String {
    match dialect {
        CsvDialect::Standard => csv,
        CsvDialect::Excel => excel(&csv),
    }
}

fn excel(csv: &str) -> String {
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(csv.as_bytes());
    let mut writer = ::csv::WriterBuilder::new()
        .delimiter(b';')
        .flexible(true)
        .from_writer(Vec::with_capacity(csv.len() + 3));
    let mut out = ::csv::StringRecord::new();
    for record in reader.records() {
        let record = record.expect("sluss wrote this CSV itself");
        out.clear();
        for cell in record.iter() {
            if is_decimal(cell) {
                out.push_field(&cell.replacen('.', ",", 1));
            } else {
                out.push_field(cell);
            }
        }
        writer
            .write_record(&out)
            .expect("writing to memory cannot fail");
    }
    let body = writer.into_inner().expect("writing to memory cannot fail");
    let mut text = String::with_capacity(body.len() + 3);
    text.push('\u{feff}');
    text.push_str(std::str::from_utf8(&body).expect("CSV of UTF-8 text is UTF-8"));
    text
}

/// Whether `cell` is a number with a decimal point: optional minus, digits, a point,
/// digits.
fn is_decimal(cell: &str) -> bool {
    let digits = cell.strip_prefix('-').unwrap_or(cell);
    let Some((whole, fraction)) = digits.split_once('.') else {
        return false;
    };
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    all_digits(whole) && all_digits(fraction)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_is_unchanged() {
        let csv = "a,b\n1.5,\"x,y\"\n".to_string();
        assert_eq!(finish(csv.clone(), CsvDialect::Standard), csv);
    }

    #[test]
    fn excel_has_a_bom_semicolons_and_decimal_commas() {
        let csv = "id,title,hours,n,day\nA1,\"Kök; matsal\",7.3,12,2020-01-02\n".to_string();
        assert_eq!(
            finish(csv, CsvDialect::Excel),
            "\u{feff}id;title;hours;n;day\nA1;\"Kök; matsal\";7,3;12;2020-01-02\n"
        );
    }

    #[test]
    fn only_plain_decimals_get_a_comma() {
        assert!(is_decimal("7.3"));
        assert!(is_decimal("-0.25"));
        assert!(!is_decimal("1.2.3"));
        assert!(!is_decimal("v1.2"));
        assert!(!is_decimal(".5"));
        assert!(!is_decimal("12"));
        assert!(!is_decimal("'-1.5"));
    }
}
