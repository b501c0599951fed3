//! `gpo data stats`.

use gpo_core::data::survey_stats;

use crate::cli::{Common, DataArgs, DataCommand};

pub fn run(common: &Common, args: DataArgs) -> anyhow::Result<()> {
    match args.command {
        DataCommand::Stats { task, selection, json } => {
            let mut all = Vec::new();
            for task in task.tasks() {
                let survey = crate::cli::load(common, task, &selection)?;
                all.push(survey_stats(&survey));
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
        DataCommand::Dump { task, selection } => {
            for task in task.tasks() {
                let survey = crate::cli::load(common, task, &selection)?;
                println!("{}", serde_json::to_string(&survey)?);
            }
            Ok(())
        }
    }
}
