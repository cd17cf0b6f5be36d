//! The index handle: opening (and wiping what cannot be used), applying changes, searching.

use std::collections::HashSet;
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, RwLock};
use std::time::Instant;

use kaifang_words::{QueryPiece, highlight, index_words, is_han, pinyin_keys, query_pieces};
use serde::{Deserialize, Serialize};
use tantivy::query::{BoostQuery, DisjunctionMaxQuery, EmptyQuery, Occur, Query};
use tantivy::schema::{Field, Schema, Value};
use tantivy::{
    DocAddress, Index, IndexReader, IndexWriter, ReloadPolicy, Searcher, TantivyDocument,
    TantivyError, Term, Warmer,
};
use tracing::{debug, info, warn};

use crate::collect::{CatalogCollector, Collected, Label, Order};
use crate::query::{self, Scope};
use crate::schema::{self, Fields, SCHEMA_VERSION};
use crate::table::Tables;
use crate::{
    CatalogDoc, Facets, Filters, Hit, MAX_QUERY_CHARS, SearchError, SearchRequest, SearchResults,
    SearchSort, Snippet, tokenize,
};

/// Characters around the match in a snippet.
const SNIPPET_CHARS: usize = 80;
/// Indexing memory per writer thread; Tantivy flushes a segment when it is used up.
const WRITER_MEMORY_PER_THREAD: usize = 48 * 1024 * 1024;
const MAX_WRITER_THREADS: usize = 4;
const PROGRESS_EVERY: u64 = 1000;

/// The catalog's full-text index. Cheap to clone; clones share one index, one reader and the
/// one writer (Tantivy allows one writer per folder, so one `CatalogIndex` per process).
#[derive(Clone)]
pub struct CatalogIndex {
    inner: Arc<Inner>,
}

struct Inner {
    reader: IndexReader,
    /// Per-segment arrays for the collector, kept in step with the reader by its warmer.
    tables: Arc<Tables>,
    writer: Mutex<IndexWriter>,
    fields: Fields,
    cursor: RwLock<Option<String>>,
    /// The folder, or "memory": for logs and errors.
    location: String,
}

/// What the index keeps in Tantivy's commit payload.
#[derive(Debug, Serialize, Deserialize)]
struct Payload {
    version: u32,
    cursor: Option<String>,
}

impl std::fmt::Debug for CatalogIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CatalogIndex")
            .field("location", &self.inner.location)
            .finish_non_exhaustive()
    }
}

impl CatalogIndex {
    /// Opens the index in `dir`, creating the folder and the index when missing. An index of
    /// another schema version, or one that cannot be read, is wiped and created anew (the
    /// database is the source of truth: the caller sees an empty index and rebuilds it).
    /// The folder belongs to the index: wiping empties it.
    pub fn open(dir: &Path) -> Result<Self, SearchError> {
        let location = dir.display().to_string();
        let io = |source| SearchError::Io {
            path: location.clone(),
            source,
        };
        std::fs::create_dir_all(dir).map_err(io)?;
        let (schema, fields) = schema::build();
        if dir.join("meta.json").exists() {
            let opened = open_existing(dir, &schema)
                .and_then(|index| Self::start(index, fields, location.clone(), false));
            match opened {
                Ok(index) => return Ok(index),
                Err(error @ SearchError::Locked { .. }) => return Err(error),
                Err(error) => {
                    warn!(
                        path = %location,
                        reason = %error,
                        "search index unusable; wiping it to be rebuilt"
                    );
                    empty_folder(dir).map_err(io)?;
                }
            }
        }
        let index = Index::create_in_dir(dir, schema)?;
        Self::start(index, fields, location, true)
    }

    /// An index in memory, for tests.
    pub fn open_in_ram() -> Result<Self, SearchError> {
        let (schema, fields) = schema::build();
        Self::start(
            Index::create_in_ram(schema),
            fields,
            "memory".to_owned(),
            true,
        )
    }

