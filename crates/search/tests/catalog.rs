//! The catalog index end to end, on a handful of datasets whose expected answers are worked
//! out by hand in the comments.

use std::path::PathBuf;

use chrono::{DateTime, TimeZone, Utc};
use kaifang_search::{
    CatalogDoc, CatalogIndex, FacetCount, Filters, SearchError, SearchRequest, SearchResults,
    SearchSort,
};

fn date(year: i32, month: u32, day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(year, month, day, 0, 0, 0)
        .single()
        .unwrap_or_default()
}

fn doc(id: &str, title: &str) -> CatalogDoc {
    CatalogDoc {
        id: id.to_owned(),
        title: title.to_owned(),
        description: String::new(),
        keywords: Vec::new(),
        organization_id: "o-traffic".to_owned(),
        organization_name: "无锡市交通运输局".to_owned(),
        district: None,
        theme: "transport".to_owned(),
        access_level: "unconditional".to_owned(),
        update_frequency: "static".to_owned(),
        formats: Vec::new(),
        fields: Vec::new(),
        last_updated: date(2020, 1, 1),
        downloads: 0,
        calls: 0,
    }
}

fn strings(values: &[&str]) -> Vec<String> {
    values.iter().map(|v| (*v).to_owned()).collect()
}

/// Seven datasets; `closed` is not open to the public.
///
/// | id | updated | downloads | calls | formats | frequency | district |
/// |---|---|---|---|---|---|---|
/// | bus | 2024-05-01 | 100 | 10 | csv json | monthly | 梁溪区 |
/// | pudong | 2023-01-01 | 5 | 0 | xlsx | yearly | 新吴区 |
/// | taipei | 2024-03-01 | 50 | 500 | csv | daily | |
/// | gtfs | 2024-04-01 | 20 | 2000 | json | realtime | 新吴区 |
/// | closed | 2024-06-01 | 0 | 0 | csv | realtime | |
/// | report | 2022-01-01 | 1000 | 0 | pdf | yearly | |
/// | simplified | 2021-06-01 | 0 | 0 | pdf | static | |
fn catalog() -> Vec<CatalogDoc> {
    let mut bus = doc("bus", "无锡市公交线路");
    bus.description = "全市公交线路及站点信息，GTFS 格式。".to_owned();
    bus.keywords = strings(&["公交", "交通"]);
    bus.district = Some("梁溪区".to_owned());
    bus.update_frequency = "monthly".to_owned();
    bus.formats = strings(&["csv", "json"]);
    bus.fields = strings(&["线路名称", "站点", "票价"]);
    bus.last_updated = date(2024, 5, 1);
    bus.downloads = 100;
    bus.calls = 10;

    let mut pudong = doc("pudong", "上海企业名录");
    pudong.description = "上海市浦东新区张江路企业".to_owned();
    pudong.organization_id = "o-market".to_owned();
    pudong.organization_name = "无锡市市场监督管理局".to_owned();
    pudong.district = Some("新吴区".to_owned());
    pudong.theme = "economy".to_owned();
    pudong.access_level = "conditional".to_owned();
    pudong.update_frequency = "yearly".to_owned();
    pudong.formats = strings(&["xlsx"]);
    pudong.last_updated = date(2023, 1, 1);
    pudong.downloads = 5;

    let mut taipei = doc("taipei", "公車路線");
    taipei.description = "臺北市公車路線資料".to_owned();
    taipei.update_frequency = "daily".to_owned();
    taipei.formats = strings(&["csv"]);
    taipei.last_updated = date(2024, 3, 1);
    taipei.downloads = 50;
    taipei.calls = 500;

    let mut gtfs = doc("gtfs", "公交实时到站数据");
    gtfs.description = "gtfs realtime feed".to_owned();
    gtfs.district = Some("新吴区".to_owned());
    gtfs.update_frequency = "realtime".to_owned();
    gtfs.formats = strings(&["json"]);
    gtfs.last_updated = date(2024, 4, 1);
    gtfs.downloads = 20;
    gtfs.calls = 2000;

    let mut closed = doc("closed", "公交车辆调度记录");
    closed.access_level = "closed".to_owned();
    closed.update_frequency = "realtime".to_owned();
    closed.formats = strings(&["csv"]);
    closed.last_updated = date(2024, 6, 1);

    let mut report = doc("report", "城市交通出行报告");
    report.description = "报告分析了公交出行比例".to_owned();
    report.organization_id = "o-stats".to_owned();
    report.organization_name = "无锡市统计局".to_owned();
    report.update_frequency = "yearly".to_owned();
    report.formats = strings(&["pdf"]);
    report.last_updated = date(2022, 1, 1);
    report.downloads = 1000;

    let mut simplified = doc("simplified", "公车路线图");
    simplified.formats = strings(&["pdf"]);
    simplified.last_updated = date(2021, 6, 1);

    vec![bus, pudong, taipei, gtfs, closed, report, simplified]
}

