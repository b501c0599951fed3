//! A small reader for the Python literals that pandas wrote into OpinionQA's `info.csv`
//! (`['Very safe', "Associate's degree"]`, `[1.0, 2.0, 1.5]`).

use std::fmt;

/// Where a literal stops parsing: the byte offset into its text (the text's length at its end),
/// what the reader expected there and what it found.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("expected {expected} at byte {at}, found {found}")]
pub struct PyLiteralError {
    pub at: usize,
    pub expected: Expected,
    pub found: Found,
}

/// What the reader expected at an error's position.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expected {
    /// One character (the list's `[`).
    Char(char),
    /// The next item's separator or the list's end.
    CommaOrClose,
    /// Nothing more after the list.
    End,
    /// A quoted string.
    Str,
    /// The closing quote of a string.
    Quote(char),
    /// A known escape after a backslash.
    Escape,
    HexDigit,
    /// A `\x`, `\u` or `\U` escape's value as a Unicode scalar value.
    CodePoint,
    Number,
}

/// What the reader found at an error's position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Found {
    Char(char),
    /// The end of the text.
    End,
    /// A token that does not parse (a number, an escape's value).
    Text(String),
}

impl fmt::Display for Expected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Char(c) => write!(f, "'{c}'"),
            Self::CommaOrClose => write!(f, "',' or ']'"),
            Self::End => write!(f, "the end of the list"),
            Self::Str => write!(f, "a string"),
            Self::Quote(q) => write!(f, "the closing {q}"),
            Self::Escape => write!(f, r#"an escape (\n \t \r \x \u \U \\ \' \")"#),
            Self::HexDigit => write!(f, "a hex digit"),
            Self::CodePoint => write!(f, "a Unicode code point"),
            Self::Number => write!(f, "a number"),
        }
    }
}

impl fmt::Display for Found {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Char(c) => write!(f, "'{c}'"),
            Self::End => write!(f, "the end"),
            Self::Text(text) => write!(f, "'{text}'"),
        }
    }
}

/// Parses a Python list of string literals.
pub fn parse_str_list(text: &str) -> Result<Vec<String>, PyLiteralError> {
    let mut parser = Parser::new(text);
    parser.list(|p| p.string())
}

/// Parses a Python list of numbers (ints or floats).
pub fn parse_num_list(text: &str) -> Result<Vec<f64>, PyLiteralError> {
    let mut parser = Parser::new(text);
    parser.list(|p| p.number())
}

struct Parser<'a> {
    chars: std::iter::Peekable<std::str::CharIndices<'a>>,
    text: &'a str,
}

impl<'a> Parser<'a> {
    fn new(text: &'a str) -> Self {
        Self { chars: text.char_indices().peekable(), text }
    }

    fn skip_space(&mut self) {
        while self.chars.next_if(|(_, c)| c.is_whitespace()).is_some() {}
    }

    /// The next character and its position; at the end, the error of not finding `expected`.
    fn next_or(&mut self, expected: Expected) -> Result<(usize, char), PyLiteralError> {
        self.chars.next().ok_or(PyLiteralError { at: self.text.len(), expected, found: Found::End })
    }

    fn expect(&mut self, wanted: char) -> Result<(), PyLiteralError> {
        self.skip_space();
        match self.next_or(Expected::Char(wanted))? {
            (_, c) if c == wanted => Ok(()),
            (at, c) => Err(PyLiteralError { at, expected: Expected::Char(wanted), found: Found::Char(c) }),
        }
    }

    fn list<T>(
        &mut self,
        mut item: impl FnMut(&mut Self) -> Result<T, PyLiteralError>,
    ) -> Result<Vec<T>, PyLiteralError> {
        self.expect('[')?;
        let mut items = Vec::new();
        loop {
            self.skip_space();
            if self.chars.next_if(|(_, c)| *c == ']').is_some() {
                break;
            }
            items.push(item(self)?);
            self.skip_space();
            match self.next_or(Expected::CommaOrClose)? {
                (_, ',') => continue,
                (_, ']') => break,
                (at, c) => return Err(PyLiteralError { at, expected: Expected::CommaOrClose, found: Found::Char(c) }),
            }
        }
        self.skip_space();
        match self.chars.next() {
            None => Ok(items),
            Some((at, c)) => Err(PyLiteralError { at, expected: Expected::End, found: Found::Char(c) }),
        }
    }

