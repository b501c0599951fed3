//! Which module file of a crate uses which: every `use` statement (braces expanded) and every
//! inline `crate::…` path of the code, resolved to the file that defines what it names —
//! through `pub use` re-exports, so a facade `mod.rs` is not mistaken for a dependency.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// One source file and its module path (`jobs/person.rs` → `["jobs", "person"]`; a `mod.rs`
/// is its folder's module; `lib.rs` and `main.rs` are the root).
pub struct SourceFile {
    pub module: Vec<String>,
    pub relative: PathBuf,
    /// Code without comments and without the trailing `#[cfg(test)] mod tests { … }`.
    code: String,
}

pub struct ImportGraph {
    pub files: Vec<SourceFile>,
    /// `edges[i]`: the files `files[i]` uses, each with the line that says so.
    pub edges: Vec<Vec<(usize, usize)>>,
}

/// Every `.rs` file under `dir`.
pub fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn module_path(relative: &Path) -> Vec<String> {
    let mut parts: Vec<String> = relative.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    let last = parts.pop().unwrap_or_default();
    let stem = last.trim_end_matches(".rs");
    if !["mod", "lib", "main"].contains(&stem) {
        parts.push(stem.to_string());
    }
    parts
}

/// The code of a file: comment lines dropped, and the test module at its end cut off (its
/// `use super::*` is not the file's dependency).
pub fn code_of(text: &str) -> String {
    let mut code = String::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("#[cfg(test)]") && lines.peek().is_some_and(|next| next.trim_start().starts_with("mod "))
        {
            // `mod tests;` (a file of its own) stays a declaration; an inline one ends the code.
            if !lines.peek().is_some_and(|next| next.trim_end().ends_with(';')) {
                break;
            }
        }
        if trimmed.starts_with("//") {
            code.push('\n');
            continue;
        }
        let line = match line.find("//") {
            Some(at) if !line[..at].contains('"') => &line[..at],
            _ => line,
        };
        code.push_str(line);
        code.push('\n');
    }
    code
}

/// `a::{b, c::{d, e}}` → `[a::b, a::c::d, a::c::e]`, as segment lists.
pub fn expand(tree: &str) -> Vec<Vec<String>> {
    let tree: String = tree.chars().filter(|c| !c.is_whitespace()).collect();
    let mut out = Vec::new();
    expand_into(&tree, Vec::new(), &mut out);
    out
}

fn expand_into(tree: &str, prefix: Vec<String>, out: &mut Vec<Vec<String>>) {
    let Some(open) = tree.find('{') else {
        let mut path = prefix;
        path.extend(tree.split("::").filter(|s| !s.is_empty()).map(str::to_string));
        out.push(path);
        return;
    };
    let mut path = prefix;
    path.extend(tree[..open].split("::").filter(|s| !s.is_empty()).map(str::to_string));
    let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
    let mut depth = 0;
    let mut start = 0;
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                push_part(&inner[start..i], &path, out);
                start = i + 1;
            }
            _ => {}
        }
    }
    push_part(&inner[start..], &path, out);
}

fn push_part(part: &str, prefix: &[String], out: &mut Vec<Vec<String>>) {
    if part.is_empty() {
        return;
    }
    if part == "self" {
        out.push(prefix.to_vec());
    } else {
        expand_into(part, prefix.to_vec(), out);
    }
}

