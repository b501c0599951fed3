use std::path::{Path, PathBuf};

use super::*;
use crate::data::{Answer, LoadReport, Problem, Question, Respondent, RespondentKind, Scoring, Survey, SurveyInfo};

/// A fresh, empty folder for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("gpo-format-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

const MANIFEST: &str = r#"{
  "format": "gpo-survey/1",
  "id": "climate",
  "title": "Climate poll",
  "respondents": "groups"
}
"#;

const QUESTIONS: &str = "question,text,option,value
heat,How worried are you about heat waves?,Very,1
heat,,Somewhat,2
heat,,Not at all,3
cars,Should cities ban cars downtown?,Yes,1
cars,,No,2
";

const ANSWERS: &str = "respondent,question,option,weight
young,heat,Very,30
young,heat,Somewhat,10
young,cars,Yes,0.5
young,cars,No,0.5
old,heat,Not at all,1
";

/// Writes a survey folder from file texts (`None` leaves the file out).
fn folder(name: &str, files: &[(&str, &[u8])]) -> PathBuf {
    let dir = scratch(name);
    for (file, bytes) in files {
        std::fs::write(dir.join(file), bytes).unwrap();
    }
    dir
}

fn good(name: &str) -> PathBuf {
    folder(
        name,
        &[
            (MANIFEST_FILE, MANIFEST.as_bytes()),
            (QUESTIONS_FILE, QUESTIONS.as_bytes()),
            (ANSWERS_FILE, ANSWERS.as_bytes()),
        ],
    )
}

/// The folder's problems, each as `file:line:field`.
fn problems_of(dir: &Path) -> Vec<(String, u64, String, String)> {
    let problems = check_survey(dir).expect_err("the survey has problems");
    problems
        .into_iter()
        .map(|Problem { path, line, field, message }| {
            (path.file_name().unwrap().to_string_lossy().into_owned(), line, field, message)
        })
        .collect()
}

/// Replaces one file of the good survey and expects exactly one problem at (file, line, field).
fn expect_one(name: &str, file: &str, bytes: &[u8], at: (u64, &str), says: &str) {
    let dir = good(name);
    std::fs::write(dir.join(file), bytes).unwrap();
    let problems = problems_of(&dir);
    assert_eq!(problems.len(), 1, "{problems:?}");
    let (got_file, line, field, message) = &problems[0];
    assert_eq!((got_file.as_str(), *line, field.as_str()), (file, at.0, at.1), "{message}");
    assert!(message.contains(says), "'{message}' should say '{says}'");
    let error = read_survey(&dir).unwrap_err().to_string();
    assert!(error.contains(file) && error.contains(says), "{error}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn reads_a_survey_and_follows_the_metric_from_the_data() {
    let dir = good("reads");
    let survey = read_survey(&dir).unwrap();
    assert_eq!(survey.info.id, "climate");
    assert_eq!(survey.info.scoring, Scoring::Wasserstein, "every option is valued");
    assert_eq!(survey.questions[0].options, ["Very", "Somewhat", "Not at all"]);
    assert_eq!(survey.questions[0].ordinals, Some(vec![1.0, 2.0, 3.0]));
    let young = survey.respondent("young").unwrap();
    assert_eq!(young.answers[0], Answer { question: 0, probs: vec![0.75, 0.25, 0.0] }, "counts are normalised");
    assert_eq!(young.answers[1], Answer { question: 1, probs: vec![0.5, 0.5] }, "shares are kept");
    assert_eq!(survey.respondent("old").unwrap().answers, vec![Answer { question: 0, probs: vec![0.0, 0.0, 1.0] }]);
    let names: Vec<&str> = survey.respondents.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["young", "old"], "respondents in the order first seen");

    std::fs::write(
        dir.join(QUESTIONS_FILE),
        QUESTIONS.replace(",1\n", ",\n").replace(",2\n", ",\n").replace(",3\n", ",\n"),
    )
    .unwrap();
    assert_eq!(read_survey(&dir).unwrap().info.scoring, Scoring::JensenShannon, "unvalued options");
    std::fs::write(dir.join(MANIFEST_FILE), MANIFEST.replace("groups", "people")).unwrap();
    assert_eq!(read_survey(&dir).unwrap().info.scoring, Scoring::Accuracy, "people");
    std::fs::remove_dir_all(dir).unwrap();
}

