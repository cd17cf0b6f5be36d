//! Temporary measurement; not part of the crate.

use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use kaifang_search::{CatalogDoc, CatalogIndex, Filters, SearchRequest, SearchSort};

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

const WORDS: &[&str] = &[
    "公交", "线路", "站点", "地铁", "停车场", "道路", "交通", "流量", "监测", "空气", "质量",
    "水质", "河道", "湖泊", "公园", "绿地", "学校", "医院", "药店", "企业", "名录", "注册",
    "许可", "审批", "税务", "社保", "医保", "养老", "人口", "户籍", "婚姻", "出生", "死亡",
    "统计", "年鉴", "预算", "财政", "采购", "招标", "工程", "建设", "规划", "土地", "房屋",
    "租赁", "价格", "物价", "农业", "粮食", "蔬菜", "气象", "降水", "温度", "旅游", "景区",
    "酒店", "文化", "图书馆", "博物馆", "体育", "场馆", "就业", "招聘", "培训", "补贴", "科技",
    "专利", "高新", "电力", "燃气", "供水", "排水", "垃圾", "分类", "环保", "执法", "处罚",
    "信用", "黑名单", "投诉", "举报", "信息", "数据", "实时", "历史", "年度", "月度", "汇总",
    "明细", "分布", "位置", "地址", "电话", "名称", "编号", "类型", "状态", "时间", "金额",
];
const DISTRICTS: &[&str] =
    &["梁溪区", "锡山区", "惠山区", "滨湖区", "新吴区", "江阴市", "宜兴市", "经开区"];
const THEMES: &[&str] = &[
    "transport", "economy", "health", "education", "environment", "culture", "society",
    "finance", "agriculture", "science", "employment", "housing", "tourism", "public_safety",
    "credit", "energy", "weather", "sports", "justice", "government", "other",
];
const LEVELS: &[&str] = &["unconditional", "unconditional", "unconditional", "conditional", "closed"];
const FREQS: &[&str] =
    &["realtime", "daily", "weekly", "monthly", "quarterly", "yearly", "irregular", "static"];
const FORMATS: &[&str] = &["csv", "xlsx", "json", "xml", "pdf", "api"];

fn docs(n: usize) -> Vec<CatalogDoc> {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    (0..n)
        .map(|i| {
            let district = rng.pick(DISTRICTS);
            let title = format!(
                "{}{}{}{}",
                if rng.next() % 2 == 0 { "无锡市" } else { district },
                rng.pick(WORDS),
                rng.pick(WORDS),
                rng.pick(WORDS)
            );
            let description: String = (0..(20 + rng.next() % 30))
                .map(|_| {
                    let w = rng.pick(WORDS);
                    if rng.next() % 5 == 0 { format!("{w}，") } else { w.to_owned() }
                })
                .collect();
            let org = rng.next() % 60;
            CatalogDoc {
                id: format!("d{i:06}"),
                title,
                description,
                keywords: (0..3).map(|_| rng.pick(WORDS).to_owned()).collect(),
                organization_id: format!("org{org}"),
                organization_name: format!("无锡市{}局", rng.pick(WORDS)),
                district: (rng.next() % 3 != 0).then(|| district.to_owned()),
                theme: rng.pick(THEMES).to_owned(),
                access_level: rng.pick(LEVELS).to_owned(),
                update_frequency: rng.pick(FREQS).to_owned(),
                formats: (0..1 + rng.next() % 3).map(|_| rng.pick(FORMATS).to_owned()).collect(),
                fields: (0..6).map(|_| format!("{}{}", rng.pick(WORDS), rng.pick(WORDS))).collect(),
                last_updated: Utc
                    .timestamp_opt(1_500_000_000 + (rng.next() % 300_000_000) as i64, 0)
                    .single()
                    .unwrap_or_default(),
                downloads: rng.next() % 10_000,
                calls: rng.next() % 100_000,
            }
        })
        .collect()
}

