//! `_q` over the words of a resource's rows (../shared/cases/ckan-3615_cjk-fulltext.csv):
//! Chinese words inside longer text, traditional, full-width and upper-case forms, every
//! piece required, hostile queries as plain words, terms replaced by a reload and dropped
//! with a failed load, and tables loaded before terms existed answering by substring.

use std::path::Path;

use futures::TryStreamExt;
use kaifang_domain::{FieldType, Resource, Schema};
use kaifang_store::{RowQuery, Store, StoreError};
use kaifang_tabular::{ReadOptions, Value};
use sqlx::{AssertSqlSafe, Connection, Row};
use tokio::sync::mpsc;

use crate::common::TestStore;
use crate::fixture::{self, i, ids, query, s};

const CASE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/cases/ckan-3615_cjk-fulltext.csv"
);

crate::both_backends!(
    the_case_file_finds_chinese_words_inside_longer_text,
    every_piece_is_required_and_q_combines_with_filters_sort_and_paging,
    hostile_queries_are_plain_words,
    a_reload_replaces_the_terms,
    a_failed_load_leaves_no_terms_behind,
    tables_loaded_before_terms_answer_by_substring,
    each_term_is_stored_whole,
);

fn cjk_schema() -> Schema {
    fixture::schema(&[
        ("id", FieldType::Integer),
        ("名称", FieldType::String),
        ("地址", FieldType::String),
    ])
}

/// The five rows of the case file, and a sixth holding the words `or`, `near`, `a`, `b`.
fn cjk_rows() -> Vec<Vec<Value>> {
    vec![
        vec![i(1), s("张江科学会堂"), s("上海市浦东新区张江路100号")],
        vec![i(2), s("浦东图书馆"), s("上海市浦东新区前程路88号")],
        vec![i(3), s("中关村图书大厦"), s("北京市海淀区中关村大街1号")],
        vec![i(4), s("观山湖公园"), s("贵州省贵阳市观山湖区")],
        vec![
            i(5),
            s("Pudong Library"),
            s("Qiancheng Road 88 Pudong Shanghai"),
        ],
        vec![i(6), s("Open or closed"), s("near \"quoted\" a*b")],
    ]
}

async fn cjk(store: &Store) -> Resource {
    let schema = cjk_schema();
    let r = fixture::resource(store, &schema).await;
    fixture::load(store, &r.id, &schema, cjk_rows())
        .await
        .unwrap();
    store.resource(&r.id).await.unwrap()
}

/// `(ids, total)` of `_q=q` with the other parameters.
async fn search(store: &Store, r: &Resource, q: &str, more: &[(&str, &str)]) -> (Vec<i64>, u64) {
    let mut pairs = vec![("_q", q)];
    pairs.extend_from_slice(more);
    let page = query(store, r, &pairs)
        .await
        .unwrap_or_else(|e| panic!("_q={q:?}: {e}"));
    (ids(&page), page.total)
}

/// Asserts the ids and that the total counts them.
async fn assert_finds(store: &Store, r: &Resource, q: &str, expected: &[i64]) {
    assert_eq!(
        search(store, r, q, &[]).await,
        (expected.to_vec(), expected.len() as u64),
        "_q={q:?}"
    );
}

async fn the_case_file_finds_chinese_words_inside_longer_text(t: TestStore) {
    let path = Path::new(CASE);
    if !path.exists() {
        eprintln!("NOTICE: {CASE} absent; skipping the CJK full-text case");
        return;
    }
    let analysis = kaifang_tabular::analyse(path, &ReadOptions::default()).unwrap();
    let rows: Vec<Vec<Value>> = kaifang_tabular::read_rows(path, &analysis)
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        analysis.schema,
        cjk_schema(),
        "id, 名称, 地址 with id an integer"
    );
    let store = &t.store;
    let r = fixture::resource(store, &analysis.schema).await;
    fixture::load(store, &r.id, &analysis.schema, rows)
        .await
        .unwrap();
    let r = store.resource(&r.id).await.unwrap();
    // The case file's own table, then the traditional (浦東) and full-width forms.
    for (q, expected) in [
        ("浦东", &[1, 2][..]),
        ("张江", &[1]),
        ("中关村", &[3]),
        ("观山湖", &[4]),
        ("pudong", &[5]),
        ("PUDONG", &[5]),
        ("浦東", &[1, 2]),
        ("ｐｕｄｏｎｇ", &[5]),
        ("ＰＵＤＯＮＧ", &[5]),
    ] {
        assert_finds(store, &r, q, expected).await;
    }
}

