//! Tantivy tokenizers over `kaifang_words`, so the index cuts text exactly as queries are cut.
//! Each is a unit struct: cloning an analyzer (Tantivy does it per field and per thread) costs
//! nothing, and the one jieba segmenter of the process stays shared.

use std::collections::HashSet;

use kaifang_words::{han_bigrams, index_words, is_han, pinyin_keys};
use tantivy::Index;
use tantivy::tokenizer::{TextAnalyzer, Token, TokenStream, Tokenizer};

pub(crate) const WORDS: &str = "kaifang_words";
pub(crate) const BIGRAMS: &str = "kaifang_bigrams";
pub(crate) const PINYIN: &str = "kaifang_pinyin";

/// Registers the three tokenizers on `index`; they are not persisted, so every open needs it.
pub(crate) fn register(index: &Index) {
    let manager = index.tokenizers();
    manager.register(WORDS, TextAnalyzer::from(WordsTokenizer));
    manager.register(BIGRAMS, TextAnalyzer::from(BigramTokenizer));
    manager.register(PINYIN, TextAnalyzer::from(PinyinTokenizer));
}

/// Tokens computed up front; Tantivy reads them one by one.
pub(crate) struct VecTokenStream {
    /// Remaining tokens, last first, so `advance` pops without indexing.
    pending: Vec<Token>,
    current: Token,
}

impl VecTokenStream {
    fn new(mut tokens: Vec<Token>) -> Self {
        tokens.reverse();
        VecTokenStream {
            pending: tokens,
            current: Token::default(),
        }
    }
}

impl TokenStream for VecTokenStream {
    fn advance(&mut self) -> bool {
        match self.pending.pop() {
            Some(token) => {
                self.current = token;
                true
            }
            None => false,
        }
    }

    fn token(&self) -> &Token {
        &self.current
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.current
    }
}

fn token(text: String, start: usize, end: usize, position: usize) -> Token {
    Token {
        offset_from: start,
        offset_to: end,
        position,
        text,
        position_length: 1,
    }
}

/// jieba's search-mode words (`kaifang_words::index_words`), normalised, one position each.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct WordsTokenizer;

impl Tokenizer for WordsTokenizer {
    type TokenStream<'a> = VecTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        VecTokenStream::new(word_tokens(text))
    }
}

pub(crate) fn word_tokens(text: &str) -> Vec<Token> {
    let words = index_words(text);
    let mut seen: HashSet<(usize, String)> = HashSet::with_capacity(words.len());
    let mut tokens = Vec::with_capacity(words.len());
    for word in words {
        let parts = split_like_query(&word.text);
        let whole = parts.len() == 1 && parts.first().is_some_and(|p| p.1 == word.text);
        // An offset inside the normalised word is an offset in the original only when
        // normalising did not change the byte length (plain ASCII, already simplified text).
        let same_length = text.get(word.start..word.end).map(str::len) == Some(word.text.len());
        if seen.insert((word.start, word.text.clone())) {
            let position = tokens.len();
            tokens.push(token(word.text, word.start, word.end, position));
        }
        if whole {
            continue;
        }
        // jieba keeps `covid-19`, `v1.2` or `a股` whole, while a query splits them into
        // `covid` `19`, `v1` `2`, `a` `股`; their parts are indexed too so those match.
        for (offset, part) in parts {
            let (start, end) = if same_length {
                (word.start + offset, word.start + offset + part.len())
            } else {
                (word.start, word.end)
            };
            if seen.insert((start, part.clone())) {
                let position = tokens.len();
                tokens.push(token(part, start, end, position));
            }
        }
    }
    tokens
}

/// Splits normalised text the way `kaifang_words::query_pieces` splits a query: runs of
/// letters and digits, a change between Chinese and other letters ending a run.
fn split_like_query(text: &str) -> Vec<(usize, String)> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut current_start = 0;
    let mut current_han = false;
    for (offset, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        let han = is_han(c);
        let word_char = han || c.is_alphanumeric();
        if !current.is_empty() && (!word_char || han != current_han) {
            parts.push((current_start, std::mem::take(&mut current)));
        }
        if word_char {
            if current.is_empty() {
                current_start = offset;
            }
            current.push(c);
            current_han = han;
        }
    }
    parts
}

/// Overlapping pairs of Chinese characters (`kaifang_words::han_bigrams`) at consecutive
/// positions within a run, so a phrase of pairs is an exact substring. A run's last
/// character is added alone after its last pair, so every character of a run begins some
/// token and a one-character query is a prefix search. Runs are a position apart, so a
/// phrase never spans two runs.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct BigramTokenizer;

impl Tokenizer for BigramTokenizer {
    type TokenStream<'a> = VecTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        VecTokenStream::new(bigram_tokens(text))
    }
}

