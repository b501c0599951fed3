//! The canonical in-memory survey: questions, and respondents (groups or people) with a
//! probability distribution over options for each question they answered.

use serde::{Deserialize, Serialize};

/// The paper's three tasks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Task {
    /// OpinionQA: US demographic groups (Pew American Trends Panel).
    #[serde(rename = "oqa")]
    Oqa,
    /// GlobalOpinionQA: countries.
    #[serde(rename = "goqa")]
    Goqa,
    /// Global Dialogues round 4: individual people.
    #[serde(rename = "gd4")]
    Gd4,
}

impl Task {
    pub const ALL: [Task; 3] = [Task::Oqa, Task::Goqa, Task::Gd4];

    pub fn id(self) -> &'static str {
        match self {
            Task::Oqa => "oqa",
            Task::Goqa => "goqa",
            Task::Gd4 => "gd4",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Task::Oqa => "OpinionQA (US groups)",
            Task::Goqa => "GlobalOpinionQA (countries)",
            Task::Gd4 => "Global Dialogues GD4 (individuals)",
        }
    }

    pub fn parse(text: &str) -> Option<Task> {
        Task::ALL.into_iter().find(|task| task.id() == text)
    }

    /// What the task's survey declares: kind of respondents, metric, context order.
    pub fn info(self) -> SurveyInfo {
        let (kind, scoring, context_order, description) = match self {
            Task::Oqa => (
                RespondentKind::Group,
                Scoring::Wasserstein,
                ContextOrder::Shared,
                "Pew American Trends Panel waves as released with OpinionQA (Santurkar et al. 2023): answer distributions of US demographic groups.",
            ),
            Task::Goqa => (
                RespondentKind::Group,
                Scoring::JensenShannon,
                ContextOrder::Own,
                "GlobalOpinionQA (Durmus et al. 2023): Pew Global Attitudes and World Values Survey answer distributions of countries.",
            ),
            Task::Gd4 => (
                RespondentKind::Person,
                Scoring::Accuracy,
                ContextOrder::Own,
                "Global Dialogues round 4 (Collective Intelligence Project): each participant's own answers.",
            ),
        };
        SurveyInfo {
            id: self.id().into(),
            title: self.title().into(),
            description: description.into(),
            kind,
            scoring,
            context_order,
        }
    }
}

/// How a survey is scored (a survey file declares it; it defaults from the data).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scoring {
    /// 1 − WD / maxWD over the options' ordinal values (every question needs them).
    Wasserstein,
    /// 1 − Jensen–Shannon distance (unordered options).
    JensenShannon,
    /// Accuracy of the most likely option against the chosen one, log-likelihood beside (people).
    Accuracy,
}

impl Scoring {
    pub const ALL: [Scoring; 3] = [Scoring::Wasserstein, Scoring::JensenShannon, Scoring::Accuracy];

    pub fn id(self) -> &'static str {
        match self {
            Scoring::Wasserstein => "wasserstein",
            Scoring::JensenShannon => "jensen-shannon",
            Scoring::Accuracy => "accuracy",
        }
    }

    pub fn parse(text: &str) -> Option<Scoring> {
        Scoring::ALL.into_iter().find(|s| s.id() == text)
    }
}

/// How the protocol picks each scored respondent's context questions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ContextOrder {
    /// One seeded order of all questions; each respondent gets the first it answered, so groups
    /// that answered the same questions share one context set (the paper's OpinionQA protocol).
    Shared,
    /// Each respondent's own seeded order.
    Own,
}

/// What a survey is: its identity, who answered it and how it is scored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SurveyInfo {
    /// Short id used in file and model names (`oqa`, or a survey file's `id`).
    pub id: String,
    pub title: String,
    pub description: String,
    pub kind: RespondentKind,
    pub scoring: Scoring,
    pub context_order: ContextOrder,
}

impl std::fmt::Display for Task {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

/// One survey question with its answer options.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Question {
    /// Stable identifier (the Pew key, or a content hash).
    pub key: String,
    pub text: String,
    pub options: Vec<String>,
    /// The ordinal value of each option, where the source defines one.
    pub ordinals: Option<Vec<f32>>,
}

/// A respondent's distribution over one question's options.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Answer {
    /// Index into `Survey::questions`.
    pub question: usize,
    /// Sums to 1, one entry per option of the question.
    pub probs: Vec<f32>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RespondentKind {
    Group,
    Person,
}

/// A group (OpinionQA, GlobalOpinionQA) or one person (GD4).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Respondent {
    /// Unique name, e.g. `POLPARTY_Republican`, `Germany`, or a participant id.
    pub name: String,
    /// How the page shows it, where a survey file gives one (else the name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    pub kind: RespondentKind,
    /// Demographic attributes, e.g. `("POLPARTY", "Republican")` or `("age", "26-35")`.
    pub attributes: Vec<(String, String)>,
    /// Sorted by question index, one entry per answered question.
    pub answers: Vec<Answer>,
}

impl Respondent {
    pub fn answer(&self, question: usize) -> Option<&Answer> {
        self.answers.binary_search_by_key(&question, |answer| answer.question).ok().map(|index| &self.answers[index])
    }

