//! Results recorded in docs/: a table's JSON beside the command that produced it, and its
//! section of RESULTS.md (shared by `gpo reproduce` and `gpo baselines --write-docs`).

use std::path::{Path, PathBuf};

use anyhow::Context;
use gpo_core::eval::table::ResultTable;

/// The command line as typed (`gpo …`).
pub fn command_line() -> String {
    let args: Vec<String> = std::env::args().skip(1).collect();
    format!("gpo {}", args.join(" "))
}

/// The machine in a few words (cores, architecture).
pub fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    format!("{cores} CPU cores, {}", std::env::consts::ARCH)
}

/// Writes a table to docs/results/<name>.json and its section `<!-- name -->` of RESULTS.md.
pub fn record(name: &str, table: &ResultTable, seconds: f64) -> anyhow::Result<()> {
    let docs = docs_dir()?;
    let json =
        serde_json::json!({ "command": command_line(), "wall_seconds": seconds, "machine": machine(), "table": table });
    let path = docs.join("results").join(format!("{name}.json"));
    gpo_core::util::fs::write_atomic(&path, serde_json::to_string_pretty(&json)?.as_bytes())
        .with_context(|| format!("writing {}", path.display()))?;
    let section =
        format!("Command: `{}` — {seconds:.0} s on {}.\n\n{}", command_line(), machine(), table.to_markdown());
    replace_section(&docs.join("RESULTS.md"), name, &section)
}

pub fn docs_dir() -> anyhow::Result<PathBuf> {
    let root = gpo_core::embed::weights::repo_root().context("no repository root (Trunk.toml) above here")?;
    Ok(root.join("docs"))
}

/// Replaces the text between `<!-- name -->` and `<!-- /name -->` in a markdown file.
pub fn replace_section(path: &Path, name: &str, body: &str) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let (open, close) = (format!("<!-- {name} -->"), format!("<!-- /{name} -->"));
    let start = text.find(&open).with_context(|| format!("{}: no {open} marker", path.display()))? + open.len();
    let end = text.find(&close).with_context(|| format!("{}: no {close} marker", path.display()))?;
    anyhow::ensure!(start <= end, "{}: {close} comes before {open}", path.display());
    let updated = format!("{}\n{}\n{}", &text[..start], body.trim_end(), &text[end..]);
    gpo_core::util::fs::write_atomic(path, updated.as_bytes()).with_context(|| format!("writing {}", path.display()))
}
