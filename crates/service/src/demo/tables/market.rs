//! Market supervision: the enterprise register (企业登记信息) and the tables derived from it —
//! food business licences (行政许可) and the monthly power use of manufacturers.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, Duration, NaiveDate};
use kaifang_domain::Industry;
use rand::Rng;

use crate::demo::codes::{Registrant, credit_code};
use crate::demo::places::{District, XINWU, trade_name, weighted_district};
use crate::demo::random::{DemoRng, around, date_between, digits, pick, round, weighted};
use crate::demo::table::{Cell, Table, add_months, ymd};

/// One invented company; several datasets refer to the same companies.
pub struct Enterprise {
    pub name: String,
    pub code: String,
    pub district: &'static District,
    pub industry: Industry,
    /// GB/T 4754 division (大类), finer than `industry`.
    pub division: &'static str,
    pub founded: NaiveDate,
    pub active: bool,
}

struct Sector {
    industry: Industry,
    weight: u32,
    /// Name words with the division they imply.
    words: &'static [(&'static str, &'static str)],
}

const SECTORS: [Sector; 9] = [
    Sector {
        industry: Industry::C,
        weight: 32,
        words: &[
            ("精密机械", "通用设备制造业"),
            ("电子科技", "计算机、通信和其他电子设备制造业"),
            ("半导体", "计算机、通信和其他电子设备制造业"),
            ("新材料", "化学原料和化学制品制造业"),
            ("纺织", "纺织业"),
            ("环保设备", "专用设备制造业"),
            ("智能装备", "专用设备制造业"),
            ("汽车零部件", "汽车制造业"),
            ("金属制品", "金属制品业"),
            ("生物医药", "医药制造业"),
            ("电气", "电气机械和器材制造业"),
        ],
    },
    Sector {
        industry: Industry::F,
        weight: 22,
        words: &[
            ("商贸", "批发业"),
            ("贸易", "批发业"),
            ("食品", "零售业"),
            ("超市", "零售业"),
        ],
    },
    Sector {
        industry: Industry::H,
        weight: 8,
        words: &[
            ("餐饮管理", "餐饮业"),
            ("酒店管理", "住宿业"),
            ("食品", "餐饮业"),
        ],
    },
    Sector {
        industry: Industry::I,
        weight: 9,
        words: &[
            ("信息技术", "软件和信息技术服务业"),
            ("网络科技", "互联网和相关服务"),
        ],
    },
    Sector {
        industry: Industry::E,
        weight: 7,
        words: &[
            ("建设工程", "土木工程建筑业"),
            ("装饰工程", "建筑装饰、装修和其他建筑业"),
        ],
    },
    Sector {
        industry: Industry::L,
        weight: 9,
        words: &[("企业管理咨询", "商务服务业"), ("人力资源", "商务服务业")],
    },
    Sector {
        industry: Industry::G,
        weight: 6,
        words: &[
            ("物流", "装卸搬运和仓储业"),
            ("供应链管理", "多式联运和运输代理业"),
        ],
    },
    Sector {
        industry: Industry::M,
        weight: 4,
        words: &[
            ("检测技术", "专业技术服务业"),
            ("工程技术研究", "研究和试验发展"),
        ],
    },
    Sector {
        industry: Industry::O,
        weight: 3,
        words: &[
            ("家政服务", "居民服务业"),
            ("汽车维修", "机动车、电子产品和日用产品修理业"),
        ],
    },
];

const KINDS: [(&str, u32); 5] = [
    ("有限责任公司（自然人投资或控股）", 60),
    ("有限责任公司（自然人独资）", 20),
    ("有限责任公司（法人独资）", 9),
    ("股份有限公司（非上市、自然人投资或控股）", 6),
    ("有限责任公司（外国法人独资）", 5),
];

const STATUSES: [(&str, u32); 4] = [("存续", 86), ("在业", 5), ("注销", 6), ("吊销", 3)];