    pub fn attribute(&self, key: &str) -> Option<&str> {
        self.attributes.iter().find(|(name, _)| name == key).map(|(_, value)| value.as_str())
    }
}

/// What a loader left out, and why: printed by `gpo data stats`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LoadReport {
    /// (reason, count) in the order first seen.
    pub dropped: Vec<(String, usize)>,
    /// Facts about the merge (matches, conflicts) worth reporting.
    pub notes: Vec<String>,
}

impl LoadReport {
    pub fn drop(&mut self, reason: &str) {
        self.drop_many(reason, 1);
    }

    pub fn drop_many(&mut self, reason: &str, count: usize) {
        if count == 0 {
            return;
        }
        match self.dropped.iter_mut().find(|(known, _)| known == reason) {
            Some((_, total)) => *total += count,
            None => self.dropped.push((reason.to_string(), count)),
        }
    }

    pub fn note(&mut self, text: impl Into<String>) {
        self.notes.push(text.into());
    }
}

/// One survey: a built-in task's or one read from a survey folder.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Survey {
    pub info: SurveyInfo,
    pub questions: Vec<Question>,
    pub respondents: Vec<Respondent>,
    pub report: LoadReport,
}

impl Survey {
    pub fn respondent(&self, name: &str) -> Option<&Respondent> {
        self.respondents.iter().find(|r| r.name == name)
    }

    /// Row of each question's first option when options are numbered across the survey;
    /// `offsets[q + 1] - offsets[q]` is question q's option count.
    pub fn option_offsets(&self) -> Vec<usize> {
        let mut offsets = Vec::with_capacity(self.questions.len() + 1);
        offsets.push(0);
        for question in &self.questions {
            offsets.push(offsets.last().unwrap() + question.options.len());
        }
        offsets
    }

    /// Number of (respondent, question) pairs.
    pub fn pairs(&self) -> usize {
        self.respondents.iter().map(|r| r.answers.len()).sum()
    }

    /// Keeps only the named respondents (in the given order); errors on an unknown name.
    pub fn select_respondents(&mut self, names: &[String]) -> Result<(), super::DataError> {
        let mut kept = Vec::with_capacity(names.len());
        for name in names {
            let respondent = self.respondent(name).ok_or_else(|| super::DataError::Selection {
                message: format!("unknown respondent '{name}' in survey {}", self.info.id),
            })?;
            kept.push(respondent.clone());
        }
        self.respondents = kept;
        Ok(())
    }

    /// Keeps only the questions whose key is in `keys`, re-indexing answers; respondents left
    /// with no answer are removed.
    pub fn retain_questions(&mut self, keep: impl Fn(&Question) -> bool) {
        let mut remap = vec![None; self.questions.len()];
        let mut questions = Vec::new();
        for (index, question) in self.questions.drain(..).enumerate() {
            if keep(&question) {
                remap[index] = Some(questions.len());
                questions.push(question);
            }
        }
        self.questions = questions;
        for respondent in &mut self.respondents {
            respondent.answers.retain_mut(|answer| match remap[answer.question] {
                Some(new) => {
                    answer.question = new;
                    true
                }
                None => false,
            });
        }
        self.respondents.retain(|r| !r.answers.is_empty());
    }
}

/// Turns non-negative weights into probabilities; `None` when they sum to zero or are not finite.
pub fn normalise(weights: &[f64]) -> Option<Vec<f32>> {
    let total: f64 = weights.iter().sum();
    if !(total.is_finite() && total > 0.0) || weights.iter().any(|w| *w < 0.0 || !w.is_finite()) {
        return None;
    }
    Some(weights.iter().map(|w| (w / total) as f32).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalise_rejects_zero_and_negative() {
        assert_eq!(normalise(&[1.0, 3.0]), Some(vec![0.25, 0.75]));
        assert_eq!(normalise(&[0.0, 0.0]), None);
        assert_eq!(normalise(&[1.0, -1.0, 2.0]), None);
        assert_eq!(normalise(&[f64::NAN, 1.0]), None);
    }

    #[test]
    fn retain_questions_reindexes_answers() {
        let question = |key: &str| Question {
            key: key.into(),
            text: key.into(),
            options: vec!["a".into(), "b".into()],
            ordinals: None,
        };
        let mut survey = Survey {
            info: Task::Goqa.info(),
            questions: vec![question("q0"), question("q1"), question("q2")],
            respondents: vec![Respondent {
                name: "r".into(),
                label: None,
                kind: RespondentKind::Group,
                attributes: vec![],
                answers: vec![
                    Answer { question: 0, probs: vec![1.0, 0.0] },
                    Answer { question: 2, probs: vec![0.5, 0.5] },
                ],
            }],
            report: LoadReport::default(),
        };
        survey.retain_questions(|q| q.key != "q0");
        assert_eq!(survey.questions.len(), 2);
        assert_eq!(survey.respondents[0].answers, vec![Answer { question: 1, probs: vec![0.5, 0.5] }]);
    }
}
