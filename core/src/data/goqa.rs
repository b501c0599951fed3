//! GlobalOpinionQA (countries), merged from two partial copies.
//!
//! Merge rule: a question is its whitespace-collapsed text (modular pluralism's
//! `Question: … Options: … Answer:` wrapper removed) plus its option list. A (question, country)
//! pair present in both copies keeps the GlobalOpinionBench distribution; the pairs whose two
//! copies disagree are counted and their largest difference reported. Distributions are
//! renormalised; an all-zero one is skipped and counted.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::Deserialize;

use super::religion::unwrap_prompt;
use super::{Answer, DataError, LoadReport, Question, Respondent, RespondentKind, Survey, Task};
use super::{error::read_json, normalise};

pub const BENCH_FILE: &str = "globalopinionbench_eval.json";
pub const PLURALISM_FILE: &str = "modular_pluralism_goqa.json";

#[derive(Deserialize)]
struct BenchRecord {
    country: String,
    question: String,
    /// Mostly strings; scale points of 0–10 questions are numbers (`1.0`), kept as text ("1").
    #[serde(deserialize_with = "options_as_text")]
    options: Vec<String>,
    distribution: Vec<f64>,
}

#[derive(Deserialize)]
struct PluralismRecord {
    question: String,
    options: Vec<String>,
    attribute: String,
    gold_distribution: Vec<f64>,
}

/// One record from either copy, in the common shape.
struct Record {
    country: String,
    text: String,
    options: Vec<String>,
    weights: Vec<f64>,
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub fn load_goqa(data: &Path) -> Result<Survey, DataError> {
    let folder = data.join("globalopinionqa");
    let bench_path = folder.join(BENCH_FILE);
    let pluralism_path = folder.join(PLURALISM_FILE);
    let bench: Vec<BenchRecord> = read_json(&bench_path)?;
    let pluralism: Vec<PluralismRecord> = read_json(&pluralism_path)?;
    let mut report = LoadReport::default();

    let mut records = Vec::with_capacity(bench.len() + pluralism.len());
    for (i, r) in bench.into_iter().enumerate() {
        check_lengths(&bench_path, i, &r.country, r.options.len(), r.distribution.len())?;
        records.push((
            0u8,
            Record {
                country: r.country,
                text: collapse(&r.question),
                options: trim_all(r.options),
                weights: r.distribution,
            },
        ));
    }
    for (i, r) in pluralism.into_iter().enumerate() {
        check_lengths(&pluralism_path, i, &r.attribute, r.options.len(), r.gold_distribution.len())?;
        let text = unwrap_prompt(&r.question).ok_or_else(|| {
            DataError::field(
                &pluralism_path,
                format!("record {i}"),
                "question is not a 'Question: … Options: … Answer:' prompt",
            )
        })?;
        records.push((
            1u8,
            Record {
                country: r.attribute,
                text: collapse(text),
                options: trim_all(r.options),
                weights: r.gold_distribution,
            },
        ));
    }

    let mut questions: Vec<Question> = Vec::new();
    let mut question_index: HashMap<(String, Vec<String>), usize> = HashMap::new();
    // (question, country) -> (source, probs)
    let mut pairs: BTreeMap<(String, usize), Kept> = BTreeMap::new();
    let (mut overlaps, mut disagreements, mut largest, mut raw_disagreements) = (0usize, 0usize, 0f32, 0usize);
    for (source, record) in records {
        if record.options.len() < 2 {
            report.drop("(country, question) with fewer than two options");
            continue;
        }
        let Some(probs) = normalise(&record.weights) else {
            report.drop("(country, question) whose distribution sums to zero");
            continue;
        };
        let id = (record.text.clone(), record.options.clone());
        let index = *question_index.entry(id).or_insert_with(|| {
            questions.push(Question {
                key: format!("goqa_{}", questions.len()),
                text: record.text,
                options: record.options,
                ordinals: None,
            });
            questions.len() - 1
        });
        match pairs.get(&(record.country.clone(), index)) {
            None => {
                pairs.insert((record.country, index), (source, probs, record.weights));
            }
            Some((kept_source, kept, kept_raw)) => {
                if *kept_source == source {
                    report.drop("duplicate (country, question) within one copy");
                    continue;
                }
                overlaps += 1;
                if kept_raw.iter().zip(&record.weights).any(|(a, b)| (a - b).abs() > 1e-9) {
                    raw_disagreements += 1;
                }
                let diff = kept.iter().zip(&probs).map(|(a, b)| (a - b).abs()).fold(0f32, f32::max);
                if diff > 1e-6 {
                    disagreements += 1;
                    largest = largest.max(diff);
                }
            }
        }
    }
    let mut countries: BTreeMap<String, Respondent> = BTreeMap::new();
    for ((country, question), (_, probs, _)) in pairs {
        countries
            .entry(country.clone())
            .or_insert_with(|| Respondent {
                name: country.clone(),
                label: None,
                kind: RespondentKind::Group,
                attributes: vec![("country".into(), country)],
                answers: Vec::new(),
            })
            .answers
            .push(Answer { question, probs });
    }
    let mut respondents: Vec<Respondent> = countries.into_values().collect();
    for respondent in &mut respondents {
        respondent.answers.sort_by_key(|a| a.question);
    }
    report.drop_many("(country, question) in both copies: the GlobalOpinionBench copy is kept", overlaps);
    report.note(format!(
        "merged {BENCH_FILE} and {PLURALISM_FILE}: {overlaps} (country, question) pairs in both; \
         {raw_disagreements} of them differ as stored, {disagreements} after renormalising \
         (largest difference {largest:.2e}); the GlobalOpinionBench copy is kept"
    ));
    Ok(Survey { info: Task::Goqa.info(), questions, respondents, report })
}

/// A kept (country, question) distribution: its source copy, probabilities and raw weights.
type Kept = (u8, Vec<f32>, Vec<f64>);

fn options_as_text<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    let values: Vec<serde_json::Value> = Deserialize::deserialize(deserializer)?;
    values
        .into_iter()
        .map(|value| match value {
            serde_json::Value::String(text) => Ok(text),
            serde_json::Value::Number(number) => Ok(match number.as_f64() {
                Some(x) if x.fract() == 0.0 && x.abs() < 1e15 => format!("{}", x as i64),
                _ => number.to_string(),
            }),
            other => Err(serde::de::Error::custom(format!("an option is neither text nor a number: {other}"))),
        })
        .collect()
}

fn trim_all(options: Vec<String>) -> Vec<String> {
    options.into_iter().map(|o| o.trim().to_string()).collect()
}

fn check_lengths(path: &Path, index: usize, who: &str, options: usize, probs: usize) -> Result<(), DataError> {
    if options != probs {
        return Err(DataError::field(
            path,
            format!("record {index} ({who})"),
            format!("{options} options but {probs} probabilities"),
        ));
    }
    Ok(())
}