fn sample_survey() -> Survey {
    let question = |key: &str, options: &[&str], ordinals: Option<Vec<f32>>| Question {
        key: key.into(),
        text: format!("Text of {key}, with a comma and \"quotes\"\nand a second line"),
        options: options.iter().map(|o| o.to_string()).collect(),
        ordinals,
    };
    let respondent = |name: &str, label: Option<&str>, attributes: &[(&str, &str)], answers: Vec<Answer>| Respondent {
        name: name.into(),
        label: label.map(str::to_string),
        kind: RespondentKind::Group,
        attributes: attributes.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        answers,
    };
    Survey {
        info: SurveyInfo {
            id: "sample".into(),
            title: "A sample".into(),
            description: "Made by a test.".into(),
            kind: RespondentKind::Group,
            scoring: Scoring::JensenShannon,
            context_order: crate::data::ContextOrder::Shared,
        },
        questions: vec![
            question("q1", &["a", " b with spaces ", "c"], Some(vec![1.0, 2.5, -3.0])),
            question("q2", &["yes", "no"], None),
        ],
        respondents: vec![
            respondent(
                "g1",
                Some("Group one"),
                &[("AGE", "18-29"), ("SEX", "Female")],
                vec![
                    Answer { question: 0, probs: vec![0.1, 0.2, 0.7] },
                    Answer { question: 1, probs: vec![1.0 / 3.0, 2.0 / 3.0] },
                ],
            ),
            respondent("g2", None, &[("SEX", "Male")], vec![Answer { question: 1, probs: vec![0.0, 1.0] }]),
        ],
        report: LoadReport::default(),
    }
}

#[test]
fn a_written_survey_reads_back_bit_for_bit() {
    let root = scratch("roundtrip");
    let dir = root.join("sample");
    let survey = sample_survey();
    write_survey(&survey, &dir, false).unwrap();
    let back = read_survey(&dir).unwrap();
    assert_eq!(back.info, survey.info);
    assert_eq!(back.questions, survey.questions);
    assert_eq!(back.respondents, survey.respondents);
    let respondents = std::fs::read_to_string(dir.join(RESPONDENTS_FILE)).unwrap();
    assert!(respondents.starts_with("respondent,label,AGE,SEX\n"), "{respondents}");

    let again = write_survey(&survey, &dir, false).unwrap_err().to_string();
    assert!(again.contains("--force"), "{again}");
    write_survey(&survey, &dir, true).unwrap();
    let names: Vec<String> =
        std::fs::read_dir(&root).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert_eq!(names, ["sample"], "no partial or previous folder is left beside it");

    let other = root.join("not-a-survey");
    std::fs::create_dir_all(&other).unwrap();
    std::fs::write(other.join("notes.txt"), "mine").unwrap();
    assert!(write_survey(&survey, &other, true).is_err(), "a folder that is not a survey is never replaced");
    assert_eq!(std::fs::read_to_string(other.join("notes.txt")).unwrap(), "mine");
    std::fs::remove_dir_all(root).unwrap();
}

