//! ../shared/cases: inputs that broke other portals, through the whole stack.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::enc;
use serde_json::{Value, json};

async fn import_case(app: &common::TestApp, name: &str) -> Option<String> {
    let path = common::shared(&format!("cases/{name}"))?;
    Some(app.import(&path, "测试部门", |_| {}).await.resource_id)
}

async fn rows(app: &common::TestApp, resource: &str, query: &str) -> (u16, Value) {
    app.get_json(&format!("/api/v1/resources/{resource}/rows?{query}"))
        .await
}

on_both_backends!(cjk_fulltext_finds_words_inside_text, |app| {
    let Some(resource) = import_case(&app, "ckan-3615_cjk-fulltext.csv").await else {
        return;
    };
    for (q, ids) in [
        ("浦东", vec![1, 2]),
        ("张江", vec![1]),
        ("中关村", vec![3]),
        ("观山湖", vec![4]),
        ("pudong", vec![5]),
        ("PUDONG", vec![5]),
    ] {
        let (status, body) = rows(&app, &resource, &format!("_q={}", enc(q))).await;
        assert_eq!(status, 200, "{q}: {body}");
        let found: Vec<Value> = body["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].clone())
            .collect();
        assert_eq!(
            found,
            ids.iter().map(|i| json!(i)).collect::<Vec<_>>(),
            "_q={q}"
        );
    }
});

on_both_backends!(hostile_column_names_are_data, |app| {
    let Some(resource) = import_case(&app, "ckan-1871_hostile-column-names.csv").await else {
        return;
    };
    let (_, schema) = app
        .get_json(&format!("/api/v1/resources/{resource}/schema"))
        .await;
    let names: Vec<&str> = schema["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [r#"a"; DROP TABLE t; --"#, "_id", "x' OR '1'='1", "name"]
    );
    let (status, body) = rows(&app, &resource, "").await;
    assert_eq!(status, 200);
    assert_eq!(
        body["rows"][0],
        json!({ r#"a"; DROP TABLE t; --"#: 1, "_id": 2, "x' OR '1'='1": 3, "name": 4 })
    );
    let (status, body) = rows(
        &app,
        &resource,
        &format!("{}=1", enc(r#"a"; DROP TABLE t; --"#)),
    )
    .await;
    assert_eq!((status, body["total"].as_u64()), (200, Some(1)));
    let (status, body) = rows(&app, &resource, "_id=2").await;
    assert_eq!((status, body["total"].as_u64()), (200, Some(1)), "{body}");
    let (status, body) = rows(&app, &resource, &format!("{}__gt=3", enc("x' OR '1'='1"))).await;
    assert_eq!((status, body["total"].as_u64()), (200, Some(0)));
});

on_both_backends!(hostile_sql_is_refused_or_harmless, |app| {
    let Some(path) = common::shared("cases/ckan-1871_hostile-sql-queries.txt") else {
        return;
    };
    let Some(resource) = import_case(&app, "ckan-3615_cjk-fulltext.csv").await else {
        return;
    };
    let Some(other) = import_case(&app, "csvkit-977_leading-zeros.csv").await else {
        return;
    };
    let before = rows(&app, &resource, "").await.1;
    let lines = std::fs::read_to_string(path).unwrap();
    for line in lines.lines().filter(|l| !l.trim().is_empty()) {
        let sql = line
            .replace("<resource-id>", &resource)
            .replace("<other-resource-id>", &other);
        let sql = enc(&sql);
        for query in [
            format!("_q={sql}"),
            format!("id={sql}"),
            format!("{}__contains={sql}", enc("名称")),
            format!("id__in={sql}"),
            format!("_sort={sql}"),
            format!("_sort_desc={sql}"),
            format!("_fields={sql}"),
            format!("{sql}=1"),
            format!("_after={sql}"),
        ] {
            let (status, body) = rows(&app, &resource, &query).await;
            assert!(status == 200 || status == 400, "{query}: {status} {body}");
            if status == 200 {
                assert_eq!(body["total"], 0, "{query}: {body}");
            }
        }
    }
    assert_eq!(rows(&app, &resource, "").await.1, before);
    assert_eq!(rows(&app, &other, "").await.1["total"], 4);
});

on_both_backends!(leading_zeros_round_trip_everywhere, |app| {
    let Some(resource) = import_case(&app, "csvkit-977_leading-zeros.csv").await else {
        return;
    };
    // 行政区划代码 has no leading zero anywhere, so it alone is typed integer.
    let expected = [
        json!(["呼和浩特", "010010", "0471", 150102, "0123456"]),
        json!(["北京", "100010", "010", 110101, "0065422"]),
        json!(["上海", "200001", "021", 310101, "0005600"]),
        json!(["杭州", "310002", "0571", 330102, "1212122"]),
    ];
    let (_, body) = rows(&app, &resource, "").await;
    let header = ["城市", "邮政编码", "电话区号", "行政区划代码", "内部编号"];
    for (row, values) in body["rows"].as_array().unwrap().iter().zip(&expected) {
        for (field, value) in header.iter().zip(values.as_array().unwrap()) {
            assert_eq!(&row[*field], value, "{field}");
        }
    }
    let (_, found) = rows(&app, &resource, &format!("{}=010010", enc("邮政编码"))).await;
    assert_eq!(found["total"], 1);

    let csv = app
        .get(&format!("/api/v1/resources/{resource}/download?format=csv"))
        .await
        .text()
        .await
        .unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[1], "呼和浩特,010010,0471,150102,0123456");
    assert_eq!(lines[3], "上海,200001,021,310101,0005600");

    let (_, json) = app
        .get_json(&format!(
            "/api/v1/resources/{resource}/download?format=json"
        ))
        .await;
    assert_eq!(json[1]["电话区号"], "010");

    let bytes = app
        .get(&format!(
            "/api/v1/resources/{resource}/download?format=xlsx"
        ))
        .await
        .bytes()
        .await
        .unwrap();
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    use calamine::Reader;
    let sheet = book.worksheet_range_at(0).unwrap().unwrap();
    for (r, values) in expected.iter().enumerate() {
        for (c, value) in values.as_array().unwrap().iter().enumerate() {
            let cell = sheet.get_value((r as u32 + 1, c as u32)).unwrap();
            match value {
                Value::String(text) => assert_eq!(cell, &calamine::Data::String(text.clone())),
                number => assert_eq!(cell, &calamine::Data::Float(number.as_f64().unwrap())),
            }
        }
    }
});

on_both_backends!(bom_header_filters_on_first_field, |app| {
    let Some(resource) = import_case(&app, "sqlite-utils-250_utf8-bom-header.csv").await else {
        return;
    };
    let (status, body) = rows(&app, &resource, &format!("{}=2", enc("序号"))).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["rows"],
        json!([{ "序号": 2, "名称": "香蕉", "数量": 5 }])
    );
});

on_both_backends!(phone_numbers_stay_text, |app| {
    let Some(resource) = import_case(&app, "csvkit-1143_phone-numbers.csv").await else {
        return;
    };
    let (_, body) = rows(&app, &resource, "").await;
    assert_eq!(body["rows"][0]["联系电话"], "+8613800000000");
    assert_eq!(body["rows"][1]["联系电话"], "13900001111");
    assert_eq!(body["rows"][2]["传真"], "021 6000 0000");
    assert_eq!(body["rows"][3]["传真"], Value::Null);
    let (_, found) = rows(&app, &resource, &format!("{}__isnull=1", enc("传真"))).await;
    assert_eq!(found["total"], 1);
});

on_both_backends!(blank_cells_in_typed_columns_are_null, |app| {
    let Some(resource) = import_case(&app, "ckan-xloader-182_blank-in-typed-column.csv").await
    else {
        return;
    };
    let (_, schema) = app
        .get_json(&format!("/api/v1/resources/{resource}/schema"))
        .await;
    let types: Vec<&str> = schema["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["type"].as_str().unwrap())
        .collect();
    assert_eq!(types, ["date", "integer", "string"]);
    let (_, body) = rows(&app, &resource, "temperature__isnull=1").await;
    assert_eq!(body["total"], 2);
    let (_, body) = rows(&app, &resource, "date__gte=2011-01-02").await;
    assert_eq!(body["total"], 2);
});
