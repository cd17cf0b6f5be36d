//! Commands and settings. Each setting is a flag with an environment variable.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Parser, Subcommand, ValueEnum};
use kaifang_service::{IndexAt, Service};
use kaifang_store::{Store, StoreConfig};

#[derive(Debug, Parser)]
#[command(
    name = "kaifang",
    version,
    about = "开放 Kaifang: a city's public data open platform"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct Global {
    /// Log format on stderr.
    #[arg(
        long,
        global = true,
        env = "KAIFANG_LOG_FORMAT",
        value_enum,
        default_value_t = LogFormat::Text
    )]
    pub log_format: LogFormat,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Args, Clone)]
pub struct StoreArgs {
    /// Folder for the SQLite database and the original files.
    #[arg(long, env = "KAIFANG_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,
    /// `postgres://…` to keep the catalog and datastore in PostgreSQL instead of SQLite.
    #[arg(long, env = "KAIFANG_DATABASE_URL")]
    pub database_url: Option<String>,
}

impl StoreArgs {
    /// The catalog index of a serving node, and the bureau's own words for it.
    fn index_folder(&self) -> PathBuf {
        self.data_dir.join("search").join("catalog")
    }

    /// Words a bureau adds to the segmenter (jieba's format), applied at start; after a
    /// change, `kaifang reindex` cuts the catalog with them.
    fn user_dictionary(&self) -> PathBuf {
        self.data_dir.join("search").join("dictionary.txt")
    }

    /// The service of a serving node: its on-disk catalog index, brought up to date.
    pub async fn serving(&self) -> anyhow::Result<Service> {
        self.load_user_dictionary()?;
        self.service(&IndexAt::Folder(self.index_folder()), true)
            .await
    }

    /// The service of `reindex`: the on-disk index as it is, about to be rebuilt.
    pub async fn reindexing(&self) -> anyhow::Result<Service> {
        self.load_user_dictionary()?;
        self.service(&IndexAt::Folder(self.index_folder()), false)
            .await
    }

    fn load_user_dictionary(&self) -> anyhow::Result<()> {
        let dictionary = self.user_dictionary();
        if dictionary.exists() {
            let words = kaifang_words::load_user_dictionary(&dictionary)?;
            tracing::info!(words, path = %dictionary.display(), "user dictionary loaded");
        }
        Ok(())
    }

    /// The service of a process that only writes (imports): no catalog index.
    pub async fn writing(&self) -> anyhow::Result<Service> {
        self.service(&IndexAt::Without, false).await
    }

    async fn service(&self, index: &IndexAt, catch_up: bool) -> anyhow::Result<Service> {
        if let Some(url) = &self.database_url
            && !url.starts_with("postgres://")
            && !url.starts_with("postgresql://")
        {
            anyhow::bail!(
                "--database-url must start with postgres:// (got {:?})",
                redact(url)
            );
        }
        let config = StoreConfig {
            data_dir: self.data_dir.clone(),
            database_url: self.database_url.clone(),
        };
        let store = Store::connect(&config)
            .await
            .with_context(|| match &self.database_url {
                Some(url) => format!("cannot open the database {}", redact(url)),
                None => format!("cannot open the store in {}", self.data_dir.display()),
            })?;
        let service = if catch_up {
            Service::open(store, index).await
        } else {
            Service::open_for_reindex(store, index).await
        };
        service.with_context(|| {
            format!(
                "cannot open the catalog index in {}",
                self.index_folder().display()
            )
        })
    }
}