#[test]
fn a_respondents_file_gives_order_labels_and_attributes() {
    let dir = good("respondents");
    std::fs::write(dir.join(RESPONDENTS_FILE), "respondent,label,AGE\nold,Over 65,65+\nyoung,,18-29\nunseen,,\n")
        .unwrap();
    let survey = read_survey(&dir).unwrap();
    let old = &survey.respondents[0];
    assert_eq!((old.name.as_str(), old.label.as_deref(), old.attribute("AGE")), ("old", Some("Over 65"), Some("65+")));
    assert_eq!(survey.respondents[1].label, None);
    assert_eq!(survey.respondents.len(), 2, "a listed respondent without answers is left out");
    assert_eq!(survey.report.dropped[0].1, 1, "and counted: {:?}", survey.report);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_missing_column_is_named() {
    let answers = ANSWERS.replace("respondent,question,option,weight", "respondent,question,option,wieght");
    expect_one("missing-column", ANSWERS_FILE, answers.as_bytes(), (1, "weight"), "missing column 'weight'");
}

#[test]
fn an_unknown_option_text_is_named() {
    let answers = ANSWERS.replace("young,cars,No,", "young,cars,Nope,");
    expect_one("unknown-option", ANSWERS_FILE, answers.as_bytes(), (5, "option"), "'Nope' is not an option");
    let answers = ANSWERS.replace("young,cars,No,", "young,cars,No ,");
    expect_one("spaced-option", ANSWERS_FILE, answers.as_bytes(), (5, "option"), "differs only in spaces");
}

#[test]
fn an_unknown_question_is_named() {
    let answers = ANSWERS.replace("old,heat,", "old,hot,");
    expect_one("unknown-question", ANSWERS_FILE, answers.as_bytes(), (6, "question"), "unknown question 'hot'");
}

#[test]
fn negative_nan_and_non_numeric_weights_are_named() {
    for (weight, says) in [("-1", "negative"), ("NaN", "NaN"), ("inf", "infinite"), ("lots", "not a number")] {
        let answers = ANSWERS.replace("old,heat,Not at all,1", &format!("old,heat,Not at all,{weight}"));
        expect_one(&format!("weight-{says}"), ANSWERS_FILE, answers.as_bytes(), (6, "weight"), says);
    }
    let answers = ANSWERS.replace("old,heat,Not at all,1", "old,heat,Not at all,0");
    expect_one("weights-zero", ANSWERS_FILE, answers.as_bytes(), (6, "weight"), "sum to 0");
}

#[test]
fn a_question_with_one_option_is_named() {
    let questions = format!("{QUESTIONS}solo,Only one way?,Yes,1\n");
    expect_one("one-option", QUESTIONS_FILE, questions.as_bytes(), (7, "option"), "at least 2");
}

#[test]
fn duplicate_keys_are_named() {
    let questions = format!("{QUESTIONS}heat,Again?,Yes,1\nheat,,No,2\n");
    let dir = good("duplicate-question");
    std::fs::write(dir.join(QUESTIONS_FILE), questions).unwrap();
    let problems = problems_of(&dir);
    assert_eq!((problems[0].0.as_str(), problems[0].1, problems[0].2.as_str()), (QUESTIONS_FILE, 7, "question"));
    assert!(problems[0].3.contains("duplicate key 'heat'"), "{problems:?}");
    assert_eq!(problems.len(), 2, "both stray rows: {problems:?}");
    std::fs::remove_dir_all(dir).unwrap();

    let questions = QUESTIONS.replace("heat,,Not at all,3", "heat,,Very,3");
    expect_one("duplicate-option", QUESTIONS_FILE, questions.as_bytes(), (4, "option"), "duplicate option 'Very'");
    let answers = format!("{ANSWERS}young,heat,Very,2\n");
    expect_one("duplicate-answer", ANSWERS_FILE, answers.as_bytes(), (7, "option"), "already has a weight");
    let respondents = "respondent,AGE\nyoung,18-29\nold,65+\nyoung,30-49\n";
    expect_one(
        "duplicate-respondent",
        RESPONDENTS_FILE,
        respondents.as_bytes(),
        (4, "respondent"),
        "duplicate respondent",
    );
}

#[test]
fn empty_files_are_named() {
    expect_one("empty-answers", ANSWERS_FILE, b"", (0, ""), "is empty");
    expect_one("empty-questions", QUESTIONS_FILE, b"", (0, ""), "is empty");
    expect_one("header-only", ANSWERS_FILE, b"respondent,question,option,weight\n", (0, ""), "has no answers");
    expect_one("empty-manifest", MANIFEST_FILE, b"", (1, ""), "invalid");
}

#[test]
fn a_non_utf8_byte_is_named() {
    let mut answers = ANSWERS.as_bytes().to_vec();
    let at = ANSWERS.find("old,heat").unwrap() + 1;
    answers[at] = 0xE9;
    expect_one("latin1", ANSWERS_FILE, &answers, (6, "respondent"), "not UTF-8");
}

#[test]
fn rows_of_the_wrong_length_and_bad_values_are_named() {
    let answers = format!("{ANSWERS}old,cars,Yes\n");
    expect_one("short-row", ANSWERS_FILE, answers.as_bytes(), (7, ""), "has 3 fields");
    let questions = QUESTIONS.replace("Somewhat,2", "Somewhat,two");
    expect_one("bad-value", QUESTIONS_FILE, questions.as_bytes(), (3, "value"), "not a finite number");
    let questions = QUESTIONS.replace("Somewhat,2", "Somewhat,");
    expect_one("some-values", QUESTIONS_FILE, questions.as_bytes(), (2, "value"), "give all or none");
    let manifest = MANIFEST.replace("gpo-survey/1", "gpo-survey/9");
    expect_one("version", MANIFEST_FILE, manifest.as_bytes(), (2, "format"), "gpo-survey/9");
    let manifest = MANIFEST.replace("\"groups\"", "\"groups\",\n  \"colour\": \"red\"");
    expect_one("unknown-field", MANIFEST_FILE, manifest.as_bytes(), (6, ""), "unknown field `colour`");
}

#[test]
fn every_problem_is_listed_and_a_missing_file_named() {
    let dir =
        folder("many", &[(MANIFEST_FILE, MANIFEST.as_bytes()), (QUESTIONS_FILE, b"question,text,option\nq,Q?,only\n")]);
    let problems = problems_of(&dir);
    let files: Vec<&str> = problems.iter().map(|p| p.0.as_str()).collect();
    assert_eq!(files, [QUESTIONS_FILE], "answers are not checked against broken questions: {problems:?}");
    std::fs::write(dir.join(QUESTIONS_FILE), QUESTIONS).unwrap();
    let problems = problems_of(&dir);
    assert_eq!((problems[0].0.as_str(), problems[0].3.as_str()), (ANSWERS_FILE, "file not found"));
    std::fs::remove_dir_all(dir).unwrap();
}
