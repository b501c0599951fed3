//! `gpo data`: stats, dump, check and import.

use gpo_core::data::format::{check_survey, write_survey};
use gpo_core::data::{LoadOptions, resolve_data_dir, survey_stats};

use crate::cli::{Common, DataArgs, DataCommand, TaskChoice};

pub fn run(common: &Common, args: DataArgs) -> anyhow::Result<()> {
    match args.command {
        DataCommand::Stats { surveys, selection, json } => {
            let mut all = Vec::new();
            for source in surveys.all_or_named() {
                all.push(survey_stats(&source.load(common, &selection)?));
            }
            if json {
                println!("{}", serde_json::to_string_pretty(&all)?);
            } else {
                for stats in all {
                    println!("{stats}");
                }
            }
            Ok(())
        }
        DataCommand::Dump { surveys, selection } => {
            for source in surveys.named()? {
                println!("{}", serde_json::to_string(&source.load(common, &selection)?)?);
            }
            Ok(())
        }
        DataCommand::Check { path, json } => check(&path, json),
        DataCommand::Import { task, out, force } => import(common, task, &out, force),
    }
}

/// Prints every problem of a survey folder (or its summary when it has none); fails on any.
fn check(path: &std::path::Path, json: bool) -> anyhow::Result<()> {
    match check_survey(path) {
        Ok(survey) => {
            let stats = survey_stats(&survey);
            if json {
                println!("{}", serde_json::json!({ "ok": true, "stats": stats }));
            } else {
                println!(
                    "{} is a valid survey ({}, scored by {}).\n{stats}",
                    path.display(),
                    survey.info.id,
                    survey.info.scoring.id()
                );
            }
            Ok(())
        }
        Err(problems) => {
            if json {
                println!("{}", serde_json::json!({ "ok": false, "problems": problems }));
            } else {
                for problem in &problems {
                    println!("{problem}");
                }
            }
            anyhow::bail!("{} problem(s) in {}", problems.len(), path.display())
        }
    }
}

/// Writes built-in tasks as survey folders, from the raw files in the data folder.
fn import(common: &Common, task: TaskChoice, out: &std::path::Path, force: bool) -> anyhow::Result<()> {
    let data = resolve_data_dir(common.data.as_deref())?;
    let tasks = task.tasks();
    for task in &tasks {
        let survey = gpo_core::data::load_task(*task, &data, &LoadOptions::default())?;
        let dir = if tasks.len() == 1 { out.to_path_buf() } else { out.join(task.id()) };
        write_survey(&survey, &dir, force)?;
        eprintln!(
            "{task}: {} questions, {} respondents, {} answers → {}",
            survey.questions.len(),
            survey.respondents.len(),
            survey.pairs(),
            dir.display()
        );
    }
    Ok(())
}
