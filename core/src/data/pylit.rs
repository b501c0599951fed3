//! A small reader for the Python literals that pandas wrote into OpinionQA's `info.csv`
//! (`['Very safe', "Associate's degree"]`, `[1.0, 2.0, 1.5]`).

/// Parses a Python list of string literals.
pub fn parse_str_list(text: &str) -> Result<Vec<String>, String> {
    let mut parser = Parser::new(text);
    parser.list(|p| p.string())
}

/// Parses a Python list of numbers (ints or floats).
pub fn parse_num_list(text: &str) -> Result<Vec<f64>, String> {
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

    fn expect(&mut self, wanted: char) -> Result<(), String> {
        self.skip_space();
        match self.chars.next() {
            Some((_, c)) if c == wanted => Ok(()),
            Some((at, c)) => Err(format!("expected '{wanted}' at byte {at}, found '{c}'")),
            None => Err(format!("expected '{wanted}', found the end")),
        }
    }

    fn list<T>(&mut self, mut item: impl FnMut(&mut Self) -> Result<T, String>) -> Result<Vec<T>, String> {
        self.expect('[')?;
        let mut items = Vec::new();
        loop {
            self.skip_space();
            if self.chars.next_if(|(_, c)| *c == ']').is_some() {
                break;
            }
            items.push(item(self)?);
            self.skip_space();
            match self.chars.next() {
                Some((_, ',')) => continue,
                Some((_, ']')) => break,
                Some((at, c)) => {
                    return Err(format!("expected ',' or ']' at byte {at}, found '{c}'"));
                }
                None => return Err("unterminated list".into()),
            }
        }
        self.skip_space();
        match self.chars.next() {
            None => Ok(items),
            Some((at, _)) => Err(format!("unexpected text after the list at byte {at}")),
        }
    }

    fn string(&mut self) -> Result<String, String> {
        self.skip_space();
        let quote = match self.chars.next() {
            Some((_, q @ ('\'' | '"'))) => q,
            Some((at, c)) => return Err(format!("expected a string at byte {at}, found '{c}'")),
            None => return Err("expected a string, found the end".into()),
        };
        let mut out = String::new();
        loop {
            match self.chars.next() {
                Some((_, c)) if c == quote => return Ok(out),
                Some((_, '\\')) => out.push(self.escape()?),
                Some((_, c)) => out.push(c),
                None => return Err("unterminated string".into()),
            }
        }
    }

    fn escape(&mut self) -> Result<char, String> {
        let hex = |p: &mut Self, digits: usize| -> Result<char, String> {
            let mut value = 0u32;
            for _ in 0..digits {
                let (_, c) = p.chars.next().ok_or("unterminated escape")?;
                value = value * 16 + c.to_digit(16).ok_or(format!("bad hex digit '{c}'"))?;
            }
            char::from_u32(value).ok_or_else(|| format!("invalid code point {value:#x}"))
        };
        match self.chars.next() {
            Some((_, 'n')) => Ok('\n'),
            Some((_, 't')) => Ok('\t'),
            Some((_, 'r')) => Ok('\r'),
            Some((_, 'x')) => hex(self, 2),
            Some((_, 'u')) => hex(self, 4),
            Some((_, 'U')) => hex(self, 8),
            Some((_, c @ ('\\' | '\'' | '"'))) => Ok(c),
            Some((at, c)) => Err(format!("unknown escape '\\{c}' at byte {at}")),
            None => Err("unterminated escape".into()),
        }
    }

    fn number(&mut self) -> Result<f64, String> {
        self.skip_space();
        let start = match self.chars.peek() {
            Some((at, _)) => *at,
            None => return Err("expected a number, found the end".into()),
        };
        let mut end = start;
        while let Some((at, c)) =
            self.chars.next_if(|(_, c)| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E'))
        {
            end = at + c.len_utf8();
        }
        let token = &self.text[start..end];
        token.parse::<f64>().map_err(|_| format!("expected a number at byte {start}, found '{token}'"))
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
}
