//! `kaifang bench catalog-generate`: a synthetic catalog of Wuxi's open data, the same for
//! the same seed, big enough to measure catalog search the way the design note did
//! (100,000 datasets). Titles follow the shapes of real portals ("梁溪区2023年停车场信息",
//! "无锡市空气质量月度统计"), so a query's share of matches is realistic: a subject word such
//! as 公交 is in about 2 % of titles, a suffix such as 信息 in about a quarter.
//!
//! Everything is drawn from one seeded stream before anything is written, so the catalog
//! does not depend on the order in which concurrent inserts land; its fingerprint (SHA-256
//! over every generated dataset) shows that two runs, or two backends, hold the same text.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use anyhow::Context;
use kaifang_domain::{AccessLevel, NewDataset, OrgKind, SensitivityLevel, Theme, UpdateFrequency};
use kaifang_service::Service;
use rand::distr::Distribution;
use rand::distr::weighted::WeightedIndex;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::json;
use sha2::{Digest, Sha256};

/// Most datasets one run may generate: far above any city's catalog, low enough to fit in
/// memory (about 1 KiB a dataset) before the inserts start.
pub const MAX_DATASETS: usize = 10_000_000;

/// Usage counts written per round trip.
const USAGE_PER_WRITE: usize = 1_000;

const CITY: &str = "无锡市";

/// City departments: the name after 无锡市, how much they publish (relative), and the themes
/// of their datasets, the first one the most common.
const CITY_DEPARTMENTS: &[(&str, u32, &[Theme])] = &[
    (
        "市场监督管理局",
        8,
        &[Theme::MarketSupervision, Theme::CreditServices],
    ),
    ("交通运输局", 6, &[Theme::Transport]),
    ("生态环境局", 5, &[Theme::Environment]),
    ("卫生健康委员会", 5, &[Theme::Health]),
    (
        "民政局",
        4,
        &[Theme::SocialAssistance, Theme::Organizations],
    ),
    ("教育局", 4, &[Theme::EducationCulture]),
    ("人力资源和社会保障局", 4, &[Theme::SocialSecurity]),
    ("住房和城乡建设局", 4, &[Theme::UrbanHousing]),
    (
        "自然资源和规划局",
        3,
        &[
            Theme::Geospatial,
            Theme::ResourcesEnergy,
            Theme::UrbanHousing,
        ],
    ),
    ("公安局", 3, &[Theme::PublicSafety]),
    (
        "文化广电和旅游局",
        3,
        &[Theme::EducationCulture, Theme::LifeServices],
    ),
    ("气象局", 2, &[Theme::Weather]),
    ("水利局", 2, &[Theme::Environment, Theme::ResourcesEnergy]),
    ("商务局", 2, &[Theme::Commerce]),
    ("财政局", 2, &[Theme::Finance]),
    ("应急管理局", 2, &[Theme::WorkSafety, Theme::PublicSafety]),
    ("司法局", 2, &[Theme::LegalServices]),
    ("科学技术局", 2, &[Theme::Science]),
    (
        "工业和信息化局",
        2,
        &[Theme::IndustryAgriculture, Theme::Science],
    ),
    ("农业农村局", 2, &[Theme::IndustryAgriculture]),
    (
        "发展和改革委员会",
        2,
        &[
            Theme::CreditServices,
            Theme::ResourcesEnergy,
            Theme::Finance,
        ],
    ),
    (
        "住房公积金管理中心",
        2,
        &[Theme::SocialSecurity, Theme::UrbanHousing],
    ),
    ("医疗保障局", 2, &[Theme::Health, Theme::SocialSecurity]),
    ("城市管理局", 2, &[Theme::LifeServices, Theme::Environment]),
    ("体育局", 2, &[Theme::EducationCulture]),
    (
        "统计局",
        2,
        &[Theme::Other, Theme::IndustryAgriculture, Theme::Commerce],
    ),
    (
        "数据局",
        2,
        &[Theme::Other, Theme::Geospatial, Theme::Organizations],
    ),
    (
        "行政审批局",
        2,
        &[Theme::CreditServices, Theme::MarketSupervision],
    ),
    ("退役军人事务局", 2, &[Theme::SocialAssistance]),
    ("机关事务管理局", 2, &[Theme::Organizations, Theme::Other]),
];

