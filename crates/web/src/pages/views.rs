//! Page handlers: gather what a page shows, in the viewer's language, and render it.

use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use kaifang_domain::{Dataset, Resource, Theme};
use kaifang_search::SearchSort;
use kaifang_service::search::query::CatalogQuery;
use kaifang_service::{ServiceError, Viewer};
use minijinja::context;
use serde::Serialize;
use serde_json::Value as Json;

use super::i18n::Lang;
use crate::params::{Id, Params};
use crate::{ApiError, AppState};

const PREVIEW_ROWS: &str = "10";

#[derive(Serialize)]
pub(super) struct DatasetView {
    id: String,
    title: String,
    description: String,
    /// The description's first characters, for lists.
    summary: String,
    organization: String,
    theme: &'static str,
    access_level: &'static str,
    access_id: &'static str,
    update_frequency: &'static str,
    sensitivity_level: &'static str,
    industry: Option<&'static str>,
    keywords: Vec<String>,
    spatial: Option<String>,
    temporal: Option<String>,
    license: String,
    contact: Vec<String>,
    first_published: String,
    last_updated: String,
    data_volume: i64,
    formats: Vec<String>,
}

impl DatasetView {
    pub(super) fn new(dataset: &Dataset, lang: Lang) -> Self {
        let temporal = match (dataset.temporal_start, dataset.temporal_end) {
            (None, None) => None,
            (start, end) => Some(format!(
                "{} — {}",
                start.map(|d| d.to_string()).unwrap_or_default(),
                end.map(|d| d.to_string()).unwrap_or_default()
            )),
        };
        let mut formats: Vec<String> = dataset
            .resources
            .iter()
            .map(|r| r.format.to_uppercase())
            .collect();
        formats.dedup();
        Self {
            id: dataset.id.clone(),
            title: dataset.title.clone(),
            description: dataset.description.clone(),
            summary: summary(&dataset.description),
            organization: dataset.organization_name.clone(),
            theme: lang.label(dataset.theme.label_zh(), dataset.theme.label_en()),
            access_level: lang.label(
                dataset.access_level.label_zh(),
                dataset.access_level.label_en(),
            ),
            access_id: dataset.access_level.id(),
            update_frequency: lang.label(
                dataset.update_frequency.label_zh(),
                dataset.update_frequency.label_en(),
            ),
            sensitivity_level: lang.label(
                dataset.sensitivity_level.label_zh(),
                dataset.sensitivity_level.label_en(),
            ),
            industry: dataset
                .industry
                .map(|i| lang.label(i.label_zh(), i.label_en())),
            keywords: dataset.keywords.clone(),
            spatial: dataset.spatial_coverage.clone(),
            temporal,
            license: dataset.license.clone(),
            contact: [
                &dataset.contact_name,
                &dataset.contact_phone,
                &dataset.contact_email,
            ]
            .into_iter()
            .flatten()
            .cloned()
            .collect(),
            first_published: dataset.first_published.format("%Y-%m-%d").to_string(),
            last_updated: dataset.last_updated.format("%Y-%m-%d").to_string(),
            data_volume: dataset.data_volume,
            formats,
        }
    }
}

/// Cut on characters, never bytes: Chinese text is three bytes a character.
fn summary(text: &str) -> String {
    const CHARS: usize = 120;
    let mut chars = text.chars();
    let head: String = chars.by_ref().take(CHARS).collect();
    if chars.next().is_some() {
        format!("{head}…")
    } else {
        head
    }
}

#[derive(Serialize)]
struct Choice {
    value: String,
    label: String,
}

fn choices<T: Copy>(
    all: &[T],
    id: impl Fn(T) -> &'static str,
    label: impl Fn(T) -> &'static str,
) -> Vec<Choice> {
    all.iter()
        .map(|v| Choice {
            value: id(*v).to_owned(),
            label: label(*v).to_owned(),
        })
        .collect()
}

pub(super) fn ser<T: Serialize>(value: &T) -> minijinja::Value {
    minijinja::Value::from(minijinja::value::Serde(value))
}

pub(super) fn page(
    state: &AppState,
    name: &str,
    lang: Lang,
    context: minijinja::Value,
) -> Response {
    match state.pages.render(name, lang, context) {
        Ok(html) => Html(html).into_response(),
        Err(err) => ApiError::from(err).into_response(),
    }
}

