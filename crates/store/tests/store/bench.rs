//! Load speed on 1M synthetic rows × 12 columns with Chinese text. Ignored by default:
//! `cargo test --release -p kaifang-store --test store -- --ignored --nocapture load_speed`

use std::time::Instant;

use kaifang_domain::FieldType;
use kaifang_tabular::Value;

use crate::common::{self, TestStore};
use crate::fixture;

const ROWS: i64 = 1_000_000;
const BATCH: i64 = 10_000;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "benchmark; run in release with --ignored --nocapture"]
async fn load_speed_sqlite() {
    measure(common::sqlite().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "benchmark; run in release with --ignored --nocapture"]
async fn load_speed_postgres() {
    if let Some(t) = common::postgres().await {
        measure(t).await;
    }
}

fn row(n: i64, names: &[String], streets: &[String]) -> Vec<Value> {
    let pick = |list: &[String], k: i64| {
        let index = usize::try_from(k).unwrap_or(0) % list.len();
        Value::String(list.get(index).cloned().unwrap_or_default())
    };
    let districts = [
        "浦东新区",
        "黄浦区",
        "徐汇区",
        "长宁区",
        "静安区",
        "普陀区",
        "虹口区",
    ];
    let district = districts
        .get(usize::try_from(n % 7).unwrap_or(0))
        .copied()
        .unwrap_or("");
    vec![
        Value::Integer(n),
        pick(names, n * 7),
        pick(streets, n * 13),
        Value::String(district.to_owned()),
        Value::String(if n % 3 == 0 {
            "餐饮服务".into()
        } else {
            "零售".into()
        }),
        Value::String(format!("021-{:08}", n % 100_000_000)),
        if n % 10 == 0 {
            Value::Null
        } else {
            pick(names, n * 3)
        },
        Value::Number((n % 100_000) as f64 * 0.01),
        Value::Number((n % 977) as f64 + 0.5),
        Value::Integer(n % 1000),
        Value::Date(
            chrono::NaiveDate::from_num_days_from_ce_opt(738_000 + (n % 1500) as i32)
                .unwrap_or_default(),
        ),
        Value::Boolean(n % 2 == 0),
    ]
}

async fn measure(t: TestStore) {
    let schema = fixture::schema(&[
        ("编号", FieldType::Integer),
        ("名称", FieldType::String),
        ("地址", FieldType::String),
        ("区", FieldType::String),
        ("类型", FieldType::String),
        ("电话", FieldType::String),
        ("备注", FieldType::String),
        ("金额", FieldType::Number),
        ("面积", FieldType::Number),
        ("数量", FieldType::Integer),
        ("日期", FieldType::Date),
        ("开放", FieldType::Boolean),
    ]);
    let resource = fixture::resource(&t.store, &schema).await;
    let names: Vec<String> = (0..1000)
        .map(|k| format!("上海市第{k}号便利店（连锁分店）"))
        .collect();
    let streets: Vec<String> = (0..997)
        .map(|k| format!("上海市浦东新区张江高科技园区科苑路{k}弄{}号", k % 50))
        .collect();
    let (tx, rx) = tokio::sync::mpsc::channel(4);
    let producer = tokio::task::spawn_blocking(move || {
        let mut n = 1;
        while n <= ROWS {
            let batch: Vec<Vec<Value>> = (n..(n + BATCH).min(ROWS + 1))
                .map(|k| row(k, &names, &streets))
                .collect();
            n += BATCH;
            if tx.blocking_send(Ok(batch)).is_err() {
                return;
            }
        }
        let _ = tx.blocking_send(Ok(Vec::new()));
    });
    let started = Instant::now();
    let loaded = t.store.load_rows(&resource.id, &schema, rx).await.unwrap();
    let seconds = started.elapsed().as_secs_f64();
    producer.await.unwrap();
    assert_eq!(loaded, ROWS as u64);
    eprintln!(
        "load_speed {}: {loaded} rows x 12 columns in {seconds:.2} s = {:.0} rows/s",
        t.store.backend(),
        loaded as f64 / seconds
    );
    let resource = t.store.resource(&resource.id).await.unwrap();
    for pairs in [
        vec![("区", "浦东新区")],
        vec![("区", "浦东新区"), ("数量__gt", "500")],
        vec![("_q", "第42号")],
        vec![("_sort_desc", "金额")],
        vec![("_sort", "金额"), ("区", "黄浦区")],
    ] {
        let first = Instant::now();
        let page = fixture::query(&t.store, &resource, &pairs).await.unwrap();
        let cold = first.elapsed().as_secs_f64() * 1000.0;
        // Let the background index builds finish before timing again.
        for _ in 0..600 {
            let indexed = t.store.indexed_fields(&resource).await.unwrap();
            let field = |(k, v): &(&str, &str)| -> String {
                if k.starts_with("_sort") {
                    (*v).to_owned()
                } else {
                    k.replace("__gt", "")
                }
            };
            let ready = pairs
                .iter()
                .filter(|(k, _)| *k != "_q")
                .all(|p| indexed.contains(&field(p)));
            if ready {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        let again = Instant::now();
        let mut next = fixture::query(&t.store, &resource, &pairs).await.unwrap();
        let warm = again.elapsed().as_secs_f64() * 1000.0;
        let mut with_after = pairs.clone();
        let token = next.next.take().unwrap_or_default();
        with_after.push(("_after", &token));
        let second = Instant::now();
        fixture::query(&t.store, &resource, &with_after)
            .await
            .unwrap();
        let page2 = second.elapsed().as_secs_f64() * 1000.0;
        eprintln!(
            "query {}: {pairs:?} total {}: first {cold:.0} ms, indexed {warm:.0} ms, \
             next page {page2:.0} ms",
            t.store.backend(),
            page.total
        );
    }
}