    fn start(
        index: Index,
        fields: Fields,
        location: String,
        fresh: bool,
    ) -> Result<Self, SearchError> {
        tokenize::register(&index);
        let threads = std::thread::available_parallelism()
            .map_or(1, usize::from)
            .clamp(1, MAX_WRITER_THREADS);
        let mut writer = index
            .writer_with_num_threads(threads, threads * WRITER_MEMORY_PER_THREAD)
            .map_err(|error| match error {
                TantivyError::LockFailure(..) => SearchError::Locked {
                    path: location.clone(),
                },
                other => SearchError::Index(other),
            })?;
        let cursor = if fresh {
            commit(&mut writer, None)?;
            None
        } else {
            read_payload(&index)?.cursor
        };
        // Reloads after our own commits are explicit; the policy also picks up segments that
        // background merges replace.
        let tables = Arc::new(Tables::default());
        let warmer: Arc<dyn Warmer> = tables.clone();
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::OnCommitWithDelay)
            .warmers(vec![Arc::downgrade(&warmer)])
            .try_into()?;
        let docs = reader.searcher().num_docs();
        info!(path = %location, docs, fresh, "search index open");
        Ok(CatalogIndex {
            inner: Arc::new(Inner {
                reader,
                tables,
                writer: Mutex::new(writer),
                fields,
                cursor: RwLock::new(cursor),
                location,
            }),
        })
    }

    pub fn num_docs(&self) -> u64 {
        self.inner.reader.searcher().num_docs()
    }

    pub fn is_empty(&self) -> bool {
        self.num_docs() == 0
    }

    /// The id of the last change record applied, as given to `apply` or `rebuild`.
    pub fn cursor(&self) -> Option<String> {
        self.inner
            .cursor
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Replaces the datasets in `upserts` (by id; of one id given twice the last wins),
    /// removes those in `deletes`, and records `cursor` (`None` keeps the current one), in
    /// one commit. A search started after this returns sees the changes.
    pub fn apply(
        &self,
        upserts: Vec<CatalogDoc>,
        deletes: &[String],
        cursor: Option<&str>,
    ) -> Result<(), SearchError> {
        let started = Instant::now();
        let mut seen = HashSet::new();
        let mut docs: Vec<CatalogDoc> = upserts
            .into_iter()
            .rev()
            .filter(|doc| seen.insert(doc.id.clone()))
            .collect();
        docs.reverse();
        let cursor = cursor.map(str::to_owned).or_else(|| self.cursor());
        let fields = &self.inner.fields;
        let mut writer = self.writer();
        let written = (|| {
            for id in docs.iter().map(|doc| &doc.id).chain(deletes) {
                writer.delete_term(Term::from_field_text(fields.id, id));
            }
            for doc in &docs {
                writer.add_document(schema::document(fields, doc))?;
            }
            commit(&mut writer, cursor.as_deref())
        })();
        if let Err(error) = written {
            rollback(&mut writer, &self.inner.location);
            return Err(error);
        }
        self.set_cursor(cursor);
        self.inner.reader.reload()?;
        debug!(
            upserts = docs.len(),
            deletes = deletes.len(),
            elapsed_ms = started.elapsed().as_millis() as u64,
            "search index changes applied"
        );
        Ok(())
    }

    /// Replaces the whole index with `docs` (ids unique) and records `cursor`, in one
    /// commit: searches see the old index until it is done. `progress` gets the number of
    /// documents added so far, every thousand and at the end. Returns that number.
    pub fn rebuild(
        &self,
        docs: impl Iterator<Item = CatalogDoc>,
        cursor: Option<&str>,
        mut progress: impl FnMut(u64),
    ) -> Result<u64, SearchError> {
        let started = Instant::now();
        let fields = &self.inner.fields;
        let mut writer = self.writer();
        let mut count = 0;
        let written = (|| {
            writer.delete_all_documents()?;
            for doc in docs {
                writer.add_document(schema::document(fields, &doc))?;
                count += 1;
                if count % PROGRESS_EVERY == 0 {
                    progress(count);
                }
            }
            commit(&mut writer, cursor)
        })();
        if let Err(error) = written {
            rollback(&mut writer, &self.inner.location);
            return Err(error);
        }
        progress(count);
        self.set_cursor(cursor.map(str::to_owned));
        self.inner.reader.reload()?;
        info!(
            path = %self.inner.location,
            docs = count,
            elapsed_ms = started.elapsed().as_millis() as u64,
            "search index rebuilt"
        );
        Ok(count)
    }

    /// Datasets matching every piece of the query and every filter, one page of them in the
    /// requested order, their total and the facets over all of them.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults, SearchError> {
        let pieces = pieces(request.text.as_deref().unwrap_or_default())?;
        let fields = &self.inner.fields;
        let query = query::catalog_query(fields, &pieces, &request.filters, request.include_closed);
        let order = match request.sort {
            SearchSort::Relevance => Order::Relevance,
            SearchSort::Newest => Order::Newest,
            SearchSort::Downloads => Order::Downloads,
            SearchSort::Calls => Order::Calls,
        };
        let keep = match request.limit {
            0 => 0,
            limit => request.offset.saturating_add(limit),
        };
        let collector = CatalogCollector {
            order,
            scored: !pieces.is_empty() && order == Order::Relevance,
            keep,
            facets: true,
            label: Label::Id,
            tables: Arc::clone(&self.inner.tables),
        };
        let searcher = self.inner.reader.searcher();
        let Collected { total, facets, top } = searcher.search(query.as_ref(), &collector)?;
        let mut hits = Vec::with_capacity(top.len().saturating_sub(request.offset));
        for ranked in top.into_iter().skip(request.offset) {
            let snippet = if pieces.is_empty() {
                None
            } else {
                snippet(&searcher, fields, ranked.address, &pieces)?
            };
            hits.push(Hit {
                id: ranked.label,
                score: ranked.score,
                snippet,
            });
        }
        let [
            organization,
            theme,
            access_level,
            format,
            update_frequency,
            district,
        ] = facets;
        Ok(SearchResults {
            total,
            hits,
            facets: Facets {
                organization,
                theme,
                access_level,
                format,
                update_frequency,
                district,
            },
        })
    }

    /// Titles completing what the user has typed: every piece but the last in the title, the
    /// last as the start of a title word or of its pinyin (`公` → 公交…, `gongj` → 公交…), or
    /// for Chinese anywhere in the title. Best matches first, then the most used; each title
    /// once.
    pub fn suggest(
        &self,
        prefix: &str,
        include_closed: bool,
        limit: usize,
    ) -> Result<Vec<String>, SearchError> {
        let pieces = pieces(prefix)?;
        let Some((last, before)) = pieces.split_last() else {
            return Ok(Vec::new());
        };
        if limit == 0 {
            return Ok(Vec::new());
        }
        let fields = &self.inner.fields;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = before
            .iter()
            .map(|piece| (Occur::Must, query::piece_query(fields, piece, Scope::Title)))
            .collect();
        clauses.push((Occur::Must, completion(fields, last)));
        query::add_filters(&mut clauses, fields, &Filters::default(), include_closed);
        let query = query::boolean(clauses);
        // Several datasets may share a title; keep enough to fill `limit` distinct ones.
        let collector = CatalogCollector {
            order: Order::Suggest,
            scored: true,
            keep: limit.saturating_mul(4).saturating_add(16),
            facets: false,
            label: Label::Title,
            tables: Arc::clone(&self.inner.tables),
        };
        let collected = self
            .inner
            .reader
            .searcher()
            .search(query.as_ref(), &collector)?;
        let mut seen = HashSet::new();
        Ok(collected
            .top
            .into_iter()
            .map(|ranked| ranked.label)
            .filter(|title| !title.is_empty() && seen.insert(title.clone()))
            .take(limit)
            .collect())
    }

    fn writer(&self) -> MutexGuard<'_, IndexWriter> {
        match self.inner.writer.lock() {
            Ok(writer) => writer,
            Err(poisoned) => {
                // A panic while writing left operations half done; dropping them returns the
                // writer to the last commit, which is consistent.
                let mut writer = poisoned.into_inner();
                rollback(&mut writer, &self.inner.location);
                self.inner.writer.clear_poison();
                writer
            }
        }
    }

    fn set_cursor(&self, cursor: Option<String>) {
        *self
            .inner
            .cursor
            .write()
            .unwrap_or_else(PoisonError::into_inner) = cursor;
    }
}