    fn string(&mut self) -> Result<String, PyLiteralError> {
        self.skip_space();
        let quote = match self.next_or(Expected::Str)? {
            (_, q @ ('\'' | '"')) => q,
            (at, c) => return Err(PyLiteralError { at, expected: Expected::Str, found: Found::Char(c) }),
        };
        let mut out = String::new();
        loop {
            match self.next_or(Expected::Quote(quote))? {
                (_, c) if c == quote => return Ok(out),
                (at, '\\') => out.push(self.escape(at)?),
                (_, c) => out.push(c),
            }
        }
    }

    /// The character an escape stands for; `start`: the position of its backslash.
    fn escape(&mut self, start: usize) -> Result<char, PyLiteralError> {
        let hex = |p: &mut Self, digits: usize| -> Result<char, PyLiteralError> {
            let mut value = 0u32;
            for _ in 0..digits {
                let (at, c) = p.next_or(Expected::HexDigit)?;
                let digit = c.to_digit(16);
                value = value * 16
                    + digit.ok_or(PyLiteralError { at, expected: Expected::HexDigit, found: Found::Char(c) })?;
            }
            char::from_u32(value).ok_or_else(|| PyLiteralError {
                at: start,
                expected: Expected::CodePoint,
                found: Found::Text(format!("{value:#x}")),
            })
        };
        match self.next_or(Expected::Escape)? {
            (_, 'n') => Ok('\n'),
            (_, 't') => Ok('\t'),
            (_, 'r') => Ok('\r'),
            (_, 'x') => hex(self, 2),
            (_, 'u') => hex(self, 4),
            (_, 'U') => hex(self, 8),
            (_, c @ ('\\' | '\'' | '"')) => Ok(c),
            (at, c) => Err(PyLiteralError { at, expected: Expected::Escape, found: Found::Char(c) }),
        }
    }

    fn number(&mut self) -> Result<f64, PyLiteralError> {
        self.skip_space();
        let start = match self.chars.peek() {
            Some((at, _)) => *at,
            None => return Err(PyLiteralError { at: self.text.len(), expected: Expected::Number, found: Found::End }),
        };
        let mut end = start;
        while let Some((at, c)) =
            self.chars.next_if(|(_, c)| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E'))
        {
            end = at + c.len_utf8();
        }
        let token = &self.text[start..end];
        token.parse::<f64>().map_err(|_| {
            // Nothing number-like: the character where a number should start.
            let found = match self.text[start..].chars().next() {
                Some(c) if token.is_empty() => Found::Char(c),
                _ => Found::Text(token.to_string()),
            };
            PyLiteralError { at: start, expected: Expected::Number, found }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_pandas_string_lists() {
        let parsed = parse_str_list(r#"['Very safe', "Associate's degree", 'a \'b\' c', 'x\ny']"#).unwrap();
        assert_eq!(parsed, vec!["Very safe", "Associate's degree", "a 'b' c", "x\ny"]);
        assert_eq!(parse_str_list("[]").unwrap(), Vec::<String>::new());
    }

    #[test]
    fn parses_number_lists() {
        assert_eq!(parse_num_list("[1.0, 2.0, 1.5]").unwrap(), vec![1.0, 2.0, 1.5]);
        assert_eq!(parse_num_list("[1, 1, 1, 1]").unwrap(), vec![1.0; 4]);
    }

    #[test]
    fn rejects_malformed_literals() {
        assert!(parse_str_list("['a', 'b'").is_err());
        assert!(parse_str_list("['a' 'b']").is_err());
        assert!(parse_num_list("[1.0, x]").is_err());
        assert!(parse_num_list("[1.0] trailing").is_err());
    }

    #[test]
    fn errors_name_the_byte_where_parsing_stopped() {
        let err = parse_str_list("['a' 'b']").unwrap_err();
        assert_eq!(err, PyLiteralError { at: 5, expected: Expected::CommaOrClose, found: Found::Char('\'') });
        assert_eq!(err.to_string(), "expected ',' or ']' at byte 5, found '''");
        let err = parse_num_list("[1.0, x]").unwrap_err();
        assert_eq!((err.at, err.expected, err.found), (6, Expected::Number, Found::Char('x')));
        assert_eq!(parse_num_list("[1.0, 1-2]").unwrap_err().found, Found::Text("1-2".into()));
        let err = parse_str_list("['a', 'b").unwrap_err();
        assert_eq!(err, PyLiteralError { at: 8, expected: Expected::Quote('\''), found: Found::End });
        assert_eq!(parse_str_list("['a'] x").unwrap_err().at, 6);
        assert_eq!(parse_str_list(r"['\q']").unwrap_err().at, 3);
        assert_eq!(parse_str_list(r"['\x4g']").unwrap_err().at, 5);
    }
}
