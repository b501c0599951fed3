//! Writing a [`Survey`] as a survey folder, whole or not at all.

use std::path::Path;

use super::manifest::{ANSWERS_FILE, MANIFEST_FILE, Manifest, QUESTIONS_FILE, RESPONDENTS_FILE};
use crate::data::{DataError, Survey};
use crate::util::fs::{replace_dir_atomically, write_atomic};

/// Writes `survey` into `dir`. An existing survey folder there is replaced only with
/// `replace`, and anything else is never touched; an interrupted write leaves the old folder
/// (or none). Probabilities and values are written in their shortest exact form, so reading the
/// folder back gives the same survey bit for bit; zero weights are left out.
pub fn write_survey(survey: &Survey, dir: &Path, replace: bool) -> Result<(), DataError> {
    if dir.exists() {
        let is_survey = dir.join(MANIFEST_FILE).is_file();
        let is_empty = std::fs::read_dir(dir).map_err(|e| DataError::io(dir, e))?.next().is_none();
        if !(is_empty || is_survey && replace) {
            let message = if is_survey {
                "a survey is already there (pass --force to replace it)"
            } else {
                "exists and is not a survey folder; choose another --out"
            };
            return Err(DataError::field(dir, "out", message));
        }
    }
    let attributes = attribute_columns(survey);
    for reserved in ["respondent", "label"] {
        if attributes.iter().any(|a| a == reserved) {
            return Err(DataError::field(
                dir,
                reserved,
                "an attribute has this name, which is a column of respondents.csv",
            ));
        }
    }
    let mut files = vec![
        (MANIFEST_FILE, manifest_json(survey)),
        (QUESTIONS_FILE, questions_csv(survey)?),
        (ANSWERS_FILE, answers_csv(survey)?),
    ];
    if !attributes.is_empty() || survey.respondents.iter().any(|r| r.label.is_some()) {
        files.push((RESPONDENTS_FILE, respondents_csv(survey, &attributes)?));
    }
    replace_dir_atomically(dir, |partial| {
        files.iter().try_for_each(|(name, bytes)| write_atomic(&partial.join(name), bytes))
    })
    .map_err(|e| DataError::io(dir, e))
}

fn manifest_json(survey: &Survey) -> Vec<u8> {
    let mut json = serde_json::to_vec_pretty(&Manifest::of(&survey.info)).expect("a manifest serialises");
    json.push(b'\n');
    json
}

fn csv_bytes(rows: impl FnOnce(&mut csv::Writer<Vec<u8>>) -> csv::Result<()>) -> Result<Vec<u8>, DataError> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let failed = |e: csv::Error| DataError::io("csv", std::io::Error::other(e));
    rows(&mut writer).map_err(failed)?;
    writer.into_inner().map_err(|e| DataError::io("csv", e.into_error()))
}

fn questions_csv(survey: &Survey) -> Result<Vec<u8>, DataError> {
    let valued = survey.questions.iter().any(|q| q.ordinals.is_some());
    csv_bytes(|w| {
        if valued {
            w.write_record(["question", "text", "option", "value"])?;
        } else {
            w.write_record(["question", "text", "option"])?;
        }
        for question in &survey.questions {
            for (index, option) in question.options.iter().enumerate() {
                let text = if index == 0 { question.text.as_str() } else { "" };
                let value = question.ordinals.as_ref().map(|v| v[index].to_string()).unwrap_or_default();
                if valued {
                    w.write_record([question.key.as_str(), text, option, &value])?;
                } else {
                    w.write_record([question.key.as_str(), text, option])?;
                }
            }
        }
        Ok(())
    })
}

fn answers_csv(survey: &Survey) -> Result<Vec<u8>, DataError> {
    csv_bytes(|w| {
        w.write_record(["respondent", "question", "option", "weight"])?;
        for respondent in &survey.respondents {
            for answer in &respondent.answers {
                let question = &survey.questions[answer.question];
                for (option, p) in question.options.iter().zip(&answer.probs) {
                    if *p != 0.0 {
                        w.write_record([respondent.name.as_str(), &question.key, option, &p.to_string()])?;
                    }
                }
            }
        }
        Ok(())
    })
}

/// Every attribute key, in the order first seen.
fn attribute_columns(survey: &Survey) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    for (key, _) in survey.respondents.iter().flat_map(|r| &r.attributes) {
        if !keys.contains(key) {
            keys.push(key.clone());
        }
    }
    keys
}

fn respondents_csv(survey: &Survey, attributes: &[String]) -> Result<Vec<u8>, DataError> {
    csv_bytes(|w| {
        let mut header = vec!["respondent".to_string(), "label".to_string()];
        header.extend(attributes.iter().cloned());
        w.write_record(&header)?;
        for respondent in &survey.respondents {
            let mut row = vec![respondent.name.clone(), respondent.label.clone().unwrap_or_default()];
            row.extend(attributes.iter().map(|key| respondent.attribute(key).unwrap_or("").to_string()));
            w.write_record(&row)?;
        }
        Ok(())
    })
}
