//! The catalog search page: the whole query in the URL, facets as filters with counts,
//! highlighted results, paging, and nearby searches when nothing is found.

use axum::extract::State;
use axum::response::Response;
use kaifang_domain::{AccessLevel, Theme, UpdateFrequency};
use kaifang_service::search::query::{
    CatalogPage, CatalogQuery, FacetValue, SORTS, Suggestion, catalog_query, sort_id,
};
use kaifang_service::{ServiceError, Viewer};
use minijinja::context;
use serde::Serialize;

use super::i18n::Lang;
use super::views::{DatasetView, error_page, page, query_string, ser};
use crate::AppState;
use crate::params::Params;

#[derive(Serialize)]
struct ResultView {
    #[serde(flatten)]
    dataset: DatasetView,
    /// Escaped by the search, with `<mark>` around what matched.
    snippet: Option<String>,
}

#[derive(Serialize)]
struct FacetGroup {
    name: &'static str,
    values: Vec<FacetLink>,
}

#[derive(Serialize)]
struct FacetLink {
    label: String,
    count: u64,
    selected: bool,
    /// The search with this value chosen, or removed when it is the chosen one.
    href: String,
}

#[derive(Serialize)]
struct Link {
    label: String,
    href: String,
    selected: bool,
}

const PAGE_PARAMS: &[&str] = &[
    "q",
    "organization",
    "theme",
    "access_level",
    "update_frequency",
    "format",
    "district",
    "sort",
    "page",
    "per_page",
];

pub async fn datasets(State(state): State<AppState>, Params(params): Params) -> Response {
    let lang = Lang::from_params(&params);
    // A shared link gathers parameters of its own (WeChat's `from`, `utm_source`…): the
    // page keeps to the ones it knows; the API stays strict.
    let params: Vec<(String, String)> = params
        .into_iter()
        .filter(|(k, _)| k == "lang" || PAGE_PARAMS.contains(&k.as_str()))
        .collect();
    let filters: Vec<(String, String)> = params
        .iter()
        .filter(|(k, _)| k != "lang")
        .cloned()
        .collect();
    let result = async {
        let query = catalog_query(&filters)?;
        let found = state
            .service
            .search_catalog(Viewer::Anonymous, &query)
            .await?;
        let nearest = match query.q.as_deref() {
            Some(q) if found.total == 0 => {
                state.service.nearest_searches(Viewer::Anonymous, q).await?
            }
            _ => Vec::new(),
        };
        Ok::<_, ServiceError>((query, found, nearest))
    }
    .await;
    let (query, found, nearest) = match result {
        Ok(found) => found,
        Err(err) => return error_page(&state, lang, err.into()),
    };
    render(&state, lang, &params, &query, found, &nearest)
}

fn render(
    state: &AppState,
    lang: Lang,
    params: &[(String, String)],
    query: &CatalogQuery,
    found: CatalogPage,
    nearest: &[Suggestion],
) -> Response {
    let href = |set: &[(&str, Option<&str>)]| -> String {
        let mut pairs: Vec<(String, String)> = params
            .iter()
            .filter(|(k, _)| k != "page" && !set.iter().any(|(key, _)| key == k))
            .cloned()
            .collect();
        for (key, value) in set {
            if let Some(value) = value {
                pairs.push(((*key).to_owned(), (*value).to_owned()));
            }
        }
        format!("/datasets?{}", query_string(&pairs))
    };
    let chosen = |name: &str| -> Option<String> {
        params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let group = |name: &'static str, values: &[FacetValue], relabel: &dyn Fn(&str) -> String| {
        let selected = chosen(name);
        FacetGroup {
            name,
            values: values
                .iter()
                .map(|v| {
                    let on = selected.as_deref() == Some(v.value.as_str());
                    FacetLink {
                        label: relabel(&v.value),
                        count: v.count,
                        selected: on,
                        href: href(&[(name, (!on).then_some(v.value.as_str()))]),
                    }
                })
                .collect(),
        }
    };
    let f = &found.facets;
    let same = |values: &[FacetValue]| {
        let labels: Vec<(String, String)> = values
            .iter()
            .map(|v| (v.value.clone(), v.label.clone()))
            .collect();
        move |value: &str| {
            labels
                .iter()
                .find(|(v, _)| v == value)
                .map_or_else(|| value.to_owned(), |(_, l)| l.clone())
        }
    };
    let facets = vec![
        group("organization", &f.organization, &same(&f.organization)),
        group("district", &f.district, &same(&f.district)),
        group("theme", &f.theme, &|v| {
            Theme::parse(v).map_or_else(
                |_| v.to_owned(),
                |t| lang.label(t.label_zh(), t.label_en()).to_owned(),
            )
        }),
        group("access_level", &f.access_level, &|v| {
            AccessLevel::parse(v).map_or_else(
                |_| v.to_owned(),
                |a| lang.label(a.label_zh(), a.label_en()).to_owned(),
            )
        }),
        group("update_frequency", &f.update_frequency, &|v| {
            UpdateFrequency::parse(v).map_or_else(
                |_| v.to_owned(),
                |u| lang.label(u.label_zh(), u.label_en()).to_owned(),
            )
        }),
        group("format", &f.format, &same(&f.format)),
    ];
    let sorts: Vec<Link> = SORTS
        .iter()
        .map(|(id, sort)| Link {
            label: (*id).to_owned(),
            href: href(&[("sort", Some(id))]),
            selected: *sort == query.sort,
        })
        .collect();
    let pages = found.total.div_ceil(u64::from(found.per_page)).max(1);
    let page_link = |n: u64| {
        let mut pairs: Vec<(String, String)> = params
            .iter()
            .filter(|(k, _)| k != "page")
            .cloned()
            .collect();
        pairs.push(("page".to_owned(), n.to_string()));
        format!("/datasets?{}", query_string(&pairs))
    };
    let current = u64::from(found.page);
    let pager: Vec<Link> = (current.saturating_sub(3).max(1)..=(current + 3).min(pages))
        .map(|n| Link {
            label: n.to_string(),
            href: page_link(n),
            selected: n == current,
        })
        .collect();
    let nearest: Vec<Link> = nearest
        .iter()
        .map(|s| Link {
            label: s.text.clone(),
            href: href(&[("q", Some(&s.text))]),
            selected: false,
        })
        .collect();
    let items: Vec<ResultView> = found
        .items
        .iter()
        .map(|item| ResultView {
            dataset: DatasetView::new(&item.dataset, lang),
            snippet: item.snippet.as_ref().map(|s| s.html.clone()),
        })
        .collect();
    page(
        state,
        "datasets.html",
        lang,
        context! {
            total => found.total, items => ser(&items), facets => ser(&facets),
            sorts => ser(&sorts), sort => sort_id(query.sort), pager => ser(&pager),
            page => current, pages,
            prev => (current > 1).then(|| page_link(current - 1)),
            next => (current < pages).then(|| page_link(current + 1)),
            nearest => ser(&nearest), q => query.q.clone(),
            hidden => ser(&params.iter().filter(|(k, _)| k != "q" && k != "page")
                .cloned().collect::<Vec<_>>()),
        },
    )
}
