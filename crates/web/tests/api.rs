//! The JSON API over a small hand-written file whose answers are computed by hand.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::enc;
use kaifang_domain::{AccessLevel, Theme};
use serde_json::{Value, json};

const BUS_LINES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/bus_lines.csv");
const FARE: &str = "票价(元)";

/// Imports the bus-line fixture and returns its resource id.
async fn bus_lines(app: &common::TestApp) -> (String, String) {
    let outcome = app
        .import(
            std::path::Path::new(BUS_LINES),
            "无锡市交通运输局",
            |r| {
                r.metadata.title = "公交线路基本信息".to_owned();
                r.metadata.theme = Theme::Transport;
                r.metadata.keywords = vec!["公交".to_owned(), "线路".to_owned()];
            },
        )
        .await;
    assert_eq!(outcome.rows, 5);
    assert_eq!(outcome.fields, 6);
    (outcome.dataset_id, outcome.resource_id)
}

async fn rows(app: &common::TestApp, resource: &str, query: &str) -> Value {
    let (status, body) = app
        .get_json(&format!("/api/v1/resources/{resource}/rows?{query}"))
        .await;
    assert_eq!(status, 200, "{query}: {body}");
    body
}

fn column(body: &Value, field: &str) -> Vec<Value> {
    body["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r[field].clone())
        .collect()
}

on_both_backends!(dataset_list_and_detail, |app| {
    let (dataset_id, resource_id) = bus_lines(&app).await;
    let (status, list) = app.get_json("/api/v1/datasets").await;
    assert_eq!(status, 200);
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["title"], "公交线路基本信息");
    assert_eq!(list["items"][0]["organization_name"], "无锡市交通运输局");

    let (status, dataset) = app
        .get_json(&format!("/api/v1/datasets/{dataset_id}"))
        .await;
    assert_eq!(status, 200);
    assert_eq!(dataset["theme"], "transport");
    assert_eq!(dataset["access_level"], "unconditional");
    let resource = &dataset["resources"][0];
    assert_eq!(resource["id"], resource_id.as_str());
    assert_eq!(resource["format"], "csv");
    assert_eq!(resource["rows"], 5);
    assert_eq!(resource["name"], "bus_lines.csv");

    for (query, total) in [
        ("q=公交", 1),
        ("q=地铁", 0),
        ("theme=transport", 1),
        ("theme=health", 0),
        ("access_level=unconditional", 1),
        ("organization=无锡市交通运输局", 1),
    ] {
        let (status, list) = app.get_json(&format!("/api/v1/datasets?{query}")).await;
        assert_eq!(
            (status, list["total"].as_u64()),
            (200, Some(total)),
            "{query}"
        );
    }
});

