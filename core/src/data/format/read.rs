//! Reading and checking a survey folder: every problem in every file, or the [`Survey`].

use std::collections::{HashMap, HashSet};
use std::path::Path;

use super::csv_table::{Columns, problem, read_file, read_table};
use super::manifest::{ANSWERS_FILE, MANIFEST_FILE, Manifest, QUESTIONS_FILE, RESPONDENTS_FILE, RespondentsDeclared};
use crate::data::{
    Answer, ContextOrder, LoadReport, Problem, Question, Respondent, RespondentKind, Scoring, Survey, SurveyInfo,
    normalise,
};

/// Weights that already sum to 1 within this are shares and are kept as written (so a survey
/// written by `gpo data import` reads back bit for bit); others are divided by their sum.
const SHARE_TOLERANCE: f64 = 1e-5;

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

/// A respondent listed in the respondents file.
#[derive(Clone)]
struct Listed {
    name: String,
    label: Option<String>,
    attributes: Vec<(String, String)>,
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

/// One respondent's weights on one question, with the line of its first row.
struct Weights {
    line: u64,
    /// Per option: the weight as read, and the line it is on.
    cells: Vec<Option<(f64, u64)>>,
    /// The same weights parsed as f32, kept exactly when they are already shares.
    shares: Vec<f32>,
}

/// What an answers file is read against.
struct Answers<'a> {
    questions: &'a [&'a Question],
    kind: RespondentKind,
    listed: Option<&'a Vec<Listed>>,
    /// Rows naming an unknown question or option are counted in the report, not problems.
    skip_unknown: bool,
}

/// The reason under which `--skip-unknown` counts a skipped row.
pub const SKIPPED_UNKNOWN: &str = "rows naming an unknown question or option (skipped)";

/// Reads an answers file (respondents given in the answers format, e.g. `gpo eval --groups`)
/// against a survey's questions. With `skip_unknown`, rows naming a question or option the
/// survey lacks are counted in the report under [`SKIPPED_UNKNOWN`] instead of being errors.
pub fn read_answers_file(
    path: &Path,
    survey: &crate::data::Survey,
    skip_unknown: bool,
) -> Result<(Vec<Respondent>, LoadReport), Vec<Problem>> {
    let questions: Vec<&Question> = survey.questions.iter().collect();
    let answers = Answers { questions: &questions, kind: survey.info.kind, listed: None, skip_unknown };
    let (mut report, mut problems) = (LoadReport::default(), Vec::new());
    match read_answers(path, &answers, &mut report, &mut problems) {
        Some(respondents) if problems.is_empty() => Ok((respondents, report)),
        _ => Err(problems),
    }
}

