//! ARCHITECTURE.md's layer table, enforced: a module of `core` imports only from its own layer
//! and the layers before it, and a command of `bin/gpo` never imports another command.
//! Run alone: `cargo test -p gpo-tests --test architecture`.

use std::path::{Path, PathBuf};

/// core's top-level modules in pipeline order; a module may import from any earlier rank.
const LAYERS: [(&str, usize); 9] = [
    ("util", 0),
    ("device", 0),
    ("data", 1),
    ("embed", 2),
    ("protocol", 3),
    ("model", 4),
    ("train", 5),
    ("eval", 6),
    ("export", 7),
];

/// Modules of `bin/gpo` that every command may use; every other file there is a command.
const SHARED_BIN_MODULES: [&str; 7] = ["main", "cli", "context", "records", "train_settings", "chart", "mod"];

fn core_src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Code lines (comments left out: a doc may name a later layer).
fn code_lines(path: &Path) -> Vec<(usize, String)> {
    let text = std::fs::read_to_string(path).unwrap();
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim_start().starts_with("//"))
        .map(|(i, l)| (i + 1, l.into()))
        .collect()
}

/// Every `prefix<name>` in `line` (a path segment right after the prefix).
fn referenced<'a>(line: &'a str, prefix: &str) -> Vec<&'a str> {
    line.match_indices(prefix)
        .filter(|(at, _)| !line[..*at].ends_with(|c: char| c.is_alphanumeric() || c == '_'))
        .map(|(at, _)| {
            let rest = &line[at + prefix.len()..];
            let end = rest.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(rest.len());
            &rest[..end]
        })
        .collect()
}

fn rank(module: &str) -> Option<usize> {
    LAYERS.iter().find(|(name, _)| *name == module).map(|(_, rank)| *rank)
}

/// The upward imports in core's layers, as `file:line: layer imports later_layer`.
fn layer_violations() -> Vec<String> {
    let src = core_src();
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut violations = Vec::new();
    for file in &files {
        let relative = file.strip_prefix(&src).unwrap();
        let top =
            relative.components().next().unwrap().as_os_str().to_string_lossy().trim_end_matches(".rs").to_string();
        let Some(own) = rank(&top) else { continue }; // lib.rs, bin/
        for (number, line) in code_lines(file) {
            for used in referenced(&line, "crate::") {
                if rank(used).is_some_and(|r| r > own) {
                    violations.push(format!("core/src/{}:{number}: {top} imports {used}", relative.display()));
                }
            }
            if line.contains("super::super::") && relative.components().count() <= 2 {
                violations.push(format!("core/src/{}:{number}: super::super leaves its layer", relative.display()));
            }
        }
    }
    violations
}

#[test]
fn core_imports_only_from_earlier_layers() {
    let violations = layer_violations();
    assert!(violations.is_empty(), "imports against ARCHITECTURE.md's layer order:\n{}", violations.join("\n"));
}

#[test]
fn every_core_module_has_a_layer() {
    let mut missing = Vec::new();
    for entry in std::fs::read_dir(core_src()).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().trim_end_matches(".rs").to_string();
        if !["lib", "bin"].contains(&name.as_str()) && rank(&name).is_none() {
            missing.push(name);
        }
    }
    assert!(missing.is_empty(), "core modules without a row in ARCHITECTURE.md's table: {missing:?}");
}

#[test]
fn no_gpo_command_imports_another() {
    let dir = core_src().join("bin/gpo");
    let mut files = Vec::new();
    rust_files(&dir, &mut files);
    let command = |name: &str| !SHARED_BIN_MODULES.contains(&name);
    let mut violations = Vec::new();
    for file in &files {
        let own = file.file_stem().unwrap().to_string_lossy().to_string();
        if !command(&own) {
            continue;
        }
        for (number, line) in code_lines(file) {
            for used in referenced(&line, "crate::") {
                if used != own && command(used) {
                    violations.push(format!("bin/gpo/{own}.rs:{number}: imports the command {used}"));
                }
            }
        }
    }
    assert!(violations.is_empty(), "commands importing commands:\n{}", violations.join("\n"));
}

/// The check sees what it claims to: an upward import in a line of code is caught, the same
/// words in a comment or in a longer name are not.
#[test]
fn the_check_finds_an_upward_import() {
    assert_eq!(referenced("use crate::eval::run; let x = crate::export::bundle::X;", "crate::"), ["eval", "export"]);
    assert!(referenced("use gpo_core::my_crate::eval;", "crate::").is_empty());
    let dir = std::env::temp_dir().join(format!("gpo-architecture-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("x.rs");
    std::fs::write(&file, "//! see crate::eval\nuse crate::eval::run;\n").unwrap();
    assert_eq!(code_lines(&file), vec![(2, "use crate::eval::run;".to_string())]);
    std::fs::remove_dir_all(dir).unwrap();
}
