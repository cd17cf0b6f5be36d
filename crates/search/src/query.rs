//! Queries built from query pieces, never parsed from user text.
//!
//! Scoring: each piece is looked for in every text, by jieba words and by character pairs,
//! and scores by its best match (plus a tenth of the others). A match scores inside a band
//! set by its field and kind; BM25 only orders documents inside a band. So a title match
//! always ranks above a description match, and a word match above a pair match in the same
//! text, however common or rare the words are:
//!
//! | kind of match | band, for a field of weight w |
//! |---|---|
//! | jieba words (title 4, keywords 2.5, organization 2, fields 1.2, description 1) | w … 2w |
//! | character pairs, an exact substring (title 4, all other texts together 1) | 0.5w … 0.9w |
//! | title pinyin (title 4) | 0.6w … 0.9w |
//!
//! A substring found only by pairs in the title (a place jieba cut another way) still ranks
//! above the word in a description. Pieces add up, so a dataset with every piece in its
//! title comes first.

use std::fmt;
use std::ops::Bound;

use kaifang_words::QueryPiece;
use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, DisjunctionMaxQuery, EnableScoring, Explanation,
    InvertedIndexRangeQuery, Occur, PhraseQuery, Query, Scorer, TermQuery, Weight,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{
    COLLECT_BLOCK_BUFFER_LEN, DocId, DocSet, Score, SeekDangerResult, SegmentReader, Term,
};

use crate::Filters;
use crate::schema::{Fields, TextField};

/// Part of the best field's score the other matching fields add.
const TIE_BREAKER: Score = 0.1;
/// BM25 sum (per term) that lands in the middle of a band.
const HALF_SCORE_PER_TERM: Score = 4.0;
const WORD_BAND: (Score, Score) = (1.0, 1.0);
const BIGRAM_BAND: (Score, Score) = (0.5, 0.4);
const PINYIN_BAND: (Score, Score) = (0.6, 0.3);

/// Which fields a piece is looked for in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Scope {
    AllTexts,
    /// Suggestions complete titles, so what was typed must be in the title.
    Title,
}

/// All of `pieces` (each somewhere), the filters, and closed datasets left out unless asked.
pub(crate) fn catalog_query(
    fields: &Fields,
    pieces: &[QueryPiece],
    filters: &Filters,
    include_closed: bool,
) -> Box<dyn Query> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = pieces
        .iter()
        .map(|piece| (Occur::Must, piece_query(fields, piece, Scope::AllTexts)))
        .collect();
    add_filters(&mut clauses, fields, filters, include_closed);
    boolean(clauses)
}

pub(crate) fn boolean(mut clauses: Vec<(Occur, Box<dyn Query>)>) -> Box<dyn Query> {
    if !clauses.iter().any(|(occur, _)| *occur == Occur::Must) {
        clauses.push((Occur::Must, Box::new(AllQuery)));
    }
    Box::new(BooleanQuery::new(clauses))
}

pub(crate) fn add_filters(
    clauses: &mut Vec<(Occur, Box<dyn Query>)>,
    fields: &Fields,
    filters: &Filters,
    include_closed: bool,
) {
    let exact = [
        (fields.organization_id, &filters.organization),
        (fields.theme, &filters.theme),
        (fields.access_level, &filters.access_level),
        (fields.format, &filters.format),
        (fields.update_frequency, &filters.update_frequency),
        (fields.district, &filters.district),
    ];
    for (field, value) in exact {
        if let Some(value) = value {
            // Filters narrow the set without changing the order.
            let term = TermQuery::new(
                Term::from_field_text(field, value),
                IndexRecordOption::Basic,
            );
            clauses.push((
                Occur::Must,
                Box::new(ConstScoreQuery::new(Box::new(term), 0.0)),
            ));
        }
    }
    if !include_closed {
        let closed = Term::from_field_text(fields.access_level, crate::CLOSED);
        clauses.push((
            Occur::MustNot,
            Box::new(TermQuery::new(closed, IndexRecordOption::Basic)),
        ));
    }
}

/// One piece, found in any field of `scope`.
pub(crate) fn piece_query(fields: &Fields, piece: &QueryPiece, scope: Scope) -> Box<dyn Query> {
    let texts: Vec<TextField> = match scope {
        Scope::AllTexts => fields.texts().to_vec(),
        Scope::Title => vec![fields.title],
    };
    let mut disjuncts: Vec<Box<dyn Query>> = Vec::new();
    let mut words: Vec<&str> = piece.words.iter().map(String::as_str).collect();
    words.sort_unstable();
    words.dedup();
    for text in &texts {
        if let Some(query) = all_terms(text.words, &words) {
            disjuncts.push(banded(query, text.weight, WORD_BAND, words.len()));
        }
    }
    let pairs = match scope {
        Scope::AllTexts => vec![fields.title_pairs, fields.text_pairs],
        Scope::Title => vec![fields.title_pairs],
    };
    for pair in pairs.iter().filter(|_| piece.han) {
        if let Some(query) = substring(pair.field, piece) {
            disjuncts.push(banded(query, pair.weight, BIGRAM_BAND, piece.bigrams.len()));
        }
    }
    if !piece.han {
        let term = Term::from_field_text(fields.title_pinyin, &piece.text);
        let query = Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs));
        disjuncts.push(banded(query, fields.title.weight, PINYIN_BAND, 1));
    }
    Box::new(DisjunctionMaxQuery::with_tie_breaker(
        disjuncts,
        TIE_BREAKER,
    ))
}

/// Every word as a term of `field`.
fn all_terms(field: Field, words: &[&str]) -> Option<Box<dyn Query>> {
    let mut queries: Vec<Box<dyn Query>> = words
        .iter()
        .map(|word| {
            let term = Term::from_field_text(field, word);
            Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)) as Box<dyn Query>
        })
        .collect();
    match queries.len() {
        0 => None,
        1 => queries.pop(),
        _ => Some(Box::new(BooleanQuery::intersection(queries))),
    }
}

