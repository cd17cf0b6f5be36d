//! 梁溪区's civil-affairs data: care homes for the elderly (养老机构, conditional: it carries
//! mobile numbers) and monthly minimum-living-allowance counts by street (低保, closed).

use std::collections::BTreeSet;

use chrono::NaiveDate;
use rand::Rng;

use crate::demo::codes::{Registrant, credit_code};
use crate::demo::places::{LIANGXI, trade_name};
use crate::demo::random::{DemoRng, around, mobile, pick, round, weighted};
use crate::demo::table::{Cell, Table, add_months};

const HOME_KINDS: [(&str, u32); 5] = [
    ("养老院", 30),
    ("颐养院", 20),
    ("护理院", 15),
    ("老年公寓", 10),
    ("日间照料中心", 25),
];

pub fn care_homes(rng: &mut DemoRng, count: usize) -> Table {
    let mut table = Table::new(&[
        "机构名称",
        "统一社会信用代码",
        "机构性质",
        "所属街道",
        "地址",
        "床位数",
        "护理型床位数",
        "收住对象",
        "收费区间(元/月)",
        "机构等级",
        "医养结合",
        "联系电话",
    ]);
    let mut names = BTreeSet::new();
    while table.rows.len() < count {
        let street = pick(rng, LIANGXI.streets);
        let kind = *weighted(rng, &HOME_KINDS);
        let ownership = *weighted(rng, &[("公办", 25), ("民办", 55), ("公建民营", 20)]);
        let name = if ownership == "民办" {
            format!("无锡市梁溪区{}{kind}", trade_name(rng))
        } else {
            format!("梁溪区{}{kind}", street.trim_end_matches("街道"))
        };
        if !names.insert(name.clone()) {
            continue;
        }
        let day_care = kind == "日间照料中心";
        let beds: i64 = if day_care {
            rng.random_range(10..40)
        } else {
            rng.random_range(40..420)
        };
        let nursing = (beds as f64 * around(rng, 0.6, 0.15, 0.2, 0.95)).round() as i64;
        let low = 100 * rng.random_range(18..40);
        let high = low + 100 * rng.random_range(15..45);
        let registrant = if ownership == "公办" {
            Registrant::PublicInstitution
        } else {
            Registrant::PrivateNonProfit
        };
        let recent = rng.random_bool(0.7);
        table.push(vec![
            Cell::text(name),
            Cell::text(credit_code(rng, registrant, LIANGXI.code, recent)),
            Cell::text(ownership),
            Cell::text(*street),
            Cell::text(LIANGXI.address(rng)),
            Cell::Int(beds),
            Cell::Int(if day_care { 0 } else { nursing }),
            Cell::text(if day_care {
                "自理、半失能老人"
            } else {
                "自理、半失能、失能老人"
            }),
            Cell::text(format!("{low}-{high}")),
            Cell::text(*pick(
                rng,
                &["一星级", "二星级", "三星级", "四星级", "五星级", "未评定"],
            )),
            Cell::text(if rng.random_bool(0.45) { "是" } else { "否" }),
            Cell::text(mobile(rng)),
        ]);
    }
    table
}

/// Aggregated counts only; no household appears in the file.
pub fn allowance(rng: &mut DemoRng, first_month: NaiveDate, months: u32) -> Table {
    let mut table = Table::new(&[
        "统计月份",
        "街道",
        "低保户数",
        "低保人数",
        "其中：老年人",
        "其中：残疾人",
        "其中：未成年人",
        "当月发放金额(元)",
    ]);
    let mut households: Vec<f64> = LIANGXI
        .streets
        .iter()
        .map(|_| f64::from(rng.random_range(120..520)))
        .collect();
    for month in 0..months {
        let label = add_months(first_month, month).format("%Y-%m").to_string();
        for (street, count) in LIANGXI.streets.iter().zip(households.iter_mut()) {
            *count = (*count * around(rng, 0.997, 0.01, 0.97, 1.03)).max(40.0);
            let homes = count.round() as i64;
            let people = (*count * around(rng, 1.55, 0.05, 1.3, 1.8)).round() as i64;
            let share = |rng: &mut DemoRng, mean: f64| {
                (people as f64 * around(rng, mean, 0.03, 0.02, 0.5)).round() as i64
            };
            let elderly = share(rng, 0.28);
            let disabled = share(rng, 0.22);
            let minors = share(rng, 0.12);
            // The allowance tops income up to the local standard; the average payment sits
            // well below the standard itself.
            let paid = round(people as f64 * around(rng, 820.0, 25.0, 740.0, 900.0), 2);
            table.push(vec![
                Cell::text(label.clone()),
                Cell::text(*street),
                Cell::Int(homes),
                Cell::Int(people),
                Cell::Int(elderly),
                Cell::Int(disabled),
                Cell::Int(minors),
                Cell::Dec(paid, 2),
            ]);
        }
    }
    table
}
