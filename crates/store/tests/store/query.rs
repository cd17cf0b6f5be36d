//! Row queries on the places fixture: each filter operator against a hand-computed answer,
//! field selection, limits, text search, bad parameters, indexes and streaming.

use std::time::Duration;

use futures::TryStreamExt;
use kaifang_domain::FieldType;
use kaifang_store::{RowQuery, StoreError};

use crate::common::TestStore;
use crate::fixture::{self, assert_bad, ids, places, query, s};

/// URL parameters of one case.
type Params<'a> = &'a [(&'a str, &'a str)];

crate::both_backends!(
    each_filter_operator_matches_the_hand_computed_rows,
    fields_and_limit,
    text_search_finds_words_of_text_fields,
    bad_parameters_name_the_parameter,
    filtered_and_sorted_columns_get_an_index,
    stream_returns_every_matching_row_in_order,
);

async fn each_filter_operator_matches_the_hand_computed_rows(t: TestStore) {
    let store = &t.store;
    let r = places(store).await;
    let cases: &[(Params, &[i64])] = &[
        (&[("城市", "上海")], &[1, 2, 5]),
        (&[("城市__exact", "上海")], &[1, 2, 5]),
        (&[("城市__not", "上海")], &[3, 4, 6, 7, 8]),
        (&[("人口__gt", "100")], &[2, 5, 8]),
        (&[("人口__gte", "100")], &[1, 2, 3, 5, 8]),
        (&[("人口__lt", "100")], &[6]),
        (&[("人口__lte", "100")], &[1, 3, 6]),
        (&[("人口__in", "100,300")], &[1, 3, 5]),
        (&[("人口__in", "[300]")], &[5]),
        (&[("人口__isnull", "1")], &[4, 7]),
        (&[("人口__notnull", "true")], &[1, 2, 3, 5, 6, 8]),
        (&[("人口__isnull", "0")], &[1, 2, 3, 5, 6, 8]),
        (&[("面积__gt", "2")], &[2, 4, 6, 8]),
        (&[("面积__lte", "1.5")], &[1, 5]),
        (&[("面积", "10")], &[4]),
        (&[("开放", "true")], &[1, 3, 5, 8]),
        (&[("开放", "0")], &[2, 6]),
        (&[("日期", "2024-01-01")], &[1, 5]),
        (&[("日期__gte", "2024-01-01")], &[1, 2, 5, 8]),
        (&[("日期__lt", "2024-01-01")], &[4, 6]),
        (&[("时间__gt", "2024-01-01T08:00:00")], &[2, 8]),
        (&[("时间", "2023-12-31T23:59:59.5")], &[4]),
        (&[("时间__gte", "2024-01-01")], &[1, 2, 5, 8]),
        (&[("名称__contains", "图书")], &[2, 3]),
        (&[("名称__contains", "%")], &[8]),
        (&[("名称__contains", "_")], &[8]),
        (&[("名称__contains", "pudong")], &[]),
        (&[("名称__contains", "Pudong")], &[5]),
        (&[("名称__startswith", "浦东")], &[2]),
        (&[("名称__startswith", "图书")], &[]),
        (&[("邮编", "010010")], &[6]),
        (&[("邮编", "10010")], &[]),
        (&[("邮编__startswith", "0")], &[6]),
        (&[("邮编__in", "010010,100010")], &[6, 8]),
        (&[(fixture::HOSTILE, "x")], &[1, 4]),
        (&[("a__b", "p")], &[1, 3, 6]),
        (&[("a__b__not", "p")], &[2, 4, 5, 7, 8]),
        (&[("城市", "上海"), ("人口__gt", "100")], &[2, 5]),
        (
            &[("人口__gt", "50"), ("人口__lt", "300"), ("开放", "1")],
            &[1, 3, 8],
        ),
    ];
    for (pairs, expected) in cases {
        let page = query(store, &r, pairs).await.unwrap();
        assert_eq!(ids(&page), *expected, "{pairs:?}");
        assert_eq!(page.total, expected.len() as u64, "{pairs:?} total");
        // Cached counts give the same answer.
        assert_eq!(query(store, &r, pairs).await.unwrap().total, page.total);
    }
}