/// Errors on pages are pages too, with the same status the API would give.
pub(super) fn error_page(state: &AppState, lang: Lang, err: ApiError) -> Response {
    let (status, code, message, _) = err.parts();
    if status.is_server_error() {
        tracing::error!(error = %err, "page failed");
    }
    let mut response = page(
        state,
        "error.html",
        lang,
        context! { status => status.as_u16(), code, message },
    );
    *response.status_mut() = status;
    response
}

pub async fn home(State(state): State<AppState>, Params(params): Params) -> Response {
    let lang = Lang::from_params(&params);
    let result = async {
        let stats = state.service.stats().await?;
        let newest = CatalogQuery {
            sort: SearchSort::Newest,
            per_page: 8,
            ..CatalogQuery::default()
        };
        let found = state
            .service
            .search_catalog(Viewer::Anonymous, &newest)
            .await?;
        let recent: Vec<Dataset> = found.items.into_iter().map(|f| f.dataset).collect();
        Ok::<_, ServiceError>((stats, recent))
    }
    .await;
    match result {
        Ok((stats, recent)) => {
            let recent: Vec<DatasetView> =
                recent.iter().map(|d| DatasetView::new(d, lang)).collect();
            let themes = choices(Theme::ALL, Theme::id, |t| {
                lang.label(t.label_zh(), t.label_en())
            });
            page(
                &state,
                "home.html",
                lang,
                context! { stats => ser(&stats), recent => ser(&recent), themes => ser(&themes) },
            )
        }
        Err(err) => error_page(&state, lang, err.into()),
    }
}

pub(super) fn query_string(pairs: &[(String, String)]) -> String {
    use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
    pairs
        .iter()
        .map(|(k, v)| {
            format!(
                "{}={}",
                utf8_percent_encode(k, NON_ALPHANUMERIC),
                utf8_percent_encode(v, NON_ALPHANUMERIC)
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}

#[derive(Serialize)]
struct ResourceView {
    id: String,
    name: String,
    format: String,
    size: String,
    rows: Option<i64>,
    fields: Vec<Json>,
    preview_fields: Vec<String>,
    preview: Vec<Vec<Json>>,
}

pub async fn dataset(
    State(state): State<AppState>,
    Id(id): Id,
    Params(params): Params,
) -> Response {
    let lang = Lang::from_params(&params);
    let dataset = match state.service.dataset(Viewer::Anonymous, &id).await {
        Ok(dataset) => dataset,
        Err(err) => return error_page(&state, lang, err.into()),
    };
    let readable = Viewer::Anonymous.check_rows(&dataset).is_ok();
    let mut resources = Vec::new();
    for resource in &dataset.resources {
        resources.push(resource_view(&state, resource, readable).await);
    }
    let view = DatasetView::new(&dataset, lang);
    page(
        &state,
        "dataset.html",
        lang,
        context! { dataset => ser(&view), resources => ser(&resources), readable },
    )
}

async fn resource_view(state: &AppState, resource: &Resource, readable: bool) -> ResourceView {
    let mut view = ResourceView {
        id: resource.id.clone(),
        name: resource.name.clone(),
        format: resource.format.to_uppercase(),
        size: human_size(resource.size_bytes),
        rows: resource.rows,
        fields: resource
            .schema
            .fields
            .iter()
            .map(|f| serde_json::json!({ "name": f.name, "type": f.field_type.label_zh() }))
            .collect(),
        preview_fields: Vec::new(),
        preview: Vec::new(),
    };
    if readable && resource.rows.is_some() {
        let params = [("_limit".to_owned(), PREVIEW_ROWS.to_owned())];
        match state
            .service
            .rows(Viewer::Anonymous, &resource.id, &params)
            .await
        {
            Ok(page) => {
                view.preview_fields = page.fields;
                view.preview = page
                    .rows
                    .iter()
                    .map(|r| r.iter().map(kaifang_tabular::Value::to_json).collect())
                    .collect();
            }
            Err(err) => tracing::warn!(resource_id = %resource.id, error = %err, "preview failed"),
        }
    }
    view
}

fn human_size(bytes: i64) -> String {
    let bytes = bytes as f64;
    if bytes < 1024.0 {
        format!("{bytes} B")
    } else if bytes < 1024.0 * 1024.0 {
        format!("{:.1} KB", bytes / 1024.0)
    } else {
        format!("{:.1} MB", bytes / 1024.0 / 1024.0)
    }
}