/// 注册资本 in 万元: mostly round amounts, sometimes an odd figure from a capital increase.
fn capital(rng: &mut DemoRng) -> Cell {
    const TIERS: [(i64, u32); 11] = [
        (10, 5),
        (50, 12),
        (100, 20),
        (200, 10),
        (300, 8),
        (500, 14),
        (1000, 12),
        (2000, 6),
        (3000, 4),
        (5000, 5),
        (10000, 4),
    ];
    if rng.random_bool(0.08) {
        Cell::Dec(round(rng.random_range(30.0..3000.0), 2), 2)
    } else {
        Cell::Int(*weighted(rng, &TIERS))
    }
}

fn registrar(district: &District) -> String {
    format!("{}市场监督管理局", district.address_prefix())
}

pub const REGISTER_START: (i32, u32, u32) = (1993, 1, 1);
pub const AS_OF: (i32, u32, u32) = (2025, 6, 30);

/// The enterprise register and the table published from it.
pub fn enterprises(rng: &mut DemoRng, count: usize) -> (Vec<Enterprise>, Table) {
    let (y, m, d) = REGISTER_START;
    let start = ymd(y, m, d);
    let (y, m, d) = AS_OF;
    let end = ymd(y, m, d);
    let sector_weights: Vec<(usize, u32)> = SECTORS
        .iter()
        .enumerate()
        .map(|(i, s)| (i, s.weight))
        .collect();
    let mut names = BTreeSet::new();
    let mut codes = BTreeSet::new();
    let mut list = Vec::with_capacity(count);
    let mut table = Table::new(&[
        "统一社会信用代码",
        "企业名称",
        "企业类型",
        "成立日期",
        "注册资本(万元)",
        "行业门类",
        "所属区域",
        "住所",
        "登记状态",
        "登记机关",
    ]);
    while list.len() < count {
        let district = weighted_district(rng);
        let sector = &SECTORS[*weighted(rng, &sector_weights)];
        let (word, division) = *pick(rng, sector.words);
        let place = district.name.trim_end_matches(['区', '市']);
        let prefix = if district.name.ends_with('市') {
            place
        } else {
            "无锡"
        };
        let kind = *weighted(rng, &KINDS);
        let form = if kind.starts_with("股份") {
            "股份有限公司"
        } else {
            "有限公司"
        };
        let name = format!("{prefix}{}{word}{form}", trade_name(rng));
        let founded = date_between(rng, start, end, true);
        let recent = founded >= ymd(2015, 10, 1);
        let code = credit_code(rng, Registrant::Enterprise, district.code, recent);
        if !names.insert(name.clone()) || !codes.insert(code.clone()) {
            continue;
        }
        let status = *weighted(rng, &STATUSES);
        table.push(vec![
            Cell::text(&code),
            Cell::text(&name),
            Cell::text(kind),
            Cell::Date(founded),
            capital(rng),
            Cell::text(sector.industry.label_zh()),
            Cell::text(district.name),
            Cell::text(district.address(rng)),
            Cell::text(status),
            Cell::text(registrar(district)),
        ]);
        list.push(Enterprise {
            name,
            code,
            district,
            industry: sector.industry,
            division,
            founded,
            active: matches!(status, "存续" | "在业"),
        });
    }
    (list, table)
}

