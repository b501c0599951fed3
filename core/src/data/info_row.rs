//! One row of an OpinionQA wave's `info.csv`: what its loader (`opinionqa`) reads, and what the
//! religion groups (`religion`) are matched to.

use super::Question;

/// One row of a wave's `info.csv`.
#[derive(Clone, Debug)]
pub struct InfoRow {
    pub key: String,
    pub text: String,
    /// Options without the refusal, in survey order.
    pub options: Vec<String>,
    /// Ordinal values of the leading options (`info.csv` leaves non-scale options unvalued).
    pub ordinals: Vec<f32>,
}

impl InfoRow {
    /// The question as the metric sees it: only options with an ordinal value.
    pub fn question(&self) -> Question {
        Question {
            key: self.key.clone(),
            text: self.text.clone(),
            options: self.options[..self.ordinals.len()].to_vec(),
            ordinals: Some(self.ordinals.clone()),
        }
    }

    pub fn unvalued_options(&self) -> usize {
        self.options.len() - self.ordinals.len()
    }
}
