//! The `kaifang` command line, run as a user runs it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;

use common::{BUS_LINES, kaifang};
use kaifang_store::{Store, StoreConfig};

async fn datasets_in(dir: &Path) -> i64 {
    let config = StoreConfig {
        data_dir: dir.to_owned(),
        database_url: None,
    };
    Store::connect(&config)
        .await
        .unwrap()
        .stats()
        .await
        .unwrap()
        .datasets
}

#[tokio::test]
async fn import_reports_each_file_and_keeps_the_good_ones() {
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.csv");
    std::fs::write(&broken, [0xff_u8, 0xfe, 0x00, 0xd8, 0x00, 0x00, 0x81, 0x30]).unwrap();
    let data = dir.path().join("data");
    let (code, stdout, _) = kaifang(&[
        "import",
        "--data-dir",
        data.to_str().unwrap(),
        "--org",
        "无锡市交通运输局",
        BUS_LINES,
        broken.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "a refused file makes the command fail");
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert_eq!(lines[0]["file"], BUS_LINES);
    assert_eq!(lines[0]["rows"], 5);
    assert_eq!(lines[0]["fields"], 6);
    assert!(lines[0]["dataset_id"].is_string() && lines[0]["resource_id"].is_string());
    assert_eq!(lines[1]["file"], broken.to_str().unwrap());
    assert!(!lines[1]["error"].as_str().unwrap().is_empty());
    assert_eq!(
        datasets_in(&data).await,
        1,
        "the refused file left nothing behind"
    );
}

#[tokio::test]
async fn bad_flags_are_refused_with_a_message_and_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let data = data.to_str().unwrap();
    let (code, _, stderr) = kaifang(&[
        "import",
        "--data-dir",
        data,
        "--access-level",
        "public",
        BUS_LINES,
    ]);
    assert_ne!(code, 0);
    assert!(
        stderr.contains("--access-level") && stderr.contains("unconditional"),
        "{stderr}"
    );

    let (code, _, stderr) = kaifang(&[
        "import",
        "--data-dir",
        data,
        "--database-url",
        "mysql://x",
        BUS_LINES,
    ]);
    assert_ne!(code, 0);
    assert!(stderr.contains("postgres://"), "{stderr}");

    let (code, _, stderr) = kaifang(&["serve", "--data-dir", data, "--listen", "not-an-address"]);
    assert_ne!(code, 0);
    assert!(stderr.contains("not-an-address"), "{stderr}");

    let (code, _, stderr) = kaifang(&["import", "--data-dir", data]);
    assert_ne!(code, 0);
    assert!(stderr.contains("FILES"), "{stderr}");

    let (code, stdout, _) = kaifang(&["import", "--data-dir", data, "/nonexistent/file.csv"]);
    assert_eq!(code, 1);
    assert!(stdout.contains("\"error\""), "{stdout}");
    assert_eq!(datasets_in(Path::new(data)).await, 0);
}
