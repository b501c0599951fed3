//! `gpo data stats`: counts per task.

use serde::Serialize;

use super::Survey;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SurveyStats {
    pub task: String,
    pub questions: usize,
    pub respondents: usize,
    pub pairs: usize,
    pub options_min: usize,
    pub options_median: usize,
    pub options_max: usize,
    pub questions_per_respondent_min: usize,
    pub questions_per_respondent_median: usize,
    pub questions_per_respondent_max: usize,
    pub dropped: Vec<(String, usize)>,
    pub notes: Vec<String>,
}

fn min_median_max(mut values: Vec<usize>) -> (usize, usize, usize) {
    if values.is_empty() {
        return (0, 0, 0);
    }
    values.sort_unstable();
    (values[0], values[values.len() / 2], values[values.len() - 1])
}

pub fn survey_stats(survey: &Survey) -> SurveyStats {
    let (options_min, options_median, options_max) =
        min_median_max(survey.questions.iter().map(|q| q.options.len()).collect());
    let (qmin, qmed, qmax) = min_median_max(survey.respondents.iter().map(|r| r.answers.len()).collect());
    SurveyStats {
        task: survey.info.id.clone(),
        questions: survey.questions.len(),
        respondents: survey.respondents.len(),
        pairs: survey.pairs(),
        options_min,
        options_median,
        options_max,
        questions_per_respondent_min: qmin,
        questions_per_respondent_median: qmed,
        questions_per_respondent_max: qmax,
        dropped: survey.report.dropped.clone(),
        notes: survey.report.notes.clone(),
    }
}

impl std::fmt::Display for SurveyStats {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "{}", self.task)?;
        writeln!(f, "  questions                     {}", self.questions)?;
        writeln!(f, "  respondents                   {}", self.respondents)?;
        writeln!(f, "  (respondent, question) pairs  {}", self.pairs)?;
        writeln!(
            f,
            "  options per question          min {} / median {} / max {}",
            self.options_min, self.options_median, self.options_max
        )?;
        writeln!(
            f,
            "  questions per respondent      min {} / median {} / max {}",
            self.questions_per_respondent_min, self.questions_per_respondent_median, self.questions_per_respondent_max
        )?;
        if !self.dropped.is_empty() {
            writeln!(f, "  dropped:")?;
            for (reason, count) in &self.dropped {
                writeln!(f, "    {count:>6}  {reason}")?;
            }
        }
        for note in &self.notes {
            writeln!(f, "  note: {note}")?;
        }
        Ok(())
    }
}