fn measure(name: &str, runs: usize, mut f: impl FnMut() -> u64) {
    let mut times: Vec<Duration> = Vec::with_capacity(runs);
    let mut total = 0;
    for _ in 0..runs {
        let t = Instant::now();
        total = f();
        times.push(t.elapsed());
    }
    times.sort();
    let p = |q: f64| times[((times.len() as f64 - 1.0) * q) as usize];
    println!(
        "{name:40} total={total:7} p50={:>9.3?} p99={:>9.3?} max={:>9.3?}",
        p(0.5),
        p(0.99),
        times[times.len() - 1]
    );
}

#[test]
#[ignore]
fn perf() {
    let dir = tempfile::tempdir().unwrap();
    let n: usize = std::env::var("PERF_DOCS").ok().and_then(|v| v.parse().ok()).unwrap_or(100_000);
    let index = CatalogIndex::open(dir.path()).unwrap();
    let t = Instant::now();
    let count = index.rebuild(docs(n).into_iter(), Some("x"), |_| {}).unwrap();
    println!("rebuild {count} docs: {:?}", t.elapsed());
    // Let merges settle as they would on a running node.
    std::thread::sleep(Duration::from_secs(5));
    drop(index);
    let index = CatalogIndex::open(dir.path()).unwrap();
    println!("segments: {:?}", std::fs::read_dir(dir.path()).unwrap().filter(|e| e.as_ref().unwrap().path().extension().is_some_and(|x| x == "idx")).count());
    let search = |text: &str, sort: SearchSort, filters: Filters| {
        let req = SearchRequest {
            text: (!text.is_empty()).then(|| text.to_owned()),
            filters,
            include_closed: false,
            sort,
            offset: 0,
            limit: 20,
        };
        index.search(&req).unwrap().total
    };
    for text in [
        "", "数据", "公交", "公交 线路", "公交线路", "梁溪区 公交", "gongjiao", "gj", "湖", "市",
        "图书馆", "观山湖", "无锡市公交站点实时数据", "csv", "nothinghere",
    ] {
        measure(&format!("search {text:?}"), 200, || search(text, SearchSort::Relevance, Filters::default()));
    }
    measure("search \"\" newest", 200, || search("", SearchSort::Newest, Filters::default()));
    measure("search 数据 downloads", 200, || search("数据", SearchSort::Downloads, Filters::default()));
    let theme = Filters { theme: Some("transport".into()), ..Filters::default() };
    measure("search \"\" theme filter", 200, || search("", SearchSort::Relevance, theme.clone()));
    measure("search 公交 theme filter", 200, || search("公交", SearchSort::Relevance, theme.clone()));
    for prefix in ["公", "公交", "g", "gongj", "无锡市 公", "公交站"] {
        measure(&format!("suggest {prefix:?}"), 200, || {
            index.suggest(prefix, false, 10).unwrap().len() as u64
        });
    }
    println!("{:?}", index.suggest("公交", false, 10).unwrap());
    for h in index.search(&SearchRequest { text: Some("公交线路".into()), limit: 5, ..Default::default() }).unwrap().hits {
        println!("{} {} {:?}", h.id, h.score, h.snippet);
    }

    // Facets through Tantivy's aggregations, for comparison with the collector.
    drop(index);
    let raw = tantivy::Index::open_in_dir(dir.path()).unwrap();
    let reader = raw.reader().unwrap();
    let searcher = reader.searcher();
    let aggs: tantivy::aggregation::agg_req::Aggregations = serde_json::from_value(serde_json::json!({
        "organization": {"terms": {"field": "organization_id", "size": 1000}},
        "theme": {"terms": {"field": "theme", "size": 1000}},
        "access_level": {"terms": {"field": "access_level", "size": 1000}},
        "format": {"terms": {"field": "format", "size": 1000}},
        "update_frequency": {"terms": {"field": "update_frequency", "size": 1000}},
        "district": {"terms": {"field": "district", "size": 1000}},
    }))
    .unwrap();
    measure("aggregations only, all docs", 50, || {
        let collector = tantivy::aggregation::AggregationCollector::from_aggs(
            aggs.clone(),
            Default::default(),
        );
        let result = searcher.search(&tantivy::query::AllQuery, &collector).unwrap();
        result.0.len() as u64
    });
}
