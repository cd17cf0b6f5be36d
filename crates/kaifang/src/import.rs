//! `kaifang import`: one JSON line per file on stdout, a progress bar on a terminal.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use kaifang_domain::AccessLevel;
use kaifang_service::Service;
use kaifang_service::ingest::ImportRequest;
use serde_json::json;

pub struct Options {
    pub org: String,
    pub title: Option<String>,
    pub access_level: AccessLevel,
    pub sheet: Option<String>,
}

pub async fn run(
    service: &Service,
    options: &Options,
    files: &[PathBuf],
) -> anyhow::Result<ExitCode> {
    let mut failed = 0_usize;
    for file in files {
        let mut request = ImportRequest::for_file(file, &options.org);
        if let Some(title) = &options.title {
            request.metadata.title.clone_from(title);
        }
        request.metadata.access_level = options.access_level;
        request.options.sheet.clone_from(&options.sheet);
        let progress = Arc::new(AtomicU64::new(0));
        let bar = progress_bar(file, Arc::clone(&progress));
        let outcome = service.import_file(request, Some(progress)).await;
        if let Some((bar, ticker)) = bar {
            ticker.abort();
            bar.finish_and_clear();
        }
        let line = match outcome {
            Ok(outcome) => json!({
                "file": file.display().to_string(),
                "dataset_id": outcome.dataset_id,
                "resource_id": outcome.resource_id,
                "rows": outcome.rows,
                "fields": outcome.fields,
                "warnings": outcome.warnings,
            }),
            Err(err) => {
                failed += 1;
                json!({ "file": file.display().to_string(), "error": err.to_string() })
            }
        };
        println!("{line}");
    }
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// A spinner counting rows, only when stderr is a terminal.
fn progress_bar(
    file: &std::path::Path,
    rows: Arc<AtomicU64>,
) -> Option<(indicatif::ProgressBar, tokio::task::JoinHandle<()>)> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new_spinner();
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{spinner} {msg} {pos} rows ({per_sec})")
    {
        bar.set_style(style);
    }
    bar.set_message(file.display().to_string());
    let ticking = bar.clone();
    let ticker = tokio::spawn(async move {
        loop {
            ticking.set_position(rows.load(Ordering::Relaxed));
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    });
    Some((bar, ticker))
}
