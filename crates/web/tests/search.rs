//! The catalog search through the API and the pages, on both databases: Chinese words inside
//! longer words, pinyin, traditional and full-width input, facets, snippets, sorting,
//! suggestions, hostile queries, access rules, and a second node kept in step.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::cloned_ref_to_slice_refs
)]

mod common;

use std::time::{Duration, Instant};

use common::enc;
use kaifang_domain::{AccessLevel, NewDataset, OrgKind, Theme, UpdateFrequency};
use kaifang_service::Service;
use serde_json::Value;

struct Spec<'a> {
    org: (&'a str, OrgKind, Option<&'a str>),
    title: &'a str,
    description: &'a str,
    keywords: &'a [&'a str],
    theme: Theme,
    access: AccessLevel,
    frequency: UpdateFrequency,
}

async fn create(service: &Service, spec: Spec<'_>) -> String {
    let store = service.store();
    let parent = match spec.org.2 {
        Some(name) => Some(
            store
                .ensure_organization(name, OrgKind::District, None)
                .await
                .unwrap()
                .id,
        ),
        None => None,
    };
    let org = store
        .ensure_organization(spec.org.0, spec.org.1, parent.as_deref())
        .await
        .unwrap();
    let mut new = NewDataset::minimal(spec.title, org.id);
    new.description = spec.description.to_owned();
    new.keywords = spec.keywords.iter().map(|k| (*k).to_owned()).collect();
    new.theme = spec.theme;
    new.access_level = spec.access;
    new.update_frequency = spec.frequency;
    store.create_dataset(&new).await.unwrap().id
}

const CITY: OrgKind = OrgKind::CityDepartment;

/// Five datasets; the closed one must never reach the public. Returns ids A…E.
async fn catalog(service: &Service) -> [String; 5] {
    let base = |title, description| Spec {
        org: ("无锡市交通运输局", CITY, None),
        title,
        description,
        keywords: &[],
        theme: Theme::Transport,
        access: AccessLevel::Unconditional,
        frequency: UpdateFrequency::Monthly,
    };
    let a = create(
        service,
        Spec {
            keywords: &["公交"],
            ..base("无锡市公交线路信息", "常规公交线路的编号、起讫站点和票价")
        },
    )
    .await;
    let b = create(
        service,
        Spec {
            org: ("梁溪区", OrgKind::District, None),
            frequency: UpdateFrequency::Daily,
            ..base("梁溪区公共自行车站点", "站点位置和车位数")
        },
    )
    .await;
    let c = create(
        service,
        Spec {
            org: (
                "新吴区市场监管分局",
                OrgKind::DistrictDepartment,
                Some("新吴区"),
            ),
            theme: Theme::Other,
            ..base("新吴区企业名录", "登记在册的企业，含公交站点附近的商户")
        },
    )
    .await;
    let d = create(service, base("臺北捷運路線", "GTFS data of 公车 routes")).await;
    let e = create(
        service,
        Spec {
            access: AccessLevel::Closed,
            ..base("公交车辆实时位置", "不予开放")
        },
    )
    .await;
    service.sync_search().await.unwrap();
    [a, b, c, d, e]
}

async fn search(app: &common::TestApp, query: &str) -> Value {
    let (status, body) = app.get_json(&format!("/api/v1/datasets?{query}")).await;
    assert_eq!(status, 200, "{query}: {body}");
    body
}

fn ids(body: &Value) -> Vec<String> {
    body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap().to_owned())
        .collect()
}

fn q(text: &str) -> String {
    format!("q={}", enc(text))
}

on_both_backends!(chinese_words_pinyin_and_variants_are_found, |app| {
    let [a, b, c, d, _closed] = catalog(&app.service).await;
    // A word inside a longer word, in titles (A, ranked first) and descriptions (C).
    assert_eq!(ids(&search(&app, &q("公交")).await), [a.clone(), c.clone()]);
    // Characters inside a district name the dictionary keeps whole.
    assert_eq!(ids(&search(&app, &q("溪区")).await), [b.clone()]);
    // Full pinyin and initials of the title.
    assert_eq!(ids(&search(&app, "q=gongjiao").await), [a.clone()]);
    assert_eq!(ids(&search(&app, "q=GJ").await), [a.clone()]);
    // Simplified finds traditional and the other way round; full-width finds half-width.
    assert_eq!(ids(&search(&app, &q("台北")).await), [d.clone()]);
    assert_eq!(ids(&search(&app, &q("公車")).await), [d.clone()]);
    assert_eq!(ids(&search(&app, &q("ＧＴＦＳ")).await), [d.clone()]);
    // Mixed Chinese and English: every piece must match.
    assert_eq!(ids(&search(&app, &q("公车 gtfs")).await), [d.clone()]);
    assert_eq!(search(&app, &q("公交 GTFS")).await["total"], 0);
});

