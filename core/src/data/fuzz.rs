//! Generated bad corpora (issue 14): small files shaped like the real OpinionQA, GlobalOpinionQA
//! and Global Dialogues exports, written to a scratch data folder with one file edited (cut, a
//! separator, quote, number or odd character put anywhere, a line repeated, bits flipped). The
//! property: the task loads into a survey GPO can use, or one error names the file — never a
//! panic. `GPO_FUZZ_CASES` sets the cases.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use proptest::prelude::*;

use super::{LoadOptions, Survey, Task, load_task};
use crate::util::fuzz::cases;
use crate::util::fuzz::edits::{TextEdit, apply_text, text_edit};

/// What every reader of a survey relies on: at least two options a question, every answer a
/// finite distribution over its question's options.
pub(crate) fn check_usable(survey: &Survey) -> Result<(), TestCaseError> {
    for question in &survey.questions {
        prop_assert!(question.options.len() >= 2, "{question:?}");
        if let Some(ordinals) = &question.ordinals {
            prop_assert_eq!(ordinals.len(), question.options.len());
            prop_assert!(ordinals.iter().all(|v| v.is_finite()), "{ordinals:?}");
        }
    }
    for respondent in &survey.respondents {
        for answer in &respondent.answers {
            prop_assert!(answer.question < survey.questions.len(), "{answer:?}");
            let options = survey.questions[answer.question].options.len();
            prop_assert_eq!(answer.probs.len(), options);
            prop_assert!(answer.probs.iter().all(|p| p.is_finite() && *p >= 0.0), "{:?}", answer.probs);
            let total: f32 = answer.probs.iter().sum();
            prop_assert!((total - 1.0).abs() < 1e-3, "{:?} sums to {total}", answer.probs);
        }
    }
    Ok(())
}

const WAVE: &str = "opinionqa/human_resp/American_Trends_Panel_W26";
const INFO: &str = ",key,option_mapping,question,references,option_ordinal\n\
0,SAFE_W26,\"{1.0: 'Very safe', 2.0: 'Not safe', 99.0: 'Refused'}\",\"How safe, if at all, is your community?\",\"['Very safe', 'Not safe', 'Refused']\",\"[1.0, 2.0]\"\n\
1,GUN_W26,\"{1.0: 'Yes', 2.0: 'No', 3.0: 'Not sure'}\",Do you own a gun?,\"['Yes', 'No', 'Not sure', 'Refused']\",\"[1.0, 2.0]\"\n\
2,WORK_W26,{},Do you work?,\"['Yes', 'No']\",\"[1.0, 2.0]\"\n";
const COUNTS: &str = r#"{"SAFE_W26": {"MC_options": ["Very safe", "Not safe", "Refused"], "question_text": "How safe, if at all, is your community?", "A": {"Very safe": 12.0, "Not safe": 3.0, "Refused": 1.0}, "B": {"Very safe": 4.0, "not safe": 9.0}, "nan": {}}, "GUN_W26": {"MC_options": ["Yes", "No", "Not sure", "Refused"], "question_text": "Do you own a gun?", "A": {"Yes": 2.0, "No": 5.0, "Not sure": 1.0}, "B": {"Yes": 0.0, "No": 0.0}}}"#;
const RELIGION: &str = r#"[{"question": "Question: Do you work?\nOptions: A. Yes B. No\nAnswer:", "options": ["Yes", "No"], "attribute": "RELIG_Jewish", "gold_distribution": [0.25, 0.75]}, {"question": "Question: How safe, if at all, is your community?\nOptions: A. Very safe B. Not safe\nAnswer:", "options": ["Very safe", "Not safe"], "attribute": "RELIG_Hindu", "gold_distribution": [0.5, 0.5]}, {"question": "Question: Unknown?\nOptions: A. x B. y\nAnswer:", "options": ["x", "y"], "attribute": "RELIG_Jewish", "gold_distribution": [1.0, 0.0]}]"#;
const BENCH: &str = r#"[{"country": "France", "question": "How much confidence?\n\nThe police", "options": ["A great deal", "None at all"], "distribution": [0.4, 0.6]}, {"country": "Japan", "question": "How much confidence?\n\nThe police", "options": ["A great deal", "None at all"], "distribution": [0.7, 0.3]}, {"country": "Japan", "question": "Scale?", "options": [1.0, 2.0, 3.0], "distribution": [0.2, 0.3, 0.5]}]"#;
const PLURALISM: &str = r#"[{"question": "Question: How much confidence? The police\nOptions: A. A great deal B. None at all\nAnswer:", "options": ["A great deal", "None at all"], "attribute": "France", "gold_distribution": [0.4, 0.6]}, {"question": "Question: Is it fair?\nOptions: A. Yes B. No\nAnswer:", "options": ["Yes", "No"], "attribute": "Kenya", "gold_distribution": [0.9, 0.1]}]"#;
const GD4: &str = "\"\"\n\
\"\",\"Participant Id\",\"Please select your preferred language:\",\"How old are you?\",\"What is your gender?\",\"What best describes where you live?\",\"What religious group or faith do you most identify with?\",\"What country or region do you most identify with?\",\"Is AI good?\",\"Which tools? - Chat\",\"Which tools? - Search\",\"Why? (English)\"\n\
0,p1,English,18-25,Male,Urban,None,France,Yes,Chat,,Because\n\
1,p2,English,26-35,Female,Rural,Other,Kenya,No,,Search,No reason\n\
2,p3,French,36-45,Female,--,None,France,Yes,Chat,Search,\"Well, yes\"\n";

