//! The pharmacies' on-duty rota (turni di guardia farmaceutica) as a CSV
//! file, the way an ASL publishes it, for the import command behind "Dove
//! andare adesso". The file is checked whole: [`parse`] gives every turn, or
//! every problem found, each with its line, so that the command imports all
//! of it or nothing.
//!
//! The file:
//!
//! - UTF-8; a leading byte order mark and Windows line ends are tolerated.
//! - Fields separated by `;`, what Italian spreadsheets export; by `,` if the
//!   header uses it. A field may be in double quotes to hold the separator,
//!   with `""` for a quote inside; a field does not span lines.
//! - The first line is the header: `data;codice_farmacia;farmacia;comune;dalle;alle`.
//! - Then one turn per line; blank lines are ignored. Line numbers count
//!   from 1 (the header) and include blank lines.
//! - `data`: the day the turn starts, `gg/mm/aaaa`.
//! - `codice_farmacia`: the pharmacy's code in the regional registry, 1 to 16
//!   characters among `A-Z`, `0-9` and `-` (lower-case letters are read as
//!   upper-case).
//! - `farmacia`, `comune`: the pharmacy's name and municipality, for people
//!   reading the file; kept, not checked.
//! - `dalle`, `alle`: `hh:mm` (`alle` may be `24:00`). When `alle` is not
//!   after `dalle` the turn ends the next day: `08:30`-`08:30` is a 24-hour
//!   turn, `20:00`-`08:30` a night.
//! - Two turns of the same pharmacy must not overlap; one may start when the
//!   other ends.
//!
//! Times are Europe/Rome wall-clock times, as the ASL writes them: a night
//! turn on the night the clocks change lasts an hour more or less.
//!
//! An example:
//!
//! ```text
//! data;codice_farmacia;farmacia;comune;dalle;alle
//! 01/03/2027;GE0012;Farmacia Centrale;Genova;08:30;08:30
//! 02/03/2027;GE0047;"Farmacia ""Al Porto""";Genova;08:30;20:00
//! 02/03/2027;GE0112;Farmacia San Fruttuoso;Genova;20:00;08:30
//! 03/03/2027;GE0012;Farmacia Centrale;Genova;08:30;08:30
//!
//! 01/03/2027;SV0031;"Farmacia Comunale; sede di Lavagnola";Savona;20:00;08:30
//! 02/03/2027;SV0031;"Farmacia Comunale; sede di Lavagnola";Savona;08:30;24:00
//! ```

use std::fmt;
use std::ops::RangeInclusive;

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};

/// The header line the file must start with (with `;`).
pub const HEADER: &str = "data;codice_farmacia;farmacia;comune;dalle;alle";
const COLUMNS: [&str; 6] = ["data", "codice_farmacia", "farmacia", "comune", "dalle", "alle"];
const CODE_MAX_LEN: usize = 16;
const MINUTES_PER_DAY: u32 = 24 * 60;
const NO_TURNS: &str = "il file non contiene turni";
/// How dates and times are shown in messages.
const SHOWN: &str = "%d/%m/%Y %H:%M";

/// One on-duty turn of a pharmacy (Europe/Rome wall-clock times).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RotaEntry {
    /// The line of the file it comes from (the header is line 1).
    pub line: usize,
    pub pharmacy_code: String,
    pub pharmacy_name: String,
    pub municipality: String,
    pub starts: NaiveDateTime,
    /// When it ends: after `starts`, at most 24 hours later.
    pub ends: NaiveDateTime,
}

/// A problem in the file, for the operator who is importing it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RotaError {
    /// The line it is on (the header is line 1); `None`: the file as a whole.
    pub line: Option<usize>,
    /// For overlapping turns, the earlier of the two lines (`line` is the later).
    pub earlier_line: Option<usize>,
    /// What is wrong, in Italian, without the line.
    pub message: String,
}

impl RotaError {
    pub fn on_line(line: usize, message: impl Into<String>) -> RotaError {
        RotaError { line: Some(line), earlier_line: None, message: message.into() }
    }

