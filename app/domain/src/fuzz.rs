//! Generated bad input for the page's own parsers (issue 14): an answers import (JSON, a bare
//! list, CSV), a file of questions, stored vectors — each as arbitrary text and as a valid file
//! with edits (cut, bytes replaced, a line repeated). The property: a value or one
//! `PageError::Input`, never a panic (in the page a panic aborts the whole wasm module).
//! `GPO_FUZZ_CASES` sets the cases per property.

use proptest::prelude::*;

use crate::custom::{CustomQuestion, Draft, QuestionEmbedding, parse, to_json};
use crate::error::PageError;
use crate::records::{from_records, parse_import, to_csv, to_file};
use crate::vectors;
use crate::view::fixture::{answered, view};

fn cases(default: u32) -> u32 {
    std::env::var("GPO_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// A valid text with edits: each (position, replacement) puts the replacement there.
fn edited(text: &str, cut: Option<usize>, edits: &[(usize, String)]) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    if let Some(cut) = cut {
        chars.truncate(cut % (chars.len() + 1));
    }
    for (at, replacement) in edits {
        let at = at % (chars.len() + 1);
        let end = (at + replacement.chars().count().max(1)).min(chars.len());
        chars.splice(at..end, replacement.chars());
    }
    chars.into_iter().collect()
}

/// Pieces that break readers: quotes, separators, numbers out of range, markup, odd Unicode.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("\"".to_string()),
        Just(",".to_string()),
        Just("\n".to_string()),
        Just("{".to_string()),
        Just("]".to_string()),
        Just("-1".to_string()),
        Just("18446744073709551616".to_string()),
        Just("1e999".to_string()),
        Just("NaN".to_string()),
        Just("null".to_string()),
        Just("\u{feff}".to_string()),
        Just("é\u{202e}👍".to_string()),
        Just("<script>".to_string()),
        "[ -~]{0,8}",
        any::<String>(),
    ]
}

fn edits() -> impl Strategy<Value = (Option<usize>, Vec<(usize, String)>)> {
    (proptest::option::of(any::<usize>()), proptest::collection::vec((any::<usize>(), piece()), 0..4))
}

fn stored_questions() -> String {
    let question = CustomQuestion {
        key: "custom-1".into(),
        draft: Draft { text: "Fine?".into(), options: vec!["Yes".into(), "No".into()], ordinal: true },
        embedding: Some(std::sync::Arc::new(QuestionEmbedding {
            vectors: vec![0.5; 8],
            texts: vec!["a".into(), "b".into()],
            truncated: vec![],
            notes: vec![],
            encoder: "sha".into(),
            format: "fmt".into(),
        })),
    };
    to_json(&[question], true).unwrap()
}

/// An import either reads or says why; what it reads is checked against the survey.
fn import_reads_or_refuses(text: &str) -> Result<(), TestCaseError> {
    match parse_import(text, "demo") {
        Ok(surveys) => {
            for (_, records) in surveys {
                let checked = from_records(&view(), &records);
                prop_assert!(checked.used <= records.len());
            }
        }
        Err(error) => prop_assert!(matches!(error, PageError::Input(_) | PageError::Version { .. }), "{error:?}"),
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(2000), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_text_imports_or_is_refused(text in any::<String>()) {
        import_reads_or_refuses(&text)?;
    }

    #[test]
    fn an_edited_export_imports_or_is_refused(csv in any::<bool>(), (cut, changes) in edits()) {
        let valid = if csv {
            to_csv(&view(), &answered()).unwrap()
        } else {
            serde_json::to_string_pretty(&to_file(&view(), &answered())).unwrap()
        };
        import_reads_or_refuses(&edited(&valid, cut, &changes))?;
    }

    #[test]
    fn edited_stored_questions_read_or_are_refused((cut, changes) in edits()) {
        let text = edited(&stored_questions(), cut, &changes);
        match parse(&text, Some(("sha", "fmt")), 4) {
            Ok(parsed) => {
                for question in parsed.questions {
                    // What is kept is valid, and an embedding kept fits it.
                    prop_assert!(crate::custom::validate(&question.draft).is_ok());
                    if let Some(embedding) = question.embedding {
                        prop_assert_eq!(embedding.vectors.len(), question.draft.options.len() * 4);
                    }
                }
            }
            Err(error) => prop_assert!(matches!(error, PageError::Input(_) | PageError::Version { .. }), "{error:?}"),
        }
    }

    #[test]
    fn stored_vectors_decode_exactly_or_not_at_all(values in proptest::collection::vec(any::<f32>(), 0..40), (cut, changes) in edits()) {
        let text = vectors::encode(&values);
        let back = vectors::decode(&text).unwrap();
        prop_assert_eq!(back.iter().map(|v| v.to_bits()).collect::<Vec<_>>(), values.iter().map(|v| v.to_bits()).collect::<Vec<_>>());
        let _ = vectors::decode(&edited(&text, cut, &changes));
    }
}
