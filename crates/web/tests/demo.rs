//! `serve --demo`: the generated catalog loads into an empty store and every page of it
//! renders.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

on_both_backends!(demo_catalog_loads_once_and_renders, |app| {
    let dir = app.data_dir().join("demo-files");
    let loaded = app.service.load_demo_if_empty(&dir).await.unwrap();
    assert!(loaded >= 10, "{loaded}");
    assert_eq!(
        app.service.load_demo_if_empty(&dir).await.unwrap(),
        0,
        "not loaded twice"
    );

    // Closed datasets are hidden from the public list; every listed one renders.
    let (_, list) = app.get_json("/api/v1/datasets?per_page=100").await;
    let items = list["items"].as_array().unwrap();
    assert!(items.len() < loaded, "one closed dataset is hidden");
    // The public counts leave closed datasets out too.
    let stats = app.service.stats().await.unwrap();
    assert_eq!(stats.datasets, i64::try_from(items.len()).unwrap());
    assert!(stats.organizations >= 6);
    let mut formats = std::collections::BTreeSet::new();
    for item in items {
        let id = item["id"].as_str().unwrap();
        let page = app.get(&format!("/datasets/{id}")).await;
        assert_eq!(page.status(), 200, "{id}");
        for resource in item["resources"].as_array().unwrap() {
            formats.insert(resource["format"].as_str().unwrap().to_owned());
            assert!(resource["rows"].as_i64().unwrap() > 0, "{resource}");
        }
    }
    for format in ["csv", "xlsx", "json"] {
        assert!(formats.contains(format), "{formats:?}");
    }
    for lang in ["", "?lang=en"] {
        let list = app.get(&format!("/datasets{lang}")).await;
        assert_eq!(list.status(), 200, "/datasets{lang}");
        let list = list.text().await.unwrap();
        assert!(list.contains(items[0]["title"].as_str().unwrap()));
    }
    let home = app.get("/").await.text().await.unwrap();
    assert!(home.contains(&format!(
        r#"<strong id="stat-datasets">{}</strong>"#,
        items.len()
    )));
});