/// Each task's files (path under the data folder, text).
fn corpus(task: Task) -> Vec<(String, &'static str)> {
    let attribute = |a: &str| format!("{WAVE}/{a}_data.json");
    match task {
        Task::Oqa => {
            let mut files = vec![(format!("{WAVE}/info.csv"), INFO)];
            files.extend(super::opinionqa::ATTRIBUTES.iter().map(|a| (attribute(a), COUNTS)));
            files.push((format!("opinionqa/{}", super::religion::RELIGION_FILE), RELIGION));
            files
        }
        Task::Goqa => vec![
            (format!("globalopinionqa/{}", super::goqa::BENCH_FILE), BENCH),
            (format!("globalopinionqa/{}", super::goqa::PLURALISM_FILE), PLURALISM),
        ],
        Task::Gd4 => vec![(format!("global-dialogues/{}", super::gd4::GD4_FILE), GD4)],
    }
}

/// A data folder with `task`'s files, the `which`-th (modulo their number) edited.
fn write_corpus(task: Task, which: usize, edits: &[TextEdit]) -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("gpo-corpus-fuzz-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let files = corpus(task);
    let which = which % files.len();
    for (i, (name, text)) in files.iter().enumerate() {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let mut bytes = text.as_bytes().to_vec();
        if i == which {
            for edit in edits {
                apply_text(&mut bytes, edit);
            }
        }
        std::fs::write(&path, bytes).unwrap();
    }
    dir
}

fn loads_or_names_a_file(task: Task, dir: &Path) -> Result<(), TestCaseError> {
    let loaded = load_task(task, dir, &LoadOptions::default());
    match loaded {
        Ok(survey) => check_usable(&survey)?,
        Err(e) => {
            let shown = e.to_string();
            prop_assert!(shown.contains(&dir.display().to_string()), "the error names no file: {shown}");
        }
    }
    Ok(())
}

fn task() -> impl Strategy<Value = Task> {
    prop_oneof![Just(Task::Oqa), Just(Task::Goqa), Just(Task::Gd4)]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(300), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn an_edited_corpus_loads_or_names_its_file(
        task in task(),
        which in any::<usize>(),
        edits in proptest::collection::vec(text_edit(), 1..4),
    ) {
        let dir = write_corpus(task, which, &edits);
        let result = loads_or_names_a_file(task, &dir);
        std::fs::remove_dir_all(&dir).unwrap();
        result?;
    }
}

#[test]
fn the_unedited_corpora_load() {
    for task in [Task::Oqa, Task::Goqa, Task::Gd4] {
        let dir = write_corpus(task, 0, &[]);
        let survey = load_task(task, &dir, &LoadOptions::default()).unwrap_or_else(|e| panic!("{task:?}: {e}"));
        std::fs::remove_dir_all(&dir).unwrap();
        check_usable(&survey).unwrap();
        assert!(survey.questions.len() >= 2 && survey.respondents.len() >= 2, "{task:?}: {survey:?}");
    }
}
