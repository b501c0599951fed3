//! `gpo`: the command-line tool. The command line (`Cli`, `Command`) is here, each command in its
//! own file; what commands share is in `cli` (the shared arguments), `context`, `records`,
//! `train_settings` and `chart` (no command imports another).

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

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "gpo", version, about = "Group Preference Optimization: few-shot alignment to groups and people")]
pub struct Cli {
    #[command(flatten)]
    pub common: cli::Common,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Inspect the survey data.
    Data(cli::DataArgs),
    /// Baseline alignment scores with the paper's protocol.
    Baselines(cli::BaselinesArgs),
    /// Embed every (question, option) text of a task into the cache.
    Embed(cli::EmbedArgs),
    /// Embeddings of given texts, as JSON.
    Encode(encode::EncodeArgs),
    /// Meta-train GPO on one task, split and seed.
    Train(train::TrainArgs),
    /// Score a trained model on its fold's test respondents, beside the baselines.
    Eval(eval::EvalArgs),
    /// The paper's table: train and evaluate GPO beside every baseline, all splits and seeds.
    Reproduce(reproduce::ReproduceArgs),
    /// Write the bundle the web page loads (surveys, embeddings, trained weights, encoder).
    ExportWeb(export_web::ExportWebArgs),
    /// GPO's predictions from a web bundle for a person's answers (JSON).
    Predict(predict::PredictArgs),
    /// Benchmarks: embedding, training and prediction speed.
    Bench(bench::BenchArgs),
    /// The few-shot curve: score vs number of context questions, GPO and the baselines.
    Curve(curve::CurveArgs),
    /// Most informative next question vs random order, on held-out GD4 individuals.
    Active(active::ActiveArgs),
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Data(args) => data::run(&cli.common, args),
        Command::Baselines(args) => baselines::run(&cli.common, args),
        Command::Embed(args) => embed::run(&cli.common, args),
        Command::Encode(args) => encode::run(&cli.common, args),
        Command::Train(args) => train::run(&cli.common, args),
        Command::Eval(args) => eval::run(&cli.common, args),
        Command::Reproduce(args) => reproduce::run(&cli.common, args),
        Command::ExportWeb(args) => export_web::run(&cli.common, args),
        Command::Predict(args) => predict::run(&cli.common, args),
        Command::Bench(args) => bench::run(&cli.common, args),
        Command::Curve(args) => curve::run(&cli.common, args),
        Command::Active(args) => active::run(&cli.common, args),
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
