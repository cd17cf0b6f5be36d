//! Directories of public institutions: primary and secondary schools (中小学名录) and medical
//! institutions (医疗机构名录).

use std::collections::BTreeSet;

use rand::Rng;

use crate::demo::codes::{Registrant, credit_code};
use crate::demo::places::{DISTRICTS, District, trade_name, weighted_district};
use crate::demo::random::{DemoRng, around, digits, office_phone, pick, weighted};
use crate::demo::table::{Cell, Table};

/// The place word that opens an institution's name: a street or a road of its district.
fn place_word(rng: &mut DemoRng, district: &District) -> String {
    if rng.random_bool(0.6) {
        pick(rng, district.streets)
            .trim_end_matches("街道")
            .to_owned()
    } else {
        let road = pick(rng, district.roads);
        road.trim_end_matches("大道")
            .trim_end_matches(['路', '街'])
            .to_owned()
    }
}

fn city_prefix(district: &District) -> &'static str {
    if district.name.ends_with('市') {
        district.name
    } else {
        "无锡市"
    }
}

fn postcode(rng: &mut DemoRng, district: &District) -> String {
    let head = match district.name {
        "江阴市" => "2144",
        "宜兴市" => "2142",
        "锡山区" | "惠山区" => "2141",
        _ => "2140",
    };
    format!("{head}{}", digits(rng, 2))
}

const SCHOOL_KINDS: [(&str, u32); 5] = [
    ("小学", 55),
    ("初级中学", 22),
    ("九年一贯制学校", 8),
    ("高级中学", 10),
    ("完全中学", 5),
];

pub fn schools(rng: &mut DemoRng, count: usize) -> Table {
    let mut table = Table::new(&[
        "学校标识码",
        "学校名称",
        "学校类别",
        "办学性质",
        "所属区域",
        "地址",
        "邮政编码",
        "联系电话",
        "班级数",
        "在校学生数",
        "专任教师数",
    ]);
    let mut names = BTreeSet::new();
    let mut ids = BTreeSet::new();
    while table.rows.len() < count {
        let district = weighted_district(rng);
        let kind = *weighted(rng, &SCHOOL_KINDS);
        // 学校标识码: 31, the province and city, then a number unique within the city.
        let id = format!("313202{}", digits(rng, 4));
        let private = rng.random_bool(0.12);
        let flavour = *pick(rng, &["", "", "", "实验", "中心", "第二"]);
        let place = place_word(rng, district);
        let name = match (kind, private) {
            (_, true) => format!("{}{}外国语学校", city_prefix(district), trade_name(rng)),
            ("小学", _) => format!("{}{place}{flavour}小学", city_prefix(district)),
            ("初级中学", _) => format!("{}{place}{flavour}初级中学", city_prefix(district)),
            ("九年一贯制学校", _) => format!("{}{place}学校", city_prefix(district)),
            _ => format!("{}{place}{flavour}中学", city_prefix(district)),
        };
        if ids.contains(&id) || !names.insert(name.clone()) {
            continue;
        }
        ids.insert(id.clone());
        let (low, high, size) = match kind {
            "小学" => (12, 48, 43.0),
            "九年一贯制学校" => (24, 60, 44.0),
            "初级中学" => (12, 40, 46.0),
            _ => (18, 48, 45.0),
        };
        let classes: i64 = rng.random_range(low..=high);
        let students = (classes as f64 * around(rng, size, 2.5, 30.0, 52.0)).round() as i64;
        let ratio = if kind == "小学" { 17.0 } else { 12.5 };
        let teachers = (students as f64 / around(rng, ratio, 1.5, 9.0, 22.0)).round() as i64;
        table.push(vec![
            Cell::text(id),
            Cell::text(name),
            Cell::text(kind),
            Cell::text(if private { "民办" } else { "公办" }),
            Cell::text(district.name),
            Cell::text(district.address(rng)),
            Cell::text(postcode(rng, district)),
            if rng.random_bool(0.04) {
                Cell::Empty
            } else {
                Cell::text(office_phone(rng))
            },
            Cell::Int(classes),
            Cell::Int(students),
            Cell::Int(teachers),
        ]);
    }
    table
}

