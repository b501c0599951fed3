//! OpinionQA (Pew American Trends Panel): per-group answer counts → distributions.
//!
//! Rules (the paper's, made explicit):
//! - the refusal option is dropped and the rest renormalised;
//! - options without an ordinal value in `info.csv` (e.g. "Not sure", "Other view") are dropped
//!   the same way, because the metric's Wasserstein distance needs an ordinal support;
//! - `Refused`, `nan` and `Other` buckets are not demographic groups and are skipped;
//! - a (group, question) whose kept counts sum to zero is skipped and counted.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde::Deserialize;

pub use super::info_row::InfoRow;
use super::pylit::{PyLiteralError, parse_num_list, parse_str_list};
use super::religion::{add_religion_groups, match_key};
use super::{Answer, DataError, LoadReport, Question, Respondent, RespondentKind, Survey, Task};
use super::{error::read_json, normalise};

/// The eight attributes with per-group counts.
pub const ATTRIBUTES: [&str; 8] = ["AGE", "CREGION", "EDUCATION", "INCOME", "POLIDEOLOGY", "POLPARTY", "RACE", "SEX"];

/// Buckets in the count files that are not demographic groups.
const NOT_GROUPS: [&str; 3] = ["Refused", "nan", "Other"];

/// The refusal option's text in every wave.
pub const REFUSAL: &str = "Refused";

/// The 22 groups of the GPO paper's OpinionQA experiments.
pub const PAPER_GROUPS: [&str; 22] = [
    "POLIDEOLOGY_Conservative",
    "POLIDEOLOGY_Liberal",
    "POLIDEOLOGY_Moderate",
    "POLPARTY_Democrat",
    "POLPARTY_Republican",
    "INCOME_$100,000 or more",
    "INCOME_Less than $30,000",
    "RACE_White",
    "RACE_Black",
    "RACE_Asian",
    "RACE_Hispanic",
    "SEX_Male",
    "SEX_Female",
    "CREGION_Northeast",
    "CREGION_South",
    "EDUCATION_College graduate/some postgrad",
    "EDUCATION_Less than high school",
    "RELIG_Protestant",
    "RELIG_Jewish",
    "RELIG_Hindu",
    "RELIG_Atheist",
    "RELIG_Muslim",
];

#[derive(Deserialize)]
struct CountQuestion {
    #[serde(rename = "MC_options")]
    _options: Vec<String>,
    #[serde(rename = "question_text")]
    _text: String,
    #[serde(flatten)]
    groups: BTreeMap<String, BTreeMap<String, f64>>,
}

pub fn human_resp_dir(data: &Path) -> PathBuf {
    data.join("opinionqa").join("human_resp")
}

/// The wave folders, in wave order.
pub fn wave_dirs(data: &Path) -> Result<Vec<PathBuf>, DataError> {
    let root = human_resp_dir(data);
    let entries = std::fs::read_dir(&root).map_err(|e| DataError::io(&root, e))?;
    let mut waves: Vec<(u32, PathBuf)> = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| DataError::io(&root, e))?;
        let name = entry.file_name().to_string_lossy().to_string();
        if let Some(number) = name.strip_prefix("American_Trends_Panel_W") {
            let number = number
                .parse()
                .map_err(|_| DataError::field(&root, &name, "wave folder name does not end in a number"))?;
            waves.push((number, entry.path()));
        }
    }
    if waves.is_empty() {
        return Err(DataError::field(&root, "American_Trends_Panel_W*", "no wave folders"));
    }
    waves.sort();
    Ok(waves.into_iter().map(|(_, path)| path).collect())
}

/// Reads one `info.csv` (the pandas export with Python-literal columns).
pub fn read_info(path: &Path) -> Result<Vec<InfoRow>, DataError> {
    let mut reader = csv::Reader::from_path(path).map_err(|e| csv_error(path, e))?;
    let headers = reader.headers().map_err(|e| csv_error(path, e))?.clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| DataError::field(path, name, "column missing from the header"))
    };
    let (key_col, text_col) = (column("key")?, column("question")?);
    let (refs_col, ord_col) = (column("references")?, column("option_ordinal")?);
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| csv_error(path, e))?;
        let line = record.position().map_or(0, |p| p.line());
        let cell = |col: usize| record.get(col).unwrap_or("");
        let key = cell(key_col).to_string();
        let bad = |what: &str, err: String| DataError::line(path, line, format!("{key}: {what}: {err}"));
        let literal = |field: &'static str, source: PyLiteralError| DataError::Literal {
            path: path.to_path_buf(),
            line,
            key: key.clone(),
            field,
            source,
        };
        let references = parse_str_list(cell(refs_col)).map_err(|e| literal("references", e))?;
        let ordinals = parse_num_list(cell(ord_col)).map_err(|e| literal("option_ordinal", e))?;
        let options: Vec<String> = references.into_iter().filter(|o| o != REFUSAL).collect();
        if ordinals.len() > options.len() || ordinals.is_empty() {
            return Err(bad("option_ordinal", format!("{} values for {} options", ordinals.len(), options.len())));
        }
        rows.push(InfoRow {
            key,
            text: cell(text_col).trim().to_string(),
            options,
            ordinals: ordinals.into_iter().map(|v| v as f32).collect(),
        });
    }
    Ok(rows)
}

