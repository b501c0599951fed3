//! Reading and checking a survey folder: every problem in every file, or the [`Survey`].

use std::collections::HashMap;
use std::path::Path;

use super::answers_file::{Answers, Listed, read_answers};
use super::csv_table::{Columns, problem, read_file, read_table};
use super::manifest::{ANSWERS_FILE, MANIFEST_FILE, Manifest, QUESTIONS_FILE, RESPONDENTS_FILE, RespondentsDeclared};
use crate::data::{ContextOrder, LoadReport, Problem, Question, RespondentKind, Scoring, Survey, SurveyInfo};

/// Reads a survey folder, checking every file; `Err` lists every problem found, in file order.
pub fn check_survey(dir: &Path) -> Result<Survey, Vec<Problem>> {
    if !dir.is_dir() {
        return Err(vec![problem(
            dir,
            0,
            "",
            format!("is not a folder (a survey is a folder with {MANIFEST_FILE}, {QUESTIONS_FILE} and {ANSWERS_FILE})"),
        )]);
    }
    let mut problems = Vec::new();
    let manifest = read_manifest(&dir.join(MANIFEST_FILE), &mut problems);
    let questions = read_questions(&dir.join(QUESTIONS_FILE), &mut problems);
    let listed = dir.join(RESPONDENTS_FILE);
    let listed = listed.exists().then(|| read_respondents(&listed, &mut problems)).flatten();
    let mut report = LoadReport::default();
    let respondents = questions.as_ref().and_then(|questions| {
        let kind = manifest.as_ref().map_or(RespondentKind::Group, |m| m.respondents.kind());
        let questions: Vec<&Question> = questions.iter().map(|q| &q.question).collect();
        let answers = Answers { questions: &questions, kind, listed: listed.as_ref(), skip_unknown: false };
        read_answers(&dir.join(ANSWERS_FILE), &answers, &mut report, &mut problems)
    });
    let (Some(manifest), Some(questions), Some(respondents)) = (manifest, questions, respondents) else {
        return Err(problems);
    };
    let info = survey_info(&manifest, &questions, &dir.join(MANIFEST_FILE), &mut problems);
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Survey { info, questions: questions.into_iter().map(|q| q.question).collect(), respondents, report })
}

fn read_manifest(path: &Path, problems: &mut Vec<Problem>) -> Option<Manifest> {
    let text = match String::from_utf8(read_file(path, problems)?) {
        Ok(text) => text,
        Err(e) => {
            problems.push(problem(path, 0, "", format!("is not UTF-8: {e}")));
            return None;
        }
    };
    let manifest: Manifest = match serde_json::from_str(&text) {
        Ok(manifest) => manifest,
        Err(e) => {
            problems.push(problem(path, e.line() as u64, "", format!("invalid: {e}")));
            return None;
        }
    };
    let before = problems.len();
    for (field, message) in manifest.problems() {
        problems.push(problem(path, line_of(&text, field), field, message));
    }
    (problems.len() == before).then_some(manifest)
}

/// The line on which `"field"` appears in a JSON text (0 when it does not).
fn line_of(text: &str, field: &str) -> u64 {
    let key = format!("\"{field}\"");
    text.lines().position(|line| line.contains(&key)).map_or(0, |i| i as u64 + 1)
}

/// A question and the line of its first option row.
pub(super) struct QuestionRows {
    question: Question,
    line: u64,
}

