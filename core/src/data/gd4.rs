//! Global Dialogues round 4: 600 people, one row each. Each poll answer becomes a one-hot
//! distribution; demographics become attributes; free text and derived columns are ignored.
//!
//! Column rules, in order:
//! - demographic columns (age, gender, place, religion, country, language) → attributes;
//! - unnamed, `Categories`, `Muted`, `… (English)`, `… (Original)`, `… (%agree)`, ids → ignored;
//! - `<stem> - <item>` columns with a single answer value are multi-select check boxes: each is
//!   a Yes/No question; a person who ticked nothing under a stem did not answer it;
//! - other columns with 2–12 distinct answers are poll questions (options in alphabetical
//!   order, whitespace trimmed); more distinct answers means free text, ignored.
//!   `--` and empty cells are "not answered".

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::{Answer, DataError, LoadReport, Question, Respondent, RespondentKind, Survey, Task};

pub const GD4_FILE: &str = "GD4_participants.csv";
const MISSING: &str = "--";
const MAX_OPTIONS: usize = 12;

const DEMOGRAPHICS: [(&str, &str); 6] = [
    ("Please select your preferred language:", "language"),
    ("How old are you?", "age"),
    ("What is your gender?", "gender"),
    ("What best describes where you live?", "place"),
    ("What religious group or faith do you most identify with?", "religion"),
    ("What country or region do you most identify with?", "country"),
];

/// What one column holds.
enum Column {
    Id,
    Attribute(&'static str),
    Poll(Vec<String>),
    /// A check-box item under a multi-select stem.
    Checkbox {
        stem: String,
    },
    Ignored(&'static str),
}

pub fn load_gd4(data: &Path) -> Result<Survey, DataError> {
    let path = data.join("global-dialogues").join(GD4_FILE);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_path(&path)
        .map_err(|e| DataError::line(&path, 0, e.to_string()))?;
    let mut header: Option<Vec<String>> = None;
    let mut rows: Vec<(u64, Vec<String>)> = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| DataError::line(&path, e.position().map_or(0, |p| p.line()), e.to_string()))?;
        let line = record.position().map_or(0, |p| p.line());
        let cells: Vec<String> = record.iter().map(str::to_string).collect();
        match &header {
            // The export starts with a one-cell line before the real header.
            None if cells.len() > 1 => header = Some(cells),
            None => {}
            Some(h) if cells.len() != h.len() => {
                return Err(DataError::line(&path, line, format!("{} cells, the header has {}", cells.len(), h.len())));
            }
            Some(_) => rows.push((line, cells)),
        }
    }
    let header = header.ok_or_else(|| DataError::line(&path, 1, "no header row"))?;
    let id_col = header
        .iter()
        .position(|h| h == "Participant Id")
        .ok_or_else(|| DataError::field(&path, "Participant Id", "column missing from the header"))?;
    for (name, _) in DEMOGRAPHICS {
        if !header.iter().any(|h| h == name) {
            return Err(DataError::field(&path, name, "demographic column missing from the header"));
        }
    }

    let mut report = LoadReport::default();
    let columns: Vec<Column> =
        (0..header.len()).map(|c| classify(&header[c], c == id_col, rows.iter().map(|(_, r)| answer(&r[c])))).collect();

    // Questions: polls first-come, check boxes one Yes/No question each.
    let mut questions = Vec::new();
    let mut question_of_column: Vec<Option<usize>> = vec![None; header.len()];
    for (c, column) in columns.iter().enumerate() {
        match column {
            Column::Poll(options) => {
                question_of_column[c] = Some(questions.len());
                questions.push(Question {
                    key: format!("gd4_c{c}"),
                    text: header[c].trim().to_string(),
                    options: options.clone(),
                    ordinals: None,
                });
            }
            Column::Checkbox { .. } => {
                question_of_column[c] = Some(questions.len());
                questions.push(Question {
                    key: format!("gd4_c{c}"),
                    text: header[c].trim().to_string(),
                    options: vec!["Yes".into(), "No".into()],
                    ordinals: None,
                });
            }
            Column::Ignored(reason) => report.drop(reason),
            Column::Id | Column::Attribute(_) => {}
        }
    }

