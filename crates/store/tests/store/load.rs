//! Loading rows: typed round trip, the swap, and every way a load can fail.

use kaifang_domain::FieldType;
use kaifang_store::{RowQuery, StoreError};
use kaifang_tabular::Value;
use tokio::sync::mpsc;

use crate::common::TestStore;
use crate::fixture::{self, NULL, i, n, places, places_rows, places_schema, query, s};

crate::both_backends!(
    every_type_round_trips,
    a_new_load_replaces_the_table_and_schema,
    err_batch_midway_leaves_previous_table_live,
    producer_dropped_without_end_marker_aborts,
    malformed_rows_abort,
    hostile_column_names_are_data,
    empty_load_and_unknown_resource,
);

async fn every_type_round_trips(t: TestStore) {
    let resource = places(&t.store).await;
    assert_eq!(resource.rows, Some(8));
    assert_eq!(resource.schema, places_schema());
    let page = query(&t.store, &resource, &[]).await.unwrap();
    assert_eq!(page.total, 8);
    assert_eq!(page.rows, places_rows());
    assert_eq!(page.fields.len(), 11);
    assert_eq!(
        page.fields.get(9).map(String::as_str),
        Some(fixture::HOSTILE)
    );
    assert_eq!(page.next, None);
    // Integers widen into a number column.
    let schema = fixture::schema(&[("x", FieldType::Number)]);
    let r = fixture::resource(&t.store, &schema).await;
    fixture::load(&t.store, &r.id, &schema, vec![vec![i(2)], vec![n(0.1)]])
        .await
        .unwrap();
    let r = t.store.resource(&r.id).await.unwrap();
    let page = query(&t.store, &r, &[]).await.unwrap();
    assert_eq!(page.rows, vec![vec![n(2.0)], vec![n(0.1)]]);
}

async fn a_new_load_replaces_the_table_and_schema(t: TestStore) {
    let resource = places(&t.store).await;
    let before = t.datastore_tables().await;
    assert_eq!(before.len(), 1);
    let schema = fixture::schema(&[("名称", FieldType::String), ("数量", FieldType::Integer)]);
    let rows = vec![vec![s("新"), i(1)], vec![s("表"), NULL]];
    assert_eq!(
        fixture::load(&t.store, &resource.id, &schema, rows.clone())
            .await
            .unwrap(),
        2
    );
    let after = t.datastore_tables().await;
    assert_eq!(after.len(), 1, "the previous table is dropped");
    assert_ne!(after, before);
    let resource = t.store.resource(&resource.id).await.unwrap();
    assert_eq!((resource.rows, &resource.schema), (Some(2), &schema));
    assert_eq!(query(&t.store, &resource, &[]).await.unwrap().rows, rows);
}

async fn assert_previous_version_live(t: &TestStore, resource_id: &str, tables: &[String]) {
    let resource = t.store.resource(resource_id).await.unwrap();
    assert_eq!(resource.rows, Some(8));
    let page = query(&t.store, &resource, &[]).await.unwrap();
    assert_eq!((page.total, page.rows), (8, places_rows()));
    assert_eq!(
        t.datastore_tables().await,
        tables,
        "half table dropped, old one kept"
    );
}

async fn err_batch_midway_leaves_previous_table_live(t: TestStore) {
    let resource = places(&t.store).await;
    let tables = t.datastore_tables().await;
    let (tx, rx) = mpsc::channel(4);
    let rows = places_rows();
    tokio::spawn(async move {
        let _ = tx.send(Ok(rows.clone())).await;
        let _ = tx.send(Ok(rows)).await;
        let _ = tx.send(Err("第17行：无法解码".to_owned())).await;
    });
    match t.store.load_rows(&resource.id, &places_schema(), rx).await {
        Err(StoreError::LoadAborted {
            resource_id,
            reason,
        }) => {
            assert_eq!(resource_id, resource.id);
            assert_eq!(reason, "第17行：无法解码");
        }
        other => panic!("expected LoadAborted, got {other:?}"),
    }
    assert_previous_version_live(&t, &resource.id, &tables).await;
}

async fn producer_dropped_without_end_marker_aborts(t: TestStore) {
    let resource = places(&t.store).await;
    let tables = t.datastore_tables().await;
    let (tx, rx) = mpsc::channel(4);
    tx.send(Ok(places_rows())).await.unwrap();
    drop(tx);
    let loaded = t.store.load_rows(&resource.id, &places_schema(), rx).await;
    assert!(
        matches!(loaded, Err(StoreError::LoadAborted { .. })),
        "{loaded:?}"
    );
    assert_previous_version_live(&t, &resource.id, &tables).await;

    // A producer that panics drops its sender the same way.
    let (tx, rx) = mpsc::channel::<Result<Vec<Vec<Value>>, String>>(4);
    let producer = tokio::spawn(async move {
        let _ = tx.send(Ok(places_rows())).await;
        panic!("producer crashed");
    });
    let loaded = t.store.load_rows(&resource.id, &places_schema(), rx).await;
    assert!(
        matches!(loaded, Err(StoreError::LoadAborted { .. })),
        "{loaded:?}"
    );
    assert!(producer.await.is_err());
    assert_previous_version_live(&t, &resource.id, &tables).await;
}

