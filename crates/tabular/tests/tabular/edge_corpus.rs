//! shared/corpus/edge: every file imports or is refused with a clear error, never a panic;
//! and a closer look at the interesting ones.

use std::path::{Path, PathBuf};

use kaifang_domain::FieldType;
use kaifang_tabular::{ReadOptions, TabularError, Value, analyse, read_rows};

use crate::common::{col, field_type, has_warning, load, names, shared, text};

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files_under(&path, out);
        } else if path.file_name().is_some_and(|n| n != "SOURCES.md") {
            out.push(path);
        }
    }
}

/// Ok with every row readable, or a typed error with a message.
fn outcome(path: &Path) -> Result<u64, TabularError> {
    let analysis = analyse(path, &ReadOptions::default())?;
    let mut n = 0;
    for row in read_rows(path, &analysis)? {
        let row = row?;
        assert_eq!(
            row.len(),
            analysis.schema.fields.len(),
            "{}",
            path.display()
        );
        n += 1;
    }
    assert_eq!(n, analysis.rows, "{}: rows read vs counted", path.display());
    Ok(n)
}

#[test]
fn every_edge_file_imports_or_is_refused_cleanly() {
    let Some(dir) = shared("corpus/edge") else {
        return;
    };
    let mut files = Vec::new();
    files_under(&dir, &mut files);
    files.sort();
    assert!(files.len() >= 130, "found {} files", files.len());
    let mut refused = Vec::new();
    for path in &files {
        let result = std::panic::catch_unwind(|| outcome(path));
        match result {
            Ok(Ok(_)) => {}
            Ok(Err(e)) => {
                assert!(
                    !e.to_string().is_empty(),
                    "{}: empty message",
                    path.display()
                );
                refused.push(path.file_name().map(|n| n.to_string_lossy().into_owned()));
            }
            Err(_) => panic!("{} panicked", path.display()),
        }
    }
    // Exactly the files that are not tables: encrypted, corrupt, empty, xlsb.
    let mut refused: Vec<String> = refused.into_iter().flatten().collect();
    refused.sort();
    let want = [
        "any_sheets.xlsb",
        "empty.csv",
        "empty_sheet.xlsx",
        "encrypted_no_password.xls",
        "pass_protected.xlsx",
        "too_small.xls",
    ];
    assert_eq!(refused, want);
}

fn refusal(rel: &str) -> Option<TabularError> {
    let path = shared(rel)?;
    match analyse(&path, &ReadOptions::default()) {
        Ok(an) => panic!("{rel} was accepted: {an:?}"),
        Err(e) => Some(e),
    }
}

#[test]
fn encrypted_workbooks_are_refused_with_a_clear_message() {
    for rel in [
        "corpus/edge/messytables/encrypted_no_password.xls",
        "corpus/edge/calamine/pass_protected.xlsx",
    ] {
        let Some(err) = refusal(rel) else { return };
        assert!(
            matches!(err, TabularError::Unsupported(_)),
            "{rel}: {err:?}"
        );
        assert!(
            err.to_string().contains("password-protected"),
            "{rel}: {err}"
        );
    }
}

#[test]
fn a_truncated_xls_that_is_text_is_refused() {
    let Some(err) = refusal("corpus/edge/calamine/too_small.xls") else {
        return;
    };
    assert!(matches!(err, TabularError::Unsupported(_)), "{err:?}");
    assert!(err.to_string().contains(".xls"), "{err}");
}

#[test]
fn empty_inputs() {
    let Some(err) = refusal("corpus/edge/frictionless-py/empty.csv") else {
        return;
    };
    assert!(matches!(err, TabularError::Empty(_)), "{err:?}");
    let Some(err) = refusal("corpus/edge/calamine/empty_sheet.xlsx") else {
        return;
    };
    assert!(matches!(err, TabularError::Empty(_)), "{err:?}");
    let Some(path) = shared("corpus/edge/frictionless-py/without-rows.csv") else {
        return;
    };
    let (an, rows) = load(&path);
    assert_eq!(names(&an), ["id", "name"]);
    assert_eq!((an.rows, rows.len()), (0, 0));
    // A BOM and a header, no newline: 13 bytes.
    let Some(path) = shared("corpus/edge/messytables/utf8bom.csv") else {
        return;
    };
    let (an, rows) = load(&path);
    assert_eq!(names(&an), ["kitten", "win"]);
    assert!(rows.is_empty());
}

#[test]
fn xlsb_is_refused_with_advice() {
    let Some(err) = refusal("corpus/edge/calamine/any_sheets.xlsb") else {
        return;
    };
    assert!(err.to_string().contains("xlsx"), "{err}");
}

