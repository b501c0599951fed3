//! The one error type of the data layer: every variant names the file and what is wrong.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum DataError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: invalid JSON: {source}")]
    Json {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },
    #[error("{path}: line {line}: {message}")]
    Line { path: PathBuf, line: u64, message: String },
    #[error("{path}: {key}: {message}")]
    Field { path: PathBuf, key: String, message: String },
    /// A Python-literal cell of a CSV row that does not parse (OpinionQA's `info.csv`): the row's
    /// line and key, the cell's column.
    #[error("{path}: line {line}: {key}: {field}: {source}")]
    Literal {
        path: PathBuf,
        line: u64,
        key: String,
        field: &'static str,
        #[source]
        source: super::pylit::PyLiteralError,
    },
    #[error("data folder not found: {message}")]
    Missing { message: String },
    #[error("{message}")]
    Selection { message: String },
    /// Everything wrong with a survey folder, in file and line order (`gpo data check` prints
    /// them all; the error names the first).
    #[error("{}", summary(.0))]
    Survey(Vec<Problem>),
}

/// One problem in a survey file: the file, its line (1-based; 0 for the whole file), the field.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    pub path: PathBuf,
    pub line: u64,
    pub field: String,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.path.display())?;
        if self.line > 0 {
            write!(f, ": line {}", self.line)?;
        }
        if !self.field.is_empty() {
            write!(f, ": {}", self.field)?;
        }
        write!(f, ": {}", self.message)
    }
}

fn summary(problems: &[Problem]) -> String {
    match problems {
        [] => "invalid survey".into(),
        [one] => one.to_string(),
        [first, rest @ ..] => {
            format!("{first} (and {} more problems: `gpo data check` lists them all)", rest.len())
        }
    }
}

impl DataError {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Self::Io { path: path.into(), source }
    }

    pub fn field(path: impl Into<PathBuf>, key: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Field { path: path.into(), key: key.into(), message: message.into() }
    }

    pub fn line(path: impl Into<PathBuf>, line: u64, message: impl Into<String>) -> Self {
        Self::Line { path: path.into(), line, message: message.into() }
    }
}

/// Reads a whole file, naming it in the error.
pub fn read_to_string(path: &std::path::Path) -> Result<String, DataError> {
    std::fs::read_to_string(path).map_err(|e| DataError::io(path, e))
}

/// Parses a JSON file into `T`, naming the file in the error.
pub fn read_json<T: serde::de::DeserializeOwned>(path: &std::path::Path) -> Result<T, DataError> {
    let text = read_to_string(path)?;
    serde_json::from_str(&text).map_err(|source| DataError::Json { path: path.to_path_buf(), source })
}
