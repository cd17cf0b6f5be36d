//! What every reader shares: which rows are data, the per-column inference, the schema.
//!
//! # Rows that are not data
//!
//! Below the header, a row is skipped (and counted in a warning) when it is
//! - blank: every cell empty or white space;
//! - a comment: its only non-empty cell is the first and starts with `#`;
//! - a note: its only non-empty cell starts with a note label and a colon (`注：`,
//!   `数据来源：`, `资料来源:`, `说明：`, `Source:`, `Note:` …) — the footers of NBS
//!   exports, wherever they sit;
//! - a section row, in a table of three or more columns: its only non-empty cell is a
//!   line of its own in delimited text (no delimiter at all: the year lines of a pivot
//!   export), or in a workbook a cell merged across columns (`北京市（92所）` in the 教育部
//!   list). Section rows are dropped; the warning `section_rows_skipped` gives the count
//!   and the first one, so the grouping can be restored from the file if needed.
//!
//! # Columns
//!
//! The schema has one field per header cell, plus `field_N` for each position past the
//! header where some data row has a value (warning `extra_cells`), so no data cell is lost.
//! A column with a blank header and no value in any row is dropped (`empty_column_dropped`).
//! Short rows read as null in the missing cells.

use kaifang_domain::{Field, Schema};

use crate::cell::{Cell, Typing, to_value};
use crate::header::name_fields;
use crate::infer::ColumnInfer;
use crate::{TabularError, Value, Warning};

/// A row of cells, whatever the source.
pub(crate) trait Row {
    fn width(&self) -> usize;
    fn cell(&self, i: usize) -> Cell<'_>;
}

impl Row for csv::StringRecord {
    fn width(&self) -> usize {
        self.len()
    }
    fn cell(&self, i: usize) -> Cell<'_> {
        self.get(i).map_or(Cell::Empty, Cell::Text)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RowClass {
    Blank,
    Comment,
    Note,
    Section,
    Data,
}

const NOTE_LABELS: &[&str] = &[
    "注",
    "备注",
    "附注",
    "说明",
    "数据来源",
    "资料来源",
    "来源",
    "註",
    "備註",
    "說明",
    "資料來源",
    "source",
    "sources",
    "note",
    "notes",
];

fn is_note(text: &str) -> bool {
    let t = text.trim_start();
    NOTE_LABELS.iter().any(|label| {
        let Some(head) = t.get(..label.len()) else {
            return false;
        };
        if !head.eq_ignore_ascii_case(label) {
            return false;
        }
        let rest = t.get(label.len()..).unwrap_or_default();
        let rest = rest.trim_start_matches(|c: char| c.is_ascii_digit() || c == ' ');
        rest.starts_with('：') || rest.starts_with(':')
    })
}

/// Classifies a row under a header `header_width` cells wide. `section_hint(col)` says
/// whether a lone cell at `col` stands on a line of its own (see the module doc).
pub(crate) fn classify<R: Row + ?Sized>(
    row: &R,
    header_width: usize,
    section_hint: impl Fn(usize) -> bool,
) -> RowClass {
    let mut lone: Option<usize> = None;
    for i in 0..row.width() {
        if !row.cell(i).is_blank() {
            if lone.is_some() {
                return RowClass::Data;
            }
            lone = Some(i);
        }
    }
    let Some(col) = lone else {
        return RowClass::Blank;
    };
    let text = row.cell(col).text().unwrap_or_default();
    if col == 0 && text.starts_with('#') {
        RowClass::Comment
    } else if is_note(text) {
        RowClass::Note
    } else if header_width >= 3 && section_hint(col) {
        RowClass::Section
    } else {
        RowClass::Data
    }
}

/// Counts and infers over the rows below the header.
#[derive(Debug, Default)]
pub(crate) struct Accumulator {
    columns: Vec<ColumnInfer>,
    pub(crate) rows: u64,
    blank: u64,
    comments: u64,
    notes: u64,
    sections: u64,
    first_section: Option<String>,
}

impl Accumulator {
    pub(crate) fn take<R: Row + ?Sized>(&mut self, row: &R, class: RowClass) {
        match class {
            RowClass::Data => {
                self.rows += 1;
                let width = row.width();
                if self.columns.len() < width {
                    self.columns.resize_with(width, ColumnInfer::default);
                }
                for (i, col) in self.columns.iter_mut().enumerate().take(width) {
                    col.observe(row.cell(i));
                }
            }
            RowClass::Blank => self.blank += 1,
            RowClass::Comment => self.comments += 1,
            RowClass::Note => self.notes += 1,
            RowClass::Section => {
                self.sections += 1;
                if self.first_section.is_none() {
                    let text = (0..row.width())
                        .map(|i| row.cell(i))
                        .find(|c| !c.is_blank());
                    self.first_section = text.map(|c| c.header_text().trim().to_owned());
                }
            }
        }
    }

