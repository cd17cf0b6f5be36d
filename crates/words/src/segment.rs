//! Words of normalised text, by jieba over its default dictionary, Kaifang's own words and
//! the bureau's. One segmenter per process: the dictionary is large, and every index and
//! query in the process must cut text the same way.

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use jieba_rs::Jieba;

use crate::WordsError;
use crate::normalize::{Normalized, is_han, normalize};

const KAIFANG_DICTIONARY: &str = include_str!("../dict/kaifang.dict");

static SEGMENTER: OnceLock<Jieba> = OnceLock::new();

/// Adds the words of the file at `path` (jieba's format: word, optional frequency, optional
/// tag) to the segmenter. Call it before the first text is cut; a second call, or a call
/// after text was cut, is refused because text already indexed was cut without the words.
pub fn load_user_dictionary(path: &Path) -> Result<usize, WordsError> {
    let file = std::fs::File::open(path).map_err(|source| WordsError::Dictionary {
        path: path.to_owned(),
        line: 0,
        message: source.to_string(),
    })?;
    let mut jieba = base_segmenter();
    let added = add_words(&mut jieba, std::io::BufReader::new(file), path)?;
    SEGMENTER
        .set(jieba)
        .map_err(|_| WordsError::AlreadyLoaded)?;
    Ok(added)
}

fn segmenter() -> &'static Jieba {
    SEGMENTER.get_or_init(base_segmenter)
}

fn base_segmenter() -> Jieba {
    let mut jieba = Jieba::new();
    // The shipped dictionary is checked by a test, so a failure here cannot happen at run
    // time; a bad line would only leave that word out.
    let _ = add_words(
        &mut jieba,
        KAIFANG_DICTIONARY.as_bytes(),
        Path::new("kaifang.dict"),
    );
    jieba
}

fn add_words(jieba: &mut Jieba, reader: impl BufRead, path: &Path) -> Result<usize, WordsError> {
    let mut added = 0;
    for (index, line) in reader.lines().enumerate() {
        let bad = |message: String| WordsError::Dictionary {
            path: PathBuf::from(path),
            line: index + 1,
            message,
        };
        let line = line.map_err(|e| bad(e.to_string()))?;
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut parts = line.split_whitespace();
        let Some(word) = parts.next() else { continue };
        let freq = parts
            .next()
            .map(|f| {
                f.parse::<usize>()
                    .map_err(|_| bad(format!("frequency {f:?} is not a whole number")))
            })
            .transpose()?;
        let word = normalize(word).text;
        jieba.add_word(&word, freq, parts.next());
        added += 1;
    }
    Ok(added)
}

/// A word of a text: its matching form and where it stands in the original.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub text: String,
    /// Byte offsets in the original text.
    pub start: usize,
    pub end: usize,
}

fn is_word(token: &str) -> bool {
    token.chars().any(char::is_alphanumeric)
}

fn word_of(normalized: &Normalized, text: &str, start: usize, end: usize) -> Word {
    let original = normalized.original_range(start..end);
    Word {
        text: text.to_owned(),
        start: original.start,
        end: original.end,
    }
}

/// The words to index for `text`: jieba's search mode, which gives a long word and the
/// dictionary words inside it (公交线路 → 公交, 线路, 公交线路), in the order they occur.
pub fn index_words(text: &str) -> Vec<Word> {
    let normalized = normalize(text);
    segmenter()
        .cut_for_search(&normalized.text, true)
        .into_iter()
        .filter(|t| is_word(t.word))
        .map(|t| word_of(&normalized, t.word, t.byte_start, t.byte_end))
        .collect()
}

/// Overlapping pairs of Chinese characters of `text`, each run of Chinese characters on its
/// own (a run of one character gives that character). Any Chinese word of two or more
/// characters is found inside a longer text by requiring its pairs in a row, whatever the
/// dictionary says.
pub fn han_bigrams(text: &str) -> Vec<Word> {
    let normalized = normalize(text);
    let mut grams = Vec::new();
    for run in han_runs(&normalized.text) {
        let chars: Vec<(usize, char)> = run.1.char_indices().collect();
        if chars.len() == 1 {
            grams.push(word_of(&normalized, run.1, run.0, run.0 + run.1.len()));
            continue;
        }
        for pair in chars.windows(2) {
            let [(a, first), (_, second)] = pair else {
                continue;
            };
            let start = run.0 + a;
            let end = start + first.len_utf8() + second.len_utf8();
            grams.push(word_of(
                &normalized,
                &format!("{first}{second}"),
                start,
                end,
            ));
        }
    }
    grams
}