on_both_backends!(schema_has_frictionless_types, |app| {
    let (_, resource) = bus_lines(&app).await;
    let (status, schema) = app
        .get_json(&format!("/api/v1/resources/{resource}/schema"))
        .await;
    assert_eq!(status, 200);
    let fields: Vec<(&str, &str)> = schema["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["name"].as_str().unwrap(), f["type"].as_str().unwrap()))
        .collect();
    assert_eq!(
        fields,
        [
            ("线路编号", "string"),
            ("线路名称", "string"),
            ("起点站", "string"),
            (FARE, "number"),
            ("开通日期", "date"),
            ("夜班", "boolean"),
        ]
    );
});

on_both_backends!(row_filters_follow_datasette, |app| {
    let (_, resource) = bus_lines(&app).await;
    let all = rows(&app, &resource, "").await;
    assert_eq!(all["total"], 5);
    assert_eq!(all["limit"], 100);
    assert_eq!(
        all["rows"][0],
        json!({
            "线路编号": "0012", "线路名称": "12路", "起点站": "火车站",
            FARE: 2.0, "开通日期": "2001-05-01", "夜班": false
        })
    );
    assert_eq!(all["next"], Value::Null);

    let cases: &[(&str, &[&str])] = &[
        (&format!("{}__gte=2", enc(FARE)), &["0012", "0021", "1"]),
        (&format!("{}__lt=2", enc(FARE)), &["0105"]),
        (&format!("{}__isnull=1", enc(FARE)), &["N1"]),
        (
            &format!("{}__notnull=1", enc(FARE)),
            &["0012", "0021", "0105", "1"],
        ),
        (&format!("{}=火车站", enc("起点站")), &["0012", "N1"]),
        (
            &format!("{}__not=火车站", enc("起点站")),
            &["0021", "0105", "1"],
        ),
        (&format!("{}=0012", enc("线路编号")), &["0012"]),
        (&format!("{}__exact=12", enc("线路编号")), &[]),
        (&format!("{}__in=0012,N1", enc("线路编号")), &["0012", "N1"]),
        (
            &format!("{}__startswith=0", enc("线路编号")),
            &["0012", "0021", "0105"],
        ),
        (&format!("{}__contains=夜", enc("线路名称")), &["N1"]),
        (
            &format!("{}__lt=2000-01-01", enc("开通日期")),
            &["0021", "1"],
        ),
        (
            &format!("{}__gte=2010-03-15", enc("开通日期")),
            &["0105", "N1"],
        ),
        (&format!("{}=true", enc("夜班")), &["0105", "N1"]),
        (
            &format!("{}=火车站&{}=true", enc("起点站"), enc("夜班")),
            &["N1"],
        ),
        (&format!("_q={}", enc("梁溪")), &["0021"]),
    ];
    for (query, expected) in cases {
        let body = rows(&app, &resource, query).await;
        let ids: Vec<Value> = column(&body, "线路编号");
        let expected: Vec<Value> = expected.iter().map(|s| json!(s)).collect();
        assert_eq!(ids, expected, "{query}");
        assert_eq!(body["total"], expected.len(), "{query}");
    }
});

on_both_backends!(sort_fields_and_keyset_paging, |app| {
    let (_, resource) = bus_lines(&app).await;
    let body = rows(&app, &resource, &format!("_sort_desc={}", enc("开通日期"))).await;
    assert_eq!(
        column(&body, "线路编号"),
        ["N1", "0105", "0012", "0021", "1"].map(|s| json!(s))
    );

    let body = rows(
        &app,
        &resource,
        &format!("_fields={},{}", enc("线路名称"), enc(FARE)),
    )
    .await;
    let keys: Vec<&String> = body["rows"][0].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["线路名称", FARE]);

    // Ties (three fares of 2) and a null: every row exactly once, in fare order.
    let mut seen = Vec::new();
    let mut query = format!("_sort={}&_limit=2", enc(FARE));
    for _ in 0..5 {
        let body = rows(&app, &resource, &query).await;
        assert_eq!(body["total"], 5);
        seen.extend(column(&body, "线路编号"));
        match body["next"].as_str() {
            Some(next) => query = format!("_sort={}&_limit=2&_after={}", enc(FARE), enc(next)),
            None => break,
        }
    }
    assert_eq!(seen.len(), 5, "{seen:?}");
    assert_eq!(seen[0], json!("0105"));
    let mut sorted = seen.clone();
    sorted.sort_by_key(ToString::to_string);
    assert_eq!(
        sorted,
        ["0012", "0021", "0105", "1", "N1"].map(|s| json!(s))
    );

    let body = rows(&app, &resource, "_limit=5000").await;
    assert_eq!(body["limit"], 1000);
});

