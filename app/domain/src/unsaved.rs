//! What the page could not keep in the browser, and why, as the one sentence the page shows
//! until a later save of the same thing succeeds. What was stored before stays stored.

/// What a failed save of a survey's answers leaves unsaved.
pub fn answers(title: &str) -> String {
    format!("your answers to {title}")
}

/// What a failed save of the person's own questions leaves unsaved.
pub const QUESTIONS: &str = "your own questions (with their embeddings)";

/// Each thing not saved (e.g. "your answers to OpinionQA") with the reason, in the order they
/// first failed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Unsaved {
    items: Vec<(String, String)>,
}

impl Unsaved {
    /// Records the outcome of saving `what`: a failure (with its reason) or a success.
    pub fn record(&mut self, what: &str, failure: Option<String>) {
        match failure {
            Some(why) => match self.items.iter_mut().find(|(w, _)| w == what) {
                Some(item) => item.1 = why,
                None => self.items.push((what.to_string(), why)),
            },
            None => self.items.retain(|(w, _)| w != what),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The notice: what is not saved and why, and what the person can do.
    pub fn sentence(&self) -> Option<String> {
        if self.items.is_empty() {
            return None;
        }
        let items: Vec<String> = self.items.iter().map(|(what, why)| format!("{what} — {why}")).collect();
        Some(format!(
            "Not saved in this browser: {}. What was saved before is unchanged; the rest stays on this page until it is closed or reloaded, so export it to keep it.",
            items.join("; ")
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_sentence_names_each_thing_not_saved_until_it_is_saved() {
        let mut unsaved = Unsaved::default();
        assert_eq!(unsaved.sentence(), None);
        unsaved.record("your answers to A", Some("storage full".into()));
        unsaved.record("your questions", Some("storage full".into()));
        unsaved.record("your answers to A", Some("kept untouched".into()));
        let sentence = unsaved.sentence().unwrap();
        assert!(
            sentence.starts_with(
                "Not saved in this browser: your answers to A — kept untouched; your questions — storage full."
            ),
            "{sentence}"
        );
        unsaved.record("your answers to A", None);
        assert!(!unsaved.sentence().unwrap().contains("answers to A"));
        unsaved.record("your questions", None);
        assert!(unsaved.is_empty());
        assert_eq!(unsaved.sentence(), None);
    }
}
