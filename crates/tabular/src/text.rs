//! What a piece of cell text can be: the shapes type inference accepts, and their parsers.
//!
//! Rules (the analysis and the read pass both use them, so they always agree):
//! - Text is trimmed of white space before it is judged; white space alone is null.
//! - Null tokens: `N/A`, `n/a`, `NULL`, `null`, `Null`, `NA`, `#N/A`, `-`, `--`, `—`.
//! - Integer: `-?` digits without a leading zero (`0` alone is fine), or valid thousands
//!   grouping (`1,200`). Number: the same with a fraction (`0.5`, `1,200.00`) or an
//!   exponent (`1.5e3`); `.5` is accepted.
//! - Forcing text (the whole column becomes a string): a significant leading zero (`010010`,
//!   `00.11`), a leading `+` before a digit (`+8613800000000`), more than 15 digits
//!   (beyond a double's precision: ID numbers), and mainland mobile numbers
//!   (`1[3-9]` + 9 digits).
//! - Boolean: `true`/`false` in any letter case. `是`/`否` stay text, so they round-trip.
//! - Date: `YYYY-M-D`, `YYYY/M/D`, `YYYY.M.D`, `YYYY年M月D日`; `M/D/YYYY` and `D/M/YYYY`
//!   only when the column settles the order (some day above 12) — otherwise text.
//! - Datetime: a year-first date, `T` or a space, `H:MM[:SS[.fraction]]`, then an optional
//!   zone (`Z`, `+08:00`, `+0800`, `+08`). Zoned values are converted to UTC; a column that
//!   mixes zoned and unzoned values stays text.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

pub(crate) const INT: u16 = 1;
pub(crate) const NUM: u16 = 1 << 1;
pub(crate) const BOOL: u16 = 1 << 2;
pub(crate) const DATE_YMD: u16 = 1 << 3;
pub(crate) const DATE_MDY: u16 = 1 << 4;
pub(crate) const DATE_DMY: u16 = 1 << 5;
pub(crate) const DT_NAIVE: u16 = 1 << 6;
pub(crate) const DT_ZONED: u16 = 1 << 7;
/// Every typed shape: the starting mask of a column.
pub(crate) const ALL: u16 = INT | NUM | BOOL | DATE_YMD | DATE_MDY | DATE_DMY | DT_NAIVE | DT_ZONED;

/// How one text value can be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    Null,
    /// The typed shapes the value fits (a mask of the constants above; 0 = plain text).
    Typed(u16),
    /// Text that must keep its column a string (leading zero, `+`, long digit runs).
    Forced,
}

/// Order of day and month in a year-last date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum DateOrder {
    #[default]
    Ymd,
    Mdy,
    Dmy,
}

pub(crate) fn is_null_token(t: &str) -> bool {
    matches!(
        t,
        "" | "N/A" | "n/a" | "NULL" | "null" | "Null" | "NA" | "#N/A" | "-" | "--" | "—"
    )
}

pub(crate) fn shape(raw: &str) -> Shape {
    let t = raw.trim();
    if is_null_token(t) {
        return Shape::Null;
    }
    let b = t.as_bytes();
    let Some(&first) = b.first() else {
        return Shape::Null;
    };
    if first.is_ascii_digit() || first == b'-' || first == b'+' || first == b'.' {
        if forces_text(b) {
            return Shape::Forced;
        }
        if let Some(mask) = number_shape(b) {
            return Shape::Typed(mask);
        }
        if first.is_ascii_digit() {
            return Shape::Typed(date_shape(t));
        }
        return Shape::Typed(0);
    }
    if t.eq_ignore_ascii_case("true") || t.eq_ignore_ascii_case("false") {
        return Shape::Typed(BOOL);
    }
    Shape::Typed(0)
}

fn forces_text(b: &[u8]) -> bool {
    let digits = match b {
        [b'+', d, ..] if d.is_ascii_digit() => return true,
        [b'-', rest @ ..] => rest,
        _ => b,
    };
    let numeric = digits
        .iter()
        .all(|b| b.is_ascii_digit() || *b == b'.' || *b == b',');
    if let [b'0', d, ..] = digits
        && d.is_ascii_digit()
        && numeric
    {
        return true;
    }
    if digits.iter().all(u8::is_ascii_digit) {
        let n = digits.len();
        if n > 15 {
            return true;
        }
        if n == 11 && digits.first() == Some(&b'1') && matches!(digits.get(1), Some(b'3'..=b'9')) {
            return true;
        }
    }
    false
}