async fn malformed_rows_abort(t: TestStore) {
    let resource = places(&t.store).await;
    let tables = t.datastore_tables().await;
    let schema = places_schema();
    let mut wrong_type = places_rows();
    if let Some(cell) = wrong_type.get_mut(2).and_then(|row| row.get_mut(3)) {
        *cell = s("一百");
    }
    let mut short = places_rows();
    if let Some(row) = short.get_mut(0) {
        row.pop();
    }
    let cases: Vec<Vec<Result<Vec<Vec<Value>>, String>>> = vec![
        vec![Ok(wrong_type), Ok(Vec::new())],
        vec![Ok(short), Ok(Vec::new())],
        vec![Ok(places_rows()), Ok(Vec::new()), Ok(places_rows())],
        vec![Ok(vec![vec![s("NUL\0"); 11]]), Ok(Vec::new())],
    ];
    for batches in cases {
        let (tx, rx) = mpsc::channel(8);
        for batch in batches {
            tx.send(batch).await.unwrap();
        }
        drop(tx);
        let loaded = t.store.load_rows(&resource.id, &schema, rx).await;
        assert!(
            matches!(loaded, Err(StoreError::LoadAborted { .. })),
            "{loaded:?}"
        );
    }
    assert_previous_version_live(&t, &resource.id, &tables).await;
}

/// The header row of ../shared/cases/ckan-1871_hostile-column-names.csv, as field names.
async fn hostile_column_names_are_data(t: TestStore) {
    let names = ["a\"; DROP TABLE t; --", "_id", "x' OR '1'='1", "name"];
    let schema = fixture::schema(&names.map(|name| (name, FieldType::String)));
    let resource = fixture::resource(&t.store, &schema).await;
    let rows = vec![
        vec![s("1"), s("2"), s("3"), s("4")],
        vec![s("5"), s("6"), s("7"), s("8")],
    ];
    fixture::load(&t.store, &resource.id, &schema, rows)
        .await
        .unwrap();
    let resource = t.store.resource(&resource.id).await.unwrap();
    let page = query(&t.store, &resource, &[]).await.unwrap();
    assert_eq!(page.fields, names.map(str::to_owned).to_vec());
    for (position, name) in names.iter().enumerate() {
        let wanted = (position + 5).to_string();
        let page = query(
            &t.store,
            &resource,
            &[(name, &wanted), ("_sort_desc", name)],
        )
        .await;
        let page = page.unwrap();
        assert_eq!(page.total, 1, "filter on {name:?}");
        assert_eq!(
            page.rows.first().and_then(|r| r.get(position)),
            Some(&s(&wanted))
        );
    }
    let page = query(&t.store, &resource, &[("_fields", "x' OR '1'='1,_id")])
        .await
        .unwrap();
    assert_eq!(page.rows, vec![vec![s("3"), s("2")], vec![s("7"), s("6")]]);
}

async fn empty_load_and_unknown_resource(t: TestStore) {
    let schema = places_schema();
    let resource = fixture::resource(&t.store, &schema).await;
    let unloaded = query(&t.store, &resource, &[]).await;
    assert!(matches!(
        unloaded,
        Err(StoreError::NotFound {
            entity: "datastore",
            ..
        })
    ));
    assert_eq!(
        fixture::load(&t.store, &resource.id, &schema, Vec::new())
            .await
            .unwrap(),
        0
    );
    let resource = t.store.resource(&resource.id).await.unwrap();
    assert_eq!(resource.rows, Some(0));
    let page = query(&t.store, &resource, &[("人口__gt", "1")])
        .await
        .unwrap();
    assert_eq!((page.total, page.rows.len()), (0, 0));

    let (tx, rx) = mpsc::channel(1);
    tx.send(Ok(Vec::new())).await.unwrap();
    drop(tx);
    let missing = uuid::Uuid::now_v7().to_string();
    let loaded = t.store.load_rows(&missing, &schema, rx).await;
    assert!(matches!(
        loaded,
        Err(StoreError::NotFound {
            entity: "resource",
            ..
        })
    ));
    let query = RowQuery::from_params(&[], &schema, &[]).unwrap();
    let mut gone = resource.clone();
    gone.id = missing;
    assert!(matches!(
        t.store.query_rows(&gone, &query).await,
        Err(StoreError::NotFound {
            entity: "resource",
            ..
        })
    ));
}