async fn every_piece_is_required_and_q_combines_with_filters_sort_and_paging(t: TestStore) {
    let store = &t.store;
    let r = cjk(store).await;
    // 图书 is a pair of 浦东图书馆 and of 中关村图书大厦; 图书馆 only of the first.
    assert_finds(store, &r, "图书", &[2, 3]).await;
    assert_finds(store, &r, "图书馆", &[2]).await;
    assert_finds(store, &r, "浦东 图书馆", &[2]).await;
    assert_finds(store, &r, "浦东，图书馆！", &[2]).await;
    assert_finds(store, &r, "pudong library", &[5]).await;
    assert_finds(store, &r, "pudong 浦东", &[]).await;
    // One letter or digit run is one word: parts of words are not words.
    assert_finds(store, &r, "ary", &[]).await;
    assert_finds(store, &r, "88", &[2, 5]).await;
    assert_finds(store, &r, "8", &[]).await;
    // `_q` and the other parameters.
    assert_eq!(
        search(store, &r, "浦东", &[("id__gt", "1")]).await,
        (vec![2], 1)
    );
    assert_eq!(
        search(store, &r, "图书", &[("名称__contains", "中关村")]).await,
        (vec![3], 1)
    );
    assert_eq!(
        search(store, &r, "图书", &[("_sort_desc", "id")]).await,
        (vec![3, 2], 2)
    );
    assert_eq!(
        search(store, &r, "88", &[("_fields", "id"), ("_sort", "名称")]).await,
        (vec![5, 2], 2),
        "名称 in byte order: P (0x50) before 浦 (0xE6…)"
    );
    let first = query(store, &r, &[("_q", "浦东"), ("_limit", "1")])
        .await
        .unwrap();
    assert_eq!((ids(&first), first.total), (vec![1], 2));
    let token = first.next.clone().unwrap();
    let second = query(
        store,
        &r,
        &[("_q", "浦东"), ("_limit", "1"), ("_after", &token)],
    )
    .await
    .unwrap();
    assert_eq!(
        (ids(&second), second.total, second.next),
        (vec![2], 2, None)
    );
    // Counts are remembered per query: each answer stays its own.
    for _ in 0..2 {
        assert_finds(store, &r, "浦东", &[1, 2]).await;
        assert_finds(store, &r, "张江", &[1]).await;
        assert_eq!(query(store, &r, &[]).await.unwrap().total, 6);
    }
    // Streams (downloads) filter the same way.
    let params = fixture::params(&[("_q", "图书"), ("_sort_desc", "id")]);
    let q = RowQuery::from_params(&params, &r.schema, &[]).unwrap();
    let rows: Vec<Vec<Value>> = store.stream_rows(&r, &q).try_collect().await.unwrap();
    let streamed: Vec<&Value> = rows.iter().filter_map(|row| row.first()).collect();
    assert_eq!(streamed, [&i(3), &i(2)]);
}

async fn hostile_queries_are_plain_words(t: TestStore) {
    let store = &t.store;
    let r = cjk(store).await;
    let all = [1, 2, 3, 4, 5, 6];
    let long_chinese = "浦东 ".repeat(100);
    let long_operators = "\"OR\" ".repeat(60);
    let long_letters = "a".repeat(300);
    assert_eq!(long_chinese.chars().count(), 300);
    assert_eq!(long_operators.chars().count(), 300);
    let cases: &[(&str, &[i64])] = &[
        // Nothing to look for: no filter at all.
        ("\"", &all),
        ("*", &all),
        (")(", &all),
        ("\u{7}", &all),
        ("\"*() \u{0}", &all),
        // FTS5 operators are words like any other.
        ("NEAR", &[6]),
        ("OR", &[6]),
        ("or", &[6]),
        ("AND", &[]),
        ("NOT", &[]),
        ("a\"b", &[6]),
        ("浦东 OR 张江", &[]),
        ("NEAR(浦东 张江)", &[]),
        ("\"浦东", &[1, 2]),
        ("浦东*", &[1, 2]),
        ("-浦东", &[1, 2]),
        ("^\"浦东\"", &[1, 2]),
        ("名称:浦东", &[]),
        ("'); DROP TABLE x; --", &[]),
        (&long_chinese, &[1, 2]),
        (&long_operators, &[6]),
        (&long_letters, &[]),
    ];
    for (q, expected) in cases {
        assert_finds(store, &r, q, expected).await;
    }
    assert_eq!(
        query(store, &r, &[]).await.unwrap().total,
        6,
        "table intact"
    );
}

async fn a_reload_replaces_the_terms(t: TestStore) {
    let store = &t.store;
    let r = cjk(store).await;
    assert_finds(store, &r, "浦东", &[1, 2]).await;
    let first = t.ds_tables().await;
    let schema = cjk_schema();
    let rows = vec![
        vec![i(1), s("观山湖公园"), s("贵阳")],
        vec![i(2), s("Pudong"), Value::Null],
    ];
    fixture::load(store, &r.id, &schema, rows).await.unwrap();
    let r = store.resource(&r.id).await.unwrap();
    assert_finds(store, &r, "浦东", &[]).await;
    assert_finds(store, &r, "张江", &[]).await;
    assert_finds(store, &r, "观山湖", &[1]).await;
    assert_finds(store, &r, "pudong", &[2]).await;
    let tables = t.datastore_tables().await;
    assert_eq!(tables.len(), 1);
    let live = tables.first().unwrap();
    let all = t.ds_tables().await;
    assert!(
        all.iter().all(|n| n.starts_with(live.as_str())),
        "the previous table's terms went with it: {all:?} after {first:?}"
    );
    if store.backend() == "sqlite" {
        assert!(all.contains(&format!("{live}_fts")), "{all:?}");
    }
}