fn read_questions(path: &Path, problems: &mut Vec<Problem>) -> Option<Vec<QuestionRows>> {
    let columns = Columns { required: &["question", "text", "option"], optional: &["value"], extra_allowed: false };
    let table = read_table(path, &columns, problems)?;
    let before = problems.len();
    let at = |name| table.column(name).expect("a checked column");
    let (key_at, text_at, option_at, value_at) = (at("question"), at("text"), at("option"), table.column("value"));
    // Per question: its rows' options, values and lines.
    struct Building {
        key: String,
        text: String,
        line: u64,
        options: Vec<(String, u64)>,
        values: Vec<Option<f32>>,
    }
    let mut built: Vec<Building> = Vec::new();
    let mut first_line: HashMap<String, u64> = HashMap::new();
    for row in &table.rows {
        let key = row.cells[key_at].trim();
        if key.is_empty() {
            problems.push(table.problem(row.line, "question", "is empty (every row names its question's key)"));
            continue;
        }
        let text = &row.cells[text_at];
        let continues = built.last().is_some_and(|b| b.key == key);
        if !continues {
            if let Some(first) = first_line.get(key) {
                problems.push(table.problem(
                    row.line,
                    "question",
                    format!(
                        "duplicate key '{key}': it starts on line {first} and other questions come between \
                         (a question's option rows are consecutive)"
                    ),
                ));
                continue;
            }
            if text.trim().is_empty() {
                problems.push(table.problem(
                    row.line,
                    "text",
                    format!("question '{key}' has no text on its first row"),
                ));
            }
            first_line.insert(key.to_string(), row.line);
            built.push(Building {
                key: key.to_string(),
                text: text.clone(),
                line: row.line,
                options: Vec::new(),
                values: Vec::new(),
            });
        }
        let question = built.last_mut().expect("a question was started");
        if continues && !text.is_empty() && *text != question.text {
            problems.push(table.problem(
                row.line,
                "text",
                format!("differs from question '{key}''s text on line {} (leave it empty or repeat it)", question.line),
            ));
        }
        let option = &row.cells[option_at];
        if option.trim().is_empty() {
            problems.push(table.problem(row.line, "option", format!("question '{key}' has an empty option")));
            continue;
        }
        if let Some((_, line)) = question.options.iter().find(|(o, _)| o == option) {
            problems.push(table.problem(
                row.line,
                "option",
                format!("duplicate option '{option}' of question '{key}' (also on line {line})"),
            ));
            continue;
        }
        let value = match value_at.map(|i| row.cells[i].trim()).filter(|v| !v.is_empty()) {
            None => None,
            Some(text) => match text.parse::<f32>() {
                Ok(value) if value.is_finite() => Some(value),
                _ => {
                    problems.push(table.problem(row.line, "value", format!("'{text}' is not a finite number")));
                    continue;
                }
            },
        };
        question.options.push((option.clone(), row.line));
        question.values.push(value);
    }
    let mut questions = Vec::with_capacity(built.len());
    for b in built {
        if b.options.len() < 2 {
            problems.push(table.problem(
                b.line,
                "option",
                format!("question '{}' has {} option(s); a question needs at least 2", b.key, b.options.len()),
            ));
        }
        let valued = b.values.iter().filter(|v| v.is_some()).count();
        let ordinals = if valued == 0 {
            None
        } else if valued == b.values.len() {
            Some(b.values.iter().map(|v| v.expect("all valued")).collect())
        } else {
            problems.push(table.problem(
                b.line,
                "value",
                format!(
                    "question '{}' gives values for {valued} of its {} options: give all or none",
                    b.key,
                    b.values.len()
                ),
            ));
            None
        };
        let question =
            Question { key: b.key, text: b.text, options: b.options.into_iter().map(|(o, _)| o).collect(), ordinals };
        questions.push(QuestionRows { question, line: b.line });
    }
    if table.rows.is_empty() {
        problems.push(table.problem(0, "", "has no questions"));
    }
    (problems.len() == before).then_some(questions)
}

fn read_respondents(path: &Path, problems: &mut Vec<Problem>) -> Option<Vec<Listed>> {
    let columns = Columns { required: &["respondent"], optional: &["label"], extra_allowed: true };
    let table = read_table(path, &columns, problems)?;
    let before = problems.len();
    let id_at = table.column("respondent").expect("a checked column");
    let label_at = table.column("label");
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut listed = Vec::with_capacity(table.rows.len());
    for row in &table.rows {
        let name = row.cells[id_at].trim();
        if name.is_empty() {
            problems.push(table.problem(row.line, "respondent", "is empty"));
            continue;
        }
        if let Some(line) = seen.insert(name.to_string(), row.line) {
            problems.push(table.problem(
                row.line,
                "respondent",
                format!("duplicate respondent '{name}' (also on line {line})"),
            ));
            continue;
        }
        let label = label_at.map(|i| row.cells[i].trim()).filter(|l| !l.is_empty()).map(str::to_string);
        let attributes = table
            .headers
            .iter()
            .zip(&row.cells)
            .enumerate()
            .filter(|(i, (_, value))| *i != id_at && Some(*i) != label_at && !value.trim().is_empty())
            .map(|(_, (key, value))| (key.clone(), value.trim().to_string()))
            .collect();
        listed.push(Listed { name: name.to_string(), label, attributes });
    }
    (problems.len() == before).then_some(listed)
}

/// The survey's identity and scoring: declared in the manifest, or following from the data.
fn survey_info(
    manifest: &Manifest,
    questions: &[QuestionRows],
    path: &Path,
    problems: &mut Vec<Problem>,
) -> SurveyInfo {
    let all_valued = questions.iter().all(|q| q.question.ordinals.is_some());
    let scoring = manifest.metric.unwrap_or(match manifest.respondents {
        RespondentsDeclared::People => Scoring::Accuracy,
        RespondentsDeclared::Groups if all_valued => Scoring::Wasserstein,
        RespondentsDeclared::Groups => Scoring::JensenShannon,
    });
    if scoring == Scoring::Wasserstein {
        let unvalued: Vec<&QuestionRows> = questions.iter().filter(|q| q.question.ordinals.is_none()).collect();
        if let Some(first) = unvalued.first() {
            problems.push(problem(
                path,
                0,
                "metric",
                format!(
                    "is wasserstein, which needs every option's value, but {} question(s) have none \
                     ({QUESTIONS_FILE} line {}: '{}')",
                    unvalued.len(),
                    first.line,
                    first.question.key
                ),
            ));
        }
    }
    SurveyInfo {
        id: manifest.id.clone(),
        title: manifest.title.clone(),
        description: manifest.description.clone(),
        kind: manifest.respondents.kind(),
        scoring,
        context_order: manifest.context.unwrap_or(ContextOrder::Own),
    }
}