async fn fields_and_limit(t: TestStore) {
    let store = &t.store;
    let r = places(store).await;
    let page = query(
        store,
        &r,
        &[("_fields", "城市,编号,城市"), ("编号__lte", "2")],
    )
    .await;
    let page = page.unwrap();
    assert_eq!(page.fields, vec!["城市".to_owned(), "编号".to_owned()]);
    assert_eq!(
        page.rows,
        vec![
            vec![s("上海"), fixture::i(1)],
            vec![s("上海"), fixture::i(2)]
        ]
    );

    assert_eq!(query(store, &r, &[]).await.unwrap().limit, 100);
    let clamped = query(store, &r, &[("_limit", "5000")]).await.unwrap();
    assert_eq!((clamped.limit, clamped.rows.len()), (1000, 8));
    let small = query(store, &r, &[("_limit", "3")]).await.unwrap();
    assert_eq!(
        (small.limit, ids(&small), small.total),
        (3, vec![1, 2, 3], 8)
    );
    assert!(small.next.is_some());
    let exact = query(store, &r, &[("_limit", "8")]).await.unwrap();
    assert_eq!(
        exact.next, None,
        "no next token when the page ends the rows"
    );
    // `ignore` leaves the caller's own parameters alone.
    let params = fixture::params(&[("format", "csv"), ("城市", "北京")]);
    let q = RowQuery::from_params(&params, &r.schema, &["format"]).unwrap();
    assert_eq!(ids(&store.query_rows(&r, &q).await.unwrap()), vec![3, 8]);
}

/// In the spirit of ../shared/cases/ckan-3615_cjk-fulltext.csv: 浦东 inside longer text.
async fn text_search_finds_words_of_text_fields(t: TestStore) {
    let store = &t.store;
    let schema = fixture::schema(&[
        ("id", FieldType::Integer),
        ("名称", FieldType::String),
        ("地址", FieldType::String),
    ]);
    let r = fixture::resource(store, &schema).await;
    let rows = vec![
        vec![
            fixture::i(1),
            s("张江科学会堂"),
            s("上海市浦东新区张江路100号"),
        ],
        vec![
            fixture::i(2),
            s("浦东图书馆"),
            s("上海市浦东新区前程路88号"),
        ],
        vec![
            fixture::i(3),
            s("中关村图书大厦"),
            s("北京市海淀区中关村大街1号"),
        ],
        vec![fixture::i(4), s("观山湖公园"), s("贵州省贵阳市观山湖区")],
        vec![
            fixture::i(5),
            s("Pudong Library"),
            s("Qiancheng Road 88 Pudong Shanghai"),
        ],
    ];
    fixture::load(store, &r.id, &schema, rows).await.unwrap();
    let r = store.resource(&r.id).await.unwrap();
    for (q, expected) in [
        ("浦东", vec![1, 2]),
        ("张江", vec![1]),
        ("中关村", vec![3]),
        ("观山湖", vec![4]),
        ("PUDONG", vec![5]),
        ("pudong", vec![5]),
        ("100", vec![1]),
        // No letter, digit or Chinese character: nothing to look for, no filter.
        ("%", vec![1, 2, 3, 4, 5]),
    ] {
        let page = query(store, &r, &[("_q", q)]).await.unwrap();
        assert_eq!(
            (ids(&page), page.total),
            (expected.clone(), expected.len() as u64),
            "{q}"
        );
    }
    let both = query(store, &r, &[("_q", "浦东"), ("id__gt", "1")])
        .await
        .unwrap();
    assert_eq!(ids(&both), vec![2]);
    let blank = query(store, &r, &[("_q", "  ")]).await.unwrap();
    assert_eq!(blank.total, 5, "a blank search is no search");
}

