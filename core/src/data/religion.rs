//! Religion groups for OpinionQA, from modular pluralism's per-group distributions: their
//! questions are matched to Pew `info.csv` questions by text (whitespace-collapsed, lower-case).

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;

use super::info_row::InfoRow;
use super::{Answer, DataError, Respondent, RespondentKind, Survey, error::read_json, normalise};

pub const RELIGION_FILE: &str = "modular_pluralism_opinionqa_groups.json";

#[derive(Deserialize)]
struct GroupRecord {
    question: String,
    options: Vec<String>,
    attribute: String,
    gold_distribution: Vec<f64>,
}

/// Collapses whitespace and lower-cases, for matching question texts across sources.
pub fn match_key(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// The question inside modular pluralism's `Question: … Options: … Answer:` prompt.
pub fn unwrap_prompt(prompt: &str) -> Option<&str> {
    let rest = prompt.trim_start().strip_prefix("Question:")?;
    let end = rest.rfind("\nOptions:")?;
    Some(rest[..end].trim())
}

/// Adds the `RELIG_*` groups; questions they answered that had no count-based group are added
/// from `info.csv`. Writes the match statistics into the survey's report.
pub fn add_religion_groups(data: &Path, info: &[InfoRow], survey: &mut Survey) -> Result<(), DataError> {
    let path = data.join("opinionqa").join(RELIGION_FILE);
    let records: Vec<GroupRecord> = read_json(&path)?;
    let mut by_text: HashMap<String, Vec<&InfoRow>> = HashMap::new();
    for row in info {
        by_text.entry(match_key(&row.text)).or_default().push(row);
    }
    let mut index_of: HashMap<String, usize> =
        survey.questions.iter().enumerate().map(|(i, q)| (q.key.clone(), i)).collect();
    let (mut matched, mut ambiguous, mut unmatched, mut added) = (0usize, 0usize, 0usize, 0usize);
    let mut groups: Vec<Respondent> = Vec::new();
    for (position, record) in records.iter().enumerate() {
        let where_ = || format!("record {position} ({})", record.attribute);
        let text = unwrap_prompt(&record.question).ok_or_else(|| {
            DataError::field(&path, where_(), "question is not a 'Question: … Options: … Answer:' prompt")
        })?;
        if record.options.len() != record.gold_distribution.len() {
            return Err(DataError::field(
                &path,
                where_(),
                format!("{} options but {} probabilities", record.options.len(), record.gold_distribution.len()),
            ));
        }
        let candidates: Vec<&InfoRow> = by_text
            .get(&match_key(text))
            .map(|rows| rows.iter().copied().filter(|row| row.options.len() == record.options.len()).collect())
            .unwrap_or_default();
        let Some(row) = pick(&candidates, &index_of) else {
            unmatched += 1;
            continue;
        };
        matched += 1;
        if candidates.len() > 1 {
            ambiguous += 1;
        }
        if !record.attribute.starts_with("RELIG_") {
            continue; // the other groups come from the counts
        }
        let index = *index_of.entry(row.key.clone()).or_insert_with(|| {
            survey.questions.push(row.question());
            added += 1;
            survey.questions.len() - 1
        });
        // Keep the ordinal-valued leading options, as for the count-based groups.
        let kept = row.ordinals.len();
        let group = match groups.iter_mut().find(|g| g.name == record.attribute) {
            Some(group) => group,
            None => {
                let value = record.attribute.trim_start_matches("RELIG_").to_string();
                groups.push(Respondent {
                    name: record.attribute.clone(),
                    label: None,
                    kind: RespondentKind::Group,
                    attributes: vec![("RELIG".into(), value)],
                    answers: Vec::new(),
                });
                groups.last_mut().expect("just pushed")
            }
        };
        if group.answer(index).is_some() || group.answers.iter().any(|a| a.question == index) {
            survey.report.drop("duplicate (religion group, question) record");
            continue;
        }
        match normalise(&record.gold_distribution[..kept]) {
            Some(probs) => group.answers.push(Answer { question: index, probs }),
            None => survey.report.drop("(group, question) with zero counts"),
        }
    }
    for group in &mut groups {
        group.answers.sort_by_key(|a| a.question);
    }
    survey.report.note(format!(
        "{RELIGION_FILE}: {} records; {matched} match a Pew question text with the same number of \
         options ({ambiguous} of them several, resolved by preferring a question with counts, then \
         the earliest wave), {unmatched} match none and are skipped; {} religion groups; {added} \
         questions answered only by religion groups added from info.csv",
        records.len(),
        groups.len()
    ));
    survey.report.drop_many("modular pluralism record with no matching Pew question", unmatched);
    survey.respondents.extend(groups);
    Ok(())
}

/// Among matching `info.csv` rows, prefer one already in the survey, then the earliest.
fn pick<'a>(candidates: &[&'a InfoRow], in_survey: &HashMap<String, usize>) -> Option<&'a InfoRow> {
    candidates.iter().find(|row| in_survey.contains_key(&row.key)).or_else(|| candidates.first()).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unwraps_prompts() {
        let prompt = "Question: How safe is it?\nOptions: A. Safe B. Unsafe\nAnswer:";
        assert_eq!(unwrap_prompt(prompt), Some("How safe is it?"));
        assert_eq!(unwrap_prompt("How safe?"), None);
        assert_eq!(match_key("  How   Safe\n is it? "), "how safe is it?");
    }
}