/// The Chinese piece as an exact substring of a character-pair field: its pairs in a row,
/// or for a single character, any token starting with it (see `tokenize::BigramTokenizer`).
pub(crate) fn substring(field: Field, piece: &QueryPiece) -> Option<Box<dyn Query>> {
    let mut terms: Vec<Term> = piece
        .bigrams
        .iter()
        .map(|gram| Term::from_field_text(field, gram))
        .collect();
    if terms.len() > 1 {
        return Some(Box::new(PhraseQuery::new(terms)));
    }
    let term = terms.pop()?;
    if piece.text.chars().count() == 1 {
        return prefix(field, &piece.text);
    }
    Some(Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)))
}

/// Documents with a term of `field` starting with `prefix`, scored 1.
pub(crate) fn prefix(field: Field, prefix: &str) -> Option<Box<dyn Query>> {
    if prefix.is_empty() {
        return None;
    }
    let lower = Bound::Included(Term::from_field_text(field, prefix));
    // Strings starting with `prefix` sort before `prefix` with its last character
    // incremented, and every string in between starts with `prefix`.
    let upper = prefix_successor(prefix).map_or(Bound::Unbounded, |end| {
        Bound::Excluded(Term::from_field_text(field, &end))
    });
    let range = InvertedIndexRangeQuery::new(lower, upper);
    Some(Box::new(ConstScoreQuery::new(Box::new(range), 1.0)))
}

fn prefix_successor(prefix: &str) -> Option<String> {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(last) = chars.pop() {
        let next = (u32::from(last) + 1..=u32::from(char::MAX)).find_map(char::from_u32);
        if let Some(next) = next {
            chars.push(next);
            return Some(chars.into_iter().collect());
        }
    }
    None
}

/// `query`'s score mapped into the band of its field and kind.
fn banded(
    query: Box<dyn Query>,
    weight: Score,
    (base, span): (Score, Score),
    terms: usize,
) -> Box<dyn Query> {
    Box::new(Banded {
        inner: query,
        base: base * weight,
        span: span * weight,
        half: HALF_SCORE_PER_TERM * terms.max(1) as Score,
    })
}

/// Score = base + span · s / (s + half), s the inner score: always in [base, base + span).
struct Banded {
    inner: Box<dyn Query>,
    base: Score,
    span: Score,
    half: Score,
}

impl Clone for Banded {
    fn clone(&self) -> Self {
        Banded {
            inner: self.inner.box_clone(),
            base: self.base,
            span: self.span,
            half: self.half,
        }
    }
}

impl fmt::Debug for Banded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Banded({:?}, {}+{})", self.inner, self.base, self.span)
    }
}

impl Query for Banded {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let inner = self.inner.weight(enable_scoring)?;
        if !enable_scoring.is_scoring_enabled() {
            return Ok(inner);
        }
        Ok(Box::new(BandedWeight {
            inner,
            base: self.base,
            span: self.span,
            half: self.half,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.inner.query_terms(visitor);
    }
}

struct BandedWeight {
    inner: Box<dyn Weight>,
    base: Score,
    span: Score,
    half: Score,
}

impl BandedWeight {
    fn map(&self, score: Score) -> Score {
        let score = if score.is_finite() {
            score.max(0.0)
        } else {
            0.0
        };
        self.base + self.span * score / (score + self.half)
    }
}

impl Weight for BandedWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(BandedScorer {
            inner: self.inner.scorer(reader, 1.0)?,
            base: self.base * boost,
            span: self.span * boost,
            half: self.half,
        }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let inner = self.inner.explain(reader, doc)?;
        let mut explanation = Explanation::new("Banded", self.map(inner.value()));
        explanation.add_detail(inner);
        Ok(explanation)
    }

    fn count(&self, reader: &SegmentReader) -> tantivy::Result<u32> {
        self.inner.count(reader)
    }
}

struct BandedScorer {
    inner: Box<dyn Scorer>,
    base: Score,
    span: Score,
    half: Score,
}

impl DocSet for BandedScorer {
    fn advance(&mut self) -> DocId {
        self.inner.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        self.inner.seek(target)
    }

    fn seek_danger(&mut self, target: DocId) -> SeekDangerResult {
        self.inner.seek_danger(target)
    }

    fn fill_buffer(&mut self, buffer: &mut [DocId; COLLECT_BLOCK_BUFFER_LEN]) -> usize {
        self.inner.fill_buffer(buffer)
    }

    fn doc(&self) -> DocId {
        self.inner.doc()
    }

    fn size_hint(&self) -> u32 {
        self.inner.size_hint()
    }

    fn cost(&self) -> u64 {
        self.inner.cost()
    }
}

impl Scorer for BandedScorer {
    fn score(&mut self) -> Score {
        let score = self.inner.score();
        let score = if score.is_finite() {
            score.max(0.0)
        } else {
            0.0
        };
        self.base + self.span * score / (score + self.half)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_successor_increments_the_last_character() {
        assert_eq!(prefix_successor("gongj").as_deref(), Some("gongk"));
        // 公 is U+516C, so the first string past every 公… is U+516D 六.
        assert_eq!(prefix_successor("公").as_deref(), Some("六"));
        // Past U+D7FF come the surrogates, which are not characters.
        assert_eq!(prefix_successor("a\u{D7FF}").as_deref(), Some("a\u{E000}"));
        assert_eq!(prefix_successor("a\u{10FFFF}").as_deref(), Some("b"));
        assert_eq!(prefix_successor("\u{10FFFF}"), None);
    }
}