/// Districts and county-level cities, each with some of its streets and towns.
const DISTRICTS: &[(&str, &[&str])] = &[
    (
        "梁溪区",
        &[
            "崇安寺街道",
            "通江街道",
            "广益街道",
            "江海街道",
            "清名桥街道",
            "金星街道",
            "扬名街道",
            "荣巷街道",
        ],
    ),
    (
        "锡山区",
        &[
            "东亭街道",
            "安镇街道",
            "厚桥街道",
            "东北塘街道",
            "羊尖镇",
            "鹅湖镇",
            "锡北镇",
        ],
    ),
    (
        "惠山区",
        &[
            "堰桥街道",
            "长安街道",
            "钱桥街道",
            "前洲街道",
            "玉祁街道",
            "洛社镇",
            "阳山镇",
        ],
    ),
    (
        "滨湖区",
        &[
            "河埒街道",
            "蠡园街道",
            "蠡湖街道",
            "华庄街道",
            "太湖街道",
            "雪浪街道",
            "马山街道",
            "胡埭镇",
        ],
    ),
    (
        "新吴区",
        &[
            "旺庄街道",
            "硕放街道",
            "江溪街道",
            "新安街道",
            "梅村街道",
            "鸿山街道",
        ],
    ),
    (
        "江阴市",
        &[
            "澄江街道",
            "南闸街道",
            "云亭街道",
            "璜土镇",
            "周庄镇",
            "华士镇",
            "新桥镇",
            "徐霞客镇",
        ],
    ),
    (
        "宜兴市",
        &["宜城街道", "丁蜀镇", "张渚镇", "和桥镇", "官林镇", "周铁镇"],
    ),
];

/// What a district itself publishes (its own office), beside its departments.
const DISTRICT_THEMES: &[Theme] = &[
    Theme::Other,
    Theme::Organizations,
    Theme::LifeServices,
    Theme::UrbanHousing,
    Theme::Finance,
];

/// The departments every district has, with their themes.
const DISTRICT_DEPARTMENTS: &[(&str, &[Theme])] = &[
    (
        "市场监督管理局",
        &[Theme::MarketSupervision, Theme::CreditServices],
    ),
    ("教育局", &[Theme::EducationCulture]),
    ("卫生健康委员会", &[Theme::Health]),
    ("民政局", &[Theme::SocialAssistance]),
];

