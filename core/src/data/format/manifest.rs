//! `survey.json`: what the survey is, who answered it and how it is scored.

use serde::{Deserialize, Serialize};

use crate::data::{ContextOrder, RespondentKind, Scoring, SurveyInfo};

/// The files of a survey folder: this manifest, and the tables it describes.
pub const MANIFEST_FILE: &str = "survey.json";
pub const QUESTIONS_FILE: &str = "questions.csv";
pub const ANSWERS_FILE: &str = "answers.csv";
pub const RESPONDENTS_FILE: &str = "respondents.csv";

/// The version every `survey.json` names in its `format` field.
pub const FORMAT_VERSION: &str = "gpo-survey/1";

/// Whether the answers are groups' distributions or individual people's answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RespondentsDeclared {
    Groups,
    People,
}

impl RespondentsDeclared {
    pub fn kind(self) -> RespondentKind {
        match self {
            RespondentsDeclared::Groups => RespondentKind::Group,
            RespondentsDeclared::People => RespondentKind::Person,
        }
    }

    pub fn of(kind: RespondentKind) -> Self {
        match kind {
            RespondentKind::Group => RespondentsDeclared::Groups,
            RespondentKind::Person => RespondentsDeclared::People,
        }
    }
}

/// The contents of `survey.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Always [`FORMAT_VERSION`].
    pub format: String,
    /// Letters, digits, `-` and `_`: used in file and model names.
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub description: String,
    pub respondents: RespondentsDeclared,
    /// Default: `accuracy` for people, `wasserstein` when every option has a value, else
    /// `jensen-shannon`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metric: Option<Scoring>,
    /// Default: `own`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<ContextOrder>,
}

impl Manifest {
    pub fn of(info: &SurveyInfo) -> Self {
        Self {
            format: FORMAT_VERSION.into(),
            id: info.id.clone(),
            title: info.title.clone(),
            description: info.description.clone(),
            respondents: RespondentsDeclared::of(info.kind),
            metric: Some(info.scoring),
            context: Some(info.context_order),
        }
    }

    /// What is wrong with the fields, as (field, message).
    pub fn problems(&self) -> Vec<(&'static str, String)> {
        let mut problems = Vec::new();
        if self.format != FORMAT_VERSION {
            problems.push(("format", format!("is '{}'; this gpo reads '{FORMAT_VERSION}'", self.format)));
        }
        let id_ok = !self.id.is_empty()
            && self.id.len() <= 64
            && self.id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !id_ok {
            problems.push(("id", format!("'{}' must be 1–64 letters, digits, '-' or '_'", self.id)));
        }
        if self.title.trim().is_empty() {
            problems.push(("title", "is empty".into()));
        }
        if self.respondents == RespondentsDeclared::Groups && self.metric == Some(Scoring::Accuracy) {
            problems
                .push(("metric", "accuracy scores people's chosen options; groups are scored by a distance".into()));
        }
        problems
    }
}
