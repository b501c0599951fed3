//! Generated bad survey folders (issue 14): a valid folder whose files are edited (cut, a
//! separator, quote, number or odd character put anywhere, a line repeated, bits flipped into
//! invalid UTF-8). The property: the folder reads, and what it reads is a survey GPO can use
//! (every question with options, every answer a finite distribution over them); or every
//! problem names its file — never a panic. `GPO_FUZZ_CASES` sets the cases.

use proptest::prelude::*;

use super::{ANSWERS_FILE, MANIFEST_FILE, QUESTIONS_FILE, RESPONDENTS_FILE, check_survey};
use crate::util::fuzz::cases;

const MANIFEST: &str = r#"{"format": "gpo-survey/1", "id": "climate", "title": "Climate poll", "respondents": "groups", "metric": "wasserstein"}"#;
const QUESTIONS: &str = "question,text,option,value\nheat,How worried are you?,Very,1\nheat,,Somewhat,2\nheat,,Not at all,3\ncars,\"Ban cars, downtown?\",Yes,1\ncars,,No,2\n";
const ANSWERS: &str = "respondent,question,option,weight\nyoung,heat,Very,30\nyoung,heat,Somewhat,10\nyoung,cars,Yes,0.5\nyoung,cars,No,0.5\nold,heat,Not at all,1\n";
const RESPONDENTS: &str = "respondent,label,age\nyoung,Under 30,18-29\nold,Over 65,65+\n";

fn piece() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        Just(b",".to_vec()),
        Just(b"\"".to_vec()),
        Just(b"\n".to_vec()),
        Just(b"\r\n".to_vec()),
        Just(b"-1".to_vec()),
        Just(b"1e400".to_vec()),
        Just(b"NaN".to_vec()),
        Just(b"inf".to_vec()),
        Just(b"18446744073709551616".to_vec()),
        Just(b"0".to_vec()),
        Just(b"{".to_vec()),
        Just(b"null".to_vec()),
        Just(vec![0xff, 0xfe]),
        Just("\u{feff}".as_bytes().to_vec()),
        Just("é👍".as_bytes().to_vec()),
        proptest::collection::vec(any::<u8>(), 0..6),
    ]
}

#[derive(Clone, Debug)]
enum Edit {
    Cut(usize),
    Put(usize, Vec<u8>),
    RepeatLine(usize),
    Flip(usize, u8),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        1 => any::<usize>().prop_map(Edit::Cut),
        4 => (any::<usize>(), piece()).prop_map(|(at, p)| Edit::Put(at, p)),
        2 => any::<usize>().prop_map(Edit::RepeatLine),
        1 => (any::<usize>(), any::<u8>()).prop_map(|(at, bit)| Edit::Flip(at, bit)),
    ]
}

fn apply(bytes: &mut Vec<u8>, edit: &Edit) {
    let at = |i: usize| i % (bytes.len() + 1);
    match edit {
        Edit::Cut(i) => bytes.truncate(at(*i)),
        Edit::Put(i, piece) => {
            let i = at(*i);
            bytes.splice(i..i, piece.iter().copied());
        }
        Edit::RepeatLine(i) => {
            let lines: Vec<&[u8]> = bytes.split_inclusive(|&b| b == b'\n').collect();
            if lines.is_empty() {
                return;
            }
            let line = lines[i % lines.len()].to_vec();
            let start: usize = lines[..i % lines.len()].iter().map(|l| l.len()).sum();
            bytes.splice(start..start, line);
        }
        Edit::Flip(i, bit) => {
            if !bytes.is_empty() {
                let i = i % bytes.len();
                bytes[i] ^= 1 << (bit % 8);
            }
        }
    }
}

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
                for question in &survey.questions {
                    prop_assert!(!question.options.is_empty(), "{question:?}");
                }
                for respondent in &survey.respondents {
                    for answer in &respondent.answers {
                        let options = survey.questions[answer.question].options.len();
                        prop_assert_eq!(answer.probs.len(), options);
                        prop_assert!(answer.probs.iter().all(|p| p.is_finite() && *p >= 0.0), "{:?}", answer.probs);
                        let total: f32 = answer.probs.iter().sum();
                        prop_assert!((total - 1.0).abs() < 1e-3, "{:?} sums to {total}", answer.probs);
                    }
                }
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
