//! Finding the header row, and turning header cells into field names.
//!
//! # Where the header is
//!
//! When the first non-blank row is filled with numbers or dates only, the table has no
//! header (below). Otherwise, among the first 30 non-blank rows (rows whose first cell
//! starts with `#` are comments, never the header), judged against the first 200 rows:
//! 1. the first row with rows below it whose non-empty cell count is at least 60% of the
//!    modal count (over the rows read ahead), and whose non-empty cells are mostly text
//!    (not numbers, dates or booleans) — so padded title lines (`时间：1990-2021,,,,,,`)
//!    are passed over;
//! 2. else the first row with no typed cell, as wide as the rows after it, holding text
//!    above a column that is typed below it (a sparse header over numbers);
//! 3. else the first row filled like rule 1 and as wide as the rows after it (a header of
//!    years above numbers);
//! 4. else the first non-blank row.
//!
//! A table without a header has `header_row` 0 and fields `field_N` (warning `no_header`).
//!
//! A second header row directly below (all its cells text, at least one above a column
//! that is typed below it — the English names under Chinese ones) is not data: its cells
//! become the fields' descriptions.
//!
//! # Field names
//!
//! Each header cell, in column order:
//! - surrounding white space is trimmed (warning `header_trimmed`), and line breaks or
//!   tabs inside become one space, other control characters (NUL…) are removed (warning
//!   `header_renamed`);
//! - a blank header becomes `field_N`, N its 1-based column position;
//! - a name seen before (case-sensitive: `Name` and `name` are two fields) becomes
//!   `name_2`, `name_3`… in order of appearance, skipping suffixes already taken;
//! - anything else, punctuation and SQL included, is kept as it is.
//!
//! When the name differs from the cell, `Field.original_name` keeps the cell as written,
//! and each renaming gives a `header_renamed` warning.

use std::collections::{HashMap, HashSet};

use crate::Warning;
use crate::cell::Kind;
use crate::table::Row;

const CANDIDATES: usize = 30;

/// The header's index among the rows given, and whether the next data row is a second
/// header row (its index). `headerless`: the chosen row holds no text at all (numbers,
/// dates): it is the first data row and the fields are named `field_N`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct HeaderChoice {
    pub(crate) index: usize,
    pub(crate) second: Option<usize>,
    pub(crate) headerless: bool,
}

impl HeaderChoice {
    /// Index of the first row below the header (rows before it are not data).
    pub(crate) fn data_start(&self) -> usize {
        if self.headerless {
            self.index
        } else {
            self.second.unwrap_or(self.index) + 1
        }
    }

    /// The header's 1-based row number counted from `first` (the first row's number);
    /// 0 when there is no header.
    pub(crate) fn row_number(&self, first: u64) -> u64 {
        if self.headerless {
            0
        } else {
            first + self.index as u64
        }
    }

    pub(crate) fn warnings(&self, warnings: &mut Vec<Warning>) {
        let mut push = |code, message: String| warnings.push(Warning { code, message });
        if self.index > 0 {
            let n = self.index;
            push(
                "preamble_skipped",
                format!("{n} row(s) above the header (titles, notes) skipped"),
            );
        }
        if self.second.is_some() {
            let what = "the row below the header is a second header row; kept as descriptions";
            push("header_second_row", what.to_owned());
        }
        if self.headerless {
            let what = "the first row holds only numbers or dates: no header; fields are field_N";
            push("no_header", what.to_owned());
        }
    }
}

#[derive(Debug, Clone, Copy, Default)]
struct Summary {
    width: usize,
    non_empty: usize,
    typed: usize,
    skip: bool,
}

fn summarize<R: Row + ?Sized>(row: &R) -> Summary {
    let mut s = Summary {
        width: row.width(),
        ..Summary::default()
    };
    let mut first_text: Option<bool> = None;
    for i in 0..s.width {
        let cell = row.cell(i);
        match cell.kind() {
            Kind::Blank => continue,
            Kind::Typed => s.typed += 1,
            Kind::Text => {}
        }
        s.non_empty += 1;
        if first_text.is_none() {
            first_text = Some(i == 0 && cell.text().is_some_and(|t| t.starts_with('#')));
        }
    }
    s.skip = s.non_empty == 0 || first_text == Some(true);
    s
}