on_both_backends!(bad_parameters_answer_400_naming_them, |app| {
    let (_, resource) = bus_lines(&app).await;
    let before = rows(&app, &resource, "").await;
    let cases = [
        ("nosuch=1".to_owned(), "nosuch".to_owned()),
        (format!("{}__gt=abc", enc(FARE)), format!("{FARE}__gt")),
        (format!("{}__like=1", enc(FARE)), format!("{FARE}__like")),
        (
            format!("{}__gte=2020-13-45", enc("开通日期")),
            "开通日期__gte".to_owned(),
        ),
        (format!("{}=maybe", enc("夜班")), "夜班".to_owned()),
        ("_limit=abc".to_owned(), "_limit".to_owned()),
        ("_limit=-1".to_owned(), "_limit".to_owned()),
        ("_after=%%%garbage".to_owned(), "_after".to_owned()),
        ("_after=garbage".to_owned(), "_after".to_owned()),
        ("_sort=nosuch".to_owned(), "_sort".to_owned()),
        ("_fields=nosuch".to_owned(), "_fields".to_owned()),
        ("_bogus=1".to_owned(), "_bogus".to_owned()),
    ];
    for (query, parameter) in cases {
        let (status, body) = app
            .get_json(&format!("/api/v1/resources/{resource}/rows?{query}"))
            .await;
        assert_eq!(status, 400, "{query}: {body}");
        assert_eq!(body["error"]["code"], "bad_parameter", "{query}");
        assert_eq!(
            body["error"]["parameter"],
            parameter.as_str(),
            "{query}: {body}"
        );
    }
    for (path, parameter) in [
        ("/api/v1/datasets?page=0", "page"),
        ("/api/v1/datasets?per_page=x", "per_page"),
        ("/api/v1/datasets?theme=nope", "theme"),
        ("/api/v1/datasets?access_level=public", "access_level"),
    ] {
        let (status, body) = app.get_json(path).await;
        assert_eq!(
            (status, body["error"]["parameter"].as_str()),
            (400, Some(parameter)),
            "{path}"
        );
    }
    for path in [
        format!("/api/v1/resources/{resource}/schema?x=1"),
        format!("/api/v1/resources/{resource}/download?format=csv&format=json"),
        "/api/v1/organizations?x=1".to_owned(),
        "/api/v1/datasets?page=1&page=2".to_owned(),
        format!("/api/v1/resources/{resource}/rows?q=%ZZ"),
        "/api/v1/datasets/%FF".to_owned(),
    ] {
        let (status, body) = app.get_json(&path).await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (400, Some("bad_parameter")),
            "{path}"
        );
    }
    let (status, _) = app
        .get_json(&format!("/api/v1/resources/{resource}/download?format=pdf"))
        .await;
    assert_eq!(status, 400);
    let (status, _) = app.get_json("/api/v1/resources/nosuch/rows").await;
    assert_eq!(status, 404);
    let (status, _) = app.get_json("/api/v1/datasets/nosuch").await;
    assert_eq!(status, 404);
    assert_eq!(rows(&app, &resource, "").await, before);
});