/// `use` statements of the code: (line, tree, is a re-export).
fn use_statements(code: &str) -> Vec<(usize, String, bool)> {
    let mut out = Vec::new();
    let mut lines = code.lines().enumerate();
    while let Some((number, line)) = lines.next() {
        let trimmed = line.trim_start();
        let (public, rest) = if let Some(rest) = trimmed.strip_prefix("pub use ") {
            (true, rest)
        } else if let Some(rest) = trimmed.strip_prefix("pub(crate) use ") {
            (true, rest)
        } else if let Some(rest) = trimmed.strip_prefix("use ") {
            (false, rest)
        } else {
            continue;
        };
        let mut tree = rest.to_string();
        while !tree.contains(';') {
            let Some((_, next)) = lines.next() else { break };
            tree.push_str(next);
        }
        let tree = tree[..tree.find(';').unwrap_or(tree.len())].to_string();
        // `a as b` inside a tree: keep the path, drop the alias.
        let tree = tree.split(" as ").enumerate().map(|(i, part)| {
            if i == 0 {
                part.to_string()
            } else {
                part.trim_start_matches(|c: char| c.is_alphanumeric() || c == '_').to_string()
            }
        });
        out.push((number + 1, tree.collect::<String>(), public));
    }
    out
}

/// Inline `crate::a::b` paths outside `use` statements.
fn inline_paths(code: &str) -> Vec<(usize, Vec<String>)> {
    let mut out = Vec::new();
    for (number, line) in code.lines().enumerate() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("use ") || trimmed.starts_with("pub use ") || trimmed.starts_with("pub(crate) use ") {
            continue;
        }
        for (at, _) in line.match_indices("crate::") {
            if line[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == '$') {
                continue;
            }
            let rest = &line[at..];
            let end = rest.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':')).unwrap_or(rest.len());
            let path: Vec<String> = rest[..end].split("::").filter(|s| !s.is_empty()).map(str::to_string).collect();
            out.push((number + 1, path));
        }
    }
    out
}

impl ImportGraph {
    /// The graph of the crate whose sources are under `src` (a path into another crate, e.g.
    /// through `use other_crate as x;`, names no file here and is left out).
    pub fn of(src: &Path) -> Self {
        let mut paths = Vec::new();
        rust_files(src, &mut paths);
        // Binaries under `bin/` are crates of their own (their `crate::` is not this one's).
        paths.retain(|p| !p.strip_prefix(src).is_ok_and(|r| r.starts_with("bin")));
        paths.sort();
        let files: Vec<SourceFile> = paths
            .iter()
            .map(|path| {
                let relative = path.strip_prefix(src).unwrap().to_path_buf();
                let text = std::fs::read_to_string(path).unwrap();
                SourceFile { module: module_path(&relative), relative, code: code_of(&text) }
            })
            .collect();
        let index: HashMap<Vec<String>, usize> = files
            .iter()
            .enumerate()
            .filter(|(_, f)| !f.module.is_empty())
            .map(|(i, f)| (f.module.clone(), i))
            .collect();
        // What each module re-exports: item name → absolute path.
        let mut reexports: HashMap<usize, HashMap<String, Vec<String>>> = HashMap::new();
        for (i, file) in files.iter().enumerate() {
            for (_, tree, public) in use_statements(&file.code) {
                if !public {
                    continue;
                }
                for path in expand(&tree) {
                    if let (Some(absolute), Some(name)) = (absolute(&file.module, &path, &index), path.last()) {
                        reexports.entry(i).or_default().insert(name.clone(), absolute);
                    }
                }
            }
        }
        let resolve = |path: &[String]| resolve(path, &index, &reexports, 0);
        let mut edges = vec![Vec::new(); files.len()];
        for (i, file) in files.iter().enumerate() {
            let mut uses: Vec<(usize, Vec<String>)> = Vec::new();
            for (line, tree, public) in use_statements(&file.code) {
                if !public {
                    uses.extend(expand(&tree).into_iter().map(|p| (line, p)));
                }
            }
            uses.extend(inline_paths(&file.code));
            for (line, path) in uses {
                let Some(target) = absolute(&file.module, &path, &index).and_then(|a| resolve(&a)) else { continue };
                if target != i && !edges[i].iter().any(|(t, _)| *t == target) {
                    edges[i].push((target, line));
                }
            }
        }
        Self { files, edges }
    }