const TOWNS: [&str; 12] = [
    "周庄镇",
    "华士镇",
    "新桥镇",
    "长泾镇",
    "祝塘镇",
    "璜土镇",
    "丁蜀镇",
    "和桥镇",
    "官林镇",
    "张渚镇",
    "洛社镇",
    "阳山镇",
];

/// Categories with how common they are among registered institutions.
const MEDICAL_KINDS: [(&str, u32); 7] = [
    ("综合医院", 8),
    ("中医医院", 2),
    ("专科医院", 10),
    ("社区卫生服务中心", 12),
    ("卫生院", 6),
    ("门诊部", 22),
    ("诊所", 40),
];

const SPECIALTIES: [&str; 6] = ["口腔", "眼科", "骨科", "妇产", "康复", "儿童"];

struct Facility {
    name: String,
    public: bool,
    level: &'static str,
    beds: i64,
}

fn facility(rng: &mut DemoRng, kind: &str, district: &District) -> Facility {
    let place = place_word(rng, district);
    let trade = trade_name(rng);
    let specialty = *pick(rng, &SPECIALTIES);
    let private = rng.random_bool(0.5);
    let prefix = city_prefix(district);
    let (name, public, level, beds) = match kind {
        "综合医院" if private => (format!("无锡{trade}医院"), false, "二级乙等", (80, 300)),
        "综合医院" => (
            format!("{prefix}{place}人民医院"),
            true,
            "三级乙等",
            (400, 1600),
        ),
        "中医医院" => (
            format!("{prefix}{place}中医医院"),
            true,
            "二级甲等",
            (150, 600),
        ),
        "专科医院" => (
            format!("无锡{trade}{specialty}医院"),
            false,
            "未定级",
            (20, 150),
        ),
        "社区卫生服务中心" => (
            format!("{}{place}街道社区卫生服务中心", district.name),
            true,
            "一级甲等",
            (0, 60),
        ),
        "卫生院" => (
            format!("{prefix}{}卫生院", pick(rng, &TOWNS)),
            true,
            "一级甲等",
            (20, 120),
        ),
        "门诊部" => (format!("无锡{trade}{specialty}门诊部"), false, "", (0, 0)),
        _ => (
            format!("{prefix}{place}{trade}{specialty}诊所"),
            false,
            "",
            (0, 0),
        ),
    };
    let level = if level == "三级乙等" && rng.random_bool(0.4) {
        "三级甲等"
    } else {
        level
    };
    Facility {
        name,
        public,
        level,
        beds: rng.random_range(beds.0..=beds.1),
    }
}

/// Hospitals, community health centres and clinics; rendered as a JSON API response.
pub fn medical(rng: &mut DemoRng, count: usize) -> Table {
    let mut table = Table::new(&[
        "机构名称",
        "统一社会信用代码",
        "机构类别",
        "医院等级",
        "经营性质",
        "所属区域",
        "地址",
        "核定床位数",
        "联系电话",
        "医保定点",
    ]);
    let mut names = BTreeSet::new();
    while table.rows.len() < count {
        let district = if rng.random_bool(0.3) {
            pick(rng, &DISTRICTS)
        } else {
            weighted_district(rng)
        };
        let kind = *weighted(rng, &MEDICAL_KINDS);
        let place = facility(rng, kind, district);
        if !names.insert(place.name.clone()) {
            continue;
        }
        let profit = !place.public && rng.random_bool(0.7);
        let registrant = match (place.public, profit) {
            (true, _) => Registrant::PublicInstitution,
            (false, true) => Registrant::Enterprise,
            (false, false) => Registrant::PrivateNonProfit,
        };
        let recent = !place.public && rng.random_bool(0.7);
        table.push(vec![
            Cell::text(place.name),
            Cell::text(credit_code(rng, registrant, district.code, recent)),
            Cell::text(kind),
            // Outpatient departments and clinics are not graded: the cell stays empty.
            if place.level.is_empty() {
                Cell::Empty
            } else {
                Cell::text(place.level)
            },
            Cell::text(if profit { "营利性" } else { "非营利性" }),
            Cell::text(district.name),
            Cell::text(district.address(rng)),
            Cell::Int(place.beds),
            Cell::text(office_phone(rng)),
            Cell::text(if place.public || rng.random_bool(0.6) {
                "是"
            } else {
                "否"
            }),
        ]);
    }
    table
}