    pub fn whole_file(message: impl Into<String>) -> RotaError {
        RotaError { line: None, earlier_line: None, message: message.into() }
    }
}

impl fmt::Display for RotaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.earlier_line, self.line) {
            (Some(earlier), Some(line)) => write!(f, "righe {earlier} e {line}: {}", self.message),
            (None, Some(line)) => write!(f, "riga {line}: {}", self.message),
            (_, None) => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for RotaError {}

/// Reads a rota file (see the module's documentation): all its turns in file
/// order, or all its problems in line order.
pub fn parse(text: &str) -> Result<Vec<RotaEntry>, Vec<RotaError>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines =
        text.lines().enumerate().map(|(index, line)| (index + 1, line)).filter(|(_, line)| !line.trim().is_empty());
    let Some((header_line, header)) = lines.next() else {
        return Err(vec![RotaError::whole_file(NO_TURNS)]);
    };
    let separator = if header.contains(';') { ';' } else { ',' };
    if !is_header(header, separator) {
        return Err(vec![RotaError::on_line(header_line, format!("intestazione attesa «{HEADER}»"))]);
    }
    let mut entries = Vec::new();
    let mut errors = Vec::new();
    for (line, row) in lines {
        match parse_row(line, row, separator) {
            Ok(entry) => entries.push(entry),
            Err(mut row_errors) => errors.append(&mut row_errors),
        }
    }
    errors.extend(overlaps(&entries));
    errors.sort_by_key(|error| error.line);
    if !errors.is_empty() {
        return Err(errors);
    }
    if entries.is_empty() {
        return Err(vec![RotaError::whole_file(NO_TURNS)]);
    }
    Ok(entries)
}

fn is_header(line: &str, separator: char) -> bool {
    let Some(mut names) = split_fields(line, separator) else { return false };
    drop_extra_blank_fields(&mut names);
    names.len() == COLUMNS.len()
        && names.iter().zip(COLUMNS).all(|(name, column)| name.trim().eq_ignore_ascii_case(column))
}

fn parse_row(line: usize, row: &str, separator: char) -> Result<RotaEntry, Vec<RotaError>> {
    let Some(mut fields) = split_fields(row, separator) else {
        return Err(vec![RotaError::on_line(line, "virgolette non chiuse")]);
    };
    drop_extra_blank_fields(&mut fields);
    let fields: [String; 6] = fields.try_into().map_err(|fields: Vec<String>| {
        let (expected, found) = (COLUMNS.len(), fields.len());
        let what = if found < expected { "mancano campi" } else { "troppi campi" };
        vec![RotaError::on_line(line, format!("{what}: attesi {expected}, trovati {found}"))]
    })?;
    let [date, code, name, municipality, from, to] = fields.map(|field| field.trim().to_owned());

    let day = parse_date(&date).ok_or_else(|| {
        if date.is_empty() {
            "manca la data".to_owned()
        } else {
            format!("data «{date}» non valida (gg/mm/aaaa)")
        }
    });
    let code = pharmacy_code(&code);
    let from = parse_clock(&from, false).ok_or_else(|| {
        if from.is_empty() {
            "manca l'ora di inizio («dalle»)".to_owned()
        } else {
            format!("ora di inizio «{from}» non valida (hh:mm)")
        }
    });
    let to = parse_clock(&to, true).ok_or_else(|| {
        if to.is_empty() {
            "manca l'ora di fine («alle»)".to_owned()
        } else {
            format!("ora di fine «{to}» non valida (hh:mm)")
        }
    });
    let (day, code, from, to) = match (day, code, from, to) {
        (Ok(day), Ok(code), Ok(from), Ok(to)) => (day, code, from, to),
        (day, code, from, to) => {
            let messages = [day.err(), code.err(), from.err(), to.err()];
            return Err(messages.into_iter().flatten().map(|message| RotaError::on_line(line, message)).collect());
        }
    };
    let midnight = day.and_time(NaiveTime::MIN);
    let end = if to <= from { to + MINUTES_PER_DAY } else { to };
    Ok(RotaEntry {
        line,
        pharmacy_code: code,
        pharmacy_name: name,
        municipality,
        starts: midnight + Duration::minutes(i64::from(from)),
        ends: midnight + Duration::minutes(i64::from(end)),
    })
}

