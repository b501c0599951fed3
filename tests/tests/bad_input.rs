//! Malformed data gives one clear error that names the file and the line or record.

use std::path::{Path, PathBuf};

use gpo_core::data::{LoadOptions, Task, load_task};

fn temp_data(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("gpo-bad-input-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("global-dialogues")).unwrap();
    std::fs::create_dir_all(dir.join("globalopinionqa")).unwrap();
    dir
}

fn write(dir: &Path, file: &str, text: &str) {
    std::fs::write(dir.join(file), text).unwrap();
}

#[test]
fn gd4_row_with_the_wrong_number_of_cells() {
    let dir = temp_data("gd4");
    let header = "\"\",\"Participant Id\",\"Please select your preferred language:\",\"How old are you?\",\"What is your gender?\",\"What best describes where you live?\",\"What religious group or faith do you most identify with?\",\"What country or region do you most identify with?\",\"Q?\"";
    write(
        &dir,
        "global-dialogues/GD4_participants.csv",
        &format!("\"\"\n{header}\n,p1,English,18-25,Male,Urban,None,France,Yes\n,p2,English,18-25\n"),
    );
    let err = load_task(Task::Gd4, &dir, &LoadOptions::default()).unwrap_err().to_string();
    assert!(err.contains("GD4_participants.csv") && err.contains("line 4"), "{err}");
}

#[test]
fn goqa_record_with_mismatched_probabilities() {
    let dir = temp_data("goqa");
    write(
        &dir,
        "globalopinionqa/globalopinionbench_eval.json",
        r#"[{"country": "France", "question": "Q?", "options": ["a", "b"], "distribution": [1.0]}]"#,
    );
    write(&dir, "globalopinionqa/modular_pluralism_goqa.json", "[]");
    let err = load_task(Task::Goqa, &dir, &LoadOptions::default()).unwrap_err().to_string();
    assert!(
        err.contains("globalopinionbench_eval.json")
            && err.contains("record 0 (France)")
            && err.contains("2 options but 1 probabilities"),
        "{err}"
    );
}

#[test]
fn goqa_invalid_json_names_line_and_column() {
    let dir = temp_data("json");
    write(&dir, "globalopinionqa/globalopinionbench_eval.json", "[{\"country\": \"France\",\n \"question\": }]");
    write(&dir, "globalopinionqa/modular_pluralism_goqa.json", "[]");
    let err = load_task(Task::Goqa, &dir, &LoadOptions::default()).unwrap_err().to_string();
    assert!(err.contains("globalopinionbench_eval.json") && err.contains("line 2"), "{err}");
}

#[test]
fn goqa_zero_distribution_is_skipped_and_counted() {
    let dir = temp_data("zero");
    write(
        &dir,
        "globalopinionqa/globalopinionbench_eval.json",
        r#"[{"country": "France", "question": "Q?", "options": ["a", "b"], "distribution": [0.0, 0.0]},
            {"country": "Spain", "question": "Q?", "options": ["a", "b"], "distribution": [0.2, 0.6]}]"#,
    );
    write(&dir, "globalopinionqa/modular_pluralism_goqa.json", "[]");
    let survey = load_task(Task::Goqa, &dir, &LoadOptions::default()).unwrap();
    assert_eq!(survey.respondents.len(), 1);
    assert_eq!(survey.respondents[0].answers[0].probs, vec![0.25, 0.75]);
    assert!(survey.report.dropped.iter().any(|(r, n)| r.contains("sums to zero") && *n == 1));
}