/// The index in `dir` if it has this schema version and its segments open.
fn open_existing(dir: &Path, schema: &Schema) -> Result<Index, SearchError> {
    let index = Index::open_in_dir(dir)?;
    if index.schema() != *schema {
        return Err(TantivyError::SchemaError("fields differ from this version's".into()).into());
    }
    let payload = read_payload(&index)?;
    if payload.version != SCHEMA_VERSION {
        return Err(TantivyError::SchemaError(format!(
            "schema version {} (this program writes {SCHEMA_VERSION})",
            payload.version
        ))
        .into());
    }
    // Opening every segment's files finds missing or truncated ones now, not at the first
    // search.
    for segment in index.searchable_segments()? {
        tantivy::SegmentReader::open(&segment)?;
    }
    Ok(index)
}

fn read_payload(index: &Index) -> Result<Payload, SearchError> {
    let payload = index.load_metas()?.payload.unwrap_or_default();
    serde_json::from_str(&payload).map_err(|error| {
        TantivyError::SchemaError(format!("commit payload {payload:?}: {error}")).into()
    })
}

fn commit(writer: &mut IndexWriter, cursor: Option<&str>) -> Result<(), SearchError> {
    let payload = Payload {
        version: SCHEMA_VERSION,
        cursor: cursor.map(str::to_owned),
    };
    let payload = serde_json::to_string(&payload)
        .map_err(|error| TantivyError::InternalError(error.to_string()))?;
    let mut prepared = writer.prepare_commit()?;
    prepared.set_payload(&payload);
    prepared.commit()?;
    Ok(())
}

