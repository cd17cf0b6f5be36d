//! The demo catalog's metadata: who publishes what, described the way an agency would.

use kaifang_domain::{AccessLevel, Industry, OrgKind, Theme, UpdateFrequency};

use super::tables::Kind;
use super::write::Layout;

pub struct OrgSpec {
    pub name: &'static str,
    pub kind: OrgKind,
    pub parent: Option<&'static str>,
}

/// Parents before children.
pub const ORGANIZATIONS: [OrgSpec; 11] = [
    city("无锡市大数据管理局"),
    city("无锡市交通运输局"),
    city("无锡市生态环境局"),
    city("无锡市市场监督管理局"),
    city("无锡市教育局"),
    city("无锡市卫生健康委员会"),
    city("无锡市气象局"),
    OrgSpec {
        name: "梁溪区",
        kind: OrgKind::District,
        parent: None,
    },
    OrgSpec {
        name: "新吴区",
        kind: OrgKind::District,
        parent: None,
    },
    OrgSpec {
        name: "梁溪区民政局",
        kind: OrgKind::DistrictDepartment,
        parent: Some("梁溪区"),
    },
    OrgSpec {
        name: "新吴区经济发展局",
        kind: OrgKind::DistrictDepartment,
        parent: Some("新吴区"),
    },
];

const fn city(name: &'static str) -> OrgSpec {
    OrgSpec {
        name,
        kind: OrgKind::CityDepartment,
        parent: None,
    }
}

/// An office to ask about a dataset; phone numbers and the `.example` mail domain are
/// invented so that no real inbox receives demo traffic.
pub struct Contact {
    pub office: &'static str,
    pub phone: &'static str,
    pub email: &'static str,
}

pub type Ymd = (i32, u32, u32);

pub struct DatasetSpec {
    pub kind: Kind,
    pub file: &'static str,
    pub layout: Layout,
    pub organization: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    pub theme: Theme,
    pub industry: Option<Industry>,
    pub keywords: &'static [&'static str],
    pub access_level: AccessLevel,
    pub sensitivity: u8,
    pub update_frequency: UpdateFrequency,
    pub spatial: &'static str,
    pub temporal: (Ymd, Ymd),
    pub contact: Contact,
}