fn index_of(docs: Vec<CatalogDoc>) -> CatalogIndex {
    let index = CatalogIndex::open_in_ram();
    assert!(index.is_ok(), "{:?}", index.as_ref().err());
    let Ok(index) = index else { unreachable!() };
    let applied = index.apply(docs, &[], Some("1"));
    assert!(applied.is_ok(), "{applied:?}");
    index
}

fn request(text: &str) -> SearchRequest {
    SearchRequest {
        text: Some(text.to_owned()),
        limit: 20,
        ..SearchRequest::default()
    }
}

fn run(index: &CatalogIndex, request: &SearchRequest) -> SearchResults {
    match index.search(request) {
        Ok(results) => results,
        Err(error) => panic!("search {request:?}: {error}"),
    }
}

fn ids(results: &SearchResults) -> Vec<&str> {
    results.hits.iter().map(|h| h.id.as_str()).collect()
}

fn sorted_ids(index: &CatalogIndex, text: &str) -> Vec<String> {
    let results = run(index, &request(text));
    let mut found: Vec<String> = results.hits.iter().map(|h| h.id.clone()).collect();
    found.sort();
    assert_eq!(results.total, found.len() as u64, "{text}");
    found
}

fn counts(values: &[(&str, u64)]) -> Vec<FacetCount> {
    values
        .iter()
        .map(|(value, count)| FacetCount {
            value: (*value).to_owned(),
            count: *count,
        })
        .collect()
}

#[test]
fn a_word_finds_titles_descriptions_and_keywords() {
    let index = index_of(catalog());
    // 公交 is in the titles of bus and gtfs and the description of report; closed is left out.
    assert_eq!(sorted_ids(&index, "公交"), ["bus", "gtfs", "report"]);
}

#[test]
fn a_place_is_found_inside_a_longer_place_name() {
    let index = index_of(catalog());
    assert_eq!(sorted_ids(&index, "浦东"), ["pudong"]);
    // jieba keeps 张江路 whole; the pairs still find 张江.
    assert_eq!(sorted_ids(&index, "张江"), ["pudong"]);
}

#[test]
fn pinyin_and_initials_find_chinese_titles() {
    let index = index_of(catalog());
    assert_eq!(sorted_ids(&index, "gongjiao"), ["bus", "gtfs"]);
    assert_eq!(sorted_ids(&index, "gj"), ["bus", "gtfs"]);
    assert_eq!(sorted_ids(&index, "GongJiao"), ["bus", "gtfs"]);
}

#[test]
fn traditional_and_simplified_find_each_other() {
    let index = index_of(catalog());
    assert_eq!(sorted_ids(&index, "公車路線"), ["simplified", "taipei"]);
    assert_eq!(sorted_ids(&index, "公车路线"), ["simplified", "taipei"]);
    assert_eq!(sorted_ids(&index, "臺北"), ["taipei"]);
}

#[test]
fn full_width_letters_find_plain_ones() {
    let index = index_of(catalog());
    assert_eq!(sorted_ids(&index, "ＧＴＦＳ"), ["bus", "gtfs"]);
    assert_eq!(sorted_ids(&index, "GTFS"), ["bus", "gtfs"]);
}

#[test]
fn every_piece_must_match() {
    let index = index_of(catalog());
    // report has 公交 but no GTFS.
    assert_eq!(sorted_ids(&index, "公交 GTFS"), ["bus", "gtfs"]);
    assert_eq!(sorted_ids(&index, "公交GTFS"), ["bus", "gtfs"]);
    assert!(sorted_ids(&index, "公交 浦东").is_empty());
    assert_eq!(sorted_ids(&index, "上海 企业"), ["pudong"]);
}

