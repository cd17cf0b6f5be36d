//! A short passage of a text around what a query found, with the found words marked, for
//! result lists. Matching happens on the normalised text, so 臺北 in a title is marked for the
//! query 台北, and the passage shows the original characters.

use std::ops::Range;

use crate::normalize::normalize;
use crate::segment::QueryPiece;

/// The passage of `text` (about `max_chars` characters) around the first match of any piece
/// or word of `pieces`, HTML-escaped, matches wrapped in `<mark>`. `None` when nothing matches.
pub fn highlight(text: &str, pieces: &[QueryPiece], max_chars: usize) -> Option<String> {
    let normalized = normalize(text);
    let mut found: Vec<Range<usize>> = Vec::new();
    for piece in pieces {
        let needles = std::iter::once(&piece.text).chain(&piece.words);
        for needle in needles.filter(|n| !n.is_empty()) {
            for (at, _) in normalized.text.match_indices(needle.as_str()) {
                found.push(normalized.original_range(at..at + needle.len()));
            }
        }
    }
    if found.is_empty() {
        return None;
    }
    let marks = merge(found);
    let first = marks.first()?.start;
    let window = window(text, first, max_chars);
    let mut html = String::new();
    if window.start > 0 {
        html.push('…');
    }
    let mut cursor = window.start;
    for mark in marks
        .iter()
        .filter(|m| m.start >= window.start && m.end <= window.end)
    {
        push_escaped(&mut html, text.get(cursor..mark.start));
        html.push_str("<mark>");
        push_escaped(&mut html, text.get(mark.start..mark.end));
        html.push_str("</mark>");
        cursor = mark.end;
    }
    push_escaped(&mut html, text.get(cursor..window.end));
    if window.end < text.len() {
        html.push('…');
    }
    Some(html)
}

fn push_escaped(out: &mut String, part: Option<&str>) {
    if let Some(part) = part {
        html_escape::encode_text_to_string(part, out);
    }
}

/// Sorted, non-overlapping ranges covering every match.
fn merge(mut ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    ranges.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
    let mut merged: Vec<Range<usize>> = Vec::new();
    for range in ranges {
        match merged.last_mut() {
            Some(last) if range.start <= last.end => last.end = Ord::max(last.end, range.end),
            _ => merged.push(range),
        }
    }
    merged
}

/// Byte range of about `max_chars` characters of `text`, starting a little before `at`.
fn window(text: &str, at: usize, max_chars: usize) -> Range<usize> {
    let lead = max_chars / 4;
    let starts: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
    let index = starts.partition_point(|&i| i < at);
    let first = index.saturating_sub(lead);
    let last = first + max_chars;
    let start = starts.get(first).copied().unwrap_or(0);
    let end = starts.get(last).copied().unwrap_or(text.len());
    start..end
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segment::query_pieces;

    #[test]
    fn marks_the_original_characters_of_a_normalised_match() {
        let html = highlight("臺北市<公車>路線", &query_pieces("台北 公车"), 40);
        assert_eq!(
            html.as_deref(),
            Some("<mark>臺北</mark>市&lt;<mark>公車</mark>&gt;路線")
        );
    }

    #[test]
    fn long_text_is_cut_around_the_first_match() {
        let text = format!("{}公交{}", "甲".repeat(30), "乙".repeat(30));
        let html = highlight(&text, &query_pieces("公交"), 12);
        assert_eq!(
            html.as_deref(),
            Some("…甲甲甲<mark>公交</mark>乙乙乙乙乙乙乙…")
        );
    }

    #[test]
    fn nothing_found_gives_none() {
        assert_eq!(highlight("无锡市", &query_pieces("上海"), 40), None);
    }
}
