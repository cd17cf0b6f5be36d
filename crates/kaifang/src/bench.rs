//! `kaifang bench`: the figures the README quotes, reproducible with one command each.
//! `import` times a whole import and reads the process's peak RSS; `http` keeps N
//! connections busy against a list of URLs and reports throughput and latency;
//! `catalog-generate` writes a synthetic catalog for the search benchmark.

pub mod catalog;

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use kaifang_service::Service;
use kaifang_service::ingest::ImportRequest;
use serde_json::json;

/// Peak resident set size of this process in MiB, from /proc (Linux only).
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

pub async fn import(service: &Service, file: &Path) -> anyhow::Result<()> {
    let started = Instant::now();
    let outcome = service
        .import_file(ImportRequest::for_file(file, "基准测试"), None)
        .await
        .with_context(|| format!("import of {} failed", file.display()))?;
    let seconds = started.elapsed().as_secs_f64();
    let line = json!({
        "file": file.display().to_string(),
        "resource_id": outcome.resource_id,
        "rows": outcome.rows,
        "seconds": round(seconds),
        "rows_per_sec": round(outcome.rows as f64 / seconds),
        "peak_rss_mib": peak_rss_mib().map(round),
    });
    println!("{line}");
    Ok(())
}

pub async fn http(urls: Vec<String>, connections: usize, seconds: u64) -> anyhow::Result<()> {
    anyhow::ensure!(!urls.is_empty(), "give at least one --url");
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(connections)
        .build()?;
    let urls = Arc::new(urls);
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut workers = Vec::new();
    for worker in 0..connections {
        let (client, urls) = (client.clone(), Arc::clone(&urls));
        workers.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut errors = 0_u64;
            let mut next = worker;
            while Instant::now() < deadline {
                let url = &urls[next % urls.len()];
                next += 1;
                let sent = Instant::now();
                let ok = match client.get(url).send().await {
                    Ok(response) => {
                        response.status().is_success() && response.bytes().await.is_ok()
                    }
                    Err(_) => false,
                };
                if ok {
                    latencies.push(sent.elapsed());
                } else {
                    errors += 1;
                }
            }
            (latencies, errors)
        }));
    }
    let started = Instant::now();
    let mut latencies = Vec::new();
    let mut errors = 0;
    for worker in workers {
        let (mut own, failed) = worker.await?;
        latencies.append(&mut own);
        errors += failed;
    }
    let elapsed = started.elapsed().as_secs_f64().max(seconds as f64);
    latencies.sort();
    let quantile = |q: f64| {
        let index = ((latencies.len() as f64 - 1.0) * q).round() as usize;
        latencies
            .get(index)
            .map(|d| round(d.as_secs_f64() * 1000.0))
    };
    let line = json!({
        "connections": connections,
        "seconds": round(elapsed),
        "requests": latencies.len(),
        "errors": errors,
        "requests_per_sec": round(latencies.len() as f64 / elapsed),
        "p50_ms": quantile(0.50),
        "p99_ms": quantile(0.99),
    });
    println!("{line}");
    Ok(())
}

fn round(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}
