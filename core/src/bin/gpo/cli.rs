//! The command-line arguments that commands share (`Common`, `Selection`, `Surveys`, …), and the
//! small commands' own. The command line itself (`Cli`, `Command`) is in `main.rs`, above every
//! command, so that no command's file and this one import each other.

use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::{Args, Subcommand, ValueEnum};
use gpo_core::data::{LoadOptions, QuestionSubset, RespondentSelection, Task};

#[derive(Args, Clone)]
pub struct Common {
    /// Survey data folder (default: ../shared/data beside the checkout).
    #[arg(long, global = true, env = "GPO_DATA_DIR")]
    pub data: Option<PathBuf>,
    /// Cache folder for embeddings, trained models and bundles (default: <repo>/.cache).
    #[arg(long, global = true, env = "GPO_CACHE_DIR")]
    pub cache: Option<PathBuf>,
    /// all-MiniLM-L6-v2 folder (default: <repo>/.cache/minilm/…/model, see scripts/setup.sh).
    #[arg(long, global = true, env = "GPO_MODEL_DIR")]
    pub model: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq, Debug)]
pub enum DeviceArg {
    Cpu,
    Wgpu,
    Cuda,
}

impl DeviceArg {
    pub fn init(self) -> anyhow::Result<burn::prelude::Device> {
        let choice = match self {
            DeviceArg::Cpu => gpo_core::device::DeviceChoice::Cpu,
            DeviceArg::Wgpu => gpo_core::device::DeviceChoice::Wgpu,
            DeviceArg::Cuda => gpo_core::device::DeviceChoice::Cuda,
        };
        Ok(choice.init()?)
    }
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq, Debug)]
pub enum FormatArg {
    /// The paper's instruction prompt with the lettered options and the chosen one.
    Paper,
    /// Question and option alone.
    Qa,
    All,
}

impl FormatArg {
    pub fn formats(self) -> Vec<gpo_core::embed::TextFormat> {
        use gpo_core::embed::TextFormat;
        match self {
            FormatArg::Paper => vec![TextFormat::Paper],
            FormatArg::Qa => vec![TextFormat::QuestionOption],
            FormatArg::All => TextFormat::ALL.to_vec(),
        }
    }
}

#[derive(Args)]
pub struct EmbedArgs {
    #[command(flatten)]
    pub surveys: Surveys,
    /// Which text to embed per (question, option).
    #[arg(long, default_value = "qa")]
    pub format: FormatArg,
    #[arg(long, default_value = "cpu")]
    pub device: DeviceArg,
    /// Also write the task's embeddings, in survey order, to this file (cache format).
    #[arg(long)]
    pub export: Option<PathBuf>,
    /// Store the exported values as f16.
    #[arg(long)]
    pub f16: bool,
}

#[derive(Args)]
pub struct DataArgs {
    #[command(subcommand)]
    pub command: DataCommand,
}