    /// Every import cycle, each as `a.rs:line → b.rs:line → … → a.rs`.
    pub fn cycles(&self) -> Vec<String> {
        // Tarjan's strongly connected components; a component of two or more files is a cycle.
        struct Walk<'a> {
            graph: &'a ImportGraph,
            index: Vec<Option<usize>>,
            low: Vec<usize>,
            on_stack: Vec<bool>,
            stack: Vec<usize>,
            next: usize,
            components: Vec<Vec<usize>>,
        }
        fn visit(walk: &mut Walk, v: usize) {
            walk.index[v] = Some(walk.next);
            walk.low[v] = walk.next;
            walk.next += 1;
            walk.stack.push(v);
            walk.on_stack[v] = true;
            for &(w, _) in &walk.graph.edges[v] {
                match walk.index[w] {
                    None => {
                        visit(walk, w);
                        walk.low[v] = walk.low[v].min(walk.low[w]);
                    }
                    Some(index) if walk.on_stack[w] => walk.low[v] = walk.low[v].min(index),
                    Some(_) => {}
                }
            }
            if Some(walk.low[v]) == walk.index[v] {
                let mut component = Vec::new();
                while let Some(w) = walk.stack.pop() {
                    walk.on_stack[w] = false;
                    component.push(w);
                    if w == v {
                        break;
                    }
                }
                if component.len() > 1 {
                    walk.components.push(component);
                }
            }
        }
        let n = self.files.len();
        let mut walk = Walk {
            graph: self,
            index: vec![None; n],
            low: vec![0; n],
            on_stack: vec![false; n],
            stack: Vec::new(),
            next: 0,
            components: Vec::new(),
        };
        for v in 0..n {
            if walk.index[v].is_none() {
                visit(&mut walk, v);
            }
        }
        walk.components
            .iter()
            .map(|component| {
                let names: Vec<String> = component
                    .iter()
                    .map(|&v| {
                        let uses: Vec<String> = self.edges[v]
                            .iter()
                            .filter(|(t, _)| component.contains(t))
                            .map(|(t, line)| {
                                format!(
                                    "{}:{line} uses {}",
                                    self.files[v].relative.display(),
                                    self.files[*t].relative.display()
                                )
                            })
                            .collect();
                        uses.join(", ")
                    })
                    .collect();
                names.join("; ")
            })
            .collect()
    }
}

/// `path` (as written in `module`) as a path from the crate root; `None` for another crate.
fn absolute(module: &[String], path: &[String], index: &HashMap<Vec<String>, usize>) -> Option<Vec<String>> {
    let first = path.first()?;
    match first.as_str() {
        "crate" => Some(path[1..].to_vec()),
        "self" => Some(module.iter().chain(&path[1..]).cloned().collect()),
        "super" => {
            let mut base = module.to_vec();
            let mut rest = path;
            while rest.first().is_some_and(|s| s == "super") {
                base.pop();
                rest = &rest[1..];
            }
            Some(base.into_iter().chain(rest.iter().cloned()).collect())
        }
        // A child module of this one (2018 paths), else another crate.
        name => {
            let mut child = module.to_vec();
            child.push(name.to_string());
            index.contains_key(&child).then(|| child.into_iter().chain(path[1..].iter().cloned()).collect())
        }
    }
}

/// The file that defines what `path` (from the root) names.
fn resolve(
    path: &[String],
    index: &HashMap<Vec<String>, usize>,
    reexports: &HashMap<usize, HashMap<String, Vec<String>>>,
    depth: usize,
) -> Option<usize> {
    let (length, file) = (1..=path.len()).rev().find_map(|n| index.get(&path[..n]).map(|&f| (n, f)))?;
    if depth < 8
        && let Some(next) = path.get(length)
        && let Some(target) = reexports.get(&file).and_then(|r| r.get(next))
    {
        let mut followed = target.clone();
        followed.extend(path[length + 1..].iter().cloned());
        if followed != path {
            return resolve(&followed, index, reexports, depth + 1).or(Some(file));
        }
    }
    Some(file)
}