pub(crate) fn bigram_tokens(text: &str) -> Vec<Token> {
    let grams = han_bigrams(text);
    let mut tokens: Vec<Token> = Vec::with_capacity(grams.len() + grams.len() / 4);
    let mut position = 0;
    let mut previous: Option<(usize, usize, String)> = None;
    for gram in grams {
        if let Some((start, end, last_text)) = previous.take() {
            if gram.start < end {
                // Overlaps the previous pair: same run.
                position += 1;
            } else {
                push_run_tail(&mut tokens, text, start, end, &last_text, position);
                // The tail took position + 1; one free position keeps runs apart.
                position += 3;
            }
        }
        tokens.push(token(gram.text.clone(), gram.start, gram.end, position));
        previous = Some((gram.start, gram.end, gram.text));
    }
    if let Some((start, end, last_text)) = previous {
        push_run_tail(&mut tokens, text, start, end, &last_text, position);
    }
    tokens
}

/// After the last pair of a run, its second character alone (nothing for a run of one
/// character, whose only token already is that character).
fn push_run_tail(
    tokens: &mut Vec<Token>,
    text: &str,
    start: usize,
    end: usize,
    gram: &str,
    position: usize,
) {
    let mut chars = gram.chars();
    let (Some(_), Some(second), None) = (chars.next(), chars.next(), chars.next()) else {
        return;
    };
    let tail_start = text
        .get(start..end)
        .and_then(|original| original.char_indices().last())
        .map_or(start, |(offset, _)| start + offset);
    tokens.push(token(second.to_string(), tail_start, end, position + 1));
}

/// Pinyin keys of the text (`kaifang_words::pinyin_keys`): full spellings and initials.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct PinyinTokenizer;

impl Tokenizer for PinyinTokenizer {
    type TokenStream<'a> = VecTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        let tokens = pinyin_keys(text)
            .into_iter()
            .enumerate()
            .map(|(position, key)| token(key, 0, text.len(), position))
            .collect();
        VecTokenStream::new(tokens)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(tokens: &[Token]) -> Vec<(&str, usize)> {
        tokens
            .iter()
            .map(|t| (t.text.as_str(), t.position))
            .collect()
    }

    #[test]
    fn words_carry_normalised_text_original_offsets_and_consecutive_positions() {
        let original = "公車ＧＴＦＳ";
        let tokens = word_tokens(original);
        let gtfs = tokens.iter().find(|t| t.text == "gtfs");
        assert_eq!(
            gtfs.and_then(|t| original.get(t.offset_from..t.offset_to)),
            Some("ＧＴＦＳ")
        );
        assert!(tokens.iter().any(|t| t.text == "公车"));
        let positions: Vec<usize> = tokens.iter().map(|t| t.position).collect();
        assert_eq!(positions, (0..tokens.len()).collect::<Vec<_>>());
    }

    #[test]
    fn words_joined_by_punctuation_are_also_indexed_in_parts() {
        let original = "covid-19 v1.2";
        let tokens = word_tokens(original);
        for part in ["covid", "19", "v1", "2"] {
            let found = tokens.iter().find(|t| t.text == part);
            assert_eq!(
                found.and_then(|t| original.get(t.offset_from..t.offset_to)),
                Some(part),
                "{part} in {:?}",
                texts(&tokens)
            );
        }
        // `covid` comes once, from jieba, not a second time from splitting `covid-19`.
        assert_eq!(tokens.iter().filter(|t| t.text == "covid").count(), 1);
    }

    #[test]
    fn bigrams_keep_runs_apart_and_end_each_run_with_its_last_character() {
        // Run 观山湖区 gives pairs at 0, 1, 2 and its tail 区 at 3; position 4 stays free;
        // run 湖 (one character) is at 5.
        let tokens = bigram_tokens("观山湖区, 湖");
        assert_eq!(
            texts(&tokens),
            [("观山", 0), ("山湖", 1), ("湖区", 2), ("区", 3), ("湖", 5)]
        );
        let tail = tokens.get(3);
        assert_eq!(
            tail.and_then(|t| "观山湖区, 湖".get(t.offset_from..t.offset_to)),
            Some("区")
        );
    }

    #[test]
    fn bigram_offsets_point_at_traditional_originals() {
        let original = "臺北";
        let tokens = bigram_tokens(original);
        assert_eq!(texts(&tokens), [("台北", 0), ("北", 1)]);
        let tail = tokens.get(1);
        assert_eq!(
            tail.and_then(|t| original.get(t.offset_from..t.offset_to)),
            Some("北")
        );
    }

    #[test]
    fn pinyin_tokens_are_the_title_keys() {
        let mut tokenizer = PinyinTokenizer;
        let mut stream = tokenizer.token_stream("公交");
        let mut keys = Vec::new();
        while let Some(token) = stream.next() {
            keys.push(token.text.clone());
        }
        assert!(keys.contains(&"gongjiao".to_owned()), "{keys:?}");
        assert!(keys.contains(&"gj".to_owned()), "{keys:?}");
    }
}
