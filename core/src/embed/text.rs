//! What text is embedded for each (question, option) pair.

use serde::{Deserialize, Serialize};

use crate::data::Question;

/// The text formats GPO's embeddings can be computed from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TextFormat {
    /// The paper's instruction prompt (Alpaca template) with the lettered options and the
    /// chosen option as the response.
    #[serde(rename = "paper")]
    Paper,
    /// The question and the option alone.
    #[serde(rename = "qa")]
    QuestionOption,
}

const ALPACA_HEAD: &str = "Below is an instruction that describes a task, paired with an input that \
provides further context. Write a response that appropriately completes the request.\n\n\
### Instruction:\nAnswer the following question by picking ONE of the given options\n\n### Input:\n";

impl TextFormat {
    pub const ALL: [TextFormat; 2] = [TextFormat::Paper, TextFormat::QuestionOption];

    pub fn id(self) -> &'static str {
        match self {
            TextFormat::Paper => "paper",
            TextFormat::QuestionOption => "qa",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.id() == text)
    }

    /// One text per option of `question`, in option order.
    pub fn option_texts(self, question: &Question) -> Vec<String> {
        self.texts(&question.text, &question.options)
    }

    pub fn texts(self, question: &str, options: &[String]) -> Vec<String> {
        match self {
            TextFormat::Paper => {
                let listed: String = options.iter().enumerate().map(|(i, o)| format!("\n{}. {o}", letter(i))).collect();
                let prompt = format!("{ALPACA_HEAD}{question}\n\nOptions:{listed}\n\n### Response:\n");
                options.iter().enumerate().map(|(i, o)| format!("{prompt}{}. {o}", letter(i))).collect()
            }
            TextFormat::QuestionOption => options.iter().map(|o| format!("{question}\nAnswer: {o}")).collect(),
        }
    }
}

/// A, B, …, Z, then AA, AB, … (no survey here has more than 14 options).
fn letter(index: usize) -> String {
    let mut out = String::new();
    let mut i = index;
    loop {
        out.insert(0, (b'A' + (i % 26) as u8) as char);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paper_prompt_matches_the_reference_template() {
        let texts = TextFormat::Paper.texts("Is it safe?", &["Yes".into(), "No".into()]);
        assert_eq!(
            texts[1],
            "Below is an instruction that describes a task, paired with an input that provides further \
             context. Write a response that appropriately completes the request.\n\n### Instruction:\n\
             Answer the following question by picking ONE of the given options\n\n### Input:\n\
             Is it safe?\n\nOptions:\nA. Yes\nB. No\n\n### Response:\nB. No"
        );
        assert_eq!(TextFormat::QuestionOption.texts("Q?", &["x".into()]), vec!["Q?\nAnswer: x"]);
    }

    #[test]
    fn letters() {
        assert_eq!(letter(0), "A");
        assert_eq!(letter(25), "Z");
        assert_eq!(letter(26), "AA");
    }
}