/// 行政许可 of food businesses: the shops and restaurants of the register.
pub fn food_licences(rng: &mut DemoRng, register: &[Enterprise], limit: usize) -> Table {
    let mut table = Table::new(&[
        "行政相对人名称",
        "统一社会信用代码",
        "行政许可决定文书号",
        "许可证书名称",
        "许可编号",
        "许可内容",
        "许可决定日期",
        "有效期自",
        "有效期至",
        "许可机关",
        "数据来源单位",
    ]);
    let first = ymd(2024, 7, 1);
    let (y, m, d) = AS_OF;
    let last = ymd(y, m, d);
    let mut decisions: Vec<(NaiveDate, &Enterprise)> = register
        .iter()
        .filter(|e| e.active && matches!(e.industry, Industry::F | Industry::H))
        .filter(|e| e.founded < last - Duration::days(30))
        .take(limit)
        .map(|firm| {
            (
                date_between(rng, firm.founded.max(first), last, false),
                firm,
            )
        })
        .collect();
    decisions.sort_by(|a, b| (a.0, &a.1.code).cmp(&(b.0, &b.1.code)));
    // Document numbers run per licensing authority and year, in the order of decisions.
    let mut numbers: BTreeMap<(&str, i32), u32> = BTreeMap::new();
    for (decided, firm) in decisions {
        let number = numbers
            .entry((firm.district.name, decided.year()))
            .or_insert(0);
        *number += 1;
        let catering = firm.industry == Industry::H;
        let (form, content) = if catering {
            ('2', "热食类食品制售；冷食类食品制售；自制饮品制售")
        } else {
            (
                '1',
                "预包装食品（含冷藏冷冻食品）销售；散装食品（不含冷藏冷冻食品）销售",
            )
        };
        let expires = decided
            .with_year(decided.year() + 5)
            .unwrap_or(decided + Duration::days(1826))
            - Duration::days(1);
        let authority = registrar(firm.district);
        table.push(vec![
            Cell::text(&firm.name),
            Cell::text(&firm.code),
            Cell::text(format!(
                "{}市监食许〔{}〕{}号",
                short_name(firm.district),
                decided.year(),
                number
            )),
            Cell::text("食品经营许可证"),
            Cell::text(format!("JY{form}{}{}", firm.district.code, digits(rng, 7))),
            Cell::text(content),
            Cell::Date(decided),
            Cell::Date(decided),
            Cell::Date(expires),
            Cell::text(&authority),
            Cell::text(authority),
        ]);
    }
    // Published newest first, as the 双公示 columns of portals list them.
    table.rows.reverse();
    table
}

/// The abbreviation that opens a district's document numbers.
fn short_name(district: &District) -> &'static str {
    match district.name {
        "梁溪区" => "锡梁",
        "锡山区" => "锡锡",
        "惠山区" => "锡惠",
        "滨湖区" => "锡滨",
        "新吴区" => "锡新",
        "江阴市" => "澄",
        _ => "宜",
    }
}

/// Monthly electricity use of 新吴区's manufacturers over the year to June 2025.
pub fn power_use(rng: &mut DemoRng, register: &[Enterprise], firms: usize) -> Table {
    // Spring Festival empties the factories in February; summer cooling lifts July–August.
    const SEASON: [f64; 12] = [
        0.95, 0.72, 1.0, 1.0, 1.01, 1.04, 1.1, 1.12, 1.05, 1.0, 1.0, 1.03,
    ];
    let mut table = Table::new(&[
        "统计月份",
        "企业名称",
        "统一社会信用代码",
        "所属街道",
        "行业大类",
        "当月用电量(万千瓦时)",
        "同比增长(%)",
    ]);
    let start = ymd(2024, 7, 1);
    let makers: Vec<(&Enterprise, &str, f64)> = register
        .iter()
        .filter(|e| e.active && e.industry == Industry::C && e.district.name == XINWU.name)
        .filter(|e| e.founded < start)
        .take(firms)
        .map(|e| {
            (
                e,
                *pick(rng, XINWU.streets),
                *pick(rng, &[8.0, 20.0, 45.0, 120.0, 300.0]),
            )
        })
        .collect();
    for month in 0..12 {
        let first_day = add_months(start, month);
        let season = SEASON
            .get(first_day.month0() as usize)
            .copied()
            .unwrap_or(1.0);
        for (firm, street, base) in &makers {
            let usage = round(base * season * around(rng, 1.0, 0.08, 0.6, 1.4), 2);
            table.push(vec![
                Cell::text(first_day.format("%Y-%m").to_string()),
                Cell::text(&firm.name),
                Cell::text(&firm.code),
                Cell::text(*street),
                Cell::text(firm.division),
                Cell::Dec(usage, 2),
                Cell::Dec(round(around(rng, 4.0, 9.0, -35.0, 60.0), 1), 1),
            ]);
        }
    }
    table
}