/// Maximal runs of Chinese characters: (byte offset, run).
fn han_runs(text: &str) -> Vec<(usize, &str)> {
    let mut runs = Vec::new();
    let mut start = None;
    for (offset, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        match (is_han(c), start) {
            (true, None) => start = Some(offset),
            (false, Some(s)) => {
                if let Some(run) = text.get(s..offset) {
                    runs.push((s, run));
                }
                start = None;
            }
            _ => {}
        }
    }
    runs
}

/// What a query asks for, piece by piece: each piece must be found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryPiece {
    /// The piece in matching form: a run of Chinese characters, or of letters and digits.
    pub text: String,
    pub han: bool,
    /// jieba's words of the piece (the piece itself when it is not Chinese).
    pub words: Vec<String>,
    /// Overlapping character pairs of a Chinese piece (empty otherwise).
    pub bigrams: Vec<String>,
}

/// Splits a query into pieces: whitespace, punctuation and operators separate them, a change
/// between Chinese and other letters too (`公交GTFS` is two pieces). Nothing in the query is
/// syntax; quotes, `*`, `OR` and `NEAR` are text like any other.
pub fn query_pieces(query: &str) -> Vec<QueryPiece> {
    let normalized = normalize(query);
    let mut pieces = Vec::new();
    let mut current = String::new();
    let mut current_han = false;
    for c in normalized.text.chars().chain(std::iter::once(' ')) {
        let han = is_han(c);
        let word_char = han || c.is_alphanumeric();
        if !current.is_empty() && (!word_char || han != current_han) {
            pieces.push(piece(std::mem::take(&mut current), current_han));
        }
        if word_char {
            current.push(c);
            current_han = han;
        }
    }
    pieces
}

fn piece(text: String, han: bool) -> QueryPiece {
    if !han {
        return QueryPiece {
            words: vec![text.clone()],
            bigrams: Vec::new(),
            text,
            han,
        };
    }
    let words = segmenter()
        .cut(&text, true)
        .into_iter()
        .map(|t| t.word.to_owned())
        .filter(|w| is_word(w))
        .collect();
    let bigrams = han_bigrams(&text).into_iter().map(|w| w.text).collect();
    QueryPiece {
        text,
        han,
        words,
        bigrams,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(words: Vec<Word>) -> Vec<String> {
        words.into_iter().map(|w| w.text).collect()
    }

    #[test]
    fn shipped_dictionary_loads_without_errors() {
        let mut jieba = Jieba::empty();
        let added = add_words(&mut jieba, KAIFANG_DICTIONARY.as_bytes(), Path::new("k"));
        let lines = KAIFANG_DICTIONARY
            .lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .count();
        assert_eq!(added.ok(), Some(lines));
    }

    #[test]
    fn search_mode_gives_the_words_inside_a_longer_word() {
        let words = texts(index_words("无锡市公交线路信息"));
        for expected in ["无锡", "无锡市", "公交", "线路", "公交线路", "信息"] {
            assert!(
                words.iter().any(|w| w == expected),
                "{expected} in {words:?}"
            );
        }
    }

    #[test]
    fn shipped_place_names_stay_whole() {
        let words = texts(index_words("梁溪区崇安寺停车场"));
        assert!(words.contains(&"梁溪区".to_owned()), "{words:?}");
        assert!(words.contains(&"崇安寺".to_owned()), "{words:?}");
    }

    #[test]
    fn word_offsets_point_into_the_original() {
        let original = "臺北ＧＴＦＳ";
        let words = index_words(original);
        let gtfs = words.iter().find(|w| w.text == "gtfs");
        let slice = gtfs.and_then(|w| original.get(w.start..w.end));
        assert_eq!(slice, Some("ＧＴＦＳ"));
    }

    #[test]
    fn bigrams_cover_each_run_of_chinese() {
        let grams = texts(han_bigrams("观山湖区, 湖"));
        assert_eq!(grams, ["观山", "山湖", "湖区", "湖"]);
    }

    #[test]
    fn query_pieces_split_on_script_and_punctuation() {
        let pieces = query_pieces("公交GTFS \"NEAR\" 臺北*");
        let texts: Vec<&str> = pieces.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(texts, ["公交", "gtfs", "near", "台北"]);
        assert_eq!(pieces[0].bigrams, ["公交"]);
        assert!(query_pieces("\"*() \u{0}").is_empty());
    }
}