/// Subjects of each theme, most published first (drawn with weight 1 / (rank + 2)).
fn subjects(theme: Theme) -> &'static [&'static str] {
    match theme {
        Theme::CreditServices => &[
            "行政许可",
            "行政处罚",
            "失信被执行人",
            "信用承诺",
            "经营异常名录",
            "守信激励对象",
            "公共信用信息",
            "信用评价结果",
            "信用修复",
            "纳税信用A级纳税人",
            "统一社会信用代码",
            "重点关注名单",
        ],
        Theme::Health => &[
            "医疗机构",
            "基层医疗卫生机构",
            "医院床位",
            "药品零售企业",
            "疫苗接种点",
            "卫生监督",
            "执业医师",
            "发热门诊",
            "医保定点医药机构",
            "妇幼保健",
            "急救站点",
            "献血点",
            "传染病疫情",
            "口腔诊所",
            "体检机构",
        ],
        Theme::SocialSecurity => &[
            "社保",
            "社会保险参保",
            "公积金缴存",
            "养老保险",
            "就业见习基地",
            "职业技能培训",
            "失业保险",
            "工伤保险",
            "人力资源服务机构",
            "公积金贷款",
            "招聘会",
            "社保经办网点",
            "最低工资标准",
            "创业担保贷款",
            "技能人才",
        ],
        Theme::PublicSafety => &[
            "派出所",
            "交通事故",
            "消防站",
            "应急避难场所",
            "机动车登记",
            "驾驶证办理",
            "治安案件",
            "户籍办理",
            "出入境办理",
            "视频监控点位",
            "防空警报",
            "危险化学品运输",
        ],
        Theme::UrbanHousing => &[
            "不动产登记",
            "商品房预售许可",
            "保障性住房",
            "建筑工地",
            "物业服务企业",
            "老旧小区改造",
            "建设工程规划许可",
            "公共租赁住房",
            "房屋征收",
            "城市道路",
            "燃气管网",
            "供水管网",
            "建筑业企业资质",
            "二手房交易",
            "不动产抵押",
        ],
        Theme::Transport => &[
            "公交线路",
            "停车场",
            "充电桩",
            "公交站点",
            "出租汽车",
            "公共停车泊位",
            "公共自行车",
            "地铁站点",
            "公交客流",
            "道路运输企业",
            "网约车",
            "客运站",
            "公交车辆",
            "驾驶员培训机构",
            "交通流量",
            "公交线路GTFS",
            "高速公路出入口",
            "港口码头",
            "航道",
        ],
        Theme::EducationCulture => &[
            "学校",
            "幼儿园",
            "中小学",
            "旅游景区",
            "图书馆",
            "义务教育学区",
            "招生计划",
            "博物馆",
            "体育场馆",
            "文化馆",
            "文物保护单位",
            "非物质文化遗产",
            "校外培训机构",
            "民办学校",
            "高等院校",
        ],
        Theme::Science => &[
            "高新技术企业",
            "科技型中小企业",
            "专利授权",
            "众创空间",
            "科技企业孵化器",
            "研发机构",
            "科技项目",
            "技术合同登记",
            "重点实验室",
            "工程技术研究中心",
            "商标注册",
        ],
        Theme::ResourcesEnergy => &[
            "国有建设用地",
            "土地供应",
            "用电量",
            "加油站",
            "天然气供应",
            "新能源汽车",
            "光伏发电项目",
            "耕地保护",
            "水资源",
            "矿产资源",
            "节能监察",
            "林地",
        ],
        Theme::Environment => &[
            "空气质量",
            "河道水质",
            "重点排污单位",
            "噪声监测",
            "饮用水源地水质",
            "环境影响评价",
            "排污许可",
            "太湖水质",
            "污水处理厂",
            "垃圾分类",
            "固体废物",
            "PM2.5浓度",
            "园林绿化",
            "生态公园",
            "机动车尾气",
        ],
        Theme::IndustryAgriculture => &[
            "规模以上工业企业",
            "农产品价格",
            "家庭农场",
            "农民专业合作社",
            "工业用电",
            "农业龙头企业",
            "粮食生产",
            "高标准农田",
            "畜禽养殖",
            "渔业",
            "农机",
            "智能制造示范",
            "茶园",
        ],
        Theme::Commerce => &[
            "农贸市场",
            "商贸企业",
            "外贸进出口",
            "餐饮企业",
            "商业综合体",
            "限额以上批发零售企业",
            "商品价格",
            "菜市场",
            "步行街",
            "电子商务",
            "老字号",
            "展会",
        ],
        Theme::Finance => &[
            "财政收支",
            "政府采购",
            "预算公开",
            "决算公开",
            "税收收入",
            "专项资金",
            "银行网点",
            "政府债务",
            "保险机构",
            "非税收入",
            "小额贷款公司",
            "融资担保机构",
        ],
        Theme::WorkSafety => &[
            "安全生产许可",
            "危险化学品企业",
            "特种设备",
            "安全事故",
            "隐患排查",
            "安全生产标准化",
            "应急救援队伍",
            "烟花爆竹经营",
            "职业卫生",
            "非煤矿山",
        ],
        Theme::MarketSupervision => &[
            "企业登记",
            "食品经营许可",
            "个体工商户",
            "市场主体",
            "食品抽检",
            "食品生产许可",
            "产品质量抽查",
            "药品抽检",
            "计量器具",
            "消费投诉",
            "广告监测",
            "价格监测",
            "特种设备使用登记",
            "企业年报",
        ],
        Theme::SocialAssistance => &[
            "养老服务",
            "养老机构",
            "最低生活保障",
            "特困供养",
            "社区居家养老服务中心",
            "临时救助",
            "残疾人补贴",
            "高龄津贴",
            "儿童福利",
            "慈善组织",
            "困难群众",
            "殡葬服务",
        ],
        Theme::LegalServices => &[
            "律师事务所",
            "法律援助",
            "公证机构",
            "人民调解委员会",
            "司法鉴定机构",
            "行政复议",
            "法律服务工作者",
            "社区矫正",
            "普法",
        ],
        Theme::LifeServices => &[
            "政务服务大厅",
            "便民服务网点",
            "公共厕所",
            "公园",
            "快递网点",
            "婚姻登记",
            "家政服务机构",
            "加装电梯",
            "邮政网点",
            "供电营业厅",
            "燃气服务网点",
            "健身路径",
            "星级饭店",
            "旅行社",
        ],
        Theme::Weather => &[
            "气象观测",
            "天气预报",
            "降水量",
            "气温",
            "自动气象站",
            "气象灾害预警",
            "空气湿度",
            "日照时数",
            "雷电",
            "台风",
        ],
        Theme::Geospatial => &[
            "门牌地址",
            "行政区划",
            "地名",
            "POI兴趣点",
            "道路网",
            "地形图",
            "遥感影像",
            "测绘成果",
            "控制性详细规划",
            "卫星导航定位基准站",
            "规划用地",
        ],
        Theme::Organizations => &[
            "社会组织",
            "事业单位",
            "社区",
            "村委会",
            "行业协会",
            "机关单位",
            "民办非企业单位",
            "基金会",
            "党群服务中心",
            "志愿服务组织",
        ],
        Theme::Other => &[
            "政务信息公开",
            "12345热线",
            "建议提案办理",
            "统计年鉴",
            "政府信箱",
            "新闻发布会",
            "人口普查",
            "会议纪要",
        ],
    }
}

