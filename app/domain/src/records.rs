//! The answers' file formats: the JSON kept in localStorage and exported, and the CSV export
//! (survey, question key, question text, option index, option text). Reading either checks
//! every row against the survey and reports what it could not use; nothing read is trusted.

use serde::{Deserialize, Serialize};

use crate::answers::{Choice, Forecast, SurveyAnswers};
use crate::error::PageError;
use crate::version;
use crate::view::SurveyView;

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
pub fn parse_file(text: &str) -> Result<AnswerFile, PageError> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| PageError::input(format!("not JSON ({e})")))?;
    if value.get("format").and_then(|f| f.as_str()) != Some(FORMAT) {
        return Err(PageError::input(format!("not a \"{FORMAT}\" file")));
    }
    version::check(&value, VERSION)?;
    serde_json::from_value(value).map_err(|e| PageError::input(format!("malformed answers ({e})")))
}

/// The CSV export of one survey.
pub fn to_csv(view: &SurveyView, answers: &SurveyAnswers) -> Result<String, PageError> {
    let failed = |e: &dyn std::fmt::Display| PageError::Write(format!("the CSV could not be written ({e})"));
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(CSV_HEADER).map_err(|e| failed(&e))?;
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
            .map_err(|e| failed(&e))?;
    }
    let bytes = writer.into_inner().map_err(|e| failed(&e))?;
    String::from_utf8(bytes).map_err(|e| failed(&e))
}

