//! Scoring respondents given from outside the survey (`gpo eval --groups`): they join the
//! survey as meta-test respondents, through the same protocol as the fold's own.
//!
//! A given respondent named like one of the fold's test respondents takes its place (same
//! index, hence the same context draw): a model's own test respondents given back score exactly
//! what `gpo eval` reports. A name of a training or validation respondent is refused (scoring it
//! would not be few-shot); any other name is appended.

use crate::data::{Respondent, Survey};
use crate::protocol::Split;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum NewGroupsError {
    #[error(
        "'{name}' is one of the model's {part} respondents: scoring it would not be few-shot (rename it to score it as a new group)"
    )]
    Seen { name: String, part: &'static str },
    #[error("no respondents given")]
    Empty,
}

/// Where the given respondents went.
#[derive(Clone, Debug, PartialEq)]
pub struct NewGroups {
    /// The respondents to score, in the order given.
    pub test: Vec<usize>,
    /// How many took the place of a test respondent of the same name.
    pub replaced: usize,
}

/// Adds `given` to `survey` as test respondents of `split` (see the module docs).
pub fn add_groups(survey: &mut Survey, split: &Split, given: Vec<Respondent>) -> Result<NewGroups, NewGroupsError> {
    if given.is_empty() {
        return Err(NewGroupsError::Empty);
    }
    let mut test = Vec::with_capacity(given.len());
    let mut replaced = 0;
    for respondent in given {
        let index = survey.respondents.iter().position(|r| r.name == respondent.name);
        match index {
            Some(i) if split.test.contains(&i) => {
                let old = &mut survey.respondents[i];
                // The survey's own attributes and label stay when the file gives none.
                let attributes = if respondent.attributes.is_empty() {
                    std::mem::take(&mut old.attributes)
                } else {
                    respondent.attributes
                };
                let label = respondent.label.or(old.label.take());
                *old = Respondent { attributes, label, ..respondent };
                test.push(i);
                replaced += 1;
            }
            Some(i) => {
                let part = if split.validation.contains(&i) { "validation" } else { "training" };
                return Err(NewGroupsError::Seen { name: respondent.name, part });
            }
            None => {
                test.push(survey.respondents.len());
                survey.respondents.push(respondent);
            }
        }
    }
    Ok(NewGroups { test, replaced })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{Answer, LoadReport, Question, RespondentKind, Task};

    fn respondent(name: &str, p: f32) -> Respondent {
        Respondent {
            name: name.into(),
            label: None,
            kind: RespondentKind::Group,
            attributes: vec![("AGE".into(), name.into())],
            answers: vec![Answer { question: 0, probs: vec![p, 1.0 - p] }],
        }
    }

    fn survey() -> Survey {
        Survey {
            info: Task::Goqa.info(),
            questions: vec![Question {
                key: "q".into(),
                text: "q".into(),
                options: vec!["a".into(), "b".into()],
                ordinals: None,
            }],
            respondents: ["t0", "v0", "x0", "x1"].iter().map(|n| respondent(n, 0.5)).collect(),
            report: LoadReport::default(),
        }
    }

    #[test]
    fn test_respondents_are_replaced_in_place_and_new_ones_appended() {
        let split = Split { train: vec![0], validation: vec![1], test: vec![2, 3] };
        let mut survey = survey();
        let mut given = respondent("x1", 0.9);
        given.attributes.clear();
        let added = add_groups(&mut survey, &split, vec![given, respondent("new", 0.2)]).unwrap();
        assert_eq!(added, NewGroups { test: vec![3, 4], replaced: 1 });
        assert_eq!(survey.respondents[3].answers[0].probs, vec![0.9, 1.0 - 0.9]);
        assert_eq!(survey.respondents[3].attribute("AGE"), Some("x1"), "the survey's attributes stay");
        assert_eq!(survey.respondents[4].name, "new");
    }

    #[test]
    fn training_and_validation_names_are_refused() {
        let split = Split { train: vec![0], validation: vec![1], test: vec![2, 3] };
        for (name, part) in [("t0", "training"), ("v0", "validation")] {
            let error = add_groups(&mut survey(), &split, vec![respondent(name, 0.1)]).unwrap_err();
            assert_eq!(error, NewGroupsError::Seen { name: name.into(), part });
        }
        assert_eq!(add_groups(&mut survey(), &split, vec![]).unwrap_err(), NewGroupsError::Empty);
    }
}