#[test]
fn title_matches_rank_above_description_matches() {
    let index = index_of(catalog());
    let results = run(&index, &request("公交"));
    let found = ids(&results);
    // report has 公交 in its description only. bus has it in its title, description and
    // keywords, gtfs in its title only, so bus is first.
    assert_eq!(found, ["bus", "gtfs", "report"]);
    let scores: Vec<f32> = results.hits.iter().map(|h| h.score).collect();
    assert!(scores.windows(2).all(|w| w[0] > w[1]), "{scores:?}");
}

#[test]
fn word_matches_rank_above_character_pair_matches() {
    // jieba cuts 办公交流会 into 办公 / 交流(会): 公交 is only a substring there.
    let index = index_of(vec![doc("meeting", "办公交流会"), doc("bus", "公交线路")]);
    let results = run(&index, &request("公交"));
    assert_eq!(ids(&results), ["bus", "meeting"]);
}

#[test]
fn a_single_character_is_found_anywhere() {
    let mut lake = doc("lake", "太湖水质");
    lake.description = "蠡湖与太湖".to_owned();
    let index = index_of(vec![
        lake,
        doc("river", "河道"),
        doc("district", "滨湖区公园"),
    ]);
    assert_eq!(sorted_ids(&index, "湖"), ["district", "lake"]);
    // 质 only ends a run of characters.
    assert_eq!(sorted_ids(&index, "质"), ["lake"]);
}

#[test]
fn closed_datasets_only_when_asked() {
    let index = index_of(catalog());
    assert!(sorted_ids(&index, "调度").is_empty());
    let mut with_closed = request("调度");
    with_closed.include_closed = true;
    assert_eq!(ids(&run(&index, &with_closed)), ["closed"]);
    let mut all = request("");
    all.include_closed = true;
    assert_eq!(run(&index, &all).total, 7);
    assert_eq!(run(&index, &request("")).total, 6);
}

#[test]
fn each_filter_narrows_to_exact_values() {
    let index = index_of(catalog());
    let check = |filters: Filters, expected: &[&str]| {
        let mut req = request("");
        req.filters = filters;
        let results = run(&index, &req);
        let mut found = ids(&results);
        found.sort_unstable();
        assert_eq!(found, expected, "{:?}", req.filters);
        assert_eq!(results.total, expected.len() as u64);
    };
    let organization = Some("o-traffic".to_owned());
    check(
        Filters {
            organization: organization.clone(),
            ..Filters::default()
        },
        &["bus", "gtfs", "simplified", "taipei"],
    );
    check(
        Filters {
            theme: Some("economy".to_owned()),
            ..Filters::default()
        },
        &["pudong"],
    );
    check(
        Filters {
            access_level: Some("conditional".to_owned()),
            ..Filters::default()
        },
        &["pudong"],
    );
    check(
        Filters {
            format: Some("csv".to_owned()),
            ..Filters::default()
        },
        &["bus", "taipei"],
    );
    check(
        Filters {
            update_frequency: Some("yearly".to_owned()),
            ..Filters::default()
        },
        &["pudong", "report"],
    );
    check(
        Filters {
            district: Some("梁溪区".to_owned()),
            ..Filters::default()
        },
        &["bus"],
    );
    check(
        Filters {
            organization,
            format: Some("json".to_owned()),
            ..Filters::default()
        },
        &["bus", "gtfs"],
    );
    check(
        Filters {
            format: Some("CSV".to_owned()),
            ..Filters::default()
        },
        &[],
    );
    // A filter and a query together.
    let mut req = request("公交");
    req.filters.format = Some("json".to_owned());
    let mut found = ids(&run(&index, &req))
        .into_iter()
        .map(str::to_owned)
        .collect::<Vec<_>>();
    found.sort();
    assert_eq!(found, ["bus", "gtfs"]);
}