/// Splits one line into its fields. A field in double quotes may hold the
/// separator, and `""` in it is one quote. `None`: a quote left open.
fn split_fields(line: &str, separator: char) -> Option<Vec<String>> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (false, '"') => quoted = true,
            (false, c) if c == separator => fields.push(std::mem::take(&mut field)),
            (_, c) => field.push(c),
        }
    }
    if quoted {
        return None;
    }
    fields.push(field);
    Some(fields)
}

/// Drops empty fields past the last column (spreadsheets add trailing separators).
fn drop_extra_blank_fields(fields: &mut Vec<String>) {
    while fields.len() > COLUMNS.len() && fields.last().is_some_and(|field| field.trim().is_empty()) {
        fields.pop();
    }
}

/// `gg/mm/aaaa` (a day or month may have one digit).
fn parse_date(text: &str) -> Option<NaiveDate> {
    let mut parts = text.split('/');
    let (day, month, year) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || !is_number(day, 1..=2) || !is_number(month, 1..=2) || !is_number(year, 4..=4) {
        return None;
    }
    NaiveDate::from_ymd_opt(year.parse().ok()?, month.parse().ok()?, day.parse().ok()?)
}

/// `hh:mm` (also `h:mm`, or `hh:mm:00` as some spreadsheets write times) as
/// minutes from midnight; `24:00` only where `end_of_day_allowed`.
fn parse_clock(text: &str, end_of_day_allowed: bool) -> Option<u32> {
    let mut parts = text.split(':');
    let (hours, minutes, seconds) = (parts.next()?, parts.next()?, parts.next());
    if parts.next().is_some() || seconds.is_some_and(|seconds| seconds != "00") {
        return None;
    }
    if !is_number(hours, 1..=2) || !is_number(minutes, 2..=2) {
        return None;
    }
    let (hours, minutes): (u32, u32) = (hours.parse().ok()?, minutes.parse().ok()?);
    match (hours, minutes) {
        (24, 0) if end_of_day_allowed => Some(MINUTES_PER_DAY),
        (0..=23, 0..=59) => Some(hours * 60 + minutes),
        _ => None,
    }
}

fn is_number(text: &str, digits: RangeInclusive<usize>) -> bool {
    digits.contains(&text.len()) && text.bytes().all(|byte| byte.is_ascii_digit())
}

/// The pharmacy's code, upper-case, or what is wrong with it.
fn pharmacy_code(text: &str) -> Result<String, String> {
    if text.is_empty() {
        return Err("manca il codice della farmacia".to_owned());
    }
    let code = text.to_ascii_uppercase();
    let allowed = |byte: u8| byte.is_ascii_uppercase() || byte.is_ascii_digit() || byte == b'-';
    if code.len() > CODE_MAX_LEN || !code.bytes().all(allowed) {
        return Err(format!(
            "codice farmacia «{text}» non valido: da 1 a {CODE_MAX_LEN} caratteri tra lettere A-Z, cifre e trattino"
        ));
    }
    Ok(code)
}

/// The turns that overlap an earlier turn of the same pharmacy.
fn overlaps(entries: &[RotaEntry]) -> Vec<RotaError> {
    let mut by_pharmacy: Vec<&RotaEntry> = entries.iter().collect();
    by_pharmacy.sort_by(|a, b| a.pharmacy_code.cmp(&b.pharmacy_code).then(a.starts.cmp(&b.starts)));
    let mut errors = Vec::new();
    // Of the pharmacy's turns so far, the one that ends last.
    let mut latest: Option<&RotaEntry> = None;
    for entry in by_pharmacy {
        match latest {
            Some(earlier) if earlier.pharmacy_code == entry.pharmacy_code => {
                if entry.starts < earlier.ends {
                    errors.push(overlap_error(earlier, entry));
                }
                if entry.ends > earlier.ends {
                    latest = Some(entry);
                }
            }
            _ => latest = Some(entry),
        }
    }
    errors
}