/// Last words of a title, with weights.
const SUFFIXES: &[(&str, u32)] = &[
    ("信息", 22),
    ("数据", 16),
    ("统计", 12),
    ("名录", 10),
    ("目录", 7),
    ("明细", 7),
    ("清单", 6),
    ("汇总表", 5),
    ("情况", 5),
    ("基本信息", 4),
    ("监测数据", 3),
    ("分布", 3),
];

/// Words of a "{year}年…{period}…" title.
const PERIODS: &[&str] = &["年度", "季度", "月度", ""];

/// What a description says the data holds.
const FIELDS: &[&str] = &[
    "名称",
    "地址",
    "联系电话",
    "经度",
    "纬度",
    "所属区域",
    "所属街道",
    "统一社会信用代码",
    "法定代表人",
    "登记日期",
    "有效期至",
    "状态",
    "类型",
    "规模",
    "数量",
    "面积",
    "许可证编号",
    "负责人",
    "开放时间",
    "服务内容",
    "监测时间",
    "监测值",
    "年份",
    "月份",
    "同比增长",
    "环比增长",
    "经营范围",
    "核定人数",
    "床位数",
    "等级",
    "批准文号",
    "发证机关",
    "发证日期",
    "变更日期",
    "编号",
    "类别",
    "单位名称",
    "项目名称",
    "金额",
    "占比",
];

const SOURCES: &[&str] = &[
    "业务管理系统",
    "全市政务数据共享交换平台",
    "部门年度统计报表",
    "在线监测系统",
    "政务服务网上办事大厅",
    "行政审批系统",
];

const ACCESS_LEVELS: &[(AccessLevel, u32)] = &[
    (AccessLevel::Unconditional, 82),
    (AccessLevel::Conditional, 14),
    (AccessLevel::Closed, 4),
];

const FREQUENCIES: &[(UpdateFrequency, u32)] = &[
    (UpdateFrequency::Realtime, 3),
    (UpdateFrequency::Daily, 8),
    (UpdateFrequency::Weekly, 4),
    (UpdateFrequency::Monthly, 20),
    (UpdateFrequency::Quarterly, 15),
    (UpdateFrequency::HalfYearly, 5),
    (UpdateFrequency::Yearly, 25),
    (UpdateFrequency::Irregular, 15),
    (UpdateFrequency::Static, 5),
];

/// Years in titles, recent ones more often.
const YEARS: &[(u32, u32)] = &[
    (2016, 1),
    (2017, 1),
    (2018, 2),
    (2019, 2),
    (2020, 3),
    (2021, 4),
    (2022, 5),
    (2023, 6),
    (2024, 7),
    (2025, 6),
];