#[test]
fn utf16_with_bom_both_orders() {
    for (rel, enc) in [
        ("corpus/edge/csvkit/test_utf16_big.csv", "UTF-16BE"),
        ("corpus/edge/csvkit/test_utf16_little.csv", "UTF-16LE"),
    ] {
        let Some(path) = shared(rel) else { return };
        let (an, rows) = load(&path);
        assert_eq!(an.encoding.as_deref(), Some(enc), "{rel}");
        assert_eq!(names(&an), ["a", "b", "c"]);
        assert_eq!(rows[1], [Value::Integer(4), Value::Integer(5), text("ʤ")]);
    }
    let Some(path) = shared("corpus/edge/messytables/utf-16le_encoded.csv") else {
        return;
    };
    let (an, _) = load(&path);
    assert_eq!(an.encoding.as_deref(), Some("UTF-16LE"));
    assert_eq!(an.schema.fields[0].name, "Organisation_code");
}

#[test]
fn cr_only_line_ends() {
    let Some(path) = shared("corpus/edge/csvkit/mac_newlines.csv") else {
        return;
    };
    let (an, rows) = load(&path);
    assert_eq!(names(&an), ["a", "b", "c"]);
    assert_eq!(rows.len(), 2);
    assert_eq!(
        rows[1],
        [
            text("Once upon\ra time"),
            Value::Integer(5),
            Value::Integer(6)
        ]
    );
}

#[test]
fn delimiters_are_sniffed() {
    for (rel, delimiter) in [
        ("corpus/edge/frictionless-py/issue-1009-semicolon.csv", ';'),
        ("corpus/edge/csvkit/sniff_limit.csv", ';'),
        ("corpus/edge/ckanext-xloader/german_sample.csv", ';'),
        ("corpus/edge/messytables/simple.psv", '|'),
        ("corpus/edge/messytables/simple.ssv", ';'),
        ("corpus/edge/frictionless-py/delimiter.csv", ';'),
    ] {
        let Some(path) = shared(rel) else { return };
        let (an, _) = load(&path);
        assert_eq!(an.delimiter, Some(delimiter), "{rel}");
    }
    let Some(path) = shared("corpus/edge/frictionless-py/issue-1009-semicolon.csv") else {
        return;
    };
    let (_, rows) = load(&path);
    assert_eq!(rows[0][0], text("0123"));
}

#[test]
fn latin_files_decode_as_windows_1252() {
    let Some(path) = shared("corpus/edge/frictionless-py/latin1.csv") else {
        return;
    };
    let (an, rows) = load(&path);
    assert_eq!(an.encoding.as_deref(), Some("windows-1252"));
    assert_eq!(rows[1], [Value::Integer(2), text("©")]);
    let Some(path) = shared("corpus/edge/messytables/spanish_chars.csv") else {
        return;
    };
    let (an, _) = load(&path);
    assert_eq!(an.encoding.as_deref(), Some("windows-1252"));
    assert!(names(&an).contains(&"Descripción"));
    let Some(path) = shared("corpus/edge/ckanext-xloader/non_utf8_sample.csv") else {
        return;
    };
    let (an, _) = load(&path);
    assert_eq!(an.encoding.as_deref(), Some("windows-1252"));
}

#[test]
fn greek_single_byte_text_decodes() {
    let Some(path) = shared("corpus/edge/frictionless-py/table-infer-iso-8859-7.csv") else {
        return;
    };
    let (_, rows) = load(&path);
    // CB E5 F9 ED E9 E4 E1 F2 in ISO-8859-7.
    assert_eq!(
        rows[0],
        [Value::Integer(1), Value::Integer(39), text("Λεωνιδας")]
    );
}

#[test]
fn sparse_first_non_ascii_byte_is_found() {
    let Some(path) = shared("corpus/edge/frictionless-py/encoding-issue-274.csv") else {
        return;
    };
    let (an, rows) = load(&path);
    assert_eq!(an.encoding.as_deref(), Some("UTF-8"));
    let flat: String = rows.iter().flatten().map(Value::to_text).collect();
    assert!(flat.contains('ā'));
}

#[test]
fn null_tokens_and_others() {
    let Some(path) = shared("corpus/edge/csvkit/blanks.csv") else {
        return;
    };
    let (_, rows) = load(&path);
    // `NONE` and `.` are not null tokens: kept as written.
    assert_eq!(
        rows[0],
        [
            Value::Null,
            Value::Null,
            Value::Null,
            text("NONE"),
            Value::Null,
            text(".")
        ]
    );
}