async fn bad_parameters_name_the_parameter(t: TestStore) {
    let store = &t.store;
    let r = places(store).await;
    let sorted = query(store, &r, &[("_sort", "人口"), ("_limit", "2")])
        .await
        .unwrap();
    let token = sorted.next.clone().unwrap();
    let cases: &[(Params, &str)] = &[
        (&[("nosuch", "1")], "nosuch"),
        (&[("nosuch__gt", "1")], "nosuch__gt"),
        (&[("人口__foo", "1")], "人口__foo"),
        (&[("_bogus", "1")], "_bogus"),
        (&[("人口__gt", "abc")], "人口__gt"),
        (&[("人口", "1.5")], "人口"),
        (&[("人口__in", "1,x")], "人口__in"),
        (&[("面积", "NaN")], "面积"),
        (&[("日期", "2024-13-01")], "日期"),
        (&[("日期__gt", "昨天")], "日期__gt"),
        (&[("时间", "2024-01-01T25:00:00")], "时间"),
        (&[("开放", "maybe")], "开放"),
        (&[("人口__isnull", "maybe")], "人口__isnull"),
        (&[("人口__contains", "1")], "人口__contains"),
        (&[("_after", "garbage")], "_after"),
        (&[("_after", "eyJpIjotMX0")], "_after"),
        (&[("_after", &token)], "_after"),
        (&[("_sort", "城市"), ("_after", &token)], "_after"),
        (&[("_limit", "-1")], "_limit"),
        (&[("_limit", "abc")], "_limit"),
        (&[("_limit", "0")], "_limit"),
        (&[("_sort", "nosuch")], "_sort"),
        (&[("_sort_desc", "nosuch")], "_sort_desc"),
        (&[("_sort", "人口"), ("_sort_desc", "人口")], "_sort_desc"),
        (&[("_fields", "编号,nosuch")], "_fields"),
        (&[("_fields", "")], "_fields"),
    ];
    for (pairs, parameter) in cases {
        assert_bad(query(store, &r, pairs).await, parameter);
    }
    // The token is good with the sort it came from.
    let next = query(
        store,
        &r,
        &[("_sort", "人口"), ("_limit", "2"), ("_after", &token)],
    )
    .await;
    assert_eq!(ids(&next.unwrap()), vec![3, 2]);
    // A filter built by hand with a value of the wrong type is refused at query time.
    let mut q = RowQuery::from_params(&[], &r.schema, &[]).unwrap();
    q.filters.push(kaifang_store::Filter {
        field: "人口".to_owned(),
        op: kaifang_store::FilterOp::Gt,
        values: vec![s("abc")],
    });
    assert_bad(store.query_rows(&r, &q).await, "人口__gt");
}

async fn filtered_and_sorted_columns_get_an_index(t: TestStore) {
    let store = &t.store;
    let r = places(store).await;
    assert!(store.indexed_fields(&r).await.unwrap().is_empty());
    query(store, &r, &[("人口__gt", "1"), ("_sort_desc", "日期")])
        .await
        .unwrap();
    let mut indexed = Vec::new();
    for _ in 0..100 {
        indexed = store.indexed_fields(&r).await.unwrap();
        if indexed.len() == 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(indexed, vec!["人口".to_owned(), "日期".to_owned()]);
    // Indexed or not, the answers stay the same.
    let page = query(store, &r, &[("人口__gt", "100")]).await.unwrap();
    assert_eq!(ids(&page), vec![2, 5, 8]);
}

async fn stream_returns_every_matching_row_in_order(t: TestStore) {
    let store = &t.store;
    let r = places(store).await;
    let params = fixture::params(&[
        ("_sort_desc", "人口"),
        ("_limit", "1"),
        ("人口__gte", "100"),
        ("_fields", "编号"),
    ]);
    let q = RowQuery::from_params(&params, &r.schema, &[]).unwrap();
    let rows: Vec<Vec<kaifang_tabular::Value>> =
        store.stream_rows(&r, &q).try_collect().await.unwrap();
    let expected: Vec<Vec<kaifang_tabular::Value>> = [5, 8, 2, 3, 1]
        .into_iter()
        .map(|n| vec![fixture::i(n)])
        .collect();
    assert_eq!(rows, expected);
    let all = RowQuery::from_params(&[], &r.schema, &[]).unwrap();
    let rows: Vec<_> = store.stream_rows(&r, &all).try_collect().await.unwrap();
    assert_eq!(rows, fixture::places_rows());
    let mut unloaded = r.clone();
    unloaded.id = uuid::Uuid::now_v7().to_string();
    let failed: Result<Vec<_>, StoreError> = store.stream_rows(&unloaded, &all).try_collect().await;
    assert!(matches!(failed, Err(StoreError::NotFound { .. })));
}
