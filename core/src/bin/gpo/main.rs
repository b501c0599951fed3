//! `gpo`: the command-line tool. Parsing lives in `cli.rs`, each command in its own file; what
//! commands share is in `context`, `records`, `train_settings` and `chart` (no command imports
//! another).

mod active;
mod baselines;
mod bench;
mod chart;
mod cli;
mod context;
mod curve;
mod data;
mod embed;
mod encode;
mod eval;
mod export_web;
mod predict;
mod records;
mod reproduce;
mod train;
mod train_settings;

use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = cli::Cli::parse();
    let result = match cli.command {
        cli::Command::Data(args) => data::run(&cli.common, args),
        cli::Command::Baselines(args) => baselines::run(&cli.common, args),
        cli::Command::Embed(args) => embed::run(&cli.common, args),
        cli::Command::Encode(args) => encode::run(&cli.common, args),
        cli::Command::Train(args) => train::run(&cli.common, args),
        cli::Command::Eval(args) => eval::run(&cli.common, args),
        cli::Command::Reproduce(args) => reproduce::run(&cli.common, args),
        cli::Command::ExportWeb(args) => export_web::run(&cli.common, args),
        cli::Command::Predict(args) => predict::run(&cli.common, args),
        cli::Command::Bench(args) => bench::run(&cli.common, args),
        cli::Command::Curve(args) => curve::run(&cli.common, args),
        cli::Command::Active(args) => active::run(&cli.common, args),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            // One clear message: the error and its causes (each once), no backtrace.
            let mut message = error.to_string();
            for cause in error.chain().skip(1) {
                let cause = cause.to_string();
                if !message.contains(&cause) {
                    message = format!("{message}: {cause}");
                }
            }
            eprintln!("error: {message}");
            std::process::ExitCode::FAILURE
        }
    }
}