#[derive(Subcommand)]
pub enum DataCommand {
    /// Per survey: questions, respondents, pairs, options per question, what was dropped and why.
    Stats {
        #[command(flatten)]
        surveys: Surveys,
        #[command(flatten)]
        selection: Selection,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Print a survey's whole canonical form (questions, respondents, answers) as JSON.
    Dump {
        #[command(flatten)]
        surveys: Surveys,
        #[command(flatten)]
        selection: Selection,
    },
    /// Check a survey folder (docs/FORMATS.md): every problem, with file, line and field.
    Check {
        /// The survey folder.
        path: PathBuf,
        /// Print the problems (or the survey's summary) as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Write a built-in task as a survey folder in the gpo survey format.
    Import {
        #[arg(long)]
        task: TaskChoice,
        /// The folder to write (for `--task all`: one folder per task inside it).
        #[arg(long)]
        out: PathBuf,
        /// Replace a survey folder already there.
        #[arg(long)]
        force: bool,
    },
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum TaskChoice {
    Oqa,
    Goqa,
    Gd4,
    All,
}

impl TaskChoice {
    pub fn tasks(self) -> Vec<Task> {
        match self {
            TaskChoice::Oqa => vec![Task::Oqa],
            TaskChoice::Goqa => vec![Task::Goqa],
            TaskChoice::Gd4 => vec![Task::Gd4],
            TaskChoice::All => Task::ALL.to_vec(),
        }
    }
}

/// Which survey a command reads: a built-in task, or a survey folder of one's own.
#[derive(Args, Clone, Default)]
pub struct Surveys {
    /// A built-in task (`all`: the three, where the command takes several).
    #[arg(long, conflicts_with = "survey")]
    pub task: Option<TaskChoice>,
    /// A survey folder in the gpo survey format (docs/FORMATS.md), instead of --task.
    #[arg(long)]
    pub survey: Option<PathBuf>,
}

/// One survey to load.
#[derive(Clone, Debug)]
pub enum SurveySource {
    Task(Task),
    Folder(PathBuf),
}

impl Surveys {
    /// The surveys named; with neither flag, every built-in task.
    pub fn all_or_named(&self) -> Vec<SurveySource> {
        match (&self.survey, self.task) {
            (Some(dir), _) => vec![SurveySource::Folder(dir.clone())],
            (None, task) => task.unwrap_or(TaskChoice::All).tasks().into_iter().map(SurveySource::Task).collect(),
        }
    }

    /// Exactly one survey.
    pub fn one(&self) -> anyhow::Result<SurveySource> {
        match (&self.survey, self.task) {
            (Some(dir), _) => Ok(SurveySource::Folder(dir.clone())),
            (None, Some(choice)) => match choice.tasks()[..] {
                [task] => Ok(SurveySource::Task(task)),
                _ => bail!("--task: one task at a time here"),
            },
            (None, None) => bail!("name the survey: --task oqa|goqa|gd4, or --survey FOLDER"),
        }
    }

    /// The surveys named, at least one flag required.
    pub fn named(&self) -> anyhow::Result<Vec<SurveySource>> {
        anyhow::ensure!(
            self.task.is_some() || self.survey.is_some(),
            "name the survey: --task oqa|goqa|gd4|all, or --survey FOLDER"
        );
        Ok(self.all_or_named())
    }
}

impl SurveySource {
    /// Loads the survey with the selection, naming where it came from on failure.
    pub fn load(&self, common: &Common, selection: &Selection) -> anyhow::Result<gpo_core::data::Survey> {
        let options = selection.load_options()?;
        match self {
            SurveySource::Task(task) => {
                let dir = gpo_core::data::resolve_data_dir(common.data.as_deref())?;
                gpo_core::data::load_task(*task, &dir, &options)
                    .with_context(|| format!("loading {task} from {}", dir.display()))
            }
            SurveySource::Folder(dir) => gpo_core::data::load_survey_dir(dir, &options)
                .with_context(|| format!("loading the survey {}", dir.display())),
        }
    }

    /// How to name this survey in a command line (`--task oqa`, `--survey DIR`).
    pub fn flag(&self) -> String {
        match self {
            SurveySource::Task(task) => format!("--task {task}"),
            SurveySource::Folder(dir) => format!("--survey {}", dir.display()),
        }
    }
}

/// Which questions and respondents of a task to use.
#[derive(Args, Clone)]
pub struct Selection {
    /// OpinionQA question subset: `all` or `disagreement500` (the paper's 500 questions).
    #[arg(long, default_value = "all")]
    pub subset: String,
    /// Respondents: `all`, `paper22` (the paper's 22 OpinionQA groups) or a comma list of names.
    #[arg(long, default_value = "all")]
    pub respondents: String,
}

impl Default for Selection {
    fn default() -> Self {
        Self { subset: "all".into(), respondents: "all".into() }
    }
}

impl Selection {
    pub fn load_options(&self) -> anyhow::Result<LoadOptions> {
        let questions = match self.subset.as_str() {
            "all" => QuestionSubset::All,
            "disagreement500" => QuestionSubset::Disagreement500,
            other => bail!("--subset: unknown subset '{other}' (all, disagreement500)"),
        };
        let respondents = match self.respondents.as_str() {
            "all" => RespondentSelection::All,
            "paper22" => RespondentSelection::Paper22,
            list => RespondentSelection::Named(list.split(',').map(|s| s.trim().to_string()).collect()),
        };
        Ok(LoadOptions { questions, respondents })
    }
}

/// The protocol's folds a command runs over: meta-train fractions × seeds.
#[derive(Args)]
pub struct FoldsArgs {
    /// Meta-train fractions.
    #[arg(long, value_delimiter = ',', default_values_t = vec![0.4, 0.6, 0.8])]
    pub splits: Vec<f64>,
    #[arg(long, value_delimiter = ',', default_values_t = vec![0u64, 1, 2])]
    pub seeds: Vec<u64>,
}

/// One fold of the protocol.
#[derive(Args)]
pub struct FoldArgs {
    /// Meta-train fraction of the respondents.
    #[arg(long, default_value_t = 0.6)]
    pub split: f64,
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
}

#[derive(Args)]
pub struct BaselinesArgs {
    #[command(flatten)]
    pub surveys: Surveys,
    #[command(flatten)]
    pub folds: FoldsArgs,
    #[command(flatten)]
    pub selection: Selection,
    /// Print the table as JSON.
    #[arg(long)]
    pub json: bool,
    /// Text format of the embeddings used by ridge and kNN.
    #[arg(long, default_value = "qa", value_parser = parse_format)]
    pub format: gpo_core::embed::TextFormat,
    /// Only the baselines that need no embeddings (uniform, prior, factor).
    #[arg(long)]
    pub no_embeddings: bool,
    /// Record the table in docs/results/baselines-<task>.json and docs/RESULTS.md.
    #[arg(long)]
    pub write_docs: bool,
}

pub fn parse_format(text: &str) -> Result<gpo_core::embed::TextFormat, String> {
    gpo_core::embed::TextFormat::parse(text).ok_or_else(|| format!("unknown format '{text}' (paper, qa)"))
}
