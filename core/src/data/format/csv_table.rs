//! Reading one CSV file of a survey folder into checked text cells: every problem (an
//! unreadable or empty file, a missing or unknown column, a row of the wrong length, a byte
//! that is not UTF-8) is collected with its file, line and column.

use std::path::{Path, PathBuf};

use crate::data::Problem;

/// One data row: its line in the file (where the record starts) and one cell per header.
pub(super) struct Row {
    pub line: u64,
    pub cells: Vec<String>,
}

/// A CSV file whose header has every required column.
pub(super) struct Table {
    pub path: PathBuf,
    pub headers: Vec<String>,
    pub rows: Vec<Row>,
}

impl Table {
    pub fn column(&self, name: &str) -> Option<usize> {
        self.headers.iter().position(|h| h == name)
    }

    pub fn problem(&self, line: u64, field: &str, message: impl Into<String>) -> Problem {
        problem(&self.path, line, field, message)
    }
}

pub(super) fn problem(path: &Path, line: u64, field: &str, message: impl Into<String>) -> Problem {
    Problem { path: path.to_path_buf(), line, field: field.into(), message: message.into() }
}

/// A survey file's bytes; `None` (with the problem) when it is missing or unreadable.
pub(super) fn read_file(path: &Path, problems: &mut Vec<Problem>) -> Option<Vec<u8>> {
    match std::fs::read(path) {
        Ok(bytes) => Some(bytes),
        Err(e) => {
            let message = match e.kind() {
                std::io::ErrorKind::NotFound => "file not found".to_string(),
                _ => format!("cannot be read: {e}"),
            };
            problems.push(problem(path, 0, "", message));
            None
        }
    }
}

/// Which columns a file has: `required` must be there, `optional` may be; any other column is
/// a problem unless `extra_allowed` (the respondents file's attribute columns).
pub(super) struct Columns<'a> {
    pub required: &'a [&'a str],
    pub optional: &'a [&'a str],
    pub extra_allowed: bool,
}

/// Reads `path`; `None` when the file cannot be used at all (its problems are in `problems`).
/// Rows with a problem are left out, so later checks see only well-formed rows.
pub(super) fn read_table(path: &Path, columns: &Columns, problems: &mut Vec<Problem>) -> Option<Table> {
    let bytes = read_file(path, problems)?;
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(bytes.as_slice());
    let mut records = reader.byte_records();
    let wanted = || columns.required.join(",");
    let header = match records.next() {
        None => {
            problems.push(problem(
                path,
                0,
                "",
                format!("is empty; its first line must name the columns: {}", wanted()),
            ));
            return None;
        }
        Some(Err(e)) => {
            problems.push(problem(path, 1, "", format!("is not valid CSV: {e}")));
            return None;
        }
        Some(Ok(record)) => record,
    };
    let mut headers = Vec::with_capacity(header.len());
    for (index, cell) in header.iter().enumerate() {
        let cell = if index == 0 { cell.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(cell) } else { cell };
        match std::str::from_utf8(cell) {
            Ok(text) => headers.push(text.trim().to_string()),
            Err(e) => {
                problems.push(problem(path, 1, &format!("column {}", index + 1), not_utf8(cell, &e)));
                return None;
            }
        }
    }
    let before = problems.len();
    let known = |name: &str| columns.required.contains(&name) || columns.optional.contains(&name);
    let unknown: Vec<&str> =
        headers.iter().map(String::as_str).filter(|h| !columns.extra_allowed && !h.is_empty() && !known(h)).collect();
    let missing: Vec<&str> =
        columns.required.iter().copied().filter(|name| !headers.iter().any(|h| h == name)).collect();
    for name in &missing {
        let instead = if unknown.is_empty() { String::new() } else { format!("; unknown: {}", unknown.join(", ")) };
        problems.push(problem(
            path,
            1,
            name,
            format!("missing column '{name}' (the header is '{}'; it needs {}{instead})", headers.join(","), wanted()),
        ));
    }
    for (index, name) in headers.iter().enumerate() {
        if headers[..index].contains(name) {
            problems.push(problem(path, 1, name, format!("column '{name}' appears twice")));
        } else if name.is_empty() {
            problems.push(problem(path, 1, &format!("column {}", index + 1), "has no name"));
        } else if missing.is_empty() && unknown.contains(&name.as_str()) {
            let all: Vec<&str> = columns.required.iter().chain(columns.optional).copied().collect();
            problems.push(problem(
                path,
                1,
                name,
                format!("unknown column '{name}' (the columns are {})", all.join(", ")),
            ));
        }
    }
    if problems.len() > before {
        return None;
    }
    let mut rows = Vec::new();
    for record in records {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                problems.push(problem(path, line, "", format!("is not valid CSV: {e}")));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        if record.len() != headers.len() {
            problems.push(problem(
                path,
                line,
                "",
                format!("has {} fields; the header has {} ({})", record.len(), headers.len(), headers.join(",")),
            ));
            continue;
        }
        let mut cells = Vec::with_capacity(headers.len());
        for (cell, name) in record.iter().zip(&headers) {
            match std::str::from_utf8(cell) {
                Ok(text) => cells.push(text.to_string()),
                Err(e) => {
                    problems.push(problem(path, line, name, not_utf8(cell, &e)));
                    break;
                }
            }
        }
        if cells.len() == headers.len() {
            rows.push(Row { line, cells });
        }
    }
    Some(Table { path: path.to_path_buf(), headers, rows })
}

fn not_utf8(cell: &[u8], error: &std::str::Utf8Error) -> String {
    let at = error.valid_up_to();
    format!(
        "is not UTF-8 (byte 0x{:02X} after '{}'); save the file as UTF-8",
        cell[at],
        String::from_utf8_lossy(&cell[..at])
    )
}
