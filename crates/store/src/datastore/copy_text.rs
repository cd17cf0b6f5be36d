//! PostgreSQL `COPY … FROM STDIN` text format: one line per row, tab between columns,
//! `\N` for null, and backslash escapes for backslash, tab, newline and carriage return
//! (https://www.postgresql.org/docs/15/sql-copy.html, "Text Format").

use std::fmt::Write;

use kaifang_tabular::Value;

/// Appends one row (`_id` first, the search terms last) to `out`.
/// `terms` are separated by spaces.
pub(crate) fn write_row(out: &mut String, id: i64, cells: &[Value], terms: &str) {
    // Writing into a String cannot fail.
    let _ = write!(out, "{id}");
    for cell in cells {
        out.push('\t');
        write_cell(out, cell);
    }
    out.push('\t');
    escape_into(
        out,
        &array_literal(terms.split(' ').filter(|t| !t.is_empty())),
    );
    out.push('\n');
}

/// A `text[]` literal (`{"a","b"}`): every element quoted, so that `NULL` or a comma is
/// text, with `"` and `\` escaped by a backslash.
/// https://www.postgresql.org/docs/15/arrays.html#ARRAYS-IO
pub(crate) fn array_literal<'a>(elements: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    out.push('{');
    for (index, element) in elements.into_iter().enumerate() {
        if index > 0 {
            out.push(',');
        }
        out.push('"');
        for c in element.chars() {
            if matches!(c, '"' | '\\') {
                out.push('\\');
            }
            out.push(c);
        }
        out.push('"');
    }
    out.push('}');
    out
}

fn write_cell(out: &mut String, cell: &Value) {
    let _ = match cell {
        Value::Null => {
            out.push_str("\\N");
            Ok(())
        }
        Value::String(s) => {
            escape_into(out, s);
            Ok(())
        }
        Value::Integer(i) => write!(out, "{i}"),
        // Rust prints the shortest text that reads back as the same f64, never with an
        // exponent; non-finite numbers were nulled by `conform`.
        Value::Number(n) => write!(out, "{n}"),
        Value::Boolean(b) => {
            out.push(if *b { 't' } else { 'f' });
            Ok(())
        }
        Value::Date(d) => write!(out, "{}", d.format("%Y-%m-%d")),
        Value::Datetime(t) => write!(out, "{}", t.format("%Y-%m-%d %H:%M:%S%.f")),
    };
}

fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_the_four_special_characters_and_writes_null_as_backslash_n() {
        let mut out = String::new();
        let cells = [
            Value::String("a\tb\nc\rd\\e \\N 浦东".to_owned()),
            Value::Null,
            Value::String(String::new()),
            Value::Boolean(false),
            Value::Number(0.1),
        ];
        write_row(&mut out, 7, &cells, "");
        assert_eq!(out, "7\ta\\tb\\nc\\rd\\\\e \\\\N 浦东\t\\N\t\tf\t0.1\t{}\n");
    }

    #[test]
    fn terms_are_a_quoted_array_escaped_twice() {
        let mut out = String::new();
        write_row(&mut out, 1, &[], "浦东 null a\"b c\\d");
        // Array text {"浦东","null","a\"b","c\\d"}, each backslash then doubled for COPY.
        assert_eq!(out, "1\t{\"浦东\",\"null\",\"a\\\\\"b\",\"c\\\\\\\\d\"}\n");
    }
}