/// `Some(INT|NUM)` or `Some(NUM)` when `b` is a number as described in the module doc.
fn number_shape(b: &[u8]) -> Option<u16> {
    let mut i = usize::from(b.first() == Some(&b'-'));
    let int_start = i;
    let mut grouped = false;
    while b.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    let lead = i - int_start;
    if b.get(i) == Some(&b',') {
        if !(1..=3).contains(&lead) {
            return None;
        }
        while b.get(i) == Some(&b',') {
            let group = b.get(i + 1..i + 4)?;
            if !group.iter().all(u8::is_ascii_digit) {
                return None;
            }
            i += 4;
            grouped = true;
        }
        if b.get(i).is_some_and(u8::is_ascii_digit) {
            return None;
        }
    }
    let mut integral = true;
    if b.get(i) == Some(&b'.') {
        let start = i + 1;
        i = start;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == start {
            return None;
        }
        integral = false;
    } else if lead == 0 {
        return None;
    }
    if !grouped && matches!(b.get(i), Some(b'e' | b'E')) && lead > 0 {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == start {
            return None;
        }
        integral = false;
    }
    if i != b.len() {
        return None;
    }
    if integral {
        // Fits i64 when no more than 15 digits were allowed through; still check.
        Some(if parse_int(std::str::from_utf8(b).ok()?).is_some() {
            INT | NUM
        } else {
            NUM
        })
    } else {
        Some(NUM)
    }
}

pub(crate) fn parse_int(t: &str) -> Option<i64> {
    let t = t.trim();
    if t.contains(',') {
        t.replace(',', "").parse().ok()
    } else {
        t.parse().ok()
    }
}

pub(crate) fn parse_num(t: &str) -> Option<f64> {
    let t = t.trim();
    let v: f64 = if t.contains(',') {
        t.replace(',', "").parse().ok()?
    } else {
        t.parse().ok()?
    };
    v.is_finite().then_some(v)
}

pub(crate) fn parse_bool(t: &str) -> Option<bool> {
    let t = t.trim();
    if t.eq_ignore_ascii_case("true") {
        Some(true)
    } else if t.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// Splits leading digits off `s`: (value, digit count, rest).
fn digits(s: &str) -> (u32, usize, &str) {
    let n = s.bytes().take_while(u8::is_ascii_digit).count().min(9);
    let (d, rest) = s.split_at(n);
    (d.parse().unwrap_or(0), n, rest)
}

/// A year-first date at the start of `s`, and what follows it.
fn ymd_prefix(s: &str) -> Option<(NaiveDate, &str)> {
    let (y, ny, rest) = digits(s);
    if ny != 4 {
        return None;
    }
    let (sep, rest) = if let Some(r) = rest.strip_prefix('年') {
        ('年', r)
    } else {
        let c = rest
            .chars()
            .next()
            .filter(|c| matches!(c, '-' | '/' | '.'))?;
        (c, rest.get(1..)?)
    };
    let (m, nm, rest) = digits(rest);
    if !(1..=2).contains(&nm) {
        return None;
    }
    let rest = match sep {
        '年' => rest.strip_prefix('月')?,
        c => rest.strip_prefix(c)?,
    };
    let (d, nd, rest) = digits(rest);
    if !(1..=2).contains(&nd) {
        return None;
    }
    let rest = if sep == '年' {
        rest.strip_prefix('日')?
    } else {
        rest
    };
    let date = NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d)?;
    Some((date, rest))
}

/// `A/B/YYYY`: both readings, when valid.
fn year_last(s: &str) -> (Option<NaiveDate>, Option<NaiveDate>) {
    let parts = (|| {
        let (a, na, rest) = digits(s);
        let rest = rest.strip_prefix('/')?;
        let (b, nb, rest) = digits(rest);
        let rest = rest.strip_prefix('/')?;
        let (y, ny, rest) = digits(rest);
        let ok = (1..=2).contains(&na) && (1..=2).contains(&nb) && ny == 4 && rest.is_empty();
        ok.then_some((a, b, i32::try_from(y).ok()?))
    })();
    match parts {
        Some((a, b, y)) => (
            NaiveDate::from_ymd_opt(y, a, b),
            NaiveDate::from_ymd_opt(y, b, a),
        ),
        None => (None, None),
    }
}

fn date_shape(t: &str) -> u16 {
    if let Some((_, rest)) = ymd_prefix(t) {
        if rest.is_empty() {
            return DATE_YMD | DT_NAIVE;
        }
        return match time_suffix(rest) {
            Some((_, None)) => DT_NAIVE,
            Some((_, Some(_))) => DT_ZONED,
            None => 0,
        };
    }
    let (mdy, dmy) = year_last(t);
    (if mdy.is_some() { DATE_MDY } else { 0 }) | (if dmy.is_some() { DATE_DMY } else { 0 })
}

/// `T`/space, a time of day and an optional zone offset in seconds east of UTC.
fn time_suffix(s: &str) -> Option<(NaiveTime, Option<i32>)> {
    let s = s.strip_prefix('T').or_else(|| s.strip_prefix(' '))?;
    let (h, nh, rest) = digits(s);
    let rest = rest.strip_prefix(':')?;
    let (mi, nmi, mut rest) = digits(rest);
    if !(1..=2).contains(&nh) || nmi != 2 {
        return None;
    }
    let (mut sec, mut nanos) = (0, 0);
    if let Some(r) = rest.strip_prefix(':') {
        let (sv, ns, r) = digits(r);
        if ns != 2 {
            return None;
        }
        sec = sv;
        rest = r;
        if let Some(r) = rest.strip_prefix('.') {
            let frac: &str = r.get(..r.bytes().take_while(u8::is_ascii_digit).count())?;
            if frac.is_empty() {
                return None;
            }
            let nine: String = frac.chars().chain(std::iter::repeat('0')).take(9).collect();
            nanos = nine.parse().ok()?;
            rest = r.get(frac.len()..)?;
        }
    }
    let time = NaiveTime::from_hms_nano_opt(h, mi, sec, nanos)?;
    let zone = match rest {
        "" => None,
        "Z" | "z" => Some(0),
        z => Some(zone_offset(z)?),
    };
    Some((time, zone))
}