fn read_answers(
    path: &Path,
    answers_of: &Answers,
    report: &mut LoadReport,
    problems: &mut Vec<Problem>,
) -> Option<Vec<Respondent>> {
    let Answers { questions, kind, listed, skip_unknown } = *answers_of;
    let columns =
        Columns { required: &["respondent", "question", "option", "weight"], optional: &[], extra_allowed: false };
    let table = read_table(path, &columns, problems)?;
    let before = problems.len();
    let at = |name| table.column(name).expect("a checked column");
    let (who_at, key_at, option_at, weight_at) = (at("respondent"), at("question"), at("option"), at("weight"));
    let index: HashMap<&str, usize> = questions.iter().enumerate().map(|(i, q)| (q.key.as_str(), i)).collect();
    // Respondents in the order first seen, each with its questions in the order first seen.
    let mut order: Vec<String> = Vec::new();
    let mut answers: HashMap<String, (u64, Vec<(usize, Weights)>)> = HashMap::new();
    for row in &table.rows {
        let who = row.cells[who_at].trim();
        let key = row.cells[key_at].trim();
        let option = &row.cells[option_at];
        let weight = row.cells[weight_at].trim();
        if who.is_empty() {
            problems.push(table.problem(row.line, "respondent", "is empty"));
            continue;
        }
        let Some(&q) = index.get(key) else {
            if skip_unknown {
                report.drop(SKIPPED_UNKNOWN);
                continue;
            }
            problems.push(table.problem(
                row.line,
                "question",
                format!("unknown question '{key}' (not in {QUESTIONS_FILE})"),
            ));
            continue;
        };
        let question = questions[q];
        let Some(o) = question.options.iter().position(|known| known == option) else {
            if skip_unknown {
                report.drop(SKIPPED_UNKNOWN);
                continue;
            }
            let near = question.options.iter().any(|known| known.trim() == option.trim());
            problems.push(table.problem(
                row.line,
                "option",
                format!(
                    "'{option}' is not an option of question '{key}'{} (its options: {})",
                    if near { " (it differs only in spaces)" } else { "" },
                    question.options.join(" | ")
                ),
            ));
            continue;
        };
        let value = match weight.parse::<f64>() {
            Ok(w) if w.is_nan() => {
                problems.push(table.problem(row.line, "weight", "is NaN; a weight is a count or a share ≥ 0"));
                continue;
            }
            Ok(w) if w.is_infinite() => {
                problems.push(table.problem(row.line, "weight", format!("'{weight}' is infinite")));
                continue;
            }
            Ok(w) if w < 0.0 => {
                problems.push(table.problem(row.line, "weight", format!("'{weight}' is negative; a weight is ≥ 0")));
                continue;
            }
            Ok(w) => w,
            Err(_) => {
                problems.push(table.problem(row.line, "weight", format!("'{weight}' is not a number")));
                continue;
            }
        };
        let (_, by_question) = answers.entry(who.to_string()).or_insert_with(|| {
            order.push(who.to_string());
            (row.line, Vec::new())
        });
        let position = match by_question.iter().position(|(known, _)| *known == q) {
            Some(position) => position,
            None => {
                let (cells, shares) = (vec![None; question.options.len()], vec![0.0; question.options.len()]);
                by_question.push((q, Weights { line: row.line, cells, shares }));
                by_question.len() - 1
            }
        };
        let weights = &mut by_question[position].1;
        if let Some((_, line)) = weights.cells[o] {
            problems.push(table.problem(
                row.line,
                "option",
                format!("duplicate: respondent '{who}' already has a weight for '{option}' of question '{key}' on line {line}"),
            ));
            continue;
        }
        weights.cells[o] = Some((value, row.line));
        weights.shares[o] = weight.parse().expect("a finite f64 parses as f32");
    }
    if table.rows.is_empty() {
        problems.push(table.problem(0, "", "has no answers"));
    }
    if let Some(listed) = listed {
        let known: HashSet<&str> = listed.iter().map(|l| l.name.as_str()).collect();
        for name in &order {
            if !known.contains(name.as_str()) {
                let line = answers[name].0;
                problems.push(table.problem(line, "respondent", format!("'{name}' is not in {RESPONDENTS_FILE}")));
            }
        }
    }
    let mut respondents = Vec::with_capacity(order.len());
    let names: Vec<Listed> = match listed {
        Some(listed) => listed.clone(),
        None => order.iter().map(|name| Listed { name: name.clone(), label: None, attributes: Vec::new() }).collect(),
    };
    for Listed { name, label, attributes } in names {
        let Some((_, by_question)) = answers.remove(&name) else {
            report.drop(&format!("listed in {RESPONDENTS_FILE} without answers"));
            continue;
        };
        let mut answered = Vec::with_capacity(by_question.len());
        for (q, weights) in by_question {
            match to_probs(&weights) {
                Some(probs) => answered.push(Answer { question: q, probs }),
                None => problems.push(table.problem(
                    weights.line,
                    "weight",
                    format!("respondent '{name}''s weights on question '{}' sum to 0", questions[q].key),
                )),
            }
        }
        answered.sort_by_key(|a| a.question);
        respondents.push(Respondent { name, label, kind, attributes, answers: answered });
    }
    (problems.len() == before).then_some(respondents)
}

/// A respondent's distribution from its weights (omitted options weigh 0); `None` when they
/// sum to 0.
fn to_probs(weights: &Weights) -> Option<Vec<f32>> {
    let values: Vec<f64> = weights.cells.iter().map(|c| c.map_or(0.0, |(w, _)| w)).collect();
    let total: f64 = values.iter().sum();
    if (total - 1.0).abs() <= SHARE_TOLERANCE {
        return Some(weights.shares.clone());
    }
    normalise(&values)
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
