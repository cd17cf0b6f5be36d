//! Importing through the service: what is refused leaves nothing behind.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use kaifang_service::ServiceError;
use kaifang_service::ingest::{ImportRequest, MAX_FIELDS};

on_both_backends!(too_wide_a_table_is_refused_naming_the_limit, |app| {
    let width = MAX_FIELDS + 1;
    let header: Vec<String> = (1..=width).map(|i| format!("列{i}")).collect();
    let row: Vec<String> = (1..=width).map(|i| i.to_string()).collect();
    let text = format!("{}\n{}\n", header.join(","), row.join(","));
    let path = app.write("wide.csv", text.as_bytes());
    let before = app.service.stats().await.unwrap();
    let err = app
        .service
        .import_file(ImportRequest::for_file(&path, "测试部门"), None)
        .await;
    match err {
        Err(ServiceError::Refused(message)) => {
            assert!(message.contains(&width.to_string()), "{message}");
            assert!(message.contains(&MAX_FIELDS.to_string()), "{message}");
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(app.service.stats().await.unwrap(), before);
    assert!(
        app.service
            .store()
            .list_organizations()
            .await
            .unwrap()
            .is_empty()
    );
});

on_both_backends!(tab_separated_text_is_published_as_tsv, |app| {
    let path = app.write(
        "parking.tsv",
        "名称\t泊位\n新吴停车场\t120\n梁溪停车场\t80\n".as_bytes(),
    );
    let outcome = app.import(&path, "新吴区", |_| {}).await;
    assert_eq!((outcome.rows, outcome.format), (2, "tsv"));
    let (_, dataset) = app
        .get_json(&format!("/api/v1/datasets/{}", outcome.dataset_id))
        .await;
    assert_eq!(dataset["resources"][0]["format"], "tsv");
    let (_, page) = app
        .get_json(&format!(
            "/api/v1/resources/{}/rows?{}__gt=100",
            outcome.resource_id,
            common::enc("泊位")
        ))
        .await;
    assert_eq!(page["rows"][0]["名称"], "新吴停车场");
    assert_eq!(page["total"], 1);
});

on_both_backends!(responses_are_compressed_when_asked, |app| {
    let response = app
        .client
        .get(format!("{}/api/v1/datasets", app.base))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers().get("content-encoding").unwrap(), "gzip");
});
