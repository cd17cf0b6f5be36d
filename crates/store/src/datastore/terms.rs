//! Search terms (`_q`): what a row is found by, computed once at load and stored beside it
//! (an FTS5 table on SQLite, a `text[]` column on PostgreSQL), and what a query asks for.
//!
//! A row's terms are the jieba words and the Chinese character pairs of its text cells,
//! cut by `kaifang_words` exactly as queries are, then split the way `query_pieces` splits a
//! query — at anything that is not a letter, digit or Chinese character, and where Chinese
//! meets other letters — because a query term never holds anything else: jieba keeps
//! `3.5`, `c++` or `t恤` whole, while the query `3.5` asks for `3` and `5`. Every stored term
//! is thus a run of letters and digits, or of Chinese characters, and both engines compare
//! whole terms.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use kaifang_tabular::Value;
use kaifang_words::{QueryPiece, han_bigrams, index_words, is_han, query_pieces};

use crate::StoreError;

/// Distinct terms one `_q` may ask for. 300 Chinese characters ask for about 450 (their
/// pairs and words); far more is not a search anyone types, and each term is a bound
/// value.
pub(crate) const MAX_QUERY_TERMS: usize = 2_000;

/// Cell texts a load remembers the terms of. Cutting a short Chinese text costs some
/// 20 µs, and columns such as a district or a category repeat a handful of values over
/// millions of rows. About 150 bytes an entry.
const CACHE_ENTRIES: usize = 65_536;
/// Longer texts (descriptions, notes) seldom repeat: not remembered.
const CACHE_MAX_TEXT: usize = 256;

/// The terms of the cell texts seen so far in one load, shared by the threads cutting it.
#[derive(Debug, Default)]
pub(crate) struct TermCache {
    terms: Mutex<HashMap<Box<str>, Arc<str>>>,
}