fn rollback(writer: &mut IndexWriter, location: &str) {
    if let Err(error) = writer.rollback() {
        warn!(path = %location, %error, "search index rollback failed");
    }
}

/// Removes everything inside `dir`, keeping the folder (it may be a mount point).
fn empty_folder(dir: &Path) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            std::fs::remove_dir_all(entry.path())?;
        } else {
            std::fs::remove_file(entry.path())?;
        }
    }
    Ok(())
}

fn pieces(text: &str) -> Result<Vec<QueryPiece>, SearchError> {
    let chars = text.chars().count();
    if chars > MAX_QUERY_CHARS {
        return Err(SearchError::QueryTooLong {
            chars,
            max: MAX_QUERY_CHARS,
        });
    }
    Ok(query_pieces(text))
}

/// The last piece of a suggestion query: the start of a title word (best), the start of a
/// title's pinyin key, or for Chinese, anywhere in the title.
fn completion(fields: &Fields, last: &QueryPiece) -> Box<dyn Query> {
    let mut disjuncts: Vec<Box<dyn Query>> = Vec::new();
    if let Some(words) = query::prefix(fields.title.words, &last.text) {
        disjuncts.push(Box::new(BoostQuery::new(words, 3.0)));
    }
    let other = if last.han {
        query::substring(fields.title_pairs.field, last)
    } else {
        query::prefix(fields.title_pinyin, &last.text)
    };
    if let Some(other) = other {
        disjuncts.push(Box::new(BoostQuery::new(other, 2.0)));
    }
    if disjuncts.is_empty() {
        return Box::new(EmptyQuery);
    }
    Box::new(DisjunctionMaxQuery::new(disjuncts))
}