    /// The schema and read plan from the header cells (and a second header row's cells,
    /// used as descriptions).
    /// `header: None`: the table has no header row; every field is `field_N`.
    pub(crate) fn finish(
        self,
        header: Option<&[String]>,
        second: Option<&[String]>,
        warnings: &mut Vec<Warning>,
    ) -> (Schema, Vec<ColumnPlan>) {
        self.skipped_warnings(warnings);
        let headerless = header.is_none();
        let header = header.unwrap_or_default();
        let width = header.len().max(self.columns.len());
        let blank = ColumnInfer::default();
        let mut kept: Vec<(usize, String)> = Vec::new();
        let mut extra = 0;
        for i in 0..width {
            let raw = header.get(i).cloned().unwrap_or_default();
            let col = self.columns.get(i).unwrap_or(&blank);
            if raw.trim().is_empty() && col.non_null == 0 && col.errors == 0 {
                if i < header.len() {
                    warnings.push(Warning {
                        code: "empty_column_dropped",
                        message: format!("column {}: no header and no value; dropped", i + 1),
                    });
                }
                continue;
            }
            if i >= header.len() {
                extra += 1;
            }
            kept.push((i + 1, raw));
        }
        if extra > 0 && !headerless {
            warnings.push(Warning {
                code: "extra_cells",
                message: format!(
                    "{extra} column(s) past the header's {} hold values; kept as field_N",
                    header.len()
                ),
            });
        }
        let names = if headerless {
            let mut names = name_fields(&kept, &mut Vec::new());
            names.iter_mut().for_each(|n| n.original = None);
            names
        } else {
            name_fields(&kept, warnings)
        };
        let mut fields = Vec::with_capacity(kept.len());
        let mut plans = Vec::with_capacity(kept.len());
        for ((pos, _), named) in kept.iter().zip(names) {
            let source = pos - 1;
            let inferred = self.columns.get(source).unwrap_or(&blank).decide();
            column_warnings(&named.name, self.columns.get(source), inferred, warnings);
            let description = second
                .and_then(|s| s.get(source))
                .map(|d| d.trim().to_owned())
                .filter(|d| !d.is_empty());
            fields.push(Field {
                name: named.name,
                field_type: inferred.field_type,
                original_name: named.original,
                description,
            });
            plans.push(ColumnPlan {
                source,
                typing: inferred.typing,
            });
        }
        (Schema { fields }, plans)
    }

    fn skipped_warnings(&self, warnings: &mut Vec<Warning>) {
        let mut push = |code, n: u64, what: &str| {
            if n > 0 {
                warnings.push(Warning {
                    code,
                    message: format!("{n} {what} skipped"),
                });
            }
        };
        push(
            "comment_rows_skipped",
            self.comments,
            "comment row(s) starting with #",
        );
        push(
            "footer_rows_skipped",
            self.notes,
            "note or source row(s) (注：, 数据来源：…)",
        );
        if self.sections > 0 {
            let first = self.first_section.as_deref().unwrap_or_default();
            let what = format!("section row(s) holding one cell, the first {first:?},");
            push("section_rows_skipped", self.sections, &what);
        }
    }
}

fn column_warnings(
    name: &str,
    col: Option<&ColumnInfer>,
    inferred: crate::infer::Inferred,
    warnings: &mut Vec<Warning>,
) {
    let mut push = |code, message: String| warnings.push(Warning { code, message });
    if let Some(errors) = col.map(|c| c.errors).filter(|e| *e > 0) {
        push(
            "cell_errors",
            format!("{name}: {errors} error cell(s) (#DIV/0!…) read as null"),
        );
    }
    if inferred.zoned {
        push(
            "timezone_normalised",
            format!("{name}: datetimes with a zone converted to UTC"),
        );
    }
    if inferred.ambiguous_dates {
        push(
            "dates_ambiguous",
            format!("{name}: day and month order unclear; kept as text"),
        );
    }
    if inferred.typing.trim_padding {
        push(
            "padding_trimmed",
            format!("{name}: fixed-width padding spaces trimmed"),
        );
    }
}

/// Where a field's cells are in a source row, and how to type them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ColumnPlan {
    pub(crate) source: usize,
    pub(crate) typing: Typing,
}

/// Types a data row by the schema. `Err(i)`: field `i` no longer fits its type.
pub(crate) fn typed_row<R: Row + ?Sized>(
    row: &R,
    fields: &[Field],
    plans: &[ColumnPlan],
) -> Result<Vec<Value>, usize> {
    let mut out = Vec::with_capacity(plans.len());
    for (i, (field, plan)) in fields.iter().zip(plans).enumerate() {
        let cell = if plan.source < row.width() {
            row.cell(plan.source)
        } else {
            Cell::Empty
        };
        out.push(to_value(cell, field.field_type, plan.typing).ok_or(i)?);
    }
    Ok(out)
}

/// A value that did not fit the type the analysis found.
pub(crate) fn misfit(format: &'static str, location: String, field: &Field) -> TabularError {
    let (name, ty) = (&field.name, field.field_type.as_str());
    let message = format!("a value of {name:?} is not a {ty}: the file changed since the analysis");
    TabularError::Malformed {
        format,
        location,
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_need_a_label_and_a_colon() {
        assert!(is_note("注：货币供应量已包含住房公积金中心存款"));
        assert!(is_note("数据来源：国家统计局"));
        assert!(is_note("Source: ONS"));
        assert!(is_note("注1: x"));
        assert!(!is_note("注销"));
        assert!(!is_note("Sources of income"));
    }
}
