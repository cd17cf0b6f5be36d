//! Keyset paging: following `next` visits every row exactly once, in the documented order
//! (sort value, ties by row number in the same direction, rows without a value last in
//! both directions and by row number in the same direction), whatever the page size.

use std::cmp::Ordering;

use kaifang_domain::{FieldType, Resource};
use kaifang_store::Store;
use kaifang_tabular::Value;

use crate::common::TestStore;
use crate::fixture::{self, NULL, i, ids, places, query, s};

crate::both_backends!(
    paging_by_population_and_city_matches_hand_order,
    paging_through_every_column_visits_each_row_once,
    paging_a_larger_table_with_many_ties_and_nulls,
);

/// Follows `next` from the first page to the last; returns the `编号`s in order.
async fn walk(store: &Store, r: &Resource, base: &[(&str, &str)], limit: usize) -> Vec<i64> {
    let limit = limit.to_string();
    let mut pairs: Vec<(&str, &str)> = base.to_vec();
    pairs.push(("_limit", &limit));
    let mut seen = Vec::new();
    let mut page = query(store, r, &pairs).await.unwrap();
    let total = page.total;
    loop {
        assert_eq!(page.total, total, "total is the same on every page");
        seen.extend(ids(&page));
        let Some(next) = page.next.clone() else { break };
        let mut with_after = pairs.clone();
        with_after.push(("_after", &next));
        page = query(store, r, &with_after).await.unwrap();
        assert!(seen.len() <= 10_000, "paging does not end");
    }
    assert_eq!(seen.len() as u64, total);
    seen
}

async fn paging_by_population_and_city_matches_hand_order(t: TestStore) {
    let store = &t.store;
    let r = places(store).await;
    // 人口: 1:100 2:200 3:100 4:null 5:300 6:50 7:null 8:200
    // 城市 in byte order: 上海 (1,2,5) < 北京 (3,8) < 呼和浩特 (6) < 贵阳 (4); 7 is null.
    let expectations: [(&str, &str, [i64; 8]); 4] = [
        ("_sort", "人口", [6, 1, 3, 2, 8, 5, 4, 7]),
        ("_sort_desc", "人口", [5, 8, 2, 3, 1, 6, 7, 4]),
        ("_sort", "城市", [1, 2, 5, 3, 8, 6, 4, 7]),
        ("_sort_desc", "城市", [4, 6, 8, 3, 5, 2, 1, 7]),
    ];
    for (param, field, expected) in expectations {
        for limit in 1..=9 {
            let order = walk(store, &r, &[(param, field)], limit).await;
            assert_eq!(order, expected, "{param}={field} _limit={limit}");
        }
    }
    // Unsorted: file order.
    assert_eq!(walk(store, &r, &[], 3).await, vec![1, 2, 3, 4, 5, 6, 7, 8]);
    // With a filter, the filter holds on every page.
    let filtered = walk(
        store,
        &r,
        &[("_sort_desc", "人口"), ("城市__not", "北京")],
        2,
    )
    .await;
    assert_eq!(filtered, vec![5, 2, 1, 6, 7, 4]);
}

/// The documented order, computed independently of the store: values ascending (or
/// descending), nulls after every value, ties by row number in the sort's direction.
fn expected_order(rows: &[Vec<Value>], column: usize, descending: bool) -> Vec<i64> {
    let mut keyed: Vec<(i64, Value)> = rows
        .iter()
        .map(|row| {
            let id = match row.first() {
                Some(Value::Integer(id)) => *id,
                _ => panic!("row without 编号"),
            };
            (id, row.get(column).cloned().unwrap_or(Value::Null))
        })
        .collect();
    keyed.sort_by(|(ia, a), (ib, b)| {
        let by_value = match (a, b) {
            (Value::Null, Value::Null) => Ordering::Equal,
            (Value::Null, _) => return Ordering::Greater,
            (_, Value::Null) => return Ordering::Less,
            (a, b) => compare(a, b),
        };
        let natural = by_value.then(ia.cmp(ib));
        if descending {
            natural.reverse()
        } else {
            natural
        }
    });
    keyed.into_iter().map(|(id, _)| id).collect()
}

fn compare(a: &Value, b: &Value) -> Ordering {
    match (a, b) {
        (Value::String(a), Value::String(b)) => a.as_bytes().cmp(b.as_bytes()),
        (Value::Integer(a), Value::Integer(b)) => a.cmp(b),
        (Value::Number(a), Value::Number(b)) => a.total_cmp(b),
        (Value::Boolean(a), Value::Boolean(b)) => a.cmp(b),
        (Value::Date(a), Value::Date(b)) => a.cmp(b),
        (Value::Datetime(a), Value::Datetime(b)) => a.cmp(b),
        _ => panic!("mixed types in one column"),
    }
}

async fn paging_through_every_column_visits_each_row_once(t: TestStore) {
    let store = &t.store;
    let r = places(store).await;
    let rows = fixture::places_rows();
    for (column, field) in r.schema.fields.iter().enumerate() {
        for descending in [false, true] {
            let param = if descending { "_sort_desc" } else { "_sort" };
            let expected = expected_order(&rows, column, descending);
            for limit in [1, 2, 3, 5] {
                let order = walk(store, &r, &[(param, &field.name)], limit).await;
                assert_eq!(order, expected, "{param}={} _limit={limit}", field.name);
            }
        }
    }
}

async fn paging_a_larger_table_with_many_ties_and_nulls(t: TestStore) {
    let store = &t.store;
    let schema = fixture::schema(&[
        ("编号", FieldType::Integer),
        ("分类", FieldType::String),
        ("分数", FieldType::Number),
        ("日期", FieldType::Date),
    ]);
    let r = fixture::resource(store, &schema).await;
    // A fixed linear congruential sequence: few distinct values, so ties are everywhere.
    let mut state: u64 = 12_345;
    let mut next = move |m: u64| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) % m
    };
    let categories = ["甲", "乙", "丙", "a", "B"];
    let rows: Vec<Vec<Value>> = (1..=157)
        .map(|id| {
            let pick = next(6);
            let category = categories.get(pick as usize).map_or(NULL, |c| s(c));
            let score = match next(5) {
                0 => NULL,
                k => Value::Number(k as f64 * 0.5),
            };
            let day = match next(4) {
                0 => NULL,
                k => fixture::d(&format!("2024-0{k}-01")),
            };
            vec![i(id), category, score, day]
        })
        .collect();
    fixture::load(store, &r.id, &schema, rows.clone())
        .await
        .unwrap();
    let r = store.resource(&r.id).await.unwrap();
    for (column, name) in [(1, "分类"), (2, "分数"), (3, "日期")] {
        for descending in [false, true] {
            let param = if descending { "_sort_desc" } else { "_sort" };
            let expected = expected_order(&rows, column, descending);
            for limit in [7, 50] {
                let order = walk(store, &r, &[(param, name)], limit).await;
                assert_eq!(order, expected, "{param}={name} _limit={limit}");
            }
        }
    }
}
