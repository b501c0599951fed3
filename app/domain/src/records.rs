//! The answers' file formats: the JSON kept in localStorage and exported, and the CSV export
//! (survey, question key, question text, option index, option text). Reading either checks
//! every row against the survey and reports what it could not use; nothing read is trusted.

use serde::{Deserialize, Serialize};

use crate::answers::{Choice, Forecast, SurveyAnswers};
use crate::engine::SurveyView;

pub const FORMAT: &str = "gpo-answers";
pub const VERSION: u32 = 1;
/// What the CSV export writes in `option_text` for a skipped question.
pub const SKIPPED: &str = "(skipped)";
pub const CSV_HEADER: [&str; 5] = ["survey", "question_key", "question_text", "option_index", "option_text"];

/// One answer as stored: the question by key, so answers survive a bundle with reordered
/// questions.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AnswerRecord {
    pub question: String,
    /// `null`: skipped.
    pub option: Option<usize>,
    /// For people reading the file; ignored when read back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub question_text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub option_text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub predicted: Option<Forecast>,
}

/// One survey's answers as stored and exported.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AnswerFile {
    pub format: String,
    pub version: u32,
    pub survey: String,
    pub answers: Vec<AnswerRecord>,
}

/// A survey's answers as records, in survey order.
pub fn to_records(view: &SurveyView, answers: &SurveyAnswers) -> Vec<AnswerRecord> {
    let questions = &view.survey.questions;
    answers
        .choices
        .iter()
        .enumerate()
        .filter_map(|(q, choice)| {
            let choice = choice.as_ref()?;
            let question = questions.get(q)?;
            Some(AnswerRecord {
                question: question.key.clone(),
                option: choice.option,
                question_text: Some(question.text.clone()),
                option_text: Some(match choice.option {
                    Some(o) => question.options.get(o).cloned().unwrap_or_default(),
                    None => SKIPPED.into(),
                }),
                predicted: choice.predicted.clone(),
            })
        })
        .collect()
}

pub fn to_file(view: &SurveyView, answers: &SurveyAnswers) -> AnswerFile {
    AnswerFile {
        format: FORMAT.into(),
        version: VERSION,
        survey: view.task.clone(),
        answers: to_records(view, answers),
    }
}

/// Records checked against the survey; `problems` says what was left out and why.
pub struct Checked {
    pub answers: SurveyAnswers,
    pub used: usize,
    pub problems: Vec<String>,
}

pub fn from_records(view: &SurveyView, records: &[AnswerRecord]) -> Checked {
    let questions = &view.survey.questions;
    let mut answers = SurveyAnswers::new(questions.len());
    let mut problems = Vec::new();
    let mut used = 0;
    for record in records {
        let Some(q) = questions.iter().position(|question| question.key == record.question) else {
            problems.push(format!("no question \"{}\" in {}", record.question, view.title));
            continue;
        };
        let options = questions[q].options.len();
        if let Some(option) = record.option
            && option >= options
        {
            problems.push(format!("question \"{}\" has no option {option}", record.question));
            continue;
        }
        // A kept prediction of the wrong shape (e.g. an older bundle) is dropped, not trusted.
        let predicted = record
            .predicted
            .clone()
            .filter(|f| f.probs.len() == options && f.std.len() == options && f.probs.iter().all(|p| p.is_finite()));
        answers.choices[q] = Some(Choice { option: record.option, predicted });
        used += 1;
    }
    Checked { answers, used, problems }
}

/// Reads an [`AnswerFile`] (checking its format and version).
pub fn parse_file(text: &str) -> Result<AnswerFile, String> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| format!("not JSON ({e})"))?;
    if value.get("format").and_then(|f| f.as_str()) != Some(FORMAT) {
        return Err(format!("not a \"{FORMAT}\" file"));
    }
    let version = value.get("version").and_then(|v| v.as_u64()).unwrap_or(0);
    if version != VERSION as u64 {
        return Err(format!("version {version}; this page reads version {VERSION}"));
    }
    serde_json::from_value(value).map_err(|e| format!("malformed answers ({e})"))
}

/// The CSV export of one survey.
pub fn to_csv(view: &SurveyView, answers: &SurveyAnswers) -> Result<String, String> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(CSV_HEADER).map_err(|e| e.to_string())?;
    for record in to_records(view, answers) {
        let option_index = record.option.map(|o| o.to_string()).unwrap_or_default();
        writer
            .write_record([
                view.task.as_str(),
                &record.question,
                record.question_text.as_deref().unwrap_or_default(),
                &option_index,
                record.option_text.as_deref().unwrap_or_default(),
            ])
            .map_err(|e| e.to_string())?;
    }
    let bytes = writer.into_inner().map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|e| e.to_string())
}

/// Reads a CSV export into per-survey records (in file order of first appearance).
pub fn parse_csv(text: &str) -> Result<Vec<(String, Vec<AnswerRecord>)>, String> {
    let mut reader = csv::ReaderBuilder::new().has_headers(true).flexible(false).from_reader(text.as_bytes());
    let header = reader.headers().map_err(|e| format!("not a CSV file ({e})"))?.clone();
    let column = |name: &str| {
        header.iter().position(|h| h.trim() == name).ok_or_else(|| format!("the CSV has no \"{name}\" column"))
    };
    let (survey, key, option) = (column("survey")?, column("question_key")?, column("option_index")?);
    let mut surveys: Vec<(String, Vec<AnswerRecord>)> = Vec::new();
    for (line, row) in reader.records().enumerate() {
        let row = row.map_err(|e| format!("CSV row {}: {e}", line + 2))?;
        let field = |i: usize| row.get(i).unwrap_or_default().trim().to_string();
        let option_text = field(option);
        let option = if option_text.is_empty() {
            None
        } else {
            Some(
                option_text
                    .parse::<usize>()
                    .map_err(|_| format!("CSV row {}: option_index \"{option_text}\" is not a number", line + 2))?,
            )
        };
        let record =
            AnswerRecord { question: field(key), option, question_text: None, option_text: None, predicted: None };
        let task = field(survey);
        match surveys.iter_mut().find(|(t, _)| *t == task) {
            Some((_, records)) => records.push(record),
            None => surveys.push((task, vec![record])),
        }
    }
    Ok(surveys)
}

/// Reads an import: an exported JSON file, a bare `[{"question", "option"}]` list (then for
/// `default_survey`), or a CSV export.
pub fn parse_import(text: &str, default_survey: &str) -> Result<Vec<(String, Vec<AnswerRecord>)>, String> {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with('{') {
        let file = parse_file(trimmed)?;
        return Ok(vec![(file.survey, file.answers)]);
    }
    if trimmed.starts_with('[') {
        let records: Vec<AnswerRecord> =
            serde_json::from_str(trimmed).map_err(|e| format!("not a list of answers ({e})"))?;
        return Ok(vec![(default_survey.to_string(), records)]);
    }
    parse_csv(trimmed)
}