on_both_backends!(facets_filters_snippets_and_sorting, |app| {
    let [a, b, c, d, _closed] = catalog(&app.service).await;
    let body = search(&app, &q("公交")).await;
    assert_eq!(body["total"], 2);
    let facets = &body["facets"];
    let pairs = |name: &str| -> Vec<(String, String, u64)> {
        facets[name]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| {
                (
                    v["value"].as_str().unwrap().to_owned(),
                    v["label"].as_str().unwrap().to_owned(),
                    v["count"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    let labels = |name: &str| -> Vec<(String, u64)> {
        pairs(name).into_iter().map(|(_, l, n)| (l, n)).collect()
    };
    let mut orgs = labels("organization");
    orgs.sort();
    assert_eq!(
        orgs,
        [
            ("新吴区市场监管分局".to_owned(), 1),
            ("无锡市交通运输局".to_owned(), 1)
        ]
    );
    assert_eq!(labels("district"), [("新吴区".to_owned(), 1)]);
    let mut themes = labels("theme");
    themes.sort();
    assert_eq!(themes, [("交通运输".to_owned(), 1), ("其他".to_owned(), 1)]);
    assert_eq!(labels("access_level"), [("无条件开放".to_owned(), 2)]);
    assert_eq!(labels("update_frequency"), [("每月".to_owned(), 2)]);

    // Every facet value is a filter.
    for (name, value, _, expected) in [
        ("district", "新吴区", (), vec![c.clone()]),
        ("theme", "transport", (), vec![a.clone()]),
        (
            "update_frequency",
            "monthly",
            (),
            vec![a.clone(), c.clone()],
        ),
    ] {
        let found = search(&app, &format!("{}&{name}={}", q("公交"), enc(value))).await;
        assert_eq!(ids(&found), expected, "{name}={value}");
    }
    let org_value = pairs("organization")
        .into_iter()
        .find(|(_, label, _)| label == "无锡市交通运输局")
        .unwrap()
        .0;
    let by_org = search(&app, &format!("{}&organization={org_value}", q("公交"))).await;
    assert_eq!(ids(&by_org), [a.clone()]);

    // Snippets mark where the match was.
    let items = body["items"].as_array().unwrap();
    assert_eq!(items[0]["snippet"]["field"], "title");
    assert_eq!(
        items[0]["snippet"]["html"],
        "无锡市<mark>公交</mark>线路信息"
    );
    assert_eq!(items[1]["snippet"]["field"], "description");
    assert!(
        items[1]["snippet"]["html"]
            .as_str()
            .unwrap()
            .contains("<mark>公交</mark>站点")
    );

    // Without a query, newest first; the closed dataset is never listed for the public.
    let all = search(&app, "sort=newest").await;
    assert_eq!(ids(&all), [d.clone(), c.clone(), b.clone(), a.clone()]);
    assert_eq!(all["sort"], "newest");
    assert_eq!(search(&app, "access_level=closed").await["total"], 0);
    assert_eq!(search(&app, &q("实时位置")).await["total"], 0);
    // Facets count the whole result, not the page.
    let first_page = search(&app, "per_page=1").await;
    assert_eq!(first_page["items"].as_array().unwrap().len(), 1);
    let mut access = first_page["facets"]["access_level"][0].clone();
    access.as_object_mut().unwrap().remove("label");
    assert_eq!(
        access,
        serde_json::json!({"value": "unconditional", "count": 4})
    );
});

on_both_backends!(usage_orders_most_downloaded_and_most_called, |app| {
    let fixture = std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/bus_lines.csv"
    ));
    let first = app
        .import(fixture, "无锡市交通运输局", |r| {
            r.metadata.title = "甲线路".into()
        })
        .await;
    let second = app
        .import(fixture, "无锡市交通运输局", |r| {
            r.metadata.title = "乙线路".into()
        })
        .await;
    for _ in 0..2 {
        let path = format!(
            "/api/v1/resources/{}/download?format=csv",
            first.resource_id
        );
        assert_eq!(app.get(&path).await.status(), 200);
    }
    let rows = format!("/api/v1/resources/{}/rows", second.resource_id);
    assert_eq!(app.get_json(&rows).await.0, 200);
    app.service.flush_usage().await.unwrap();
    app.service.sync_search().await.unwrap();
    let by_downloads = search(&app, "sort=downloads").await;
    assert_eq!(
        ids(&by_downloads),
        [first.dataset_id.clone(), second.dataset_id.clone()]
    );
    assert_eq!(by_downloads["items"][0]["downloads"], 2);
    let by_calls = search(&app, "sort=calls").await;
    assert_eq!(ids(&by_calls), [second.dataset_id, first.dataset_id]);
    assert_eq!(by_calls["items"][0]["calls"], 1);
});

on_both_backends!(hostile_queries_are_text_or_a_clear_400, |app| {
    let [a, _, c, ..] = catalog(&app.service).await;
    // Operators of FTS syntaxes are plain characters: the words around them still match.
    for text in [
        "\"公交\"",
        "公交*",
        "(公交",
        "公交\"",
        "+公交",
        "公交\u{1}",
        "公交 -",
    ] {
        let body = search(&app, &q(text)).await;
        assert_eq!(ids(&body), [a.clone(), c.clone()], "{text:?}");
    }
    // Operator words are words: nothing in the catalog contains them.
    for text in ["NEAR", "OR", "公交 OR 自行车", "a\"b", "AND NOT"] {
        assert_eq!(search(&app, &q(text)).await["total"], 0, "{text:?}");
    }
    // Nothing searchable left: the whole public catalog.
    for text in ["*", "\"", "()", " "] {
        assert_eq!(search(&app, &q(text)).await["total"], 4, "{text:?}");
    }
    // 10,000 characters, and 5,000 Chinese ones (45,000 bytes in the URL).
    for long in ["a".repeat(10_000), "公".repeat(5_000)] {
        let (status, body) = app
            .get_json(&format!("/api/v1/datasets?{}", q(&long)))
            .await;
        assert_eq!(status, 400, "{body}");
        assert_eq!(body["error"]["parameter"], "q");
    }
    for (query, parameter) in [
        ("sort=best", "sort"),
        ("format=csv&format=xlsx", "format"),
        ("update_frequency=hourly", "update_frequency"),
        ("colour=red", "colour"),
    ] {
        let (status, body) = app.get_json(&format!("/api/v1/datasets?{query}")).await;
        assert_eq!(status, 400, "{query}: {body}");
        assert_eq!(body["error"]["parameter"], parameter, "{query}");
    }
});

on_both_backends!(suggestions_complete_titles_and_popular_searches, |app| {
    catalog(&app.service).await;
    let texts = |body: &Value| -> Vec<String> {
        body["suggestions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["text"].as_str().unwrap().to_owned())
            .collect()
    };
    let (status, body) = app.get_json(&format!("/api/v1/suggest?{}", q("公"))).await;
    assert_eq!(status, 200, "{body}");
    let titles = texts(&body);
    assert!(
        titles.contains(&"无锡市公交线路信息".to_owned()),
        "{titles:?}"
    );
    assert!(
        titles.contains(&"梁溪区公共自行车站点".to_owned()),
        "{titles:?}"
    );
    assert!(
        !titles.contains(&"公交车辆实时位置".to_owned()),
        "closed: {titles:?}"
    );
    let (_, body) = app.get_json("/api/v1/suggest?q=gongj").await;
    assert_eq!(texts(&body), ["无锡市公交线路信息"]);

    // A search is offered to others once three searches with it found something; spacing,
    // punctuation and symbols do not make a different search.
    search(&app, &q("公交线路")).await;
    search(&app, &q(" \"公交线路★")).await;
    app.service.flush_usage().await.unwrap();
    let (_, body) = app
        .get_json(&format!("/api/v1/suggest?{}", q("公交")))
        .await;
    assert_eq!(body["suggestions"][0]["kind"], "title", "{body}");
    search(&app, &q("公交线路")).await;
    app.service.flush_usage().await.unwrap();
    let (_, body) = app
        .get_json(&format!("/api/v1/suggest?{}", q("公交")))
        .await;
    assert_eq!(body["suggestions"][0]["text"], "公交线路");
    assert_eq!(body["suggestions"][0]["kind"], "search");
    assert_eq!(body["suggestions"][1]["kind"], "title", "{body}");

    for (query, parameter) in [
        ("q=a&limit=0", "limit"),
        ("q=a&limit=x", "limit"),
        ("q=a&x=1", "x"),
    ] {
        let (status, body) = app.get_json(&format!("/api/v1/suggest?{query}")).await;
        assert_eq!(status, 400, "{query}: {body}");
        assert_eq!(body["error"]["parameter"], parameter);
    }
    let (status, body) = app.get_json("/api/v1/suggest?q=").await;
    assert_eq!(
        (status, body["suggestions"].as_array().unwrap().len()),
        (200, 0)
    );
});

/// Polls `node` until `check` holds; panics after `limit`. Returns the time it took.
async fn within(limit: Duration, node: &Service, check: impl Fn(Vec<String>) -> bool) -> Duration {
    use kaifang_service::search::query::CatalogQuery;
    let started = Instant::now();
    loop {
        let query = CatalogQuery {
            q: Some("自行车".to_owned()),
            ..CatalogQuery::default()
        };
        let found = node
            .search_catalog(kaifang_service::Viewer::Anonymous, &query)
            .await
            .unwrap();
        let titles = found.items.into_iter().map(|f| f.dataset.title).collect();
        if check(titles) {
            return started.elapsed();
        }
        assert!(started.elapsed() < limit, "not seen within {limit:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

on_both_backends!(changes_reach_another_node_within_a_second, |app| {
    let (other, _dir) = common::second_node(&app).await;
    let second = Duration::from_secs(1);
    // Written by the first node; the second learns of it from the change records.
    let id = create(
        &app.service,
        Spec {
            org: ("梁溪区", OrgKind::District, None),
            title: "公共自行车站点",
            description: "",
            keywords: &[],
            theme: Theme::Transport,
            access: AccessLevel::Unconditional,
            frequency: UpdateFrequency::Daily,
        },
    )
    .await;
    within(second, &other, |titles| titles == ["公共自行车站点"]).await;

    let store = app.service.store();
    let mut edited = NewDataset::minimal(
        "共享自行车停放点",
        store.dataset(&id).await.unwrap().organization_id,
    );
    store.update_dataset(&id, &edited).await.unwrap();
    within(second, &other, |titles| titles == ["共享自行车停放点"]).await;

    edited.access_level = AccessLevel::Closed;
    store.update_dataset(&id, &edited).await.unwrap();
    within(second, &other, |titles| titles.is_empty()).await;

    edited.access_level = AccessLevel::Unconditional;
    store.update_dataset(&id, &edited).await.unwrap();
    within(second, &other, |titles| titles.len() == 1).await;
    store.delete_dataset(&id).await.unwrap();
    within(second, &other, |titles| titles.is_empty()).await;
});

// ../shared/cases/ckan-3615_cjk-fulltext.csv as a catalog: each row a dataset whose
// description is its name and address.
on_both_backends!(cjk_fulltext_case_over_the_catalog, |app| {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/cases/ckan-3615_cjk-fulltext.csv"
    );
    let Ok(text) = std::fs::read_to_string(path) else {
        eprintln!("notice: {path} is absent; skipping the ckan-3615 catalog case");
        return;
    };
    let org = app
        .service
        .store()
        .ensure_organization("测试部门", CITY, None)
        .await
        .unwrap();
    let mut case_id = std::collections::HashMap::new();
    for line in text.lines().skip(1) {
        let cells: Vec<&str> = line.splitn(3, ',').collect();
        let [id, name, address] = cells[..] else {
            panic!("{line}")
        };
        let mut new = NewDataset::minimal(format!("第{id}号数据集"), org.id.clone());
        new.description = format!("{name} {address}");
        let created = app.service.store().create_dataset(&new).await.unwrap();
        case_id.insert(created.id, id.to_owned());
    }
    app.service.sync_search().await.unwrap();
    for (query, expected) in [
        ("浦东", vec!["1", "2"]),
        ("张江", vec!["1"]),
        ("中关村", vec!["3"]),
        ("观山湖", vec!["4"]),
        ("pudong", vec!["5"]),
        ("PUDONG", vec!["5"]),
    ] {
        let body = search(&app, &q(query)).await;
        let mut found: Vec<String> = ids(&body).iter().map(|id| case_id[id].clone()).collect();
        found.sort();
        assert_eq!(found, expected, "{query}");
    }
});

on_both_backends!(search_page_shows_facets_marks_and_nearest_searches, |app| {
    catalog(&app.service).await;
    // A link shared from a chat app carries parameters of its own; the page ignores them.
    let page = app
        .get(&format!(
            "/datasets?{}&from=singlemessage&isappinstalled=0",
            q("公交")
        ))
        .await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("无锡市<mark>公交</mark>线路信息"), "{html}");
    assert!(html.contains("id=\"facet-district\""));
    // The facet link keeps the query and adds the filter.
    assert!(html.contains(&format!("?{}&amp;district={}\"", q("公交"), enc("新吴区"))));
    assert!(!html.contains("公交车辆实时位置"));

    let empty = app.get(&format!("/datasets?{}", q("公交 GTFS"))).await;
    let html = empty.text().await.unwrap();
    assert!(html.contains("id=\"no-results\""), "{html}");
    // Each word on its own finds something: both are offered.
    assert!(
        html.contains(&format!("?{}\">公交</a>", q("公交"))),
        "{html}"
    );
    assert!(
        html.contains(&format!("?{}\">gtfs</a>", q("gtfs"))),
        "{html}"
    );

    let bad = app
        .get(&format!("/datasets?{}", q(&"字".repeat(300))))
        .await;
    assert_eq!(bad.status(), 400);
});
