//! Wuxi's geography as the generators need it: districts with their division codes, streets
//! (街道) and road names. Addresses built from them carry invented house numbers.

use rand::Rng;

use super::random::{DemoRng, pick};

pub const CITY: &str = "无锡市";
pub const CITY_CODE: &str = "320200";

pub struct District {
    pub name: &'static str,
    /// GB/T 2260 division code, used inside credit codes.
    pub code: &'static str,
    pub streets: &'static [&'static str],
    pub roads: &'static [&'static str],
}

impl District {
    /// How addresses begin: county-level cities are written without the prefecture.
    pub fn address_prefix(&self) -> String {
        if self.name.ends_with('市') {
            self.name.to_owned()
        } else {
            format!("{CITY}{}", self.name)
        }
    }

    pub fn address(&self, rng: &mut DemoRng) -> String {
        let road = pick(rng, self.roads);
        format!(
            "{}{road}{}号",
            self.address_prefix(),
            rng.random_range(1..=888)
        )
    }
}

pub const LIANGXI: District = District {
    name: "梁溪区",
    code: "320213",
    streets: &[
        "崇安寺街道",
        "通江街道",
        "广益街道",
        "江海街道",
        "上马墩街道",
        "广瑞路街道",
        "黄巷街道",
        "北大街街道",
        "惠山街道",
        "荣巷街道",
        "山北街道",
        "金星街道",
        "扬名街道",
        "清名桥街道",
        "金匮街道",
        "南禅寺街道",
    ],
    roads: &[
        "人民中路",
        "中山路",
        "解放北路",
        "解放南路",
        "学前街",
        "崇宁路",
        "五爱路",
        "广益路",
        "通江大道",
        "清扬路",
        "南长街",
        "金星路",
        "扬名路",
    ],
};

pub const XINWU: District = District {
    name: "新吴区",
    code: "320214",
    streets: &[
        "旺庄街道",
        "硕放街道",
        "江溪街道",
        "新安街道",
        "梅村街道",
        "鸿山街道",
    ],
    roads: &[
        "长江路",
        "珠江路",
        "新华路",
        "锡士路",
        "和风路",
        "震泽路",
        "菱湖大道",
        "行创四路",
    ],
};

pub const DISTRICTS: [District; 7] = [
    LIANGXI,
    District {
        name: "锡山区",
        code: "320205",
        streets: &["东亭街道", "安镇街道", "东北塘街道", "厚桥街道"],
        roads: &["东亭北路", "锡沪东路", "团结中路", "友谊北路", "二泉东路"],
    },
    District {
        name: "惠山区",
        code: "320206",
        streets: &["堰桥街道", "长安街道", "钱桥街道", "前洲街道", "玉祁街道"],
        roads: &["惠山大道", "政和大道", "钱皋路", "堰新路", "藕杨路"],
    },
    District {
        name: "滨湖区",
        code: "320211",
        streets: &[
            "河埒街道",
            "马山街道",
            "蠡湖街道",
            "雪浪街道",
            "华庄街道",
            "太湖街道",
        ],
        roads: &[
            "太湖大道",
            "蠡湖大道",
            "湖滨路",
            "梁溪路",
            "隐秀路",
            "青祁路",
            "建筑路",
        ],
    },
    XINWU,
    District {
        name: "江阴市",
        code: "320281",
        streets: &["澄江街道", "南闸街道", "云亭街道", "城东街道"],
        roads: &["澄江中路", "人民东路", "虹桥南路", "芙蓉大道", "长山大道"],
    },
    District {
        name: "宜兴市",
        code: "320282",
        streets: &["宜城街道", "屺亭街道", "新街街道", "新庄街道"],
        roads: &["人民南路", "解放东路", "阳羡东路", "东虹路", "氿滨大道"],
    },
];

/// Districts weighted by how much registered activity they see.
pub fn weighted_district(rng: &mut DemoRng) -> &'static District {
    const WEIGHTS: [u32; 7] = [14, 11, 13, 12, 20, 16, 14];
    let total: u32 = WEIGHTS.iter().sum();
    let mut ticket = rng.random_range(0..total);
    for (district, weight) in DISTRICTS.iter().zip(WEIGHTS) {
        if ticket < weight {
            return district;
        }
        ticket -= weight;
    }
    &LIANGXI
}

/// Characters of the trade names (字号) companies pick; two of them make one invented name.
pub const TRADE_NAME_CHARS: [&str; 48] = [
    "华", "盛", "泰", "德", "恒", "信", "源", "达", "鑫", "昌", "隆", "丰", "瑞", "康", "宏", "锦",
    "荣", "佳", "嘉", "和", "祥", "永", "博", "创", "远", "航", "正", "诚", "益", "联", "汇", "通",
    "明", "亿", "兴", "安", "润", "峰", "立", "协", "禾", "卓", "越", "睿", "尚", "凯", "晟", "铭",
];

pub fn trade_name(rng: &mut DemoRng) -> String {
    let first = pick(rng, &TRADE_NAME_CHARS);
    let mut second = pick(rng, &TRADE_NAME_CHARS);
    while second == first {
        second = pick(rng, &TRADE_NAME_CHARS);
    }
    format!("{first}{second}")
}
