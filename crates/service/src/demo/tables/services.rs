//! The government service catalogue (政务服务事项目录): what can be applied for, where, and
//! how long it takes.

use rand::Rng;

use crate::demo::places::CITY_CODE;
use crate::demo::random::{DemoRng, office_phone, pick};
use crate::demo::table::{Cell, Table};

/// (name, type code, type, implementing agency, statutory days)
const ITEMS: [(&str, &str, &str, &str, i64); 30] = [
    ("食品经营许可", "XK", "行政许可", "无锡市市场监督管理局", 20),
    (
        "药品零售企业许可",
        "XK",
        "行政许可",
        "无锡市市场监督管理局",
        30,
    ),
    (
        "特种设备使用登记",
        "XK",
        "行政许可",
        "无锡市市场监督管理局",
        15,
    ),
    (
        "医疗器械经营许可",
        "XK",
        "行政许可",
        "无锡市市场监督管理局",
        30,
    ),
    (
        "道路旅客运输经营许可",
        "XK",
        "行政许可",
        "无锡市交通运输局",
        20,
    ),
    (
        "道路货物运输经营许可",
        "XK",
        "行政许可",
        "无锡市交通运输局",
        20,
    ),
    ("出租汽车经营许可", "XK", "行政许可", "无锡市交通运输局", 20),
    ("公路超限运输许可", "XK", "行政许可", "无锡市交通运输局", 15),
    (
        "医疗机构执业登记",
        "XK",
        "行政许可",
        "无锡市卫生健康委员会",
        45,
    ),
    ("放射诊疗许可", "XK", "行政许可", "无锡市卫生健康委员会", 20),
    (
        "公共场所卫生许可",
        "XK",
        "行政许可",
        "无锡市卫生健康委员会",
        20,
    ),
    ("民办学校办学许可", "XK", "行政许可", "无锡市教育局", 90),
    ("排污许可", "XK", "行政许可", "无锡市生态环境局", 20),
    (
        "建设项目环境影响评价文件审批",
        "XK",
        "行政许可",
        "无锡市生态环境局",
        60,
    ),
    ("危险废物经营许可", "XK", "行政许可", "无锡市生态环境局", 20),
    ("养老机构备案", "QT", "其他行政权力", "梁溪区民政局", 5),
    ("最低生活保障审核确认", "QR", "行政确认", "梁溪区民政局", 30),
    ("特困人员认定", "QR", "行政确认", "梁溪区民政局", 30),
    ("临时救助金给付", "JF", "行政给付", "梁溪区民政局", 10),
    ("高龄津贴发放", "JF", "行政给付", "梁溪区民政局", 20),
    ("教师资格认定", "QR", "行政确认", "无锡市教育局", 30),
    ("适龄儿童入学登记", "GG", "公共服务", "无锡市教育局", 10),
    (
        "出生医学证明补发",
        "GG",
        "公共服务",
        "无锡市卫生健康委员会",
        10,
    ),
    ("公交IC卡办理", "GG", "公共服务", "无锡市交通运输局", 1),
    (
        "公共数据开放申请受理",
        "GG",
        "公共服务",
        "无锡市大数据管理局",
        10,
    ),
    (
        "政务数据共享申请审核",
        "GG",
        "公共服务",
        "无锡市大数据管理局",
        10,
    ),
    (
        "气象信息服务单位备案",
        "QT",
        "其他行政权力",
        "无锡市气象局",
        5,
    ),
    (
        "雷电防护装置检测资质认定",
        "XK",
        "行政许可",
        "无锡市气象局",
        20,
    ),
    (
        "升放无人驾驶自由气球审批",
        "XK",
        "行政许可",
        "无锡市气象局",
        5,
    ),
    (
        "企业投资项目备案",
        "QT",
        "其他行政权力",
        "新吴区经济发展局",
        3,
    ),
];

/// Licences are split into the cases people apply for; other items stand alone.
const LICENCE_CASES: [&str; 4] = ["新办", "变更", "延续", "注销"];

pub fn service_items(rng: &mut DemoRng) -> Table {
    let mut table = Table::new(&[
        "事项编码",
        "事项名称",
        "事项类型",
        "实施主体",
        "法定办结时限(工作日)",
        "承诺办结时限(工作日)",
        "是否收费",
        "办理形式",
        "到现场次数",
        "咨询电话",
    ]);
    for (number, (name, code, kind, agency, days)) in (1..).zip(ITEMS) {
        let cases: &[&str] = if code == "XK" { &LICENCE_CASES } else { &[""] };
        let phone = office_phone(rng);
        for (case_number, case) in (1..).zip(cases) {
            let title = if case.is_empty() {
                name.to_owned()
            } else {
                format!("{name}（{case}）")
            };
            // Promised times are what the one-window reform cut the statutory ones down to.
            let promised = (days * rng.random_range(20..=60) / 100).max(1);
            let online = *pick(rng, &["全程网办", "全程网办", "网上+窗口", "窗口办理"]);
            let visits = match online {
                "全程网办" => 0,
                "网上+窗口" => 1,
                _ => rng.random_range(1..=2),
            };
            table.push(vec![
                Cell::text(format!("{CITY_CODE}-{code}-{number:04}-{case_number:02}")),
                Cell::text(title),
                Cell::text(kind),
                Cell::text(agency),
                Cell::Int(days),
                Cell::Int(promised),
                Cell::text(if code == "XK" && rng.random_bool(0.1) {
                    "是"
                } else {
                    "否"
                }),
                Cell::text(online),
                Cell::Int(visits),
                Cell::text(phone.clone()),
            ]);
        }
    }
    table
}
