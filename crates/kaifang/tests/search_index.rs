//! The catalog index across processes, as an operator meets it: a server killed between a
//! database commit and its index update finds the change after restart, `kaifang reindex`
//! rebuilds, one index has one writer, and a broken user dictionary is refused. On SQLite
//! and on PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use common::{BUS_LINES, kaifang};
use sqlx::Connection;

/// Where the data lives: flags for every command.
struct Place {
    args: Vec<String>,
}

impl Place {
    fn args(&self) -> Vec<&str> {
        self.args.iter().map(String::as_str).collect()
    }

    fn import(&self, title: &str) {
        let mut args = vec!["import"];
        args.extend(self.args());
        args.extend(["--org", "无锡市交通运输局", "--title", title, BUS_LINES]);
        let (code, stdout, stderr) = kaifang(&args);
        assert_eq!(code, 0, "{stdout}{stderr}");
    }
}

/// A SQLite data folder, and a PostgreSQL one when a server is reachable.
async fn places(dir: &Path) -> Vec<Place> {
    let sqlite = Place {
        args: vec![
            "--data-dir".into(),
            dir.join("sqlite").display().to_string(),
        ],
    };
    let admin = std::env::var("KAIFANG_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned());
    let mut conn = match sqlx::PgConnection::connect(&admin).await {
        Ok(conn) => conn,
        Err(err) => {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "CI=true: {err}"
            );
            eprintln!("notice: PostgreSQL unreachable ({err}); SQLite only");
            return vec![sqlite];
        }
    };
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let name = format!(
        "kf_cli_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    );
    for sql in [
        format!("DROP DATABASE IF EXISTS {name}"),
        format!("CREATE DATABASE {name}"),
    ] {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(&mut conn)
            .await
            .unwrap();
    }
    let (base, _) = admin.rsplit_once('/').unwrap();
    let postgres = Place {
        args: vec![
            "--data-dir".into(),
            dir.join("postgres").display().to_string(),
            "--database-url".into(),
            format!("{base}/{name}"),
        ],
    };
    vec![sqlite, postgres]
}

struct Server {
    child: Child,
    base: String,
}

impl Server {
    /// Starts `kaifang serve` on a free port and waits until it says where it listens.
    fn start(place: &Place, env: &[(&str, &str)]) -> Server {
        let mut args = vec!["serve", "--listen", "127.0.0.1:0"];
        args.extend(place.args());
        let mut child = Command::new(env!("CARGO_BIN_EXE_kaifang"))
            .args(&args)
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let mut lines = BufReader::new(stderr).lines();
        let base = loop {
            let line = lines.next().expect("server exited before serving").unwrap();
            if let Some(rest) = line.split("serving on ").nth(1) {
                break rest.trim().trim_end_matches('/').to_owned();
            }
        };
        // Keep draining stderr so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Server { child, base }
    }

    async fn titles(&self, q: &str) -> Vec<String> {
        let url = format!("{}/api/v1/datasets?q={q}", self.base);
        let text = reqwest::get(&url).await.unwrap().text().await.unwrap();
        let body: serde_json::Value = serde_json::from_str(&text).unwrap();
        body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["title"].as_str().unwrap().to_owned())
            .collect()
    }

    fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_between_commit_and_index_update_the_index_is_right_after_restart() {
    let dir = tempfile::tempdir().unwrap();
    for place in places(dir.path()).await {
        place.import("公交线路信息");
        let server = Server::start(&place, &[]);
        assert_eq!(server.titles("gongjiao").await, ["公交线路信息"]);
        server.kill();

        // This server aborts the moment it is about to apply a change it has not seen.
        let mut doomed = Server::start(&place, &[("KAIFANG_TEST_CRASH_BEFORE_INDEX", "1")]);
        place.import("空气质量日报");
        let started = Instant::now();
        let status = loop {
            if let Some(status) = doomed.child.try_wait().unwrap() {
                break status;
            }
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "the server did not crash"
            );
            std::thread::sleep(Duration::from_millis(20));
        };
        assert!(!status.success(), "{status:?}");

        // The change is in the database, not in the index; the restarted node catches up
        // before it answers.
        let server = Server::start(&place, &[]);
        assert_eq!(server.titles("%E7%A9%BA%E6%B0%94").await, ["空气质量日报"]);
        assert_eq!(server.titles("gongjiao").await, ["公交线路信息"]);

        // One index, one writer: reindex refuses while the server runs, works after.
        let mut reindex = vec!["reindex"];
        reindex.extend(place.args());
        let (code, _, stderr) = kaifang(&reindex);
        assert_ne!(code, 0);
        assert!(stderr.contains("in use"), "{stderr}");
        server.kill();
        let (code, stdout, stderr) = kaifang(&reindex);
        assert_eq!(code, 0, "{stderr}");
        let summary: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap();
        assert_eq!(summary["indexed"], 2);

        // Deleting the index folder loses nothing: it is rebuilt at start.
        let data_dir = Path::new(&place.args[1]);
        std::fs::remove_dir_all(data_dir.join("search").join("catalog")).unwrap();
        let server = Server::start(&place, &[]);
        assert_eq!(server.titles("%E7%A9%BA%E6%B0%94").await, ["空气质量日报"]);
        server.kill();
    }
}

#[test]
fn a_broken_user_dictionary_is_refused_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let search = dir.path().join("search");
    std::fs::create_dir_all(&search).unwrap();
    std::fs::write(
        search.join("dictionary.txt"),
        "梁溪区 100 ns\n惠山古镇 many\n",
    )
    .unwrap();
    let data = dir.path().to_str().unwrap();
    let (code, _, stderr) = kaifang(&["serve", "--data-dir", data, "--listen", "127.0.0.1:0"]);
    assert_ne!(code, 0);
    assert!(
        stderr.contains("line 2") && stderr.contains("\"many\""),
        "{stderr}"
    );
    let (code, _, stderr) = kaifang(&["reindex", "--data-dir", data]);
    assert_ne!(code, 0);
    assert!(stderr.contains("line 2"), "{stderr}");
}