/// Reads a CSV export into per-survey records (in file order of first appearance).
pub fn parse_csv(text: &str) -> Result<Vec<(String, Vec<AnswerRecord>)>, PageError> {
    let mut reader = csv::ReaderBuilder::new().has_headers(true).flexible(false).from_reader(text.as_bytes());
    let header = reader.headers().map_err(|e| PageError::input(format!("not a CSV file ({e})")))?.clone();
    let column = |name: &str| {
        header
            .iter()
            .position(|h| h.trim() == name)
            .ok_or_else(|| PageError::input(format!("the CSV has no \"{name}\" column")))
    };
    let (survey, key, option) = (column("survey")?, column("question_key")?, column("option_index")?);
    let mut surveys: Vec<(String, Vec<AnswerRecord>)> = Vec::new();
    for (line, row) in reader.records().enumerate() {
        let row = row.map_err(|e| PageError::input(format!("CSV row {}: {e}", line + 2)))?;
        let field = |i: usize| row.get(i).unwrap_or_default().trim().to_string();
        let option_text = field(option);
        let option = if option_text.is_empty() {
            None
        } else {
            Some(option_text.parse::<usize>().map_err(|_| {
                PageError::input(format!("CSV row {}: option_index \"{option_text}\" is not a number", line + 2))
            })?)
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
pub fn parse_import(text: &str, default_survey: &str) -> Result<Vec<(String, Vec<AnswerRecord>)>, PageError> {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with('{') {
        let file = parse_file(trimmed)?;
        return Ok(vec![(file.survey, file.answers)]);
    }
    if trimmed.starts_with('[') {
        let records: Vec<AnswerRecord> =
            serde_json::from_str(trimmed).map_err(|e| PageError::input(format!("not a list of answers ({e})")))?;
        return Ok(vec![(default_survey.to_string(), records)]);
    }
    parse_csv(trimmed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::fixture::{answered, view};

    #[test]
    fn the_json_file_reads_back_what_it_wrote() {
        let view = view();
        let text = serde_json::to_string(&to_file(&view, &answered())).unwrap();
        let file = parse_file(&text).unwrap();
        assert_eq!(file.survey, "demo");
        let checked = from_records(&view, &file.answers);
        assert!(checked.problems.is_empty());
        assert_eq!(checked.used, 3);
        assert_eq!(checked.answers, answered());
    }

    #[test]
    fn the_csv_reads_back_what_it_wrote_quotes_and_commas_included() {
        let view = view();
        let text = to_csv(&view, &answered()).unwrap();
        assert!(text.starts_with("survey,question_key,question_text,option_index,option_text\n"));
        assert!(text.contains("\"How often, \"\"really\"\"?\""), "{text}");
        let surveys = parse_import(&text, "other").unwrap();
        assert_eq!(surveys.len(), 1);
        let (task, records) = &surveys[0];
        assert_eq!(task, "demo");
        let checked = from_records(&view, records);
        assert_eq!(checked.answers.chosen(), answered().chosen());
        assert_eq!(checked.answers.touched(), 3);
    }

    #[test]
    fn a_bare_list_is_for_the_survey_on_screen() {
        let surveys = parse_import("\u{feff} [{\"question\":\"q3\",\"option\":1}]", "demo").unwrap();
        assert_eq!(
            surveys,
            vec![(
                "demo".to_string(),
                vec![AnswerRecord {
                    question: "q3".into(),
                    option: Some(1),
                    question_text: None,
                    option_text: None,
                    predicted: None
                }]
            )]
        );
    }

    #[test]
    fn records_that_do_not_fit_the_survey_are_named_and_left_out() {
        let view = view();
        let records = vec![
            AnswerRecord {
                question: "nope".into(),
                option: Some(0),
                question_text: None,
                option_text: None,
                predicted: None,
            },
            AnswerRecord {
                question: "q1".into(),
                option: Some(5),
                question_text: None,
                option_text: None,
                predicted: None,
            },
            // A kept prediction of the wrong shape is dropped, the answer kept.
            AnswerRecord {
                question: "q2".into(),
                option: Some(2),
                question_text: None,
                option_text: None,
                predicted: Some(Forecast { probs: vec![f32::NAN, 0.5, 0.5], std: vec![0.1; 3] }),
            },
        ];
        let checked = from_records(&view, &records);
        assert_eq!(checked.used, 1);
        assert_eq!(checked.problems, ["no question \"nope\" in Demo survey", "question \"q1\" has no option 5"]);
        assert_eq!(checked.answers.option(1), Some(2));
        assert!(checked.answers.get(1).unwrap().predicted.is_none());
    }

    #[test]
    fn a_newer_file_is_told_apart_from_a_broken_one() {
        let newer = parse_file("{\"format\":\"gpo-answers\",\"version\":2,\"survey\":\"demo\",\"answers\":[]}");
        assert!(newer.unwrap_err().is_newer_version());
        for broken in
            ["{\"format\":\"gpo-answers\",\"version\":0}", "{nope", "{\"format\":\"gpo-answers\",\"version\":1}"]
        {
            assert!(!parse_file(broken).unwrap_err().is_newer_version(), "{broken}");
        }
    }

    #[test]
    fn a_bad_import_is_one_input_error_that_says_where() {
        for (text, wanted) in [
            ("{\"format\":\"other\"}", "not a \"gpo-answers\" file"),
            ("{\"format\":\"gpo-answers\",\"version\":9}", "version 9, written by a newer version"),
            ("{\"format\":\"gpo-answers\"}", "version 0, older than this page reads"),
            ("{\"format\":\"gpo-answers\",\"version\":1}", "malformed answers"),
            ("{nope", "not JSON"),
            ("[{\"question\":1}]", "not a list of answers"),
            ("survey,question_key\ndemo,q1\n", "no \"option_index\" column"),
            ("survey,question_key,option_index\ndemo,q1,x\n", "CSV row 2: option_index \"x\" is not a number"),
            ("survey,question_key,option_index\ndemo,q1,0\ndemo,q2\n", "CSV row 3"),
        ] {
            let error = parse_import(text, "demo").err().unwrap_or_else(|| panic!("{text:?} was read"));
            assert!(matches!(error, PageError::Input(_) | PageError::Version { .. }), "{text:?}: {error:?}");
            assert!(error.to_string().contains(wanted), "{text:?}: {error}");
        }
    }
}