#[test]
fn zoned_datetimes_are_converted_to_utc() {
    let Some(path) = shared("corpus/edge/frictionless-py/issue-1105-timezone.csv") else {
        return;
    };
    let (an, rows) = load(&path);
    assert_eq!(field_type(&an, "timestamp"), FieldType::Datetime);
    assert!(has_warning(&an, "timezone_normalised"));
    let utc = |h| {
        chrono::NaiveDate::from_ymd_opt(2020, 1, 1)
            .and_then(|d| d.and_hms_opt(h, 0, 0))
            .map(Value::Datetime)
    };
    assert_eq!(Some(rows[0][1].clone()), utc(15));
    assert_eq!(Some(rows[1][1].clone()), utc(12));
}

#[test]
fn excel_error_cells_are_null_with_a_warning() {
    let Some(path) = shared("corpus/edge/calamine/errors.xlsx") else {
        return;
    };
    let (an, rows) = load(&path);
    assert_eq!(rows.len(), 7);
    assert!(rows.iter().all(|r| r == &[Value::Null]));
    let warning = an.warnings.iter().find(|w| w.code == "cell_errors");
    assert!(
        warning.is_some_and(|w| w.message.contains("7 error")),
        "{:?}",
        an.warnings
    );
}

#[test]
fn blank_lines_and_comments_before_the_header() {
    let Some(path) = shared("corpus/edge/csvkit/test_skip_lines.csv") else {
        return;
    };
    let (an, rows) = load(&path);
    assert_eq!(names(&an), ["a", "b", "c"]);
    assert_eq!(
        rows,
        [[Value::Integer(1), Value::Integer(2), Value::Integer(3)]]
    );
    let Some(path) = shared("corpus/edge/frictionless-py/matrix-with-comment.csv") else {
        return;
    };
    let (an, rows) = load(&path);
    assert_eq!(an.header_row, 2);
    assert_eq!(names(&an), ["f1", "f2", "f3", "f4"]);
    assert_eq!(rows.len(), 4);
    for rel in [
        "corpus/edge/csvkit/test_skip_lines.xlsx",
        "corpus/edge/csvkit/test_skip_lines.xls",
    ] {
        let Some(path) = shared(rel) else { return };
        let (an, rows) = load(&path);
        assert_eq!(an.header_row, 4, "{rel}");
        assert_eq!(rows.len(), 5, "{rel}");
        assert_eq!(field_type(&an, "date"), FieldType::Date, "{rel}");
        assert_eq!(field_type(&an, "boolean"), FieldType::Boolean, "{rel}");
        // A value past the header's last column is kept in field_8.
        let extra = col(&an, "field_8");
        let kept = text("Extra data beyond headers will be trimmed");
        assert!(rows.iter().any(|r| r[extra] == kept), "{rel}");
    }
}

#[test]
fn title_and_unit_rows_before_a_header_of_years() {
    let Some(path) = shared("corpus/edge/messytables/excel_pasting.csv") else {
        return;
    };
    let (an, rows) = load(&path);
    assert_eq!(an.header_row, 4);
    assert_eq!(names(&an)[..3], ["Year", "2000", "2001"]);
    assert_eq!(field_type(&an, "2000"), FieldType::Integer);
    assert_eq!(
        rows[0][..3],
        [text("Timber"), Value::Integer(2666), Value::Integer(2274)]
    );
    assert_eq!(rows.last().map(|r| r[0].clone()), Some(text("Total")));
    assert!(has_warning(&an, "footer_rows_skipped"));
}

#[test]
fn ragged_rows_lose_no_cell() {
    let Some(path) = shared("corpus/edge/frictionless-py/invalid.csv") else {
        return;
    };
    let (an, rows) = load(&path);
    assert_eq!(names(&an), ["id", "name", "field_3", "name_2", "field_5"]);
    assert!(has_warning(&an, "extra_cells"));
    assert_eq!(
        rows[2],
        [
            Value::Integer(2),
            text("german"),
            Value::Integer(1),
            Value::Integer(2),
            Value::Integer(3)
        ]
    );
    assert_eq!(rows[0][2..], [Value::Null, Value::Null, Value::Null]);
}

#[test]
fn workbooks_with_two_sheets_list_both() {
    let Some(path) = shared("corpus/edge/ckanext-xloader/go-realtime.xlsx") else {
        return;
    };
    let (an, _) = load(&path);
    assert_eq!(an.sheets, ["Realtime", "Tabelle1"]);
    assert_eq!(an.sheet.as_deref(), Some("Realtime"));
}

#[test]
fn ndjson_with_different_keys_per_line() {
    let Some(path) = shared("corpus/edge/csvkit/testjson_multiline.json") else {
        return;
    };
    let (an, rows) = load(&path);
    assert_eq!(names(&an), ["a", "b", "d"]);
    assert_eq!(rows[0], [Value::Integer(2), Value::Integer(3), Value::Null]);
    assert_eq!(rows[1], [Value::Null, Value::Integer(2), Value::Integer(4)]);
}
