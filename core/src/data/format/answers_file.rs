//! Reading an answers file (`answers.csv`, or respondents given in that format to `gpo eval
//! --groups`) against a survey's questions: every row checked, every problem named by file,
//! line and field.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use super::csv_table::{Columns, read_table};
use super::manifest::{QUESTIONS_FILE, RESPONDENTS_FILE};
use crate::data::{Answer, LoadReport, Problem, Question, Respondent, RespondentKind, normalise};

/// Weights that already sum to 1 within this are shares and are kept as written (so a survey
/// written by `gpo data import` reads back bit for bit); others are divided by their sum.
const SHARE_TOLERANCE: f64 = 1e-5;

/// A respondent listed in the respondents file.
#[derive(Clone)]
pub(super) struct Listed {
    pub(super) name: String,
    pub(super) label: Option<String>,
    pub(super) attributes: Vec<(String, String)>,
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
pub(super) struct Answers<'a> {
    pub(super) questions: &'a [&'a Question],
    pub(super) kind: RespondentKind,
    pub(super) listed: Option<&'a Vec<Listed>>,
    /// Rows naming an unknown question or option are counted in the report, not problems.
    pub(super) skip_unknown: bool,
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

pub(super) fn read_answers(
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