/// A database URL without its password, fit for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let (head, tail) = url.split_at(at);
            let user = head
                .split_at(scheme + 3)
                .1
                .split(':')
                .next()
                .unwrap_or_default();
            format!("{}{user}:***{tail}", head.split_at(scheme + 3).0)
        }
        _ => url.to_owned(),
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the portal and the API.
    Serve {
        #[command(flatten)]
        store: StoreArgs,
        /// Address to listen on.
        #[arg(long, env = "KAIFANG_LISTEN", default_value = "127.0.0.1:8080")]
        listen: String,
        /// Load the generated demo catalog when the catalog is empty.
        #[arg(long, env = "KAIFANG_DEMO")]
        demo: bool,
    },
    /// Import files, each as a dataset with one resource; prints one JSON line per file.
    Import {
        #[command(flatten)]
        store: StoreArgs,
        /// Publishing organization, created if it does not exist.
        #[arg(long, default_value = "未指定部门")]
        org: String,
        /// Dataset title (default: the file name without its extension).
        #[arg(long)]
        title: Option<String>,
        /// unconditional, conditional or closed (or 无条件开放 / 有条件开放 / 不予开放).
        #[arg(long, default_value = "unconditional")]
        access_level: String,
        /// Sheet of a workbook to import (default: the first non-empty one).
        #[arg(long)]
        sheet: Option<String>,
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Rebuild this node's catalog index from the database, with a progress bar. Stop the
    /// node's server first: the index has one writer.
    Reindex {
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Measurements for the README: see scripts/bench.
    #[command(subcommand)]
    Bench(BenchCommand),
}

#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Import one file, then print rows per second and peak RSS as JSON.
    Import {
        #[command(flatten)]
        store: StoreArgs,
        file: PathBuf,
    },
    /// Write a synthetic catalog (the same for the same seed) into an empty store, for the
    /// catalog search benchmark; prints counts, datasets per second and a fingerprint.
    CatalogGenerate {
        #[command(flatten)]
        store: StoreArgs,
        #[arg(long, default_value_t = 100_000)]
        datasets: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Inserts in flight at once: PostgreSQL writes faster with many (2,490/s at 16
        /// against 1,374/s at 4 here); SQLite has one writer and does not mind.
        #[arg(long, default_value_t = 16)]
        concurrency: usize,
    },
    /// Keep N connections busy against the URLs (taken in turn) and print requests per
    /// second and latency percentiles as JSON.
    Http {
        #[arg(long = "url", required = true)]
        urls: Vec<String>,
        #[arg(long, default_value_t = 16)]
        connections: usize,
        #[arg(long, default_value_t = 10)]
        seconds: u64,
    },
}

pub fn init_logging(global: &Global) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match global.log_format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Text => builder.init(),
    }
}

pub async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Serve {
            store,
            listen,
            demo,
        } => {
            let service = store.serving().await?;
            if demo {
                crate::demo::load_if_empty(&service, &store.data_dir).await?;
            }
            service.start_background();
            let state =
                kaifang_web::AppState::new(service).context("cannot load the page templates")?;
            let (addr, server) = kaifang_web::bind(&listen, state)
                .await
                .with_context(|| format!("cannot listen on {listen}"))?;
            tracing::info!(%addr, "serving");
            eprintln!("开放 Kaifang is serving on http://{addr}/");
            server.await.context("server stopped")?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Import {
            store,
            org,
            title,
            access_level,
            sheet,
            files,
        } => {
            let access_level = kaifang_domain::AccessLevel::parse(&access_level)
                .map_err(|e| anyhow::anyhow!("--access-level: {e}"))?;
            let service = store.writing().await?;
            let options = crate::import::Options {
                org,
                title,
                access_level,
                sheet,
            };
            crate::import::run(&service, &options, &files).await
        }
        Command::Reindex { store } => {
            crate::reindex::run(&store.reindexing().await?).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Bench(BenchCommand::Import { store, file }) => {
            crate::bench::import(&store.writing().await?, &file).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Bench(BenchCommand::CatalogGenerate {
            store,
            datasets,
            seed,
            concurrency,
        }) => {
            crate::bench::catalog::run(&store.writing().await?, seed, datasets, concurrency)
                .await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Bench(BenchCommand::Http {
            urls,
            connections,
            seconds,
        }) => {
            crate::bench::http(urls, connections, seconds).await?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn redacts_the_password_of_a_database_url() {
        assert_eq!(
            redact("postgres://kf:s3cret@db:5432/kf"),
            "postgres://kf:***@db:5432/kf"
        );
        assert_eq!(redact("postgres://db/kf"), "postgres://db/kf");
    }
}
