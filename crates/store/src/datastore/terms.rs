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

use std::collections::HashSet;

use kaifang_tabular::Value;
use kaifang_words::{QueryPiece, han_bigrams, index_words, is_han, query_pieces};

use crate::StoreError;

/// Distinct terms one `_q` may ask for. 300 Chinese characters ask for about 450 (their
/// pairs and words); far more is not a search anyone types, and PostgreSQL binds one
/// parameter per term.
pub(crate) const MAX_QUERY_TERMS: usize = 2_000;

/// The distinct terms of a row's text cells (`text_columns` are positions in `row`), in
/// the order first seen.
pub(crate) fn row_terms(row: &[Value], text_columns: &[usize]) -> Vec<String> {
    let mut seen: HashSet<String> = HashSet::new();
    let mut terms = Vec::new();
    let mut keep = |term: &str| {
        if !seen.contains(term) {
            seen.insert(term.to_owned());
            terms.push(term.to_owned());
        }
    };
    for position in text_columns {
        let Some(Value::String(text)) = row.get(*position) else {
            continue;
        };
        for word in index_words(text).into_iter().chain(han_bigrams(text)) {
            split(&word.text, &mut keep);
        }
    }
    terms
}

/// Calls `each` on every maximal run of `text` made of Chinese characters only, or of
/// other letters and digits only — `query_pieces`' rule.
fn split(text: &str, each: &mut impl FnMut(&str)) {
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
        let terms = row_terms(&row, &[0, 2, 3]);
        for expected in ["浦东", "图书", "图书馆", "书馆", "东图", "pudong", "3", "5"] {
            assert!(
                terms.iter().any(|t| t == expected),
                "{expected} in {terms:?}"
            );
        }
        assert!(
            !terms.iter().any(|t| t == "42"),
            "integer cells are not text"
        );
        assert!(!terms.iter().any(|t| t == "3.5"), "split as queries split");
        let distinct: HashSet<&String> = terms.iter().collect();
        assert_eq!(distinct.len(), terms.len(), "no duplicates");
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