fn zone_offset(z: &str) -> Option<i32> {
    let sign = match z.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let body = z.get(1..)?;
    let (h, m) = match body.len() {
        2 => (body, "00"),
        4 => (body.get(..2)?, body.get(2..)?),
        5 if body.as_bytes().get(2) == Some(&b':') => (body.get(..2)?, body.get(3..)?),
        _ => return None,
    };
    let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
    (h <= 23 && m <= 59).then_some(sign * (h * 3600 + m * 60))
}

pub(crate) fn parse_date(t: &str, order: DateOrder) -> Option<NaiveDate> {
    let t = t.trim();
    match order {
        DateOrder::Ymd => ymd_prefix(t).filter(|(_, r)| r.is_empty()).map(|(d, _)| d),
        DateOrder::Mdy => year_last(t).0,
        DateOrder::Dmy => year_last(t).1,
    }
}

/// A datetime, converted to UTC when it carries a zone. A bare date reads as midnight.
pub(crate) fn parse_datetime(t: &str) -> Option<NaiveDateTime> {
    let (date, rest) = ymd_prefix(t.trim())?;
    if rest.is_empty() {
        return Some(date.and_time(NaiveTime::MIN));
    }
    let (time, zone) = time_suffix(rest)?;
    let local = date.and_time(time);
    match zone {
        None => Some(local),
        Some(secs) => local.checked_sub_signed(chrono::TimeDelta::seconds(i64::from(secs))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_forcing() {
        assert_eq!(shape("0"), Shape::Typed(INT | NUM));
        assert_eq!(shape("-12"), Shape::Typed(INT | NUM));
        assert_eq!(shape("0.5"), Shape::Typed(NUM));
        assert_eq!(shape("1,200.00"), Shape::Typed(NUM));
        assert_eq!(shape("22,927"), Shape::Typed(INT | NUM));
        assert_eq!(shape("1,7"), Shape::Typed(0));
        assert_eq!(shape("200.000.000"), Shape::Typed(0));
        assert_eq!(shape("12,34"), Shape::Typed(0));
        assert_eq!(shape("1e5"), Shape::Typed(NUM));
        assert_eq!(shape("010010"), Shape::Forced);
        assert_eq!(shape("00.11"), Shape::Forced);
        assert_eq!(shape("+8613800000000"), Shape::Forced);
        assert_eq!(shape("13900001111"), Shape::Forced);
        assert_eq!(shape("110101199003077777"), Shape::Forced);
        assert_eq!(shape("$5000"), Shape::Typed(0));
        assert_eq!(shape("N/A"), Shape::Null);
        assert_eq!(shape("  "), Shape::Null);
        assert_eq!(parse_num("1,200.00"), Some(1200.0));
        assert_eq!(parse_int("22,927"), Some(22927));
    }

    #[test]
    fn dates_and_times() {
        assert_eq!(shape("2020-01-02"), Shape::Typed(DATE_YMD | DT_NAIVE));
        assert_eq!(shape("2020年1月1日"), Shape::Typed(DATE_YMD | DT_NAIVE));
        assert_eq!(shape("2020/1/15"), Shape::Typed(DATE_YMD | DT_NAIVE));
        assert_eq!(shape("2011.01.02"), Shape::Typed(DATE_YMD | DT_NAIVE));
        assert_eq!(shape("2020-02-30"), Shape::Typed(0));
        assert_eq!(shape("2021年5月"), Shape::Typed(0));
        assert_eq!(shape("09/26/2020"), Shape::Typed(DATE_MDY));
        assert_eq!(shape("010-12345678"), Shape::Typed(0));
        assert_eq!(shape("02/01/2014"), Shape::Typed(DATE_MDY | DATE_DMY));
        assert_eq!(shape("2013-11-26 22:30:07.971327"), Shape::Typed(DT_NAIVE));
        assert_eq!(shape("2020-01-02T10:00:00Z"), Shape::Typed(DT_ZONED));
        let d = parse_datetime("2020-01-02T10:00:00+08:00").map(|d| d.to_string());
        assert_eq!(d.as_deref(), Some("2020-01-02 02:00:00"));
        let d = parse_datetime("2013-11-26 22:30:07.971327").map(|d| d.to_string());
        assert_eq!(d.as_deref(), Some("2013-11-26 22:30:07.971327"));
        assert_eq!(
            parse_date("31/12/2012", DateOrder::Dmy),
            NaiveDate::from_ymd_opt(2012, 12, 31)
        );
    }
}