#[test]
fn facets_count_every_match_not_just_the_page() {
    let index = index_of(catalog());
    let mut req = request("");
    req.limit = 1;
    let results = run(&index, &req);
    assert_eq!(results.total, 6);
    assert_eq!(results.hits.len(), 1);
    let facets = &results.facets;
    assert_eq!(
        facets.organization,
        counts(&[("o-traffic", 4), ("o-market", 1), ("o-stats", 1)])
    );
    assert_eq!(facets.theme, counts(&[("transport", 5), ("economy", 1)]));
    assert_eq!(
        facets.access_level,
        counts(&[("unconditional", 5), ("conditional", 1)])
    );
    assert_eq!(
        facets.format,
        counts(&[("csv", 2), ("json", 2), ("pdf", 2), ("xlsx", 1)])
    );
    assert_eq!(
        facets.update_frequency,
        counts(&[
            ("yearly", 2),
            ("daily", 1),
            ("monthly", 1),
            ("realtime", 1),
            ("static", 1)
        ])
    );
    assert_eq!(facets.district, counts(&[("新吴区", 2), ("梁溪区", 1)]));

    // Over a query's matches: bus, gtfs, report.
    let mut req = request("公交");
    req.limit = 0;
    let results = run(&index, &req);
    assert!(results.hits.is_empty());
    assert_eq!(results.total, 3);
    assert_eq!(
        results.facets.organization,
        counts(&[("o-traffic", 2), ("o-stats", 1)])
    );
    assert_eq!(
        results.facets.format,
        counts(&[("json", 2), ("csv", 1), ("pdf", 1)])
    );

    // After filters: the datasets in csv are bus and taipei.
    let mut req = request("");
    req.filters.format = Some("csv".to_owned());
    let results = run(&index, &req);
    assert_eq!(results.facets.format, counts(&[("csv", 2), ("json", 1)]));
    assert_eq!(
        results.facets.update_frequency,
        counts(&[("daily", 1), ("monthly", 1)])
    );
    assert_eq!(results.facets.district, counts(&[("梁溪区", 1)]));
}

#[test]
fn sort_orders() {
    let index = index_of(catalog());
    let order = |sort: SearchSort| {
        let mut req = request("");
        req.sort = sort;
        run(&index, &req)
            .hits
            .into_iter()
            .map(|h| h.id)
            .collect::<Vec<_>>()
    };
    let newest = ["bus", "gtfs", "taipei", "pudong", "report", "simplified"];
    assert_eq!(order(SearchSort::Newest), newest);
    // Without a query, relevance is recency.
    assert_eq!(order(SearchSort::Relevance), newest);
    assert_eq!(
        order(SearchSort::Downloads),
        ["report", "bus", "taipei", "gtfs", "pudong", "simplified"]
    );
    // pudong, report and simplified have no calls: newest first among them.
    assert_eq!(
        order(SearchSort::Calls),
        ["gtfs", "taipei", "bus", "pudong", "report", "simplified"]
    );
    // With a query, the other orders still apply to its matches.
    let mut req = request("公交");
    req.sort = SearchSort::Downloads;
    assert_eq!(ids(&run(&index, &req)), ["report", "bus", "gtfs"]);
}

#[test]
fn pages() {
    let index = index_of(catalog());
    let mut req = request("");
    req.sort = SearchSort::Newest;
    req.offset = 2;
    req.limit = 2;
    let results = run(&index, &req);
    assert_eq!(ids(&results), ["taipei", "pudong"]);
    assert_eq!(results.total, 6);
    req.offset = 5;
    assert_eq!(ids(&run(&index, &req)), ["simplified"]);
    req.offset = usize::MAX;
    assert!(run(&index, &req).hits.is_empty());
}

#[test]
fn equal_scores_go_to_the_newest_then_the_most_used() {
    let mut old = doc("old", "空气质量监测");
    old.last_updated = date(2020, 1, 1);
    let mut new = doc("new", "空气质量监测");
    new.last_updated = date(2024, 1, 1);
    let mut used = doc("used", "空气质量监测");
    used.last_updated = date(2020, 1, 1);
    used.calls = 5;
    let index = index_of(vec![old, new, used]);
    assert_eq!(ids(&run(&index, &request("空气"))), ["new", "used", "old"]);
}