/// `rows` are the first rows of the table; `is_data(i, h)` says whether row `i` would be a
/// data row under header row `h` (not a section or note row).
pub(crate) fn detect<R: Row>(
    rows: &[R],
    is_data: impl Fn(usize, usize) -> bool,
) -> Option<HeaderChoice> {
    let sums: Vec<Summary> = rows.iter().map(|r| summarize(r)).collect();
    let live: Vec<usize> = (0..rows.len()).filter(|&i| !sums[i].skip).collect();
    let cands = live.get(..CANDIDATES.min(live.len())).unwrap_or_default();
    let after = |i: usize| live.iter().copied().filter(move |&j| j > i);
    let mode = |i: usize, f: fn(&Summary) -> usize| -> Option<usize> {
        let mut counts: HashMap<usize, usize> = HashMap::new();
        for j in after(i) {
            *counts.entry(f(&sums[j])).or_default() += 1;
        }
        counts
            .into_iter()
            .max_by_key(|&(v, n)| (n, v))
            .map(|(v, _)| v)
    };
    // The table's modal fill, over every row read ahead: footers and preambles are few.
    let fill = {
        let mut counts: HashMap<usize, usize> = HashMap::new();
        for &j in &live {
            *counts.entry(sums[j].non_empty).or_default() += 1;
        }
        counts
            .into_iter()
            .max_by_key(|&(v, n)| (n, v))
            .map_or(0, |(v, _)| v)
    };
    let filled = |i: usize| sums[i].non_empty * 5 >= fill * 3 && sums[i].non_empty > 0;
    // Rules 1 and 2 judge a row against rows below it; a last line (a footer) has none.
    let has_rows_below = |i: usize| after(i).next().is_some();
    let as_wide = |i: usize| mode(i, |s| s.width).is_none_or(|w| w == sums[i].width);
    let contrast = |i: usize| {
        (0..sums[i].width)
            .any(|col| rows[i].cell(col).kind() == Kind::Text && typed_below(rows, &sums, i, col))
    };
    // A table whose first row is filled with numbers or dates starts with data.
    let starts_with_data = cands
        .first()
        .copied()
        .filter(|&i| filled(i) && sums[i].typed == sums[i].non_empty);
    let index = starts_with_data
        .or_else(|| {
            cands
                .iter()
                .copied()
                .find(|&i| has_rows_below(i) && filled(i) && sums[i].typed * 2 < sums[i].non_empty)
        })
        .or_else(|| {
            cands
                .iter()
                .copied()
                .find(|&i| sums[i].typed == 0 && as_wide(i) && contrast(i))
        })
        .or_else(|| cands.iter().copied().find(|&i| filled(i) && as_wide(i)))
        .or_else(|| cands.first().copied())?;
    if starts_with_data.is_some() {
        return Some(HeaderChoice {
            index,
            second: None,
            headerless: true,
        });
    }
    let second = after(index)
        .next()
        .filter(|&j| is_data(j, index) && sums[j].typed == 0 && contrast(j));
    Some(HeaderChoice {
        index,
        second,
        headerless: false,
    })
}

/// Whether the non-blank cells of `col` below row `i` are (nearly) all typed.
fn typed_below<R: Row>(rows: &[R], sums: &[Summary], i: usize, col: usize) -> bool {
    let (mut typed, mut total) = (0usize, 0usize);
    for (row, s) in rows.iter().zip(sums).skip(i + 1) {
        if s.skip || col >= s.width {
            continue;
        }
        match row.cell(col).kind() {
            Kind::Blank => {}
            Kind::Typed => {
                typed += 1;
                total += 1;
            }
            Kind::Text => total += 1,
        }
    }
    total >= 2 && typed * 10 >= total * 9
}

/// A field's name and, when it was changed, the header cell as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Named {
    pub(crate) name: String,
    pub(crate) original: Option<String>,
}

/// Names fields from `(1-based position, header cell)` pairs, by the rules in the module doc.
pub(crate) fn name_fields(cells: &[(usize, String)], warnings: &mut Vec<Warning>) -> Vec<Named> {
    let cleaned: Vec<String> = cells.iter().map(|(_, raw)| clean(raw)).collect();
    let mut taken: HashSet<String> = cleaned.iter().filter(|c| !c.is_empty()).cloned().collect();
    let mut seen: HashSet<&str> = HashSet::new();
    let mut out = Vec::with_capacity(cells.len());
    for ((pos, raw), clean) in cells.iter().zip(&cleaned) {
        let name = if clean.is_empty() {
            unique(format!("field_{pos}"), &mut taken)
        } else if !seen.insert(clean.as_str()) {
            let mut n = 2;
            loop {
                let candidate = format!("{clean}_{n}");
                if taken.insert(candidate.clone()) {
                    break candidate;
                }
                n += 1;
            }
        } else {
            clean.clone()
        };
        if name != *raw {
            let trimmed_only = name == raw.trim();
            let (code, why) = if trimmed_only {
                ("header_trimmed", "white space trimmed")
            } else {
                ("header_renamed", "renamed")
            };
            warnings.push(Warning {
                code,
                message: format!("column {pos}: header {raw:?} {why} to {name:?}"),
            });
        }
        let original = (name != *raw).then(|| raw.clone());
        out.push(Named { name, original });
    }
    out
}

fn unique(base: String, taken: &mut HashSet<String>) -> String {
    if taken.insert(base.clone()) {
        return base;
    }
    let mut n = 2;
    loop {
        let candidate = format!("{base}_{n}");
        if taken.insert(candidate.clone()) {
            return candidate;
        }
        n += 1;
    }
}

fn clean(raw: &str) -> String {
    let t = raw.trim();
    if !t.contains(char::is_control) {
        return t.to_owned();
    }
    // A run of white space holding a line break or tab becomes one space; other control
    // characters go.
    let mut out = String::with_capacity(t.len());
    let mut run = String::new();
    let mut broken = false;
    for c in t.chars() {
        if c.is_whitespace() {
            run.push(c);
            broken |= c.is_control();
            continue;
        }
        if !run.is_empty() {
            out.push_str(if broken { " " } else { &run });
            run.clear();
            broken = false;
        }
        if !c.is_control() {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(cells: &[&str]) -> Vec<(String, Option<String>)> {
        let cells: Vec<(usize, String)> = cells
            .iter()
            .enumerate()
            .map(|(i, c)| (i + 1, (*c).to_owned()))
            .collect();
        let mut w = Vec::new();
        name_fields(&cells, &mut w)
            .into_iter()
            .map(|n| (n.name, n.original))
            .collect()
    }

    #[test]
    fn renaming_rule() {
        let got = names(&[
            "id", "name", "", "name", "Name", " x ", "name_2", "name", "a \n\tb",
        ]);
        let want = [
            ("id", None),
            ("name", None),
            ("field_3", Some("")),
            ("name_3", Some("name")),
            ("Name", None),
            ("x", Some(" x ")),
            ("name_2", None),
            ("name_4", Some("name")),
            ("a b", Some("a \n\tb")),
        ];
        let want: Vec<(String, Option<String>)> = want
            .iter()
            .map(|(n, o)| ((*n).to_owned(), o.map(str::to_owned)))
            .collect();
        assert_eq!(got, want);
    }
}
