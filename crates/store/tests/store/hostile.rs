//! The hostile SQL strings of ../shared/cases/ckan-1871_hostile-sql-queries.txt, sent as
//! filter values, sort and field names, text search and parameter names: each is refused
//! as a bad parameter or is plain data, and every table stays intact.

use std::time::{Duration, Instant};

use kaifang_store::{DatasetQuery, StoreError};

use crate::common::TestStore;
use crate::fixture::{self, assert_bad, places, places_rows, query};

const CASES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/cases/ckan-1871_hostile-sql-queries.txt"
);

crate::both_backends!(hostile_sql_is_refused_or_harmless);

async fn hostile_sql_is_refused_or_harmless(t: TestStore) {
    let Ok(text) = std::fs::read_to_string(CASES) else {
        eprintln!("NOTICE: {CASES} absent; skipping the hostile SQL cases");
        return;
    };
    let store = &t.store;
    let r = places(store).await;
    let other = places(store).await;
    let tables = t.datastore_tables().await;
    let physical = |id: &str| format!("ds_{}_1", uuid::Uuid::parse_str(id).unwrap().simple());
    let mut lines = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        for (own, foreign) in [
            (r.id.clone(), other.id.clone()),
            (physical(&r.id), physical(&other.id)),
        ] {
            lines.push(
                line.replace("<other-resource-id>", &foreign)
                    .replace("<resource-id>", &own),
            );
        }
    }
    assert!(lines.len() >= 20, "the case file lists ten statements");

    let started = Instant::now();
    for line in &lines {
        let l = line.as_str();
        for param in [
            "名称",
            "名称__not",
            "名称__contains",
            "名称__startswith",
            "名称__in",
            "_q",
        ] {
            let page = query(store, &r, &[(param, l)]).await;
            let page = page.unwrap_or_else(|e| panic!("{param}={l}: {e}"));
            let expected = if param == "名称__not" { 8 } else { 0 };
            assert_eq!(page.total, expected, "{param}={l}");
        }
        for param in [
            "人口",
            "日期__gt",
            "_sort",
            "_sort_desc",
            "_fields",
            "_after",
            "_limit",
        ] {
            assert_bad(query(store, &r, &[(param, l)]).await, param);
        }
        assert_bad(query(store, &r, &[(l, "1")]).await, l);
        let with_op = format!("{l}__gt");
        assert_bad(query(store, &r, &[(&with_op, "1")]).await, &with_op);
        let listed = store
            .list_datasets(&DatasetQuery {
                q: Some(line.clone()),
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(listed.0, 0);
        let organization = DatasetQuery {
            organization: Some(line.clone()),
            ..Default::default()
        };
        assert_eq!(store.list_datasets(&organization).await.unwrap().0, 0);
        match store.dataset(l).await {
            Err(StoreError::NotFound { .. }) => {}
            other => panic!("dataset({l}): {other:?}"),
        }
    }
    assert!(started.elapsed() < Duration::from_secs(25), "nothing slept");

    for resource in [&r, &other] {
        let page = query(store, resource, &[]).await.unwrap();
        assert_eq!((page.total, page.rows), (8, places_rows()));
    }
    assert_eq!(t.datastore_tables().await, tables);
    assert_eq!(store.stats().await.unwrap().datasets, 2);
    assert_eq!(
        fixture::ids(&query(store, &r, &[("城市", "北京")]).await.unwrap()),
        vec![3, 8]
    );
}