fn overlap_error(one: &RotaEntry, other: &RotaEntry) -> RotaError {
    let (first, second) = if one.line <= other.line { (one, other) } else { (other, one) };
    let span = |entry: &RotaEntry| format!("dal {} al {}", entry.starts.format(SHOWN), entry.ends.format(SHOWN));
    RotaError {
        line: Some(second.line),
        earlier_line: Some(first.line),
        message: format!(
            "turni sovrapposti per la farmacia {} ({} e {})",
            first.pharmacy_code,
            span(first),
            span(second)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").expect("a valid test time")
    }

    /// The error sentences of a file that must not parse.
    fn errors(text: &str) -> Vec<String> {
        parse(text).expect_err("the file has errors").iter().map(ToString::to_string).collect()
    }

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().copied().map(String::from).collect()
    }

    fn entries(text: &str) -> Vec<RotaEntry> {
        parse(text).expect("a valid file")
    }

    const VALID: &str = "data;codice_farmacia;farmacia;comune;dalle;alle
01/03/2027;F123;Farmacia Centrale;Genova;20:00;08:30
02/03/2027;F456;Farmacia del Porto;Genova;08:30;08:30
";

    #[test]
    fn a_night_turn_and_a_24_hour_turn() {
        assert_eq!(
            entries(VALID),
            vec![
                RotaEntry {
                    line: 2,
                    pharmacy_code: "F123".to_owned(),
                    pharmacy_name: "Farmacia Centrale".to_owned(),
                    municipality: "Genova".to_owned(),
                    starts: at("2027-03-01 20:00"),
                    ends: at("2027-03-02 08:30"),
                },
                RotaEntry {
                    line: 3,
                    pharmacy_code: "F456".to_owned(),
                    pharmacy_name: "Farmacia del Porto".to_owned(),
                    municipality: "Genova".to_owned(),
                    starts: at("2027-03-02 08:30"),
                    ends: at("2027-03-03 08:30"),
                },
            ]
        );
    }

    #[test]
    fn a_byte_order_mark_and_windows_line_ends() {
        let text = format!("\u{feff}{}", VALID.replace('\n', "\r\n"));
        assert_eq!(entries(&text), entries(VALID));
    }

    #[test]
    fn commas_when_the_header_has_them() {
        let text = "data,codice_farmacia,farmacia,comune,dalle,alle
01/03/2027,F123,\"Farmacia Rossi, dott.ssa Bianchi\",Genova,08:30,20:00
";
        let turns = entries(text);
        assert_eq!(turns[0].pharmacy_name, "Farmacia Rossi, dott.ssa Bianchi");
        assert_eq!(turns[0].ends, at("2027-03-01 20:00"));
    }

    #[test]
    fn quoted_fields_hold_the_separator_and_quotes() {
        let text = "data;codice_farmacia;farmacia;comune;dalle;alle
01/03/2027;F123;\"Farmacia \"\"Al Porto\"\"; sede\";\"Genova\";08:30;20:00
";
        let turns = entries(text);
        assert_eq!(turns[0].pharmacy_name, "Farmacia \"Al Porto\"; sede");
        assert_eq!(turns[0].municipality, "Genova");
    }

    #[test]
    fn the_example_in_the_documentation_parses() {
        let text = "data;codice_farmacia;farmacia;comune;dalle;alle
01/03/2027;GE0012;Farmacia Centrale;Genova;08:30;08:30
02/03/2027;GE0047;\"Farmacia \"\"Al Porto\"\"\";Genova;08:30;20:00
02/03/2027;GE0112;Farmacia San Fruttuoso;Genova;20:00;08:30
03/03/2027;GE0012;Farmacia Centrale;Genova;08:30;08:30

01/03/2027;SV0031;\"Farmacia Comunale; sede di Lavagnola\";Savona;20:00;08:30
02/03/2027;SV0031;\"Farmacia Comunale; sede di Lavagnola\";Savona;08:30;24:00
";
        let turns = entries(text);
        assert_eq!(turns.iter().map(|turn| turn.line).collect::<Vec<_>>(), [2, 3, 4, 5, 7, 8]);
        assert_eq!(turns[1].pharmacy_name, "Farmacia \"Al Porto\"");
        assert_eq!(turns[4].pharmacy_name, "Farmacia Comunale; sede di Lavagnola");
        assert_eq!((turns[5].starts, turns[5].ends), (at("2027-03-02 08:30"), at("2027-03-03 00:00")));
    }

    #[test]
    fn blank_lines_are_skipped_but_counted() {
        let text =
            "data;codice_farmacia;farmacia;comune;dalle;alle\n\n   \n01/03/2027;F123;Farmacia;Genova;20:00;08:30\n\n";
        assert_eq!(entries(text)[0].line, 4);
    }

    #[test]
    fn tolerated_variants() {
        // Header in capitals with spaces, a trailing separator, lower-case
        // code, one-digit day and hour, seconds.
        let text =
            " DATA ; Codice_Farmacia;farmacia;comune;dalle;alle;\n1/3/2027; ge-12 ;Farmacia;Genova;8:30;20:00:00;\n";
        let turns = entries(text);
        let turn = &turns[0];
        assert_eq!(turn.pharmacy_code, "GE-12");
        assert_eq!((turn.starts, turn.ends), (at("2027-03-01 08:30"), at("2027-03-01 20:00")));
    }

    #[test]
    fn the_header_is_required() {
        let text = "01/03/2027;F123;Farmacia;Genova;20:00;08:30\n";
        assert_eq!(errors(text), ["riga 1: intestazione attesa «data;codice_farmacia;farmacia;comune;dalle;alle»"]);
        assert_eq!(
            errors("data;farmacia;comune;dalle;alle\n"),
            ["riga 1: intestazione attesa «data;codice_farmacia;farmacia;comune;dalle;alle»"]
        );
    }

    #[test]
    fn missing_and_extra_fields() {
        let text = "data;codice_farmacia;farmacia;comune;dalle;alle
01/03/2027;F123;Farmacia;Genova;20:00;08:30
01/03/2027;F456;Farmacia;Genova
01/03/2027;F789;Farmacia;Genova;20:00;08:30;note
";
        assert_eq!(
            errors(text),
            ["riga 3: mancano campi: attesi 6, trovati 4", "riga 4: troppi campi: attesi 6, trovati 7"]
        );
    }

    #[test]
    fn an_impossible_date_names_its_line() {
        let text = "data;codice_farmacia;farmacia;comune;dalle;alle
01/03/2027;F1;Farmacia;Genova;20:00;08:30
02/03/2027;F1;Farmacia;Genova;20:00;08:30
03/03/2027;F1;Farmacia;Genova;20:00;08:30
04/03/2027;F1;Farmacia;Genova;20:00;08:30
05/03/2027;F1;Farmacia;Genova;20:00;08:30
31/02/2027;F1;Farmacia;Genova;20:00;08:30
";
        assert_eq!(errors(text), ["riga 7: data «31/02/2027» non valida (gg/mm/aaaa)"]);
    }

    #[test]
    fn every_error_of_every_line() {
        let text = "data;codice_farmacia;farmacia;comune;dalle;alle
2027-03-01;F123;Farmacia;Genova;25:00;08:30
01/03/27;;Farmacia;Genova;20:00;
01/03/2027;f 12;Farmacia;Genova;20:00;24:30
01/03/2027;F1234567890123456;Farmacia;Genova;24:00;08:00
01/03/2027;F123;\"Farmacia;Genova;20:00;08:30
";
        assert_eq!(
            errors(text),
            [
                "riga 2: data «2027-03-01» non valida (gg/mm/aaaa)",
                "riga 2: ora di inizio «25:00» non valida (hh:mm)",
                "riga 3: data «01/03/27» non valida (gg/mm/aaaa)",
                "riga 3: manca il codice della farmacia",
                "riga 3: manca l'ora di fine («alle»)",
                "riga 4: codice farmacia «f 12» non valido: da 1 a 16 caratteri tra lettere A-Z, cifre e trattino",
                "riga 4: ora di fine «24:30» non valida (hh:mm)",
                concat!(
                    "riga 5: codice farmacia «F1234567890123456» non valido: ",
                    "da 1 a 16 caratteri tra lettere A-Z, cifre e trattino"
                ),
                "riga 5: ora di inizio «24:00» non valida (hh:mm)",
                "riga 6: virgolette non chiuse",
            ]
        );
    }

    #[test]
    fn nothing_is_returned_when_one_line_is_wrong() {
        let text = format!("{VALID}03/03/2027;F123;Farmacia;Genova;20:00;8\n");
        assert_eq!(errors(&text), ["riga 4: ora di fine «8» non valida (hh:mm)"]);
    }

    #[test]
    fn overlapping_turns_of_a_pharmacy_name_both_lines() {
        let text = "data;codice_farmacia;farmacia;comune;dalle;alle
01/03/2027;F123;Farmacia Centrale;Genova;08:30;20:00
02/03/2027;F456;Farmacia del Porto;Genova;20:00;08:30
03/03/2027;F123;Farmacia Centrale;Genova;20:00;08:30
03/03/2027;F456;Farmacia del Porto;Genova;08:30;20:00
05/03/2027;F123;Farmacia Centrale;Genova;08:30;20:00
06/03/2027;F456;Farmacia del Porto;Genova;08:30;20:00
07/03/2027;F789;Farmacia Nuova;Genova;08:30;08:30
04/03/2027;F123;Farmacia Centrale;Genova;08:00;20:00
";
        assert_eq!(
            errors(text),
            [concat!(
                "righe 4 e 9: turni sovrapposti per la farmacia F123 ",
                "(dal 03/03/2027 20:00 al 04/03/2027 08:30 e dal 04/03/2027 08:00 al 04/03/2027 20:00)"
            )]
        );
        let found = parse(text).expect_err("overlap");
        let error = &found[0];
        assert_eq!((error.earlier_line, error.line), (Some(4), Some(9)));
    }

    #[test]
    fn the_same_turn_twice_overlaps() {
        let text = format!("{VALID}02/03/2027;F456;Farmacia del Porto;Genova;08:30;08:30\n");
        assert_eq!(
            errors(&text),
            [concat!(
                "righe 3 e 4: turni sovrapposti per la farmacia F456 ",
                "(dal 02/03/2027 08:30 al 03/03/2027 08:30 e dal 02/03/2027 08:30 al 03/03/2027 08:30)"
            )]
        );
    }

    #[test]
    fn a_turn_may_start_when_the_previous_ends() {
        let text = "data;codice_farmacia;farmacia;comune;dalle;alle
01/03/2027;F123;Farmacia Centrale;Genova;20:00;08:30
02/03/2027;F123;Farmacia Centrale;Genova;08:30;08:30
03/03/2027;F123;Farmacia Centrale;Genova;08:30;20:00
";
        assert_eq!(entries(text).len(), 3);
    }

    #[test]
    fn different_pharmacies_may_be_on_duty_together() {
        let text = format!("{VALID}01/03/2027;F456;Farmacia del Porto;Genova;20:00;08:30\n");
        assert_eq!(entries(&text).len(), 3);
    }

    #[test]
    fn a_file_without_turns() {
        let expected = ["il file non contiene turni"];
        assert_eq!(errors(""), expected);
        assert_eq!(errors("\u{feff}"), expected);
        assert_eq!(errors("\n \n"), expected);
        assert_eq!(errors("data;codice_farmacia;farmacia;comune;dalle;alle\n\n"), expected);
        assert_eq!(parse("").expect_err("empty")[0].line, None);
    }

    #[test]
    fn splitting_fields() {
        assert_eq!(split_fields("a;b;;c", ';'), Some(strings(&["a", "b", "", "c"])));
        assert_eq!(split_fields("\"a;b\";\"c\"\"d\"\"\"", ';'), Some(strings(&["a;b", "c\"d\""])));
        assert_eq!(split_fields("\"\"", ';'), Some(strings(&[""])));
        assert_eq!(split_fields("a,\"b", ','), None);
    }
}