#[derive(Debug, Clone, PartialEq)]
pub struct GeneratedOrganization {
    pub name: String,
    pub kind: OrgKind,
    /// Index of the parent in [`GeneratedCatalog::organizations`], which comes before it.
    pub parent: Option<usize>,
    /// The district it belongs to (itself for a district), as titles name it.
    district: Option<usize>,
    weight: u32,
    themes: &'static [Theme],
    phone: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct GeneratedDataset {
    /// Index in [`GeneratedCatalog::organizations`]; `dataset.organization_id` is empty.
    pub organization: usize,
    pub dataset: NewDataset,
    pub downloads: u64,
    pub calls: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct GeneratedCatalog {
    /// Parents before children.
    pub organizations: Vec<GeneratedOrganization>,
    pub datasets: Vec<GeneratedDataset>,
}

impl GeneratedCatalog {
    /// SHA-256 over every organization and dataset as generated, hex.
    pub fn fingerprint(&self) -> String {
        let mut hash = Sha256::new();
        for org in &self.organizations {
            hash.update(org.name.as_bytes());
            hash.update([0]);
        }
        for d in &self.datasets {
            let n = &d.dataset;
            for text in [&n.title, &n.description, &n.keywords.join("、")] {
                hash.update(text.as_bytes());
                hash.update([0]);
            }
            for id in [n.theme.id(), n.access_level.id(), n.update_frequency.id()] {
                hash.update(id.as_bytes());
            }
            hash.update(d.organization.to_le_bytes());
            hash.update(d.downloads.to_le_bytes());
            hash.update(d.calls.to_le_bytes());
        }
        format!("{:x}", hash.finalize())
    }
}

/// The organizations: city departments, then each district followed by its departments.
fn organizations(rng: &mut ChaCha8Rng) -> Vec<GeneratedOrganization> {
    let mut phone = || format!("0510-8{:07}", rng.random_range(0..10_000_000_u32));
    let mut out = Vec::new();
    for (name, weight, themes) in CITY_DEPARTMENTS {
        out.push(GeneratedOrganization {
            name: format!("{CITY}{name}"),
            kind: OrgKind::CityDepartment,
            parent: None,
            district: None,
            weight: *weight,
            themes,
            phone: phone(),
        });
    }
    for (district, (name, _)) in DISTRICTS.iter().enumerate() {
        let parent = out.len();
        out.push(GeneratedOrganization {
            name: (*name).to_owned(),
            kind: OrgKind::District,
            parent: None,
            district: Some(district),
            weight: 2,
            themes: DISTRICT_THEMES,
            phone: phone(),
        });
        for (department, themes) in DISTRICT_DEPARTMENTS {
            out.push(GeneratedOrganization {
                name: format!("{name}{department}"),
                kind: OrgKind::DistrictDepartment,
                parent: Some(parent),
                district: Some(district),
                weight: 1,
                themes,
                phone: phone(),
            });
        }
    }
    out
}

/// Draws by weight from a list built once.
struct Weighted<T: 'static> {
    items: &'static [(T, u32)],
    index: WeightedIndex<u32>,
}

impl<T: Copy> Weighted<T> {
    fn new(items: &'static [(T, u32)]) -> anyhow::Result<Self> {
        let index = WeightedIndex::new(items.iter().map(|(_, w)| *w))?;
        Ok(Self { items, index })
    }

    fn draw(&self, rng: &mut ChaCha8Rng) -> anyhow::Result<T> {
        let at = self.index.sample(rng);
        self.items
            .get(at)
            .map(|(item, _)| *item)
            .context("weighted draw out of range")
    }
}

fn pick<'a, T>(rng: &mut ChaCha8Rng, items: &'a [T]) -> anyhow::Result<&'a T> {
    anyhow::ensure!(!items.is_empty(), "a vocabulary list is empty");
    items
        .get(rng.random_range(0..items.len()))
        .context("draw out of range")
}

/// A subject of `theme`, the first ones more often (weight 1 / (rank + 2)).
fn subject(rng: &mut ChaCha8Rng, theme: Theme) -> anyhow::Result<&'static str> {
    let list = subjects(theme);
    let weights = (0..list.len()).map(|rank| 1.0 / (rank as f64 + 2.0));
    let at = WeightedIndex::new(weights)?.sample(rng);
    list.get(at).copied().context("subject out of range")
}

