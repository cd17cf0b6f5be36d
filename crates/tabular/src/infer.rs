//! Type inference for one column, fed every cell of every data row.
//!
//! A column starts able to be every type and each non-null value removes the types it
//! does not fit; a value that forces text (see [`crate::text`]) makes it a string outright.
//! What is left decides, in this order: boolean, integer, number, date, datetime, string.
//! A column with no value at all is a string. Nulls never narrow a column.
//!
//! Workbook cells count by their cell type: a number cell is a number (an integral one
//! like `1.0` can still make an integer column), a date cell a date, a text cell is read
//! like delimited text except that a number written as text (`4111010001`, `001`) keeps
//! the column a string: the author typed a code.
//!
//! Fixed-width padding: a string column whose values all have the same length (three
//! characters or more), most of them ending in spaces (`"020       "`), is read with
//! trailing spaces trimmed. Any other value is kept exactly as written.

use kaifang_domain::FieldType;

use crate::cell::{Cell, Typing, integral};
use crate::text::{self, DateOrder, Shape};
use crate::text::{ALL, BOOL, DATE_DMY, DATE_MDY, DATE_YMD, DT_NAIVE, DT_ZONED, INT, NUM};

#[derive(Debug, Clone)]
pub(crate) struct ColumnInfer {
    mask: u16,
    forced: bool,
    pub(crate) non_null: u64,
    pub(crate) errors: u64,
    /// Char length shared by every text value so far; `None` before the first.
    width: Option<usize>,
    same_width: bool,
    widths_seen: u64,
    padded: u64,
}

impl Default for ColumnInfer {
    fn default() -> Self {
        Self {
            mask: ALL,
            forced: false,
            non_null: 0,
            errors: 0,
            width: None,
            same_width: true,
            widths_seen: 0,
            padded: 0,
        }
    }
}

/// The decision for one column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Inferred {
    pub(crate) field_type: FieldType,
    pub(crate) typing: Typing,
    pub(crate) zoned: bool,
    pub(crate) ambiguous_dates: bool,
}

impl ColumnInfer {
    pub(crate) fn observe(&mut self, cell: Cell<'_>) {
        let mask = match cell {
            Cell::Empty => return,
            Cell::Error => {
                self.errors += 1;
                return;
            }
            Cell::Text(s) => match text::shape(s) {
                Shape::Null => return,
                shape => {
                    self.track_width(s);
                    match shape {
                        Shape::Typed(m) => m,
                        _ => {
                            self.forced = true;
                            0
                        }
                    }
                }
            },
            Cell::SheetText(s) => match text::shape(s) {
                Shape::Null => return,
                Shape::Typed(m) if m & (INT | NUM) == 0 => m,
                _ => {
                    self.forced = true;
                    0
                }
            },
            Cell::Nested(_) => {
                self.forced = true;
                0
            }
            Cell::Int(_) => INT | NUM,
            Cell::Float(f) => {
                if integral(f).is_some() {
                    INT | NUM
                } else {
                    NUM
                }
            }
            Cell::Bool(_) => BOOL,
            Cell::Date(_) => DATE_YMD | DT_NAIVE,
            Cell::Datetime(_) => DT_NAIVE,
            Cell::Clock(_) => 0,
        };
        self.non_null += 1;
        self.mask &= mask;
    }

    fn track_width(&mut self, s: &str) {
        if !self.same_width {
            return;
        }
        let n = s.chars().count();
        match self.width {
            None => self.width = Some(n),
            Some(w) if w != n => self.same_width = false,
            Some(_) => {}
        }
        self.widths_seen += 1;
        if s.ends_with(' ') {
            self.padded += 1;
        }
    }

    pub(crate) fn decide(&self) -> Inferred {
        let m = self.mask;
        let mut out = Inferred {
            field_type: FieldType::String,
            typing: Typing::default(),
            zoned: false,
            ambiguous_dates: false,
        };
        if self.forced || self.non_null == 0 {
            out.typing.trim_padding = self.padding_trimmed();
            return out;
        }
        let (ty, order) = if m & BOOL != 0 {
            (FieldType::Boolean, DateOrder::Ymd)
        } else if m & INT != 0 {
            (FieldType::Integer, DateOrder::Ymd)
        } else if m & NUM != 0 {
            (FieldType::Number, DateOrder::Ymd)
        } else if m & DATE_YMD != 0 {
            (FieldType::Date, DateOrder::Ymd)
        } else if m & DATE_MDY != 0 && m & DATE_DMY == 0 {
            (FieldType::Date, DateOrder::Mdy)
        } else if m & DATE_DMY != 0 && m & DATE_MDY == 0 {
            (FieldType::Date, DateOrder::Dmy)
        } else if m & (DT_NAIVE | DT_ZONED) != 0 {
            out.zoned = m & DT_NAIVE == 0;
            (FieldType::Datetime, DateOrder::Ymd)
        } else {
            out.ambiguous_dates = m & DATE_MDY != 0;
            out.typing.trim_padding = self.padding_trimmed();
            return out;
        };
        out.field_type = ty;
        out.typing.date_order = order;
        out
    }

    fn padding_trimmed(&self) -> bool {
        self.same_width && self.padded * 2 > self.widths_seen && self.width.is_some_and(|w| w > 2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn infer(values: &[&str]) -> Inferred {
        let mut c = ColumnInfer::default();
        for v in values {
            c.observe(Cell::Text(v));
        }
        c.decide()
    }

    #[test]
    fn nulls_do_not_narrow_and_shapes_mix_to_string() {
        assert_eq!(infer(&["1", "", "N/A", "3"]).field_type, FieldType::Integer);
        assert_eq!(infer(&["1", "2.5"]).field_type, FieldType::Number);
        assert_eq!(infer(&["1", "2020-01-02"]).field_type, FieldType::String);
        assert_eq!(
            infer(&["2020-01-02", "2020-01-02 10:00"]).field_type,
            FieldType::Datetime
        );
        assert_eq!(infer(&["1", "010"]).field_type, FieldType::String);
        assert_eq!(infer(&["", "-"]).field_type, FieldType::String);
        assert_eq!(infer(&["TRUE", "false"]).field_type, FieldType::Boolean);
        let amb = infer(&["02/01/2014", "03/04/2015"]);
        assert_eq!(
            (amb.field_type, amb.ambiguous_dates),
            (FieldType::String, true)
        );
        assert_eq!(
            infer(&["02/01/2014", "31/12/2012"]).typing.date_order,
            DateOrder::Dmy
        );
        assert!(infer(&["020       ", "N000      "]).typing.trim_padding);
        assert!(!infer(&["a ", "bc"]).typing.trim_padding);
        assert!(infer(&["ab  ", "abc ", "abcd"]).typing.trim_padding);
        assert!(!infer(&["ab  ", "abcd", "abcd"]).typing.trim_padding);
        assert!(!infer(&["ab  ", "abc  ", "abcd"]).typing.trim_padding);
    }
}