pub const DATASETS: [DatasetSpec; 12] = [
    DatasetSpec {
        kind: Kind::BusRoutes,
        file: "bus_routes.csv",
        layout: Layout::Csv,
        organization: "无锡市交通运输局",
        title: "无锡市公交线路信息",
        description: "本数据集收录无锡市运营中的常规公交线路基本信息，包括线路编号、起讫站点、\
            首末班时间、票价、线路长度、站点数和运营单位。数据由市交通运输局根据公交企业报送的\
            线路运营方案整理，每月更新一次。线路编号为四位文本编码，前导零有实际含义，\
            使用时请勿转换为数值。",
        theme: Theme::Transport,
        industry: Some(Industry::G),
        keywords: &["公交", "公交线路", "首末班时间", "票价", "公共交通"],
        access_level: AccessLevel::Unconditional,
        sensitivity: 1,
        update_frequency: UpdateFrequency::Monthly,
        spatial: "无锡市",
        temporal: ((2025, 6, 1), (2025, 6, 30)),
        contact: Contact {
            office: "科技信息处",
            phone: "0510-81827306",
            email: "kjxxc@jtj.wuxi.example",
        },
    },
    DatasetSpec {
        kind: Kind::AirQuality,
        file: "air_quality_daily.xlsx",
        layout: Layout::Xlsx {
            sheet: "空气质量日报",
            title: "无锡市环境空气质量日报（2025年1月—6月）",
        },
        organization: "无锡市生态环境局",
        title: "无锡市环境空气质量日报",
        description: "无锡市国控环境空气质量监测站点的逐日监测结果，包括PM2.5、PM10和臭氧\
            8小时滑动平均浓度，以及按《环境空气质量指数（AQI）技术规定（试行）》（HJ 633-2012）\
            计算的空气质量指数、首要污染物和空气质量等级。发布数据为经审核的日均值。",
        theme: Theme::Environment,
        industry: Some(Industry::N),
        keywords: &["空气质量", "AQI", "PM2.5", "臭氧", "环境监测"],
        access_level: AccessLevel::Unconditional,
        sensitivity: 1,
        update_frequency: UpdateFrequency::Daily,
        spatial: "无锡市",
        temporal: ((2025, 1, 1), (2025, 6, 30)),
        contact: Contact {
            office: "监测与信息处",
            phone: "0510-81820512",
            email: "jcxxc@sthjj.wuxi.example",
        },
    },
    DatasetSpec {
        kind: Kind::Enterprises,
        file: "enterprise_registration.csv",
        layout: Layout::CsvGb18030,
        organization: "无锡市市场监督管理局",
        title: "无锡市企业登记信息",
        description: "全市各级市场监督管理部门登记的企业基本信息，包括统一社会信用代码、\
            企业名称、企业类型、成立日期、注册资本、行业门类、住所和登记状态。\
            文件由登记业务系统导出为Excel兼容的CSV格式（GB18030编码）。",
        theme: Theme::MarketSupervision,
        industry: None,
        keywords: &["企业登记", "统一社会信用代码", "市场主体", "注册资本"],
        access_level: AccessLevel::Unconditional,
        sensitivity: 1,
        update_frequency: UpdateFrequency::Weekly,
        spatial: "无锡市",
        temporal: ((1993, 1, 1), (2025, 6, 30)),
        contact: Contact {
            office: "信息化处",
            phone: "0510-81826117",
            email: "xxhc@scjgj.wuxi.example",
        },
    },
    DatasetSpec {
        kind: Kind::FoodLicences,
        file: "food_business_licences.csv",
        layout: Layout::Csv,
        organization: "无锡市市场监督管理局",
        title: "无锡市食品经营许可信息",
        description: "按照行政许可和行政处罚等信用信息“双公示”要求公开的食品经营许可决定，\
            包括行政相对人名称及统一社会信用代码、许可决定文书号、许可编号、许可内容、\
            有效期和许可机关。",
        theme: Theme::CreditServices,
        industry: Some(Industry::H),
        keywords: &["双公示", "行政许可", "食品经营许可证", "信用信息"],
        access_level: AccessLevel::Unconditional,
        sensitivity: 1,
        update_frequency: UpdateFrequency::Daily,
        spatial: "无锡市",
        temporal: ((2024, 7, 1), (2025, 6, 30)),
        contact: Contact {
            office: "信用监督管理处",
            phone: "0510-81826185",
            email: "xyjgc@scjgj.wuxi.example",
        },
    },
    DatasetSpec {
        kind: Kind::Schools,
        file: "schools.csv",
        layout: Layout::CsvBom,
        organization: "无锡市教育局",
        title: "无锡市中小学校名录",
        description: "全市公办、民办普通中小学校的基本信息，包括学校标识码、学校名称、类别、\
            办学性质、地址、联系电话以及班级数、在校学生数和专任教师数。\
            数据来源于教育事业统计，每学年更新一次。",
        theme: Theme::EducationCulture,
        industry: Some(Industry::P),
        keywords: &["中小学", "学校名录", "义务教育", "在校学生"],
        access_level: AccessLevel::Unconditional,
        sensitivity: 1,
        update_frequency: UpdateFrequency::Yearly,
        spatial: "无锡市",
        temporal: ((2024, 9, 1), (2025, 6, 30)),
        contact: Contact {
            office: "发展规划处",
            phone: "0510-81822045",
            email: "fzghc@jyj.wuxi.example",
        },
    },
    DatasetSpec {
        kind: Kind::Medical,
        file: "medical_institutions.json",
        layout: Layout::Json,
        organization: "无锡市卫生健康委员会",
        title: "无锡市医疗机构名录",
        description: "全市取得医疗机构执业许可证或完成诊所备案的医疗机构目录，涵盖综合医院、\
            中医医院、专科医院、社区卫生服务中心、乡镇卫生院、门诊部和诊所，\
            包括机构类别、医院等级、经营性质、地址、核定床位数和医保定点情况。",
        theme: Theme::Health,
        industry: Some(Industry::Q),
        keywords: &["医院", "医疗机构", "社区卫生服务中心", "医保定点"],
        access_level: AccessLevel::Unconditional,
        sensitivity: 1,
        update_frequency: UpdateFrequency::Quarterly,
        spatial: "无锡市",
        temporal: ((2025, 4, 1), (2025, 6, 30)),
        contact: Contact {
            office: "规划发展与信息化处",
            phone: "0510-81821138",
            email: "ghxxc@wjw.wuxi.example",
        },
    },
    DatasetSpec {
        kind: Kind::ServiceItems,
        file: "government_service_items.csv",
        layout: Layout::Csv,
        organization: "无锡市大数据管理局",
        title: "无锡市政务服务事项目录",
        description: "市级部门和部分区级部门依申请办理的政务服务事项清单，列明事项编码、\
            事项类型、实施主体、法定及承诺办结时限、是否收费、办理形式和到现场次数。",
        theme: Theme::Organizations,
        industry: Some(Industry::S),
        keywords: &["政务服务", "办事指南", "一网通办", "行政许可"],
        access_level: AccessLevel::Unconditional,
        sensitivity: 1,
        update_frequency: UpdateFrequency::Irregular,
        spatial: "无锡市",
        temporal: ((2025, 1, 1), (2025, 6, 30)),
        contact: Contact {
            office: "数据资源处",
            phone: "0510-81823360",
            email: "sjzyc@dsj.wuxi.example",
        },
    },
    DatasetSpec {
        kind: Kind::Weather,
        file: "weather_hourly.csv",
        layout: Layout::Csv,
        organization: "无锡市气象局",
        title: "无锡市逐小时气象观测数据",
        description: "全市七个区域自动气象观测站的逐小时观测资料，要素包括气温、相对湿度、\
            小时降水量、风向、风速、本站气压和能见度。本期为2025年入梅后一周的数据，\
            观测时间为北京时间。",
        theme: Theme::Weather,
        industry: Some(Industry::M),
        keywords: &["气象观测", "降水", "气温", "梅雨"],
        access_level: AccessLevel::Unconditional,
        sensitivity: 1,
        update_frequency: UpdateFrequency::Realtime,
        spatial: "无锡市",
        temporal: ((2025, 6, 24), (2025, 6, 30)),
        contact: Contact {
            office: "观测与网络科",
            phone: "0510-81825519",
            email: "gcwlk@qxj.wuxi.example",
        },
    },
    DatasetSpec {
        kind: Kind::CarParks,
        file: "xinwu_car_parks.tsv",
        layout: Layout::Tsv,
        organization: "新吴区",
        title: "新吴区公共停车场信息",
        description: "新吴区路外公共停车场、建筑物配建停车场和路内停车泊位的位置与容量信息，\
            包括泊位总数、充电桩泊位数、收费标准、开放时间和经纬度坐标。",
        theme: Theme::UrbanHousing,
        industry: Some(Industry::N),
        keywords: &["停车场", "停车泊位", "充电桩", "静态交通"],
        access_level: AccessLevel::Unconditional,
        sensitivity: 1,
        update_frequency: UpdateFrequency::Monthly,
        spatial: "新吴区",
        temporal: ((2025, 6, 1), (2025, 6, 30)),
        contact: Contact {
            office: "大数据管理中心",
            phone: "0510-85212360",
            email: "dsjzx@xinwu.wuxi.example",
        },
    },
    DatasetSpec {
        kind: Kind::PowerUse,
        file: "xinwu_industrial_power_use.csv",
        layout: Layout::Csv,
        organization: "新吴区经济发展局",
        title: "新吴区规模以上工业企业月度用电量",
        description: "新吴区规模以上工业企业逐月用电量及同比增速，可用于分析区域工业运行和\
            能耗情况。因涉及企业经营信息，本数据集有条件开放：申请人需说明用途并签署数据安全\
            承诺书，经数据提供部门审核同意后获取。",
        theme: Theme::ResourcesEnergy,
        industry: Some(Industry::D),
        keywords: &["用电量", "工业企业", "能耗", "经济运行"],
        access_level: AccessLevel::Conditional,
        sensitivity: 2,
        update_frequency: UpdateFrequency::Monthly,
        spatial: "新吴区",
        temporal: ((2024, 7, 1), (2025, 6, 30)),
        contact: Contact {
            office: "运行监测科",
            phone: "0510-85212418",
            email: "yxjck@xinwu.wuxi.example",
        },
    },
    DatasetSpec {
        kind: Kind::CareHomes,
        file: "liangxi_care_homes.csv",
        layout: Layout::Csv,
        organization: "梁溪区民政局",
        title: "梁溪区养老机构信息",
        description: "梁溪区公办、民办及公建民营养老机构和日间照料中心的基本信息，包括床位数、\
            护理型床位数、收住对象、收费区间、星级评定和医养结合情况。数据含机构联系手机号码，\
            按有条件开放管理，经审核同意后提供。",
        theme: Theme::LifeServices,
        industry: Some(Industry::Q),
        keywords: &["养老机构", "养老服务", "床位", "医养结合"],
        access_level: AccessLevel::Conditional,
        sensitivity: 2,
        update_frequency: UpdateFrequency::Quarterly,
        spatial: "梁溪区",
        temporal: ((2025, 4, 1), (2025, 6, 30)),
        contact: Contact {
            office: "养老服务科",
            phone: "0510-82713052",
            email: "ylfwk@liangxi.wuxi.example",
        },
    },
    DatasetSpec {
        kind: Kind::Allowance,
        file: "liangxi_minimum_allowance.csv",
        layout: Layout::Csv,
        organization: "梁溪区民政局",
        title: "梁溪区最低生活保障统计",
        description: "按街道和月份汇总的梁溪区最低生活保障户数、人数和资金发放情况，\
            含老年人、残疾人和未成年人分类统计。因涉及困难群众信息，本数据集不予开放，\
            仅在目录中公布以便社会了解数据资源情况。",
        theme: Theme::SocialAssistance,
        industry: Some(Industry::S),
        keywords: &["低保", "社会救助", "最低生活保障", "街道"],
        access_level: AccessLevel::Closed,
        sensitivity: 3,
        update_frequency: UpdateFrequency::Monthly,
        spatial: "梁溪区",
        temporal: ((2024, 7, 1), (2025, 6, 30)),
        contact: Contact {
            office: "社会救助科",
            phone: "0510-82713068",
            email: "shjzk@liangxi.wuxi.example",
        },
    },
];