/// Generates `count` datasets from `seed`; the same arguments give the same catalog.
pub fn generate(seed: u64, count: usize) -> anyhow::Result<GeneratedCatalog> {
    anyhow::ensure!(
        (1..=MAX_DATASETS).contains(&count),
        "--datasets must be from 1 to {MAX_DATASETS}, got {count}"
    );
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let organizations = organizations(&mut rng);
    let by_org = WeightedIndex::new(organizations.iter().map(|o| o.weight))?;
    let access = Weighted::new(ACCESS_LEVELS)?;
    let frequency = Weighted::new(FREQUENCIES)?;
    let years = Weighted::new(YEARS)?;
    let suffixes = Weighted::new(SUFFIXES)?;
    let mut datasets = Vec::with_capacity(count);
    for _ in 0..count {
        let organization = by_org.sample(&mut rng);
        let org = organizations
            .get(organization)
            .context("organization out of range")?;
        let theme = match org.themes {
            [first, ..] if rng.random_bool(0.6) => *first,
            themes => *pick(&mut rng, themes)?,
        };
        let subject = subject(&mut rng, theme)?;
        let suffix = suffixes.draw(&mut rng)?;
        let year = years.draw(&mut rng)?;
        let region = region(&mut rng, org)?;
        let title = match rng.random_range(0..10) {
            0..4 => format!("{region}{year}年{subject}{suffix}"),
            4..7 => format!("{region}{subject}{suffix}"),
            7..9 => {
                let period = pick(&mut rng, PERIODS)?;
                format!("{year}年{region}{subject}{period}{suffix}")
            }
            _ => format!("{subject}{suffix}"),
        };
        let update_frequency = frequency.draw(&mut rng)?;
        let access_level = access.draw(&mut rng)?;
        let description = description(
            &mut rng,
            org,
            theme,
            subject,
            suffix,
            &region,
            update_frequency,
        )?;
        let keywords = keywords(&mut rng, theme, subject, &region, org)?;
        let sensitivity = match access_level {
            AccessLevel::Unconditional => rng.random_range(1..=2),
            AccessLevel::Conditional => rng.random_range(2..=3),
            AccessLevel::Closed => rng.random_range(3..=4),
        };
        // Usage has a long tail: most datasets are fetched a few times, a few thousands.
        let (downloads, calls) = match access_level {
            AccessLevel::Closed => (0, 0),
            _ => {
                let downloads = (rng.random::<f64>().powi(4) * 20_000.0) as u64;
                let calls = if rng.random_bool(0.3) {
                    (rng.random::<f64>().powi(3) * 50_000.0) as u64
                } else {
                    0
                };
                (downloads, calls)
            }
        };
        let mut dataset = NewDataset::minimal(title, String::new());
        dataset.description = description;
        dataset.theme = theme;
        dataset.keywords = keywords;
        dataset.access_level = access_level;
        dataset.sensitivity_level = SensitivityLevel::new(sensitivity)?;
        dataset.update_frequency = update_frequency;
        dataset.spatial_coverage = Some(if region.is_empty() {
            CITY.to_owned()
        } else {
            region
        });
        dataset.contact_phone = Some(org.phone.clone());
        datasets.push(GeneratedDataset {
            organization,
            dataset,
            downloads,
            calls,
        });
    }
    Ok(GeneratedCatalog {
        organizations,
        datasets,
    })
}

/// Where a title says its data is from: the city, a district, a street, or nowhere.
fn region(rng: &mut ChaCha8Rng, org: &GeneratedOrganization) -> anyhow::Result<String> {
    let roll = rng.random_range(0..20);
    let district = match org.district {
        Some(own) => DISTRICTS.get(own).context("district out of range")?,
        // City departments also publish per district.
        None if roll < 12 => return Ok(CITY.to_owned()),
        None if roll < 18 => pick(rng, DISTRICTS)?,
        None => return Ok(String::new()),
    };
    let (name, streets) = district;
    Ok(match roll {
        0..15 => (*name).to_owned(),
        15..18 => format!("{name}{}", pick(rng, streets)?),
        _ => String::new(),
    })
}

fn description(
    rng: &mut ChaCha8Rng,
    org: &GeneratedOrganization,
    theme: Theme,
    subject: &str,
    suffix: &str,
    region: &str,
    frequency: UpdateFrequency,
) -> anyhow::Result<String> {
    let place = if region.is_empty() { CITY } else { region };
    let fields = rand::seq::index::sample(rng, FIELDS.len(), 3);
    let field = |i: usize| FIELDS.get(fields.index(i)).copied().unwrap_or_default();
    let (a, b, c) = (field(0), field(1), field(2));
    let updated = match frequency {
        UpdateFrequency::Static => "不再更新".to_owned(),
        other => format!("{}更新", other.label_zh()),
    };
    let mut text = format!(
        "{}公开的{place}{subject}{suffix}，包括{a}、{b}、{c}等内容，{updated}。",
        org.name
    );
    match rng.random_range(0..4) {
        0 => text.push_str(&format!("数据来源于{}。", pick(rng, SOURCES)?)),
        1 => text.push_str(&format!("覆盖{place}范围内的{subject}。")),
        2 => text.push_str(&format!("可按{}查询。", pick(rng, FIELDS)?)),
        _ => text.push_str(&format!("归属{}主题。", theme.label_zh())),
    }
    if rng.random_bool(0.15) {
        let related = subject_other_than(rng, theme, subject)?;
        text.push_str(&format!("相关数据：{related}。"));
    }
    if subject.starts_with("公交线路") && rng.random_bool(0.3) {
        text.push_str("另提供GTFS格式的线路与时刻表。");
    }
    Ok(text)
}

