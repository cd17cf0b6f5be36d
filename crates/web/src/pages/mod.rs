//! The portal's pages, rendered on the server in Chinese (English with `?lang=en`).
//! Templates and assets are compiled into the binary: nothing loads from a CDN.

mod i18n;
mod search;
mod templates;
mod views;

pub use templates::Templates;

use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;

use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(views::home))
        .route("/datasets", get(search::datasets))
        .route("/datasets/{id}", get(views::dataset))
        .route("/assets/style.css", get(style))
}

async fn style() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../assets/style.css"),
    )
}