/// The first text of the dataset, in the order of `Fields::texts`, where the query shows.
fn snippet(
    searcher: &Searcher,
    fields: &Fields,
    address: DocAddress,
    pieces: &[QueryPiece],
) -> Result<Option<Snippet>, SearchError> {
    let doc: TantivyDocument = searcher.doc(address)?;
    let text_of = |field: Field, separator: &str| -> String {
        let values: Vec<&str> = doc.get_all(field).filter_map(|v| v.as_str()).collect();
        values.join(separator)
    };
    let mut pieces = pieces.to_vec();
    pieces.extend(pinyin_matches(&text_of(fields.title.words, ""), &pieces));
    for text in fields.texts() {
        let separator = if text.words == fields.fields.words {
            "；"
        } else {
            "、"
        };
        let value = text_of(text.words, separator);
        if let Some(html) = highlight(&value, &pieces, SNIPPET_CHARS) {
            return Ok(Some(Snippet {
                field: text.snippet,
                html,
            }));
        }
    }
    Ok(None)
}

/// The Chinese words of `title` that a letters-only piece found through their pinyin
/// (`gj` → 公交), as pieces to mark. The shortest words win: 公交, not 公交线路.
fn pinyin_matches(title: &str, pieces: &[QueryPiece]) -> Vec<QueryPiece> {
    let latin: Vec<&str> = pieces
        .iter()
        .filter(|p| !p.han)
        .map(|p| p.text.as_str())
        .collect();
    if latin.is_empty() {
        return Vec::new();
    }
    let mut words: Vec<String> = index_words(title)
        .into_iter()
        .map(|w| w.text)
        .filter(|w| w.chars().all(is_han))
        .collect();
    words.sort_by_key(|w| (w.chars().count(), w.clone()));
    words.dedup();
    let mut found: Vec<String> = Vec::new();
    for word in words {
        if found.iter().any(|f| word.contains(f.as_str())) {
            continue;
        }
        let keys = pinyin_keys(&word);
        if latin.iter().any(|piece| keys.iter().any(|k| k == piece)) {
            found.push(word);
        }
    }
    found
        .into_iter()
        .map(|word| QueryPiece {
            words: vec![word.clone()],
            text: word,
            han: true,
            bigrams: Vec::new(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dataset(id: &str, title: &str) -> CatalogDoc {
        CatalogDoc {
            id: id.to_owned(),
            title: title.to_owned(),
            description: String::new(),
            keywords: Vec::new(),
            organization_id: "o".to_owned(),
            organization_name: String::new(),
            district: None,
            theme: "other".to_owned(),
            access_level: "unconditional".to_owned(),
            update_frequency: "static".to_owned(),
            formats: Vec::new(),
            fields: Vec::new(),
            last_updated: chrono::DateTime::UNIX_EPOCH,
            downloads: 0,
            calls: 0,
        }
    }

    #[test]
    fn an_index_written_by_another_schema_version_is_wiped() -> Result<(), SearchError> {
        let dir = tempfile::tempdir().map_err(|source| SearchError::Io {
            path: "tempdir".to_owned(),
            source,
        })?;
        {
            let index = CatalogIndex::open(dir.path())?;
            index.apply(vec![dataset("a", "公交线路")], &[], Some("7"))?;
            assert_eq!(index.num_docs(), 1);
        }
        {
            // Same fields, but the payload says an older version wrote it: its words may
            // have been cut another way.
            let raw = Index::open_in_dir(dir.path())?;
            let mut writer: IndexWriter = raw.writer_with_num_threads(1, 50_000_000)?;
            let mut prepared = writer.prepare_commit()?;
            prepared.set_payload(r#"{"version":0,"cursor":"7"}"#);
            prepared.commit()?;
        }
        let index = CatalogIndex::open(dir.path())?;
        assert_eq!(index.num_docs(), 0);
        assert_eq!(index.cursor(), None);
        Ok(())
    }

    #[test]
    fn pinyin_matches_pick_the_shortest_words() {
        let pieces = query_pieces("gj");
        let found: Vec<String> = pinyin_matches("无锡市公交线路", &pieces)
            .into_iter()
            .map(|p| p.text)
            .collect();
        assert_eq!(found, ["公交"]);
        assert!(pinyin_matches("无锡市公交线路", &query_pieces("公交")).is_empty());
    }
}