#[test]
fn snippets_mark_where_the_query_was_found() {
    let index = index_of(catalog());
    let snippet_of = |text: &str, id: &str| {
        let results = run(&index, &request(text));
        let hit = results.hits.into_iter().find(|h| h.id == id);
        hit.and_then(|h| h.snippet).map(|s| (s.field, s.html))
    };
    assert_eq!(
        snippet_of("浦东", "pudong"),
        Some((
            "description",
            "上海市<mark>浦东</mark>新区张江路企业".to_owned()
        ))
    );
    assert_eq!(
        snippet_of("公交", "bus"),
        Some(("title", "无锡市<mark>公交</mark>线路".to_owned()))
    );
    // The original characters are marked for a query in the other script.
    assert_eq!(
        snippet_of("公车路线", "taipei"),
        Some(("title", "<mark>公車路線</mark>".to_owned()))
    );
    // A pinyin match marks the Chinese word it spells.
    assert_eq!(
        snippet_of("gj", "gtfs"),
        Some(("title", "<mark>公交</mark>实时到站数据".to_owned()))
    );
    assert_eq!(
        snippet_of("交通运输局", "taipei"),
        Some(("organization", "无锡市<mark>交通运输局</mark>".to_owned()))
    );
    assert_eq!(
        snippet_of("站点", "bus"),
        Some((
            "description",
            "全市公交线路及<mark>站点</mark>信息，GTFS 格式。".to_owned()
        ))
    );
    assert_eq!(
        snippet_of("票价", "bus"),
        Some(("fields", "线路名称；站点；<mark>票价</mark>".to_owned()))
    );
    // No query, no snippet.
    let results = run(&index, &request(""));
    assert!(results.hits.iter().all(|h| h.snippet.is_none()));
}

#[test]
fn hostile_queries_are_plain_text() {
    let index = index_of(catalog());
    // Nothing searchable: every open dataset.
    for text in [
        "",
        "   ",
        "\"",
        "*",
        "((",
        "-",
        "\u{0}\u{7}\u{1b}",
        "\"*()\"",
        "：，。",
    ] {
        let results = index.search(&request(text));
        assert_eq!(results.map(|r| r.total).ok(), Some(6), "{text:?}");
    }
    // Operators are words like any other, and no dataset has them.
    for text in [
        "NEAR",
        "OR",
        "a\"b",
        "公交 OR 浦东",
        "title:公交",
        "公交 AND",
    ] {
        let results = index.search(&request(text));
        assert_eq!(results.map(|r| r.total).ok(), Some(0), "{text:?}");
    }
    // Around the syntax, the words still count.
    for text in ["\"公交\"", "公交*", "\u{0}公交\u{1b}", "(公交", "+公交 -"] {
        let results = index.search(&request(text));
        assert_eq!(results.map(|r| r.total).ok(), Some(3), "{text:?}");
    }
    let longest = "公".repeat(256);
    assert!(index.search(&request(&longest)).is_ok());
    for text in ["公".repeat(257), "a".repeat(10_000)] {
        match index.search(&request(&text)) {
            Err(SearchError::QueryTooLong { chars, max: 256 }) => {
                assert_eq!(chars, text.chars().count());
            }
            other => panic!("expected QueryTooLong, got {other:?}"),
        }
    }
    assert!(matches!(
        index.suggest(&"公".repeat(300), false, 5),
        Err(SearchError::QueryTooLong { .. })
    ));
}

#[test]
fn suggestions_complete_titles() {
    let index = index_of(catalog());
    let suggest =
        |prefix: &str, include_closed: bool| match index.suggest(prefix, include_closed, 10) {
            Ok(titles) => titles,
            Err(error) => panic!("suggest {prefix}: {error}"),
        };
    // Titles with a word starting with 公, the most used first (calls + downloads: gtfs
    // 2020, taipei 550, bus 110, simplified 0); the closed 公交车辆调度记录 left out.
    assert_eq!(
        suggest("公", false),
        [
            "公交实时到站数据",
            "公車路線",
            "无锡市公交线路",
            "公车路线图"
        ]
    );
    assert_eq!(suggest("公", true).len(), 5);
    assert_eq!(
        suggest("gongj", false),
        ["公交实时到站数据", "无锡市公交线路"]
    );
    // What comes before the last piece must be in the title.
    assert_eq!(suggest("公交 实", false), ["公交实时到站数据"]);
    assert_eq!(suggest("公交实", false), ["公交实时到站数据"]);
    assert_eq!(suggest("gtf", false), Vec::<String>::new());
    assert!(suggest("", false).is_empty());
    assert!(suggest("\"*", false).is_empty());
    assert_eq!(index.suggest("公", false, 2).ok().map(|t| t.len()), Some(2));
    assert_eq!(index.suggest("公", false, 0).ok(), Some(Vec::new()));
}

