//! Kaifang's HTTP edge: the JSON API under `/api/v1` and the server-rendered portal.
//! Errors from below become HTTP answers in one place, [`error::ApiError`].

mod api;
mod error;
mod pages;
mod params;

use std::net::SocketAddr;

use axum::Router;
use kaifang_service::Service;
use tokio::net::TcpListener;
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;

pub use error::ApiError;

#[derive(Clone)]
pub struct AppState {
    pub service: Service,
    pages: std::sync::Arc<pages::Templates>,
}

impl AppState {
    pub fn new(service: Service) -> Result<Self, ApiError> {
        Ok(Self {
            service,
            pages: std::sync::Arc::new(pages::Templates::load()?),
        })
    }
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(pages::router())
        .nest("/api/v1", api::router())
        .fallback(error::not_found)
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Binds `addr` (port 0 picks a free one) and returns the bound address with the server
/// future, so tests and `main` start the app the same way.
pub async fn bind(
    addr: &str,
    state: AppState,
) -> std::io::Result<(
    SocketAddr,
    impl std::future::Future<Output = std::io::Result<()>>,
)> {
    let listener = TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    let app = router(state);
    Ok((local, async move { axum::serve(listener, app).await }))
}
