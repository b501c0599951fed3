//! ARCHITECTURE.md's layer tables, enforced: a module of `core` or of the page (`app`) imports
//! only from its own layer and the layers before it, no file of either takes part in an import
//! cycle, and a command of `bin/gpo` never imports another command.
//! Run alone: `cargo test -p gpo-tests --test architecture`.

use std::path::{Path, PathBuf};

#[path = "architecture/imports.rs"]
mod imports;

use imports::{ImportGraph, rust_files};

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

/// The page's top-level modules, from the bottom (`domain` is the `gpo-page-domain` crate,
/// below them all): components → actions → jobs → state → engine / platform → domain.
const APP_LAYERS: [(&str, usize); 7] =
    [("domain", 0), ("platform", 1), ("engine", 1), ("state", 2), ("jobs", 3), ("actions", 4), ("components", 5)];

/// Modules of `bin/gpo` that every command may use; every other file there is a command.
const SHARED_BIN_MODULES: [&str; 7] = ["main", "cli", "context", "records", "train_settings", "chart", "mod"];

fn core_src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/src")
}

fn app_src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../app/src")
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

/// The upward imports of the crate under `src` (`name` for the messages) against `layers`, as
/// `file:line: layer imports later_layer`; a `super::super::` out of a top-level module too.
fn layer_violations(src: &Path, name: &str, layers: &[(&str, usize)]) -> Vec<String> {
    let rank = |module: &str| layers.iter().find(|(layer, _)| *layer == module).map(|(_, rank)| *rank);
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let mut violations = Vec::new();
    for file in &files {
        let relative = file.strip_prefix(src).unwrap();
        let top =
            relative.components().next().unwrap().as_os_str().to_string_lossy().trim_end_matches(".rs").to_string();
        let Some(own) = rank(&top) else { continue }; // the crate root, bin/
        for (number, line) in code_lines(file) {
            for used in referenced(&line, "crate::") {
                if rank(used).is_some_and(|r| r > own) {
                    violations.push(format!("{name}/{}:{number}: {top} imports {used}", relative.display()));
                }
            }
            if line.contains("super::super::") && relative.components().count() <= 2 {
                violations.push(format!("{name}/{}:{number}: super::super leaves its layer", relative.display()));
            }
        }
    }
    violations
}

#[test]
fn core_imports_only_from_earlier_layers() {
    let violations = layer_violations(&core_src(), "core/src", &LAYERS);
    assert!(violations.is_empty(), "imports against ARCHITECTURE.md's layer order:\n{}", violations.join("\n"));
}

#[test]
fn the_page_imports_only_from_lower_layers() {
    let violations = layer_violations(&app_src(), "app/src", &APP_LAYERS);
    assert!(violations.is_empty(), "imports against ARCHITECTURE.md's page layers:\n{}", violations.join("\n"));
}

#[test]
fn every_page_module_has_a_layer() {
    let mut missing = Vec::new();
    for entry in std::fs::read_dir(app_src()).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().trim_end_matches(".rs").to_string();
        if !["lib", "main"].contains(&name.as_str()) && !APP_LAYERS.iter().any(|(layer, _)| *layer == name) {
            missing.push(name);
        }
    }
    assert!(missing.is_empty(), "page modules without a row in ARCHITECTURE.md's table: {missing:?}");
}

#[test]
fn no_import_cycle_in_core_or_the_page() {
    for (name, src) in
        [("core/src", core_src()), ("core/src/bin/gpo", core_src().join("bin/gpo")), ("app/src", app_src())]
    {
        let graph = ImportGraph::of(&src);
        assert!(graph.edges.iter().map(Vec::len).sum::<usize>() > 10, "{name}: the graph sees too few imports");
        let cycles = graph.cycles();
        assert!(cycles.is_empty(), "import cycles in {name}:\n{}", cycles.join("\n"));
    }
}

/// The cycle check sees what it claims to: through braces, `super::`, a child module and a
/// re-export, and not through a test module or a comment.
#[test]
fn the_check_finds_a_cycle() {
    let dir = std::env::temp_dir().join(format!("gpo-cycles-{}", std::process::id()));
    let write = |name: &str, text: &str| {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write("lib.rs", "mod a;\nmod b;\n");
    write("a/mod.rs", "pub mod x;\npub use x::Thing;\n");
    write("a/x.rs", "use crate::b::{self, y::{Other}};\npub struct Thing;\n");
    write("b/mod.rs", "pub mod y;\n");
    write(
        "b/y.rs",
        "// crate::a::x is only named here\npub struct Other;\n#[cfg(test)]\nmod tests {\n    use crate::a::Thing;\n}\n",
    );
    let graph = ImportGraph::of(&dir);
    assert!(graph.cycles().is_empty(), "{:?}", graph.cycles());
    write("b/y.rs", "pub struct Other;\nfn f() -> crate::a::Thing { crate::a::Thing }\n");
    let cycles = ImportGraph::of(&dir).cycles();
    assert_eq!(cycles.len(), 1, "{cycles:?}");
    assert!(cycles[0].contains("a/x.rs:1 uses b/y.rs") && cycles[0].contains("b/y.rs:2 uses a/x.rs"), "{cycles:?}");
    write("b/y.rs", "use super::super::a::x::Thing;\npub struct Other;\n");
    assert_eq!(ImportGraph::of(&dir).cycles().len(), 1);
    std::fs::remove_dir_all(dir).unwrap();
    assert_eq!(
        imports::expand("a::{b, c::{d, e}, self}"),
        [vec!["a", "b"], vec!["a", "c", "d"], vec!["a", "c", "e"], vec!["a"]]
    );
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
