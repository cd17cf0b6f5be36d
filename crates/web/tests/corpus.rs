//! Real government files and other tools' edge files through the whole stack, on both
//! databases. Expected row counts are the data rows SOURCES.md gives for each file.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use kaifang_service::ingest::ImportRequest;

/// (file under corpus/real, data rows, a field that must exist, its type)
const REAL: &[(&str, u64, &str, &str)] = &[
    ("cn-moe/全国高等学校名单.xls", 2631, "学校标识码", "string"),
    ("cn-nbs/月度数据.csv", 258, "时间", "string"),
    ("cn-nbs/分省年度数据.csv", 31, "2017年", "number"),
    ("cn-nbs/主要城市年度数据.xls", 36, "2019年", "number"),
    (
        "cn-enterprise-registry/宁夏.csv",
        573,
        "统一社会信用代码",
        "string",
    ),
    ("cn-enterprise-registry/宁夏.json", 573, "capital", "string"),
    ("cn-shanghai-health/shanghai-daily.csv", 165, "日期", "date"),
    ("tw-moi-lvr/a_lvr_land_a.csv", 366, "鄉鎮市區", "string"),
    ("tw-datagov/orglist-100.CSV", 99, "機關代碼", "string"),
    ("tw-datagov/cl_info_other.csv", 9041, "bank_code", "string"),
    (
        "en-socrata/Popular_Baby_Names.csv",
        39472,
        "Child's First Name",
        "string",
    ),
    (
        "en-socrata/Lottery_Powerball_Winning_Numbers__Beginning_2010.csv",
        1757,
        "Winning Numbers",
        "string",
    ),
];

on_both_backends!(real_files_import_and_serve, |app| {
    for (file, rows, field, field_type) in REAL {
        let Some(path) = common::shared(&format!("corpus/real/{file}")) else {
            return;
        };
        let outcome = app.import(&path, "测试部门", |_| {}).await;
        assert_eq!(outcome.rows, *rows, "{file}");
        let resource = outcome.resource_id;
        let (status, schema) = app
            .get_json(&format!("/api/v1/resources/{resource}/schema"))
            .await;
        assert_eq!(status, 200);
        let found = schema["fields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"] == *field);
        let found = found.unwrap_or_else(|| panic!("{file}: no field {field} in {schema}"));
        assert_eq!(found["type"], *field_type, "{file}: {field}");
        let (status, page) = app
            .get_json(&format!("/api/v1/resources/{resource}/rows?_limit=5"))
            .await;
        assert_eq!(
            (status, page["total"].as_u64()),
            (200, Some(*rows)),
            "{file}"
        );
    }
});

on_both_backends!(enterprise_registry_agrees_between_csv_and_json, |app| {
    let Some(csv) = common::shared("corpus/real/cn-enterprise-registry/宁夏.csv") else {
        return;
    };
    let Some(json) = common::shared("corpus/real/cn-enterprise-registry/宁夏.json") else {
        return;
    };
    let csv = app.import(&csv, "宁夏", |_| {}).await.resource_id;
    let json = app.import(&json, "宁夏", |_| {}).await.resource_id;
    // SOURCES.md: 117 N/A in 注册资金 (capital in the JSON), which are nulls.
    let (_, a) = app
        .get_json(&format!(
            "/api/v1/resources/{csv}/rows?{}__isnull=1",
            common::enc("注册资金")
        ))
        .await;
    let (_, b) = app
        .get_json(&format!("/api/v1/resources/{json}/rows?capital__isnull=1"))
        .await;
    assert_eq!(a["total"], 117);
    assert_eq!(b["total"], 117);
});

on_both_backends!(edge_files_import_or_are_refused_cleanly, |app| {
    let Some(dir) = common::shared("corpus/edge") else {
        return;
    };
    let mut files: Vec<_> = walk(&dir);
    files.sort();
    let (mut imported, mut refused) = (0, 0);
    for file in files {
        let before = app.service.stats().await.unwrap();
        let request = ImportRequest::for_file(&file, "测试部门");
        match app.service.import_file(request, None).await {
            Ok(outcome) => {
                imported += 1;
                let path = format!("/api/v1/resources/{}/rows?_limit=1", outcome.resource_id);
                let (status, page) = app.get_json(&path).await;
                assert_eq!(status, 200, "{}: {page}", file.display());
                assert_eq!(
                    page["total"].as_u64(),
                    Some(outcome.rows),
                    "{}",
                    file.display()
                );
            }
            Err(err) => {
                refused += 1;
                assert!(
                    err.to_string().len() > 10,
                    "{}: unclear error {err}",
                    file.display()
                );
                let after = app.service.stats().await.unwrap();
                assert_eq!(
                    before,
                    after,
                    "{}: a refused file left something",
                    file.display()
                );
            }
        }
    }
    assert!(imported > 100, "imported {imported}, refused {refused}");
});

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else if path.file_name().is_some_and(|n| n != "SOURCES.md") {
            out.push(path);
        }
    }
    out
}
