//! `serve --demo`: the generated catalog, loaded only into an empty store.

use std::path::Path;

use anyhow::Context;
use kaifang_service::Service;

pub async fn load_if_empty(service: &Service, data_dir: &Path) -> anyhow::Result<()> {
    let loaded = service
        .load_demo_if_empty(&data_dir.join("demo-files"))
        .await
        .context("cannot load the demo catalog")?;
    if loaded > 0 {
        eprintln!("loaded the demo catalog: {loaded} datasets");
    }
    Ok(())
}
