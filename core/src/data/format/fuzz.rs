//! Generated bad survey folders (issue 14): a valid folder whose files are edited (cut, a
//! separator, quote, number or odd character put anywhere, a line repeated, bits flipped into
//! invalid UTF-8). The property: the folder reads, and what it reads is a survey GPO can use
//! (every question with options, every answer a finite distribution over them); or every
//! problem names its file — never a panic. `GPO_FUZZ_CASES` sets the cases.

use proptest::prelude::*;

use super::{ANSWERS_FILE, MANIFEST_FILE, QUESTIONS_FILE, RESPONDENTS_FILE, check_survey};
use crate::data::fuzz::check_usable;
use crate::util::fuzz::cases;
use crate::util::fuzz::edits::{apply_text as apply, text_edit as edit};

const MANIFEST: &str = r#"{"format": "gpo-survey/1", "id": "climate", "title": "Climate poll", "respondents": "groups", "metric": "wasserstein"}"#;
const QUESTIONS: &str = "question,text,option,value\nheat,How worried are you?,Very,1\nheat,,Somewhat,2\nheat,,Not at all,3\ncars,\"Ban cars, downtown?\",Yes,1\ncars,,No,2\n";
const ANSWERS: &str = "respondent,question,option,weight\nyoung,heat,Very,30\nyoung,heat,Somewhat,10\nyoung,cars,Yes,0.5\nyoung,cars,No,0.5\nold,heat,Not at all,1\n";
const RESPONDENTS: &str = "respondent,label,age\nyoung,Under 30,18-29\nold,Over 65,65+\n";

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(1000), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn an_edited_survey_folder_reads_or_names_its_problems(
        which in 0..4usize,
        edits in proptest::collection::vec(edit(), 1..4),
        with_respondents in any::<bool>(),
    ) {
        let names = [MANIFEST_FILE, QUESTIONS_FILE, ANSWERS_FILE, RESPONDENTS_FILE];
        let mut files: Vec<Vec<u8>> =
            [MANIFEST, QUESTIONS, ANSWERS, RESPONDENTS].iter().map(|t| t.as_bytes().to_vec()).collect();
        for edit in &edits {
            apply(&mut files[which], edit);
        }
        let dir = std::env::temp_dir().join(format!("gpo-format-fuzz-{}-{:?}", std::process::id(), std::thread::current().id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        for (i, (name, bytes)) in names.iter().zip(&files).enumerate() {
            if i < 3 || with_respondents || which == 3 {
                std::fs::write(dir.join(name), bytes).unwrap();
            }
        }
        let read = check_survey(&dir);
        std::fs::remove_dir_all(&dir).unwrap();
        match read {
            Ok(survey) => {
                prop_assert!(!survey.questions.is_empty());
                check_usable(&survey)?;
            }
            Err(problems) => {
                prop_assert!(!problems.is_empty());
                for problem in &problems {
                    prop_assert!(problem.path.starts_with(&dir), "{problem}");
                    prop_assert!(!problem.message.is_empty(), "{problem}");
                }
            }
        }
    }
}