async fn a_failed_load_leaves_no_terms_behind(t: TestStore) {
    let store = &t.store;
    let r = cjk(store).await;
    let before = t.ds_tables().await;
    let (tx, rx) = mpsc::channel(4);
    tx.send(Ok(vec![vec![i(9), s("浦东机场"), s("上海")]]))
        .await
        .unwrap();
    tx.send(Err("the file ended early".to_owned()))
        .await
        .unwrap();
    drop(tx);
    let failed = store.load_rows(&r.id, &cjk_schema(), rx).await;
    assert!(
        matches!(failed, Err(StoreError::LoadAborted { .. })),
        "{failed:?}"
    );
    assert_eq!(t.ds_tables().await, before);
    assert_finds(store, &r, "浦东", &[1, 2]).await;
    assert_finds(store, &r, "机场", &[]).await;
}

/// Runs one statement behind the store's back.
async fn execute(t: &TestStore, sql: String) {
    if t.url.starts_with("sqlite:") {
        let mut conn = sqlx::SqliteConnection::connect(&t.url).await.unwrap();
        sqlx::query(AssertSqlSafe(sql))
            .execute(&mut conn)
            .await
            .unwrap();
    } else {
        let mut conn = sqlx::PgConnection::connect(&t.url).await.unwrap();
        sqlx::query(AssertSqlSafe(sql))
            .execute(&mut conn)
            .await
            .unwrap();
    }
}

async fn tables_loaded_before_terms_answer_by_substring(t: TestStore) {
    let store = &t.store;
    let r = cjk(store).await;
    let table = t.datastore_tables().await.first().cloned().unwrap();
    // What a table loaded before this change looks like: no terms.
    if store.backend() == "sqlite" {
        execute(&t, format!("DROP TABLE \"{table}_fts\"")).await;
    } else {
        execute(
            &t,
            format!("ALTER TABLE \"{table}\" DROP COLUMN \"_terms\""),
        )
        .await;
    }
    // Substring, case-insensitive: `ary` is inside Library, 东 inside 浦东.
    assert_finds(store, &r, "ary", &[5]).await;
    assert_finds(store, &r, "东", &[1, 2]).await;
    assert_finds(store, &r, "PUDONG", &[5]).await;
    assert_eq!(
        search(store, &r, "浦东", &[("id__gt", "1")]).await,
        (vec![2], 1)
    );
    // Nothing to look for is no filter, on old tables too.
    assert_finds(store, &r, "\"", &[1, 2, 3, 4, 5, 6]).await;
    let params = fixture::params(&[("_q", "ary")]);
    let q = RowQuery::from_params(&params, &r.schema, &[]).unwrap();
    let rows: Vec<Vec<Value>> = store.stream_rows(&r, &q).try_collect().await.unwrap();
    assert_eq!(rows.len(), 1);
    // A table loaded now answers by words: `ary` and 东 are not words of these rows.
    let fresh = cjk(store).await;
    assert_finds(store, &fresh, "ary", &[]).await;
    assert_finds(store, &fresh, "东", &[]).await;
    assert_finds(store, &fresh, "浦东", &[1, 2]).await;
}

/// Documents (rows) holding `term`, read from the stored terms directly.
async fn rows_with_term(t: &TestStore, table: &str, term: &str) -> i64 {
    if t.url.starts_with("sqlite:") {
        let mut conn = sqlx::SqliteConnection::connect(&t.url).await.unwrap();
        let vocab =
            format!("CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, '{table}_fts', 'row')");
        sqlx::query(AssertSqlSafe(vocab))
            .execute(&mut conn)
            .await
            .unwrap();
        let row = sqlx::query("SELECT coalesce(max(doc), 0) FROM temp.vocab WHERE term = $1")
            .bind(term)
            .fetch_one(&mut conn)
            .await
            .unwrap();
        row.get::<i64, _>(0)
    } else {
        let mut conn = sqlx::PgConnection::connect(&t.url).await.unwrap();
        let sql = format!("SELECT count(*) FROM \"{table}\" WHERE $1 = ANY(\"_terms\")");
        let row = sqlx::query(AssertSqlSafe(sql))
            .bind(term)
            .fetch_one(&mut conn)
            .await
            .unwrap();
        row.get::<i64, _>(0)
    }
}

/// A Chinese pair, a word and a number are each one term of the index (one FTS5 token on
/// SQLite, one array element on PostgreSQL), never cut further.
async fn each_term_is_stored_whole(t: TestStore) {
    let store = &t.store;
    let _r = cjk(store).await;
    let table = t.datastore_tables().await.first().cloned().unwrap();
    for (term, rows) in [
        ("浦东", 2),
        ("东图", 1),
        ("图书馆", 1),
        ("pudong", 1),
        ("88", 2),
        ("100", 1),
        ("or", 1),
        ("浦", 0),
        ("8", 0),
    ] {
        assert_eq!(rows_with_term(&t, &table, term).await, rows, "{term}");
    }
}