fn subject_other_than(
    rng: &mut ChaCha8Rng,
    theme: Theme,
    subject: &str,
) -> anyhow::Result<&'static str> {
    let others: Vec<&'static str> = subjects(theme)
        .iter()
        .copied()
        .filter(|s| *s != subject)
        .collect();
    Ok(*pick(rng, &others)?)
}

/// Two to five keywords: the subject, the theme's label, often the place and a related
/// subject.
fn keywords(
    rng: &mut ChaCha8Rng,
    theme: Theme,
    subject: &str,
    region: &str,
    org: &GeneratedOrganization,
) -> anyhow::Result<Vec<String>> {
    let mut out = vec![subject.to_owned(), theme.label_zh().to_owned()];
    let mut add = |word: &str| {
        if !out.iter().any(|w| w == word) {
            out.push(word.to_owned());
        }
    };
    if !region.is_empty() && rng.random_bool(0.5) {
        add(region);
    }
    if rng.random_bool(0.5) {
        add(subject_other_than(rng, theme, subject)?);
    }
    if rng.random_bool(0.2) {
        add(&org.name);
    }
    Ok(out)
}

/// `kaifang bench catalog-generate`: generates the catalog and writes it with `concurrency`
/// inserts in flight, then its usage counts; prints one JSON line.
pub async fn run(
    service: &Service,
    seed: u64,
    count: usize,
    concurrency: usize,
) -> anyhow::Result<()> {
    anyhow::ensure!(
        (1..=64).contains(&concurrency),
        "--concurrency must be from 1 to 64, got {concurrency}"
    );
    let store = service.store().clone();
    let existing = store.dataset_count().await?;
    anyhow::ensure!(
        existing == 0,
        "the catalog already holds {existing} datasets: give an empty --data-dir (and a \
         fresh database), so that the benchmark measures the generated catalog only"
    );
    let catalog = generate(seed, count)?;
    let fingerprint = catalog.fingerprint();
    let started = Instant::now();
    let mut org_ids: Vec<String> = Vec::with_capacity(catalog.organizations.len());
    for org in &catalog.organizations {
        let parent = match org.parent {
            Some(at) => Some(org_ids.get(at).context("parent comes after its child")?),
            None => None,
        };
        let created = store
            .ensure_organization(&org.name, org.kind, parent.map(String::as_str))
            .await?;
        org_ids.push(created.id);
    }
    let bar = indicatif::ProgressBar::new(count as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} datasets ({per_sec})")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let datasets = Arc::new(catalog.datasets);
    let org_ids = Arc::new(org_ids);
    let next = Arc::new(AtomicUsize::new(0));
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..concurrency {
        let (store, datasets, org_ids) = (store.clone(), datasets.clone(), org_ids.clone());
        let (next, bar) = (next.clone(), bar.clone());
        workers.spawn(async move {
            let mut usage = Vec::new();
            loop {
                let at = next.fetch_add(1, Ordering::Relaxed);
                let Some(generated) = datasets.get(at) else {
                    break;
                };
                let mut dataset = generated.dataset.clone();
                dataset.organization_id = org_ids
                    .get(generated.organization)
                    .context("organization out of range")?
                    .clone();
                let created = store.create_dataset(&dataset).await?;
                bar.inc(1);
                if generated.downloads > 0 || generated.calls > 0 {
                    usage.push((created.id, generated.downloads, generated.calls));
                }
            }
            anyhow::Ok(usage)
        });
    }
    let mut usage = Vec::new();
    while let Some(done) = workers.join_next().await {
        usage.append(&mut done??);
    }
    bar.finish_and_clear();
    let inserted = started.elapsed().as_secs_f64();
    // Sorted, so that the batches are the same whichever worker created what.
    usage.sort();
    for batch in usage.chunks(USAGE_PER_WRITE) {
        store.add_usage(batch).await?;
    }
    let seconds = started.elapsed().as_secs_f64();
    let line = json!({
        "backend": store.backend(),
        "seed": seed,
        "organizations": org_ids.len(),
        "datasets": datasets.len(),
        "concurrency": concurrency,
        "insert_seconds": super::round(inserted),
        "seconds": super::round(seconds),
        "datasets_per_sec": super::round(datasets.len() as f64 / seconds),
        "fingerprint": fingerprint,
    });
    println!("{line}");
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn share(catalog: &GeneratedCatalog, hit: impl Fn(&GeneratedDataset) -> bool) -> f64 {
        let n = catalog.datasets.iter().filter(|d| hit(d)).count();
        n as f64 / catalog.datasets.len() as f64
    }

    #[test]
    fn the_same_seed_gives_the_same_catalog() {
        let a = generate(1, 2_000).unwrap();
        let b = generate(1, 2_000).unwrap();
        let c = generate(2, 2_000).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.fingerprint(), b.fingerprint());
        assert_ne!(a.fingerprint(), c.fingerprint());
        // A shorter run is the start of a longer one.
        let short = generate(1, 500).unwrap();
        assert_eq!(short.datasets.as_slice(), a.datasets.get(..500).unwrap());
    }

    #[test]
    fn sixty_five_agencies_with_districts_as_parents() {
        let orgs = generate(1, 1).unwrap().organizations;
        // 30 city departments, 7 districts, 4 departments in each district.
        assert_eq!(orgs.len(), 30 + 7 + 7 * 4);
        let kind = |k| orgs.iter().filter(|o| o.kind == k).count();
        assert_eq!(kind(OrgKind::CityDepartment), 30);
        assert_eq!(kind(OrgKind::District), 7);
        assert_eq!(kind(OrgKind::DistrictDepartment), 28);
        let jiangyin = orgs.iter().position(|o| o.name == "江阴市").unwrap();
        let school = orgs.iter().find(|o| o.name == "江阴市教育局").unwrap();
        assert_eq!(school.parent, Some(jiangyin));
        assert!(orgs.iter().any(|o| o.name == "无锡市交通运输局"));
        for (at, org) in orgs.iter().enumerate() {
            if let Some(parent) = org.parent {
                assert!(parent < at, "{} comes before its parent", org.name);
                assert!(org.name.starts_with(&orgs[parent].name));
            }
        }
    }

    #[test]
    fn every_theme_and_the_intended_shares() {
        let catalog = generate(1, 20_000).unwrap();
        for theme in Theme::ALL {
            assert!(
                catalog.datasets.iter().any(|d| d.dataset.theme == *theme),
                "no dataset of theme {theme}"
            );
        }
        // Weights 82 / 14 / 4; 20,000 draws put each within 1 point (seven standard
        // deviations of the rarest).
        let level = |l| share(&catalog, |d| d.dataset.access_level == l);
        assert!((level(AccessLevel::Unconditional) - 0.82).abs() < 0.01);
        assert!((level(AccessLevel::Conditional) - 0.14).abs() < 0.01);
        assert!((level(AccessLevel::Closed) - 0.04).abs() < 0.01);
        // Word spread in titles, as the module comment promises.
        let in_titles = |w: &str| share(&catalog, |d| d.dataset.title.contains(w));
        let bus = in_titles("公交");
        assert!((0.005..0.03).contains(&bus), "公交 in {bus}");
        let info = in_titles("信息");
        assert!((0.15..0.35).contains(&info), "信息 in {info}");
        let tea = in_titles("茶园");
        assert!(tea > 0.0 && tea < 0.002, "茶园 in {tea}");
        assert_eq!(in_titles("区块链"), 0.0);
    }

    #[test]
    fn datasets_are_complete() {
        let catalog = generate(7, 3_000).unwrap();
        for d in &catalog.datasets {
            let n = &d.dataset;
            assert!(n.title.chars().count() >= 4, "{}", n.title);
            assert!(
                n.description
                    .contains(&catalog.organizations[d.organization].name)
            );
            assert!((2..=5).contains(&n.keywords.len()));
            let mut unique = n.keywords.clone();
            unique.sort();
            unique.dedup();
            assert_eq!(unique.len(), n.keywords.len(), "{:?}", n.keywords);
            let listed = n.description.split("包括").nth(1).unwrap();
            let listed = listed.split("等内容").next().unwrap();
            let fields: Vec<&str> = listed.split('、').collect();
            assert_eq!(fields.len(), 3, "{}", n.description);
            assert!(fields[0] != fields[1] && fields[1] != fields[2] && fields[0] != fields[2]);
            if n.access_level == AccessLevel::Closed {
                assert_eq!((d.downloads, d.calls), (0, 0));
                assert!(n.sensitivity_level.get() >= 3);
            }
        }
    }

    #[test]
    fn refuses_a_count_out_of_range() {
        assert!(generate(1, 0).is_err());
        assert!(generate(1, MAX_DATASETS + 1).is_err());
    }
}
