//! One spelling for matching: traditional characters become simplified, full-width and
//! compatibility forms become their plain forms (NFKC), letters become lower case. Every
//! byte of the result remembers where it came from, so matches found in the normalised text
//! can be shown in the original.

use std::ops::Range;

use unicode_normalization::UnicodeNormalization;

/// Text in its matching form, with a map back to the text it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Normalized {
    pub text: String,
    /// `origin[i]` is the byte offset in the original of the character that produced byte
    /// `i` of `text`; one extra entry holds the original's length.
    origin: Vec<usize>,
}

impl Normalized {
    /// The original byte range that produced `range` of the normalised text.
    pub fn original_range(&self, range: Range<usize>) -> Range<usize> {
        let start = self.origin.get(range.start).copied().unwrap_or(0);
        let end = if range.end >= self.text.len() {
            self.origin.last().copied().unwrap_or(0)
        } else {
            // The end is the start of the first original character not covered.
            self.origin.get(range.end).copied().unwrap_or(0)
        };
        start..Ord::max(start, end)
    }
}

/// Normalises `text` for matching; see the module comment.
pub fn normalize(text: &str) -> Normalized {
    // fast2s converts character by character (looking at neighbours for the few ambiguous
    // ones), so the converted string has exactly as many characters as the input.
    let simplified = fast2s::convert(text);
    let mut out = String::with_capacity(text.len());
    let mut origin = Vec::with_capacity(text.len() + 1);
    for ((offset, _), converted) in text.char_indices().zip(simplified.chars()) {
        for plain in std::iter::once(converted).nfkc() {
            if is_invisible(plain) {
                continue;
            }
            for lower in plain.to_lowercase() {
                let before = out.len();
                out.push(if lower.is_control() { ' ' } else { lower });
                origin.extend(std::iter::repeat_n(offset, out.len() - before));
            }
        }
    }
    origin.push(text.len());
    Normalized { text: out, origin }
}

/// Characters that show nothing but split words: zero-width spaces and joiners, the byte
/// order mark, soft hyphens. Text pasted from web pages and chat apps is full of them.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' | '\u{00AD}')
}

/// Whether `c` is a Chinese character (CJK unified ideographs and their extensions).
pub fn is_han(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{3134F}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traditional_full_width_and_case_are_folded() {
        let n = normalize("臺灣ＧＴＦＳ公車");
        assert_eq!(n.text, "台湾gtfs公车");
    }

    #[test]
    fn ranges_map_back_to_the_original() {
        let original = "ＡＢ公交";
        let n = normalize(original);
        assert_eq!(n.text, "ab公交");
        // "公交" starts at byte 2 of the normalised text and byte 6 of the original.
        let range = n.original_range(2..8);
        assert_eq!(original.get(range), Some("公交"));
        let range = n.original_range(0..1);
        assert_eq!(original.get(range), Some("Ａ"));
    }

    #[test]
    fn invisible_characters_are_dropped() {
        let n = normalize("\u{FEFF}公\u{200B}交\u{00AD}");
        assert_eq!(n.text, "公交");
        // The byte order mark (bytes 0..3) is not part of the match.
        assert_eq!(n.original_range(0..6).start, 3);
    }

    #[test]
    fn control_characters_become_spaces() {
        assert_eq!(normalize("a\u{0}b\tc").text, "a b c");
    }
}