    let mut respondents = Vec::with_capacity(rows.len());
    let mut seen = BTreeSet::new();
    for (line, row) in &rows {
        let name = row[id_col].trim().to_string();
        if name.is_empty() || !seen.insert(name.clone()) {
            return Err(DataError::line(&path, *line, format!("missing or repeated Participant Id '{name}'")));
        }
        // Stems under which this person ticked at least one box.
        let ticked: BTreeSet<&str> = columns
            .iter()
            .zip(row)
            .filter_map(|(column, cell)| match column {
                Column::Checkbox { stem, .. } if answer(cell).is_some() => Some(stem.as_str()),
                _ => None,
            })
            .collect();
        let mut attributes = Vec::new();
        let mut answers = Vec::new();
        for (c, column) in columns.iter().enumerate() {
            let cell = answer(&row[c]);
            match column {
                Column::Attribute(key) => {
                    if let Some(value) = cell {
                        attributes.push((key.to_string(), value.to_string()));
                    }
                }
                Column::Poll(options) => {
                    if let Some(value) = cell {
                        let chosen = options.iter().position(|o| o == value).expect("options come from the cells");
                        answers.push(one_hot(question_of_column[c].unwrap(), chosen, options.len()));
                    }
                }
                Column::Checkbox { stem, .. } => {
                    if ticked.contains(stem.as_str()) {
                        let chosen = if cell.is_some() { 0 } else { 1 };
                        answers.push(one_hot(question_of_column[c].unwrap(), chosen, 2));
                    }
                }
                Column::Id | Column::Ignored(_) => {}
            }
        }
        if answers.is_empty() {
            report.drop("participant with no poll answer");
            continue;
        }
        respondents.push(Respondent { name, label: None, kind: RespondentKind::Person, attributes, answers });
    }
    let polls = columns.iter().filter(|c| matches!(c, Column::Poll(_))).count();
    report.note(format!(
        "{polls} single-choice poll columns and {} check-box items (Yes/No) from {} columns",
        questions.len() - polls,
        header.len()
    ));
    Ok(Survey { info: Task::Gd4.info(), questions, respondents, report })
}

/// A cell's answer, or `None` when not answered.
fn answer(cell: &str) -> Option<&str> {
    let value = cell.trim();
    (!value.is_empty() && value != MISSING).then_some(value)
}

fn one_hot(question: usize, chosen: usize, options: usize) -> Answer {
    let mut probs = vec![0.0; options];
    probs[chosen] = 1.0;
    Answer { question, probs }
}

fn classify<'a>(header: &str, is_id: bool, cells: impl Iterator<Item = Option<&'a str>>) -> Column {
    let name = header.trim();
    if is_id {
        return Column::Id;
    }
    if let Some((_, key)) = DEMOGRAPHICS.iter().find(|(h, _)| *h == name) {
        return Column::Attribute(key);
    }
    if name.is_empty() || name == "Categories" {
        return Column::Ignored("derived category column of a free-text answer");
    }
    if name == "Muted" || name == "Sample Provider Id" {
        return Column::Ignored("bookkeeping column");
    }
    if name.ends_with("(English)") || name.ends_with("(Original)") {
        return Column::Ignored("free-text column");
    }
    if name.contains("(%agree)") {
        return Column::Ignored("derived agreement-share column");
    }
    let values: BTreeMap<&str, usize> = cells.flatten().fold(BTreeMap::new(), |mut m, v| {
        *m.entry(v).or_default() += 1;
        m
    });
    match values.len() {
        0 => Column::Ignored("column nobody answered"),
        1 => match name.rsplit_once(" - ") {
            Some((stem, _)) => Column::Checkbox { stem: stem.trim().to_string() },
            None => Column::Ignored("column with a single answer value"),
        },
        n if n <= MAX_OPTIONS => Column::Poll(values.keys().map(|v| v.to_string()).collect()),
        _ => Column::Ignored("free-text column (more than 12 distinct answers)"),
    }
}