#[test]
fn suggestions_list_a_shared_title_once() {
    let index = index_of(vec![
        doc("a", "公园名录"),
        doc("b", "公园名录"),
        doc("c", "公园绿地"),
    ]);
    let titles = index.suggest("公园", false, 10).unwrap_or_default();
    let mut sorted = titles.clone();
    sorted.sort();
    assert_eq!(sorted, ["公园名录", "公园绿地"]);
}

#[test]
fn apply_replaces_and_deletes_by_id() {
    let index = index_of(catalog());
    assert_eq!(index.num_docs(), 7);
    assert_eq!(index.cursor().as_deref(), Some("1"));
    let mut bus = doc("bus", "无锡市地铁线路");
    bus.last_updated = date(2025, 1, 1);
    let applied = index.apply(vec![bus], &["pudong".to_owned()], Some("2"));
    assert!(applied.is_ok(), "{applied:?}");
    assert_eq!(index.num_docs(), 6);
    assert_eq!(index.cursor().as_deref(), Some("2"));
    assert_eq!(sorted_ids(&index, "地铁"), ["bus"]);
    assert_eq!(sorted_ids(&index, "公交"), ["gtfs", "report"]);
    assert!(sorted_ids(&index, "浦东").is_empty());
    // No cursor keeps the last one; an id given twice is indexed once, as given last.
    let twice = vec![doc("x", "第一版"), doc("x", "第二版")];
    assert!(index.apply(twice, &[], None).is_ok());
    assert_eq!(index.cursor().as_deref(), Some("2"));
    assert_eq!(index.num_docs(), 7);
    assert_eq!(sorted_ids(&index, "第二版"), ["x"]);
    assert!(sorted_ids(&index, "第一版").is_empty());
    // Deleting what is not there is fine.
    assert!(
        index
            .apply(Vec::new(), &["missing".to_owned()], Some("3"))
            .is_ok()
    );
    assert_eq!(index.num_docs(), 7);
}

#[test]
fn rebuild_replaces_everything() {
    let index = index_of(catalog());
    let mut seen = Vec::new();
    let docs = vec![doc("a", "公园名录"), doc("b", "停车场")];
    let rebuilt = index.rebuild(docs.into_iter(), Some("r9"), |n| seen.push(n));
    assert_eq!(rebuilt.ok(), Some(2));
    assert_eq!(seen.last(), Some(&2));
    assert_eq!(index.num_docs(), 2);
    assert_eq!(index.cursor().as_deref(), Some("r9"));
    assert!(sorted_ids(&index, "公交").is_empty());
    assert_eq!(sorted_ids(&index, "停车"), ["b"]);

    let rebuilt = index.rebuild(std::iter::empty(), None, |_| {});
    assert_eq!(rebuilt.ok(), Some(0));
    assert!(index.is_empty());
    assert_eq!(index.cursor(), None);
}

#[test]
fn clones_share_one_index() {
    let index = index_of(catalog());
    let clone = index.clone();
    let thread = std::thread::spawn(move || clone.apply(vec![doc("t", "线程")], &[], Some("t")));
    assert!(matches!(thread.join(), Ok(Ok(()))));
    assert_eq!(sorted_ids(&index, "线程"), ["t"]);
    assert_eq!(index.cursor().as_deref(), Some("t"));
}

