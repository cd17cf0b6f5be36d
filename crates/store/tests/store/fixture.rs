//! Small hand-made tables and helpers shared by the tests.

use chrono::{NaiveDate, NaiveDateTime};
use kaifang_domain::{
    Field, FieldType, NewDataset, NewResource, OrgKind, Resource, ResourceKind, Schema,
};
use kaifang_store::{RowPage, RowQuery, Store, StoreError};
use kaifang_tabular::Value;

pub fn schema(fields: &[(&str, FieldType)]) -> Schema {
    Schema {
        fields: fields
            .iter()
            .map(|(name, field_type)| Field {
                name: (*name).to_owned(),
                field_type: *field_type,
                original_name: None,
                description: None,
            })
            .collect(),
    }
}

/// An organization, a dataset and one resource with this schema.
pub async fn resource(store: &Store, schema: &Schema) -> Resource {
    let org = store
        .ensure_organization("市大数据局", OrgKind::CityDepartment, None)
        .await
        .unwrap();
    let dataset = store
        .create_dataset(&NewDataset::minimal("测试数据集", org.id.clone()))
        .await
        .unwrap();
    store
        .create_resource(&new_resource(&dataset.id, schema))
        .await
        .unwrap()
}

pub fn new_resource(dataset_id: &str, schema: &Schema) -> NewResource {
    NewResource {
        dataset_id: dataset_id.to_owned(),
        name: "表一".to_owned(),
        kind: ResourceKind::File,
        format: "csv".to_owned(),
        size_bytes: 123,
        content_hash: "0".repeat(64),
        encoding: Some("UTF-8".to_owned()),
        sheet: None,
        schema: schema.clone(),
    }
}

/// Sends the rows in batches of `batch` and the end marker.
pub async fn load(
    store: &Store,
    resource_id: &str,
    schema: &Schema,
    rows: Vec<Vec<Value>>,
) -> Result<u64, StoreError> {
    let (tx, rx) = tokio::sync::mpsc::channel(4);
    let producer = tokio::spawn(async move {
        for chunk in rows.chunks(3) {
            if tx.send(Ok(chunk.to_vec())).await.is_err() {
                return;
            }
        }
        let _ = tx.send(kaifang_store::END_OF_ROWS).await;
    });
    let loaded = store.load_rows(resource_id, schema, rx).await;
    producer.await.unwrap();
    loaded
}

pub fn s(text: &str) -> Value {
    Value::String(text.to_owned())
}

pub fn i(n: i64) -> Value {
    Value::Integer(n)
}

pub fn n(x: f64) -> Value {
    Value::Number(x)
}

pub fn b(x: bool) -> Value {
    Value::Boolean(x)
}

pub fn d(text: &str) -> Value {
    Value::Date(NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap())
}

pub fn t(text: &str) -> Value {
    Value::Datetime(NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f").unwrap())
}

pub const NULL: Value = Value::Null;

pub const HOSTILE: &str = "a\"; DROP TABLE t; --";

/// Eight places: Chinese text, nulls, ties, a leading-zero code, a hostile column name
/// and a field whose name contains `__`. `编号` is the row number, to name rows in
/// assertions.
pub fn places_schema() -> Schema {
    schema(&[
        ("编号", FieldType::Integer),
        ("名称", FieldType::String),
        ("城市", FieldType::String),
        ("人口", FieldType::Integer),
        ("面积", FieldType::Number),
        ("开放", FieldType::Boolean),
        ("日期", FieldType::Date),
        ("时间", FieldType::Datetime),
        ("邮编", FieldType::String),
        (HOSTILE, FieldType::String),
        ("a__b", FieldType::String),
    ])
}

pub fn places_rows() -> Vec<Vec<Value>> {
    vec![
        vec![
            i(1),
            s("张江科学会堂"),
            s("上海"),
            i(100),
            n(1.5),
            b(true),
            d("2024-01-01"),
            t("2024-01-01T08:00:00"),
            s("200001"),
            s("x"),
            s("p"),
        ],
        vec![
            i(2),
            s("浦东图书馆"),
            s("上海"),
            i(200),
            n(2.5),
            b(false),
            d("2024-02-01"),
            t("2024-02-01T09:30:00"),
            s("200120"),
            NULL,
            s("q"),
        ],
        vec![
            i(3),
            s("中关村图书大厦"),
            s("北京"),
            i(100),
            NULL,
            b(true),
            NULL,
            NULL,
            s("100080"),
            s("y"),
            s("p"),
        ],
        vec![
            i(4),
            s("观山湖公园"),
            s("贵阳"),
            NULL,
            n(10.0),
            NULL,
            d("2023-12-31"),
            t("2023-12-31T23:59:59.5"),
            s("550081"),
            s("x"),
            NULL,
        ],
        vec![
            i(5),
            s("Pudong Library"),
            s("上海"),
            i(300),
            n(0.25),
            b(true),
            d("2024-01-01"),
            t("2024-01-01T08:00:00"),
            s("200135"),
            s("z"),
            s("r"),
        ],
        vec![
            i(6),
            s("呼和浩特站"),
            s("呼和浩特"),
            i(50),
            n(3.0),
            b(false),
            d("2022-06-15"),
            NULL,
            s("010010"),
            NULL,
            s("p"),
        ],
        vec![
            i(7),
            NULL,
            NULL,
            NULL,
            NULL,
            NULL,
            NULL,
            NULL,
            NULL,
            NULL,
            NULL,
        ],
        vec![
            i(8),
            s("100%_test"),
            s("北京"),
            i(200),
            n(7.75),
            b(true),
            d("2025-03-01"),
            t("2025-03-01T00:00:00"),
            s("100010"),
            s("w"),
            s("s"),
        ],
    ]
}

/// A resource loaded with the places.
pub async fn places(store: &Store) -> Resource {
    let schema = places_schema();
    let resource = resource(store, &schema).await;
    assert_eq!(
        load(store, &resource.id, &schema, places_rows())
            .await
            .unwrap(),
        8
    );
    store.resource(&resource.id).await.unwrap()
}

pub fn params(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

pub async fn query(
    store: &Store,
    resource: &Resource,
    pairs: &[(&str, &str)],
) -> Result<RowPage, StoreError> {
    let query = RowQuery::from_params(&params(pairs), &resource.schema, &[])?;
    store.query_rows(resource, &query).await
}

/// The `编号` of each row of a page whose first field is `编号`.
pub fn ids(page: &RowPage) -> Vec<i64> {
    page.rows
        .iter()
        .map(|row| match row.first() {
            Some(Value::Integer(id)) => *id,
            other => panic!("first field is not 编号: {other:?}"),
        })
        .collect()
}

/// Asserts a `BadQuery` naming `parameter`.
pub fn assert_bad(result: Result<RowPage, StoreError>, parameter: &str) {
    match result {
        Err(StoreError::BadQuery { parameter: p, .. }) => assert_eq!(p, parameter),
        other => panic!("expected BadQuery on {parameter:?}, got {other:?}"),
    }
}
