//! Answers kept by two tabs of the page at once: a save merges this page's answers into what is
//! stored now (another tab may have written since), and another tab's change reaches this page's
//! answers without undoing what this page has not saved. Records this page cannot use are kept.

use crate::records::AnswerRecord;

/// `records` with `key`'s record replaced by `record` (removed with `None`; added at the end
/// when it was not there); every other record as it was.
pub fn with_change(records: &[AnswerRecord], key: &str, record: Option<AnswerRecord>) -> Vec<AnswerRecord> {
    let mut changed: Vec<AnswerRecord> = Vec::with_capacity(records.len() + 1);
    let mut record = record;
    for old in records {
        if old.question != key {
            changed.push(old.clone());
        } else if let Some(new) = record.take() {
            changed.push(new);
        }
    }
    changed.extend(record);
    changed
}

/// What to store when this page saves its answers `mine` over the `stored` entry (which another
/// tab may have written since): every record of `mine` replaces the stored one of its question,
/// `forgotten` is removed, and every other stored record stays — another tab's answers, and
/// records this page cannot use.
pub fn merge(stored: &[AnswerRecord], mine: &[AnswerRecord], forgotten: Option<&str>) -> Vec<AnswerRecord> {
    let mut merged = stored.to_vec();
    for record in mine {
        merged = with_change(&merged, &record.question, Some(record.clone()));
    }
    if let Some(key) = forgotten {
        merged = with_change(&merged, key, None);
    }
    merged
}

/// This page's answers `mine` after another tab changed the stored entry from `old` to `new`:
/// each question whose record changed takes the new record (or is forgotten); the others keep
/// this page's, including answers this page could not save.
pub fn apply_changes(mine: &[AnswerRecord], old: &[AnswerRecord], new: &[AnswerRecord]) -> Vec<AnswerRecord> {
    let find = |records: &[AnswerRecord], key: &str| records.iter().find(|r| r.question == key).cloned();
    let mut result = mine.to_vec();
    let keys = old.iter().chain(new).map(|r| r.question.as_str());
    let mut seen: Vec<&str> = Vec::new();
    for key in keys {
        if seen.contains(&key) {
            continue;
        }
        seen.push(key);
        let after = find(new, key);
        if find(old, key) != after {
            result = with_change(&result, key, after);
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::from_records;
    use crate::view::fixture::view;

    fn record(question: &str, option: Option<usize>) -> AnswerRecord {
        AnswerRecord { question: question.into(), option, question_text: None, option_text: None, predicted: None }
    }

    #[test]
    fn a_save_keeps_every_other_stored_record() {
        // Stored by another tab: q1 and q2, and a record for a question this survey lacks.
        let stored = vec![record("q1", Some(0)), record("gone", Some(1)), record("q2", None)];
        // This tab changed q2 and answered q3 without having seen the other tab's q1.
        let mine = vec![record("q2", Some(1)), record("q3", Some(1))];
        let merged = merge(&stored, &mine, None);
        assert_eq!(
            merged,
            vec![record("q1", Some(0)), record("gone", Some(1)), record("q2", Some(1)), record("q3", Some(1))]
        );
        // Forgetting removes the stored record, mine or not; forgetting what is not there changes nothing.
        let forgotten = merge(&merged, &mine, Some("q1"));
        assert_eq!(forgotten, merged[1..].to_vec());
        assert_eq!(merge(&forgotten, &mine, Some("q9")), forgotten);
        // The merged records read back: both tabs' answers, and the unusable record still reported.
        let view = view();
        let checked = from_records(&view, &merged);
        assert_eq!(checked.used, 3);
        assert_eq!(checked.problems.len(), 1);
    }

    #[test]
    fn another_tabs_change_reaches_this_tabs_answers_and_nothing_else() {
        // This tab: q1 (saved), q3 (not saved: storage was full).
        let mine = vec![record("q1", Some(0)), record("q3", Some(1))];
        // The other tab answered q2 and forgot q1.
        let old = vec![record("q1", Some(0))];
        let new = vec![record("q2", Some(1))];
        assert_eq!(apply_changes(&mine, &old, &new), vec![record("q3", Some(1)), record("q2", Some(1))]);
        // The other tab changed q3 too: its newer answer wins.
        let new = vec![record("q2", Some(1)), record("q3", Some(0))];
        assert_eq!(apply_changes(&mine, &old, &new), vec![record("q3", Some(0)), record("q2", Some(1))]);
        // Nothing changed: this tab's answers as they are.
        assert_eq!(apply_changes(&mine, &old, &old), mine);
    }
}
