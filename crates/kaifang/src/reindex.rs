//! `kaifang reindex`: the whole catalog index rebuilt from the database, with a progress bar
//! on a terminal and a summary line either way.

use std::time::Instant;

use kaifang_service::Service;

pub async fn run(service: &Service) -> anyhow::Result<()> {
    let total = service.store().dataset_count().await?;
    let bar = indicatif::ProgressBar::new(total);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{bar:40} {pos}/{len} datasets ({per_sec}, {eta} left)",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let started = Instant::now();
    let progress = bar.clone();
    let indexed = service.reindex(move |n| progress.set_position(n)).await?;
    bar.finish_and_clear();
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{}",
        serde_json::json!({
            "indexed": indexed,
            "seconds": (seconds * 100.0).round() / 100.0,
        })
    );
    Ok(())
}