on_both_backends!(downloads_round_trip_the_file, |app| {
    let (_, resource) = bus_lines(&app).await;
    let original = std::fs::read_to_string(BUS_LINES).unwrap();

    let csv = app
        .get(&format!("/api/v1/resources/{resource}/download?format=csv"))
        .await;
    assert_eq!(csv.status(), 200);
    assert!(
        csv.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let text = csv.text().await.unwrap();
    assert_eq!(
        text.lines().collect::<Vec<_>>(),
        original.lines().collect::<Vec<_>>()
    );

    let bom = app
        .get(&format!(
            "/api/v1/resources/{resource}/download?format=csv&bom=1"
        ))
        .await;
    assert!(
        bom.bytes()
            .await
            .unwrap()
            .starts_with("\u{feff}线路编号".as_bytes())
    );

    let filtered = app
        .get(&format!(
            "/api/v1/resources/{resource}/download?format=csv&{}=true",
            enc("夜班")
        ))
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(filtered.lines().count(), 3, "{filtered}");

    let (status, json) = app
        .get_json(&format!(
            "/api/v1/resources/{resource}/download?format=json"
        ))
        .await;
    assert_eq!(status, 200);
    assert_eq!(json.as_array().unwrap().len(), 5);
    assert_eq!(json[0]["线路编号"], "0012");
    assert_eq!(json[4][FARE], Value::Null);

    let xlsx = app
        .get(&format!(
            "/api/v1/resources/{resource}/download?format=xlsx"
        ))
        .await;
    assert_eq!(xlsx.status(), 200);
    let bytes = xlsx.bytes().await.unwrap();
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    use calamine::Reader;
    let sheet = book.worksheet_range_at(0).unwrap().unwrap();
    assert_eq!(
        sheet.get_value((0, 0)),
        Some(&calamine::Data::String("线路编号".to_owned()))
    );
    assert_eq!(
        sheet.get_value((1, 0)),
        Some(&calamine::Data::String("0012".to_owned()))
    );
    assert_eq!(sheet.get_value((3, 3)), Some(&calamine::Data::Float(1.5)));
    assert_eq!(sheet.height(), 6);
});

on_both_backends!(access_levels_hide_closed_and_guard_conditional, |app| {
    let closed = app
        .import(std::path::Path::new(BUS_LINES), "无锡市公安局", |r| {
            r.metadata.title = "内部线路".to_owned();
            r.metadata.access_level = AccessLevel::Closed;
        })
        .await;
    let conditional = app
        .import(
            std::path::Path::new(BUS_LINES),
            "无锡市交通运输局",
            |r| {
                r.metadata.title = "线路客流".to_owned();
                r.metadata.access_level = AccessLevel::Conditional;
            },
        )
        .await;
    let (_, list) = app.get_json("/api/v1/datasets").await;
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["title"], "线路客流");
    let (_, list) = app.get_json("/api/v1/datasets?access_level=closed").await;
    assert_eq!(list["total"], 0);
    for path in [
        format!("/api/v1/datasets/{}", closed.dataset_id),
        format!("/api/v1/resources/{}/rows", closed.resource_id),
        format!("/api/v1/resources/{}/schema", closed.resource_id),
        format!("/datasets/{}", closed.dataset_id),
    ] {
        assert_eq!(app.get(&path).await.status(), 404, "{path}");
    }
    let (status, body) = app
        .get_json(&format!(
            "/api/v1/resources/{}/rows",
            conditional.resource_id
        ))
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (403, Some("forbidden"))
    );
    let status = app
        .get(&format!(
            "/api/v1/resources/{}/download",
            conditional.resource_id
        ))
        .await
        .status();
    assert_eq!(status, 403);
    let (status, dataset) = app
        .get_json(&format!("/api/v1/datasets/{}", conditional.dataset_id))
        .await;
    assert_eq!((status, dataset["title"].as_str()), (200, Some("线路客流")));
});

on_both_backends!(pages_show_catalog_and_preview, |app| {
    let (dataset_id, resource_id) = bus_lines(&app).await;
    let home = app.get("/").await;
    assert_eq!(home.status(), 200);
    let home = home.text().await.unwrap();
    assert!(home.contains("公共数据开放平台"));
    assert!(
        home.contains(r#"<strong id="stat-datasets">1</strong>"#),
        "{home}"
    );
    assert!(home.contains(r#"<strong id="stat-rows">5</strong>"#));

    let list = app
        .get(&format!("/datasets?q={}", enc("公交")))
        .await
        .text()
        .await
        .unwrap();
    assert!(list.contains("公交线路基本信息"));
    assert!(list.contains("共 1 个数据集"));
    let english = app.get("/datasets?lang=en").await.text().await.unwrap();
    assert!(english.contains("1 datasets"));

    let page = app
        .get(&format!("/datasets/{dataset_id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("公交线路基本信息"));
    assert!(
        page.contains("<td>0012</td>"),
        "preview keeps leading zeros"
    );
    assert!(page.contains(&format!("/api/v1/resources/{resource_id}/rows")));
    assert!(page.contains("download?format=xlsx"));
    assert!(!page.contains("//cdn"), "nothing from a CDN");

    let missing = app.get("/datasets/nosuch").await;
    assert_eq!(missing.status(), 404);
    assert!(missing.text().await.unwrap().contains("页面不存在"));
    let bad = app.get("/datasets?page=zero").await;
    assert_eq!(bad.status(), 400);
});
