//! The real survey data loads into the canonical model with the documented counts and rules.

use gpo_core::data::opinionqa::PAPER_GROUPS;
use gpo_core::data::{
    LoadOptions, QuestionSubset, RespondentKind, RespondentSelection, Task, load_task, resolve_data_dir, survey_stats,
};
use gpo_tests::survey;

#[test]
fn opinionqa_groups_questions_and_rules() {
    let s = survey(Task::Oqa);
    let stats = survey_stats(&s);
    assert_eq!(stats.respondents, 39, "34 count-based groups + 5 religion groups");
    assert!(stats.questions >= 684, "{} questions", stats.questions);
    // No refusal and no non-group bucket survives.
    assert!(s.questions.iter().all(|q| !q.options.iter().any(|o| o == "Refused")));
    assert!(
        s.respondents
            .iter()
            .all(|r| !r.name.ends_with("_Refused") && !r.name.ends_with("_nan") && !r.name.ends_with("_Other"))
    );
    // Every distribution is a distribution over the question's options, ordinals present.
    for r in &s.respondents {
        for a in &r.answers {
            let q = &s.questions[a.question];
            assert_eq!(a.probs.len(), q.options.len());
            assert!((a.probs.iter().sum::<f32>() - 1.0).abs() < 1e-4);
            assert_eq!(q.ordinals.as_ref().map(Vec::len), Some(q.options.len()));
        }
    }
    for name in PAPER_GROUPS {
        assert!(s.respondent(name).is_some(), "paper group {name} addressable");
    }
    assert!(stats.dropped.iter().any(|(reason, n)| reason.contains("zero counts") && *n > 0));
}

#[test]
fn opinionqa_subsets_select() {
    let dir = resolve_data_dir(None).unwrap();
    let options = LoadOptions { questions: QuestionSubset::Disagreement500, respondents: RespondentSelection::Paper22 };
    let s = load_task(Task::Oqa, &dir, &options).unwrap();
    assert_eq!(s.respondents.len(), 22);
    assert!(s.questions.len() > 250 && s.questions.len() <= 500, "{}", s.questions.len());
    let bad =
        LoadOptions { respondents: RespondentSelection::Named(vec!["NO_SUCH_GROUP".into()]), ..Default::default() };
    let err = load_task(Task::Oqa, &dir, &bad).unwrap_err().to_string();
    assert!(err.contains("NO_SUCH_GROUP"), "{err}");
}

#[test]
fn globalopinionqa_countries_merge() {
    let s = survey(Task::Goqa);
    assert!(s.respondents.len() >= 120, "{}", s.respondents.len());
    assert!(s.respondent("Germany").is_some() && s.respondent("United States").is_some());
    assert!(s.report.notes.iter().any(|n| n.contains("pairs in both")));
    // Numeric scale options were read as text.
    assert!(s.questions.iter().any(|q| q.options.iter().any(|o| o == "5")));
}

#[test]
fn global_dialogues_individuals_are_one_hot() {
    let s = survey(Task::Gd4);
    assert_eq!(s.respondents.len(), 600);
    assert!((100..=200).contains(&s.questions.len()), "{}", s.questions.len());
    for r in &s.respondents {
        assert_eq!(r.kind, RespondentKind::Person);
        assert!(r.attribute("age").is_some() || r.answers.len() < 10);
        for a in &r.answers {
            assert_eq!(a.probs.iter().filter(|p| **p == 1.0).count(), 1);
        }
    }
}

#[test]
fn a_missing_data_folder_is_one_clear_error() {
    let err = load_task(Task::Gd4, std::path::Path::new("/nonexistent/data"), &LoadOptions::default()).unwrap_err();
    assert!(err.to_string().contains("/nonexistent/data/global-dialogues/GD4_participants.csv"), "{err}");
}