fn csv_error(path: &Path, error: csv::Error) -> DataError {
    let line = error.position().map_or(0, |p| p.line());
    DataError::line(path, line, error.to_string())
}

/// Every question of every wave's `info.csv`, by key, in wave and row order.
pub fn read_all_info(data: &Path) -> Result<Vec<InfoRow>, DataError> {
    let mut rows = Vec::new();
    for wave in wave_dirs(data)? {
        rows.extend(read_info(&wave.join("info.csv"))?);
    }
    Ok(rows)
}

/// Loads OpinionQA: the count-based demographic groups plus the religion groups.
pub fn load_opinionqa(data: &Path) -> Result<Survey, DataError> {
    let mut report = LoadReport::default();
    let mut questions: Vec<Question> = Vec::new();
    let mut question_index: HashMap<String, usize> = HashMap::new();
    let mut groups: BTreeMap<String, Respondent> = BTreeMap::new();
    let info = read_all_info(data)?;
    let info_by_key: HashMap<&str, &InfoRow> = info.iter().map(|r| (r.key.as_str(), r)).collect();

    for wave in wave_dirs(data)? {
        let wave_info = read_info(&wave.join("info.csv"))?;
        let mut wave_counts: Vec<(String, HashMap<String, CountQuestion>)> = Vec::new();
        for attribute in ATTRIBUTES {
            let path = wave.join(format!("{attribute}_data.json"));
            wave_counts.push((attribute.to_string(), read_json(&path)?));
        }
        // Questions in info.csv order; only those with group counts are part of the task.
        for row in &wave_info {
            if !wave_counts.iter().any(|(_, counts)| counts.contains_key(&row.key)) {
                report.drop("question in info.csv without group counts");
                continue;
            }
            if row.unvalued_options() > 0 {
                report.drop("question with non-ordinal options (e.g. 'Not sure') dropped from its options");
            }
            question_index.insert(row.key.clone(), questions.len());
            questions.push(row.question());
        }
        for (attribute, counts) in wave_counts {
            let path = wave.join(format!("{attribute}_data.json"));
            for (key, question) in counts {
                let Some(&index) = question_index.get(&key) else {
                    return Err(DataError::field(&path, &key, "question key is not in this wave's info.csv"));
                };
                let row = info_by_key[key.as_str()];
                for (group, option_counts) in &question.groups {
                    if NOT_GROUPS.contains(&group.as_str()) {
                        continue;
                    }
                    // Count keys are the option texts, a few with another case ("noR").
                    let kept = questions[index].options.len();
                    let mut weights = vec![0.0; kept];
                    for (option, count) in option_counts {
                        if option == REFUSAL {
                            continue;
                        }
                        let position = row.options.iter().position(|o| o == option).or_else(|| {
                            let wanted = match_key(option);
                            row.options.iter().position(|o| match_key(o) == wanted)
                        });
                        match position {
                            Some(i) if i < kept => weights[i] += count,
                            Some(_) => {} // an option without an ordinal value
                            None => {
                                return Err(DataError::field(
                                    &path,
                                    format!("{key}/{group}"),
                                    format!("count for an option not in info.csv: '{option}'"),
                                ));
                            }
                        }
                    }
                    let name = format!("{attribute}_{group}");
                    let respondent = groups.entry(name.clone()).or_insert_with(|| Respondent {
                        name,
                        label: None,
                        kind: RespondentKind::Group,
                        attributes: vec![(attribute.clone(), group.clone())],
                        answers: Vec::new(),
                    });
                    match normalise(&weights) {
                        Some(probs) => respondent.answers.push(Answer { question: index, probs }),
                        None => report.drop("(group, question) with zero counts"),
                    }
                }
            }
        }
    }
    let mut respondents: Vec<Respondent> = groups.into_values().collect();
    for respondent in &mut respondents {
        respondent.answers.sort_by_key(|a| a.question);
    }
    report.note(format!("{} count-based groups over {} questions with counts", respondents.len(), questions.len()));
    let mut survey = Survey { info: Task::Oqa.info(), questions, respondents, report };
    add_religion_groups(data, &info, &mut survey)?;
    Ok(survey)
}

/// Keys of the 500 high-disagreement questions the GPO paper evaluates on.
pub fn disagreement_500_keys(data: &Path) -> Result<Vec<String>, DataError> {
    let path = human_resp_dir(data).join("Pew_American_Trends_Panel_disagreement_500").join("info.csv");
    Ok(read_info(&path)?.into_iter().map(|row| row.key).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_literal_names_its_file_line_key_and_column() {
        let dir = std::env::temp_dir().join(format!("gpo-oqa-info-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("info.csv");
        let csv = "key,question,references,option_ordinal\nQ1,Why?,\"['a', 'b']\",\"[1.0, 2.0]\"\n\
                   Q2,How?,\"['a' 'b']\",\"[1.0, 2.0]\"\n";
        std::fs::write(&path, csv).unwrap();
        let err = read_info(&path).unwrap_err();
        std::fs::remove_dir_all(&dir).unwrap();
        let shown = format!("{}: line 3: Q2: references: expected ',' or ']' at byte 5, found '''", path.display());
        assert_eq!(err.to_string(), shown);
        let source = std::error::Error::source(&err).and_then(|s| s.downcast_ref::<PyLiteralError>());
        assert_eq!(source.map(|e| e.at), Some(5));
    }
}