impl TermCache {
    /// The distinct terms of one cell text, joined by spaces (no term holds one).
    fn cell(&self, text: &str) -> Arc<str> {
        let cached = text.len() <= CACHE_MAX_TEXT;
        if cached && let Some(found) = self.lock().get(text) {
            return Arc::clone(found);
        }
        let terms: Arc<str> = cut(text).into();
        if cached {
            let mut map = self.lock();
            if map.len() >= CACHE_ENTRIES {
                // Forgetting everything costs one more cut of each repeated value.
                map.clear();
            }
            map.insert(text.into(), Arc::clone(&terms));
        }
        terms
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<Box<str>, Arc<str>>> {
        self.terms.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Appends `term` to the space-separated `joined` unless already `seen`.
fn keep<'a>(seen: &mut HashSet<&'a str>, joined: &mut String, term: &'a str) {
    if !term.is_empty() && seen.insert(term) {
        if !joined.is_empty() {
            joined.push(' ');
        }
        joined.push_str(term);
    }
}

/// The distinct terms of one text, joined by spaces.
fn cut(text: &str) -> String {
    let words: Vec<String> = index_words(text)
        .into_iter()
        .chain(han_bigrams(text))
        .map(|w| w.text)
        .collect();
    let mut seen = HashSet::new();
    let mut joined = String::new();
    for word in &words {
        split(word, &mut |term| keep(&mut seen, &mut joined, term));
    }
    joined
}

/// The distinct terms of a row's text cells (`text_columns` are positions in `row`),
/// joined by spaces, in the order first seen.
pub(crate) fn row_terms(row: &[Value], text_columns: &[usize], cache: &TermCache) -> String {
    let cells: Vec<Arc<str>> = text_columns
        .iter()
        .filter_map(|position| match row.get(*position) {
            Some(Value::String(text)) if !text.is_empty() => Some(cache.cell(text)),
            _ => None,
        })
        .collect();
    if let [one] = cells.as_slice() {
        return one.to_string();
    }
    let mut seen = HashSet::new();
    let mut joined = String::new();
    for term in cells.iter().flat_map(|terms| terms.split(' ')) {
        keep(&mut seen, &mut joined, term);
    }
    joined
}

/// Calls `each` on every maximal run of `text` made of Chinese characters only, or of
/// other letters and digits only — `query_pieces`' rule.
fn split<'a>(text: &'a str, each: &mut impl FnMut(&'a str)) {
    let mut start = None;
    let mut start_han = false;
    for (offset, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        let han = is_han(c);
        let word_char = han || c.is_alphanumeric();
        if let Some(s) = start
            && (!word_char || han != start_han)
        {
            if let Some(run) = text.get(s..offset) {
                each(run);
            }
            start = None;
        }
        if word_char && start.is_none() {
            start = Some(offset);
            start_han = han;
        }
    }
}

/// A `_q` in matching form: each piece must be found in a row, and a piece is found when
/// all its words are among the row's terms, or (Chinese) all its character pairs are.
#[derive(Debug, Clone)]
pub(crate) struct TermQuery {
    /// Per piece, the alternatives (each a non-empty list of terms, all required).
    pieces: Vec<Vec<Vec<String>>>,
}

impl TermQuery {
    /// `None` when the query has nothing to look for (blank, punctuation, operators only):
    /// such a `_q` filters nothing. Too many terms is a `BadQuery` on `_q`.
    pub(crate) fn parse(q: &str) -> Result<Option<Self>, StoreError> {
        let mut pieces: Vec<Vec<Vec<String>>> = Vec::new();
        let mut distinct: HashSet<&str> = HashSet::new();
        let parsed: Vec<QueryPiece> = query_pieces(q);
        for piece in &parsed {
            let mut alternatives: Vec<Vec<String>> = Vec::new();
            for list in [&piece.words, &piece.bigrams] {
                let mut terms: Vec<String> = Vec::new();
                for word in list {
                    // A piece is one run already; the split only guards the rule above.
                    split(word, &mut |t| {
                        if !terms.iter().any(|k| k == t) {
                            terms.push(t.to_owned());
                        }
                    });
                }
                terms.sort();
                if !terms.is_empty() && !alternatives.contains(&terms) {
                    alternatives.push(terms);
                }
            }
            if !alternatives.is_empty() && !pieces.contains(&alternatives) {
                pieces.push(alternatives);
            }
        }
        for term in pieces.iter().flatten().flatten() {
            distinct.insert(term.as_str());
        }
        if distinct.len() > MAX_QUERY_TERMS {
            return Err(StoreError::BadQuery {
                parameter: "_q".to_owned(),
                message: format!(
                    "asks for {} distinct words; at most {MAX_QUERY_TERMS}",
                    distinct.len()
                ),
            });
        }
        Ok((!pieces.is_empty()).then_some(Self { pieces }))
    }

    pub(crate) fn pieces(&self) -> &[Vec<Vec<String>>] {
        &self.pieces
    }

    /// One text per meaning: the count cache's key.
    pub(crate) fn key(&self) -> String {
        self.pieces
            .iter()
            .map(|alternatives| {
                alternatives
                    .iter()
                    .map(|terms| terms.join("+"))
                    .collect::<Vec<_>>()
                    .join("|")
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The FTS5 MATCH expression: `(("w1" AND "w2") OR ("b1")) AND (…)`, every term a
    /// quoted string (an inner `"` doubled), so nothing in the query is FTS5 syntax.
    pub(crate) fn fts5_expression(&self) -> String {
        let quote = |term: &String| format!("\"{}\"", term.replace('"', "\"\""));
        self.pieces
            .iter()
            .map(|alternatives| {
                let any: Vec<String> = alternatives
                    .iter()
                    .map(|terms| {
                        let all: Vec<String> = terms.iter().map(quote).collect();
                        format!("({})", all.join(" AND "))
                    })
                    .collect();
                format!("({})", any.join(" OR "))
            })
            .collect::<Vec<_>>()
            .join(" AND ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(text: &str) -> Value {
        Value::String(text.to_owned())
    }

    #[test]
    fn row_terms_hold_words_and_pairs_of_text_cells_only() {
        let row = [
            s("浦东图书馆"),
            Value::Integer(42),
            s("ＰＵＤＯＮＧ 3.5"),
            Value::Null,
        ];
        let cache = TermCache::default();
        let joined = row_terms(&row, &[0, 2, 3], &cache);
        assert_eq!(joined, row_terms(&row, &[0, 2, 3], &cache), "again, cached");
        let terms: Vec<&str> = joined.split(' ').collect();
        for expected in ["浦东", "图书", "图书馆", "书馆", "东图", "pudong", "3", "5"] {
            assert!(terms.contains(&expected), "{expected} in {terms:?}");
        }
        assert!(!terms.contains(&"42"), "integer cells are not text");
        assert!(!terms.contains(&"3.5"), "split as queries split");
        let distinct: HashSet<&&str> = terms.iter().collect();
        assert_eq!(distinct.len(), terms.len(), "no duplicates");
        let twice = [s("浦东"), s("浦东"), s("")];
        assert_eq!(
            row_terms(&twice, &[0, 1, 2], &cache),
            "浦东",
            "nor across cells"
        );
    }

    #[test]
    fn split_follows_query_pieces() {
        let mut runs = Vec::new();
        split("t恤c++ 3.5", &mut |r| runs.push(r.to_owned()));
        assert_eq!(runs, ["t", "恤", "c", "3", "5"]);
    }

    #[test]
    fn a_query_without_letters_digits_or_chinese_asks_nothing() {
        for q in ["", "  ", "\"", "*", ")(", "\u{1}", "\"*() \u{0}"] {
            assert!(matches!(TermQuery::parse(q), Ok(None)), "{q:?}");
        }
    }

    #[test]
    fn the_fts5_expression_quotes_every_term() {
        let q = TermQuery::parse("浦东 OR \"NEAR\"").ok().flatten();
        let expression = q.map(|q| q.fts5_expression());
        // 浦东: words and pairs are both [浦东], one alternative.
        assert_eq!(
            expression.as_deref(),
            Some("((\"浦东\")) AND ((\"or\")) AND ((\"near\"))")
        );
    }

    #[test]
    fn a_chinese_piece_is_its_words_or_its_pairs() {
        let q = TermQuery::parse("观山湖区").ok().flatten();
        let pieces = q.map(|q| q.pieces().to_vec()).unwrap_or_default();
        assert_eq!(pieces.len(), 1);
        let pairs: Vec<String> = ["山湖", "湖区", "观山"].map(str::to_owned).to_vec();
        assert!(pieces.iter().flatten().any(|a| *a == pairs), "{pieces:?}");
    }

    #[test]
    fn too_many_terms_is_a_bad_query() {
        let q: String = (0..3_000).map(|i| format!("w{i} ")).collect();
        assert!(matches!(
            TermQuery::parse(&q),
            Err(StoreError::BadQuery { parameter, .. }) if parameter == "_q"
        ));
    }
}

#[cfg(test)]
mod scratch_timing {
    use super::*;
    use std::time::Instant;

    #[test]
    #[ignore = "scratch"]
    fn time_pieces() {
        let texts: Vec<String> = (0..2000)
            .map(|k| format!("上海市浦东新区张江高科技园区科苑路{k}弄{}号", k % 50))
            .collect();
        let n = texts.len() as f64;
        let t = Instant::now();
        for x in &texts {
            std::hint::black_box(kaifang_words::normalize(x));
        }
        eprintln!("normalize {:.1} us", t.elapsed().as_secs_f64() * 1e6 / n);
        let t = Instant::now();
        for x in &texts {
            std::hint::black_box(index_words(x));
        }
        eprintln!("index_words {:.1} us", t.elapsed().as_secs_f64() * 1e6 / n);
        let t = Instant::now();
        for x in &texts {
            std::hint::black_box(han_bigrams(x));
        }
        eprintln!("han_bigrams {:.1} us", t.elapsed().as_secs_f64() * 1e6 / n);
        let t = Instant::now();
        for x in &texts {
            std::hint::black_box(cut(x));
        }
        eprintln!("row_terms {:.1} us", t.elapsed().as_secs_f64() * 1e6 / n);
        let t = Instant::now();
        for x in &texts {
            std::hint::black_box(fast2s::convert(x));
        }
        eprintln!("fast2s {:.1} us", t.elapsed().as_secs_f64() * 1e6 / n);
    }
}