#[test]
fn on_disk_the_index_and_its_cursor_survive_a_reopen() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("catalog");
    {
        let index = CatalogIndex::open(&path).unwrap_or_else(|e| panic!("{e}"));
        assert!(index.is_empty());
        assert_eq!(index.cursor(), None);
        assert!(index.apply(catalog(), &[], Some("c-42")).is_ok());
        assert_eq!(sorted_ids(&index, "公交"), ["bus", "gtfs", "report"]);
    }
    let index = CatalogIndex::open(&path).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(index.cursor().as_deref(), Some("c-42"));
    assert_eq!(index.num_docs(), 7);
    assert_eq!(sorted_ids(&index, "公交"), ["bus", "gtfs", "report"]);
    assert_eq!(sorted_ids(&index, "gj"), ["bus", "gtfs"]);
    assert!(
        index
            .apply(Vec::new(), &["bus".to_owned()], Some("c-43"))
            .is_ok()
    );
    drop(index);
    let index = CatalogIndex::open(&path).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(index.cursor().as_deref(), Some("c-43"));
    assert_eq!(index.num_docs(), 6);
}

#[test]
fn a_second_writer_on_the_same_folder_is_refused() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let first = CatalogIndex::open(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    assert!(first.apply(catalog(), &[], Some("5")).is_ok());
    assert!(matches!(
        CatalogIndex::open(dir.path()),
        Err(SearchError::Locked { .. })
    ));
    // And the refused open wiped nothing.
    assert_eq!(first.num_docs(), 7);
}

#[test]
fn an_unreadable_index_is_wiped_and_recreated() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.path().join("meta.json"), "{ not json").unwrap_or_else(|e| panic!("{e}"));
    let index = CatalogIndex::open(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    assert!(index.is_empty());
    assert_eq!(index.cursor(), None);
    assert!(index.apply(catalog(), &[], Some("1")).is_ok());
    assert_eq!(sorted_ids(&index, "浦东"), ["pudong"]);
}

#[test]
fn an_index_of_another_schema_is_wiped_and_recreated() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    {
        let mut builder = tantivy::schema::Schema::builder();
        let title = builder.add_text_field("title", tantivy::schema::TEXT);
        let other = tantivy::Index::create_in_dir(dir.path(), builder.build())
            .unwrap_or_else(|e| panic!("{e}"));
        let mut writer: tantivy::IndexWriter = other
            .writer_with_num_threads(1, 50_000_000)
            .unwrap_or_else(|e| panic!("{e}"));
        let mut old = tantivy::TantivyDocument::new();
        old.add_text(title, "old");
        assert!(writer.add_document(old).is_ok());
        assert!(writer.commit().is_ok());
    }
    let index = CatalogIndex::open(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    assert!(index.is_empty());
    assert!(index.apply(catalog(), &[], Some("1")).is_ok());
    assert_eq!(index.num_docs(), 7);
}

/// ckan/ckan#3615: words inside longer Chinese text. Each row becomes a dataset whose
/// description is its 名称 and 地址 and whose title says nothing.
#[test]
fn ckan_3615_chinese_words_inside_longer_text() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/cases/ckan-3615_cjk-fulltext.csv");
    if !path.exists() {
        println!("skipped: {} is absent", path.display());
        return;
    }
    let mut reader = csv::Reader::from_path(&path).unwrap_or_else(|e| panic!("{e}"));
    let mut docs = Vec::new();
    for record in reader.records() {
        let record = record.unwrap_or_else(|e| panic!("{e}"));
        let field = |i: usize| record.get(i).unwrap_or_default().to_owned();
        let mut row = doc(&field(0), &format!("数据集{}", field(0)));
        row.description = format!("{} {}", field(1), field(2));
        docs.push(row);
    }
    assert_eq!(docs.len(), 5);
    let index = index_of(docs);
    assert_eq!(sorted_ids(&index, "浦东"), ["1", "2"]);
    assert_eq!(sorted_ids(&index, "张江"), ["1"]);
    assert_eq!(sorted_ids(&index, "中关村"), ["3"]);
    assert_eq!(sorted_ids(&index, "观山湖"), ["4"]);
    assert_eq!(sorted_ids(&index, "pudong"), ["5"]);
    assert_eq!(sorted_ids(&index, "PUDONG"), ["5"]);
    assert_eq!(sorted_ids(&index, "Pudong"), ["5"]);
    // 区 ends 浦东新区, 海淀区 and 观山湖区.
    assert_eq!(sorted_ids(&index, "区"), ["1", "2", "3", "4"]);
}
