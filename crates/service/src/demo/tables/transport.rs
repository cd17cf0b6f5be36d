//! Transport and the city's built environment: bus routes (公交线路) and 新吴区's public car
//! parks (公共停车场).

use std::collections::BTreeSet;

use rand::Rng;

use crate::demo::places::XINWU;
use crate::demo::random::{DemoRng, around, pick, round, weighted};
use crate::demo::table::{Cell, Table};

/// Stops that plausibly end a Wuxi bus route.
const TERMINALS: [&str; 30] = [
    "无锡火车站",
    "三阳广场",
    "南禅寺",
    "太湖广场",
    "梅园",
    "鼋头渚",
    "惠山古镇",
    "荣巷",
    "新区管委会",
    "硕放机场",
    "锡东新城高铁站",
    "江南大学",
    "蠡湖大桥",
    "清名桥",
    "东亭公交中心站",
    "堰桥公交首末站",
    "胡埭公交首末站",
    "梅村公交中心站",
    "鸿山公交首末站",
    "华庄公交首末站",
    "马山公交首末站",
    "洛社公交首末站",
    "安镇公交首末站",
    "无锡东站",
    "长广溪湿地",
    "山水城",
    "新安公交首末站",
    "锡北运河公园",
    "太湖新城",
    "河埒口",
];

const OPERATORS: [&str; 5] = [
    "公交集团第一分公司",
    "公交集团第二分公司",
    "公交集团第三分公司",
    "公交集团新吴分公司",
    "公交集团锡山分公司",
];

fn clock(minutes: u32) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// Route numbers are text with leading zeros (`0012`): a column that must not become a number.
pub fn bus_routes(rng: &mut DemoRng, count: usize) -> Table {
    let mut table = Table::new(&[
        "线路编号",
        "线路名称",
        "起点站",
        "终点站",
        "首班时间",
        "末班时间",
        "票价(元)",
        "线路长度(公里)",
        "站点数",
        "运营单位",
    ]);
    let mut numbers = BTreeSet::new();
    while numbers.len() < count {
        // Urban routes run 1–199; suburban and feeder routes sit in the 500s–800s.
        let number = if rng.random_bool(0.7) {
            rng.random_range(1..200)
        } else {
            rng.random_range(500..900)
        };
        numbers.insert(number);
    }
    for number in numbers {
        let from = pick(rng, &TERMINALS);
        let mut to = pick(rng, &TERMINALS);
        while to == from {
            to = pick(rng, &TERMINALS);
        }
        let suburban = number >= 500;
        let length = round(
            around(rng, if suburban { 24.0 } else { 15.0 }, 5.0, 4.0, 45.0),
            1,
        );
        let stops = (length * around(rng, 1.6, 0.2, 1.1, 2.2)).round() as i64;
        let first = 5 * 60 + 5 * rng.random_range(0..=18);
        let last = 18 * 60 + 10 * rng.random_range(0..=27);
        let fare = if suburban && length > 25.0 {
            3
        } else if rng.random_bool(0.15) {
            1
        } else {
            2
        };
        let operator = if suburban && rng.random_bool(0.5) {
            "锡山、惠山区域公交有限公司"
        } else {
            *pick(rng, &OPERATORS)
        };
        table.push(vec![
            Cell::text(format!("{number:04}")),
            Cell::text(format!("{number}路")),
            Cell::text(*from),
            Cell::text(*to),
            Cell::text(clock(first)),
            Cell::text(clock(last)),
            Cell::Int(fare),
            Cell::Dec(length, 1),
            Cell::Int(stops),
            Cell::text(operator),
        ]);
    }
    table
}

const PARK_KINDS: [(&str, u32); 3] = [
    ("路外公共停车场", 55),
    ("配建停车场", 30),
    ("路内停车泊位", 15),
];
const PARK_SITES: [&str; 12] = [
    "商业广场",
    "科技园",
    "产业园",
    "人民医院",
    "邻里中心",
    "地铁站",
    "体育中心",
    "公园",
    "菜市场",
    "创新园",
    "小学",
    "文化中心",
];

/// New-district car parks, written as TSV; coordinates fall inside 新吴区 (GCJ-02 style).
pub fn car_parks(rng: &mut DemoRng, count: usize) -> Table {
    let mut table = Table::new(&[
        "停车场编号",
        "停车场名称",
        "停车场类型",
        "所属街道",
        "地址",
        "泊位总数",
        "充电桩泊位数",
        "收费标准",
        "开放时间",
        "经度",
        "纬度",
    ]);
    let district = &XINWU;
    let mut names = BTreeSet::new();
    while table.rows.len() < count {
        let street = pick(rng, district.streets);
        let area = street.trim_end_matches("街道");
        let kind = *weighted(rng, &PARK_KINDS);
        let name = match kind {
            "路内停车泊位" => format!("{}（{area}段）", pick(rng, district.roads)),
            _ => format!(
                "{area}{}{}停车场",
                pick(rng, &PARK_SITES),
                ["", "地下", "东侧", "北侧"][rng.random_range(0..4)]
            ),
        };
        if !names.insert(name.clone()) {
            continue;
        }
        let spaces: i64 = match kind {
            "路内停车泊位" => rng.random_range(12..80),
            _ => rng.random_range(60..900),
        };
        let chargers = (spaces as f64 * rng.random_range(0.0..0.25)).floor() as i64;
        let (fee, hours) = match kind {
            "路内停车泊位" => ("首小时3元，之后每半小时1元", "07:00-21:00"),
            "配建停车场" => ("首小时5元，之后每小时2元，24小时封顶30元", "00:00-24:00"),
            _ => ("首小时免费，之后每小时2元，24小时封顶20元", "00:00-24:00"),
        };
        table.push(vec![
            Cell::text(format!("XW{:04}", table.rows.len() + 1)),
            Cell::text(name),
            Cell::text(kind),
            Cell::text(*street),
            Cell::text(district.address(rng)),
            Cell::Int(spaces),
            Cell::Int(chargers),
            Cell::text(fee),
            Cell::text(hours),
            Cell::Dec(round(rng.random_range(120.36..120.52), 6), 6),
            Cell::Dec(round(rng.random_range(31.45..31.58), 6), 6),
        ]);
    }
    table
}
