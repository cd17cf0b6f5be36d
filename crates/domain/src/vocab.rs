//! Controlled vocabularies (../shared/domain/FACTS.md): identifiers in English for code and
//! API, labels in Chinese for the interface.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {vocabulary} value: {value:?} (expected one of {expected})")]
pub struct VocabError {
    pub vocabulary: &'static str,
    pub value: String,
    pub expected: String,
}

/// Declares a vocabulary: each value has an identifier, a Chinese and an English label.
/// Parsing accepts the identifier or the Chinese label, so imports from Chinese
/// spreadsheets and API calls both work.
macro_rules! vocabulary {
    (
        $name:ident, $vocab:literal,
        { $($variant:ident => ($id:literal, $zh:literal, $en:literal)),+ $(,)? }
    ) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "&'static str")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn id(self) -> &'static str {
                match self { $($name::$variant => $id),+ }
            }

            pub fn label_zh(self) -> &'static str {
                match self { $($name::$variant => $zh),+ }
            }

            pub fn label_en(self) -> &'static str {
                match self { $($name::$variant => $en),+ }
            }

            pub fn parse(value: &str) -> Result<Self, VocabError> {
                let value = value.trim();
                Self::ALL
                    .iter()
                    .copied()
                    .find(|v| v.id() == value || v.label_zh() == value)
                    .ok_or_else(|| VocabError {
                        vocabulary: $vocab,
                        value: value.to_owned(),
                        expected: Self::ALL.iter().map(|v| v.id()).collect::<Vec<_>>().join(", "),
                    })
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.id())
            }
        }

        impl std::str::FromStr for $name {
            type Err = VocabError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }

        impl TryFrom<String> for $name {
            type Error = VocabError;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                Self::parse(&s)
            }
        }

        impl From<$name> for &'static str {
            fn from(v: $name) -> Self {
                v.id()
            }
        }
    };
}

vocabulary!(AccessLevel, "access_level", {
    Unconditional => ("unconditional", "无条件开放", "Open"),
    Conditional => ("conditional", "有条件开放", "Conditional"),
    Closed => ("closed", "不予开放", "Closed"),
});

vocabulary!(OrgKind, "organization kind", {
    CityDepartment => ("city_department", "市级部门", "City department"),
    District => ("district", "区县", "District"),
    DistrictDepartment => ("district_department", "区县部门", "District department"),
});

vocabulary!(UpdateFrequency, "update_frequency", {
    Realtime => ("realtime", "实时", "Real time"),
    Daily => ("daily", "每天", "Daily"),
    Weekly => ("weekly", "每周", "Weekly"),
    Monthly => ("monthly", "每月", "Monthly"),
    Quarterly => ("quarterly", "每季度", "Quarterly"),
    HalfYearly => ("half_yearly", "每半年", "Half-yearly"),
    Yearly => ("yearly", "每年", "Yearly"),
    Irregular => ("irregular", "不定期", "Irregular"),
    Static => ("static", "不更新", "Not updated"),
});

vocabulary!(Theme, "theme", {
    CreditServices => ("credit_services", "信用服务", "Credit services"),
    Health => ("health", "医疗卫生", "Health"),
    SocialSecurity => ("social_security", "社保就业", "Social security and employment"),
    PublicSafety => ("public_safety", "公共安全", "Public safety"),
    UrbanHousing => ("urban_housing", "城建住房", "Urban construction and housing"),
    Transport => ("transport", "交通运输", "Transport"),
    EducationCulture => ("education_culture", "教育文化", "Education and culture"),
    Science => ("science", "科技创新", "Science and innovation"),
    ResourcesEnergy => ("resources_energy", "资源能源", "Resources and energy"),
    Environment => ("environment", "生态环境", "Ecology and environment"),
    IndustryAgriculture => ("industry_agriculture", "工业农业", "Industry and agriculture"),
    Commerce => ("commerce", "商贸流通", "Commerce and trade"),
    Finance => ("finance", "财税金融", "Finance and taxation"),
    WorkSafety => ("work_safety", "安全生产", "Work safety"),
    MarketSupervision => ("market_supervision", "市场监督", "Market supervision"),
    SocialAssistance => ("social_assistance", "社会救助", "Social assistance"),
    LegalServices => ("legal_services", "法律服务", "Legal services"),
    LifeServices => ("life_services", "生活服务", "Life services"),
    Weather => ("weather", "气象服务", "Weather"),
    Geospatial => ("geospatial", "地理空间", "Geospatial"),
    Organizations => ("organizations", "机构团体", "Organizations"),
    Other => ("other", "其他", "Other"),
});

impl Theme {
    /// The national catalogue's theme number: 1–21, and 99 for 其他.
    pub fn code(self) -> u8 {
        let position = Self::ALL.iter().position(|t| *t == self).unwrap_or(0);
        if self == Self::Other {
            99
        } else {
            u8::try_from(position + 1).unwrap_or(99)
        }
    }
}

vocabulary!(Industry, "industry", {
    A => ("A", "农、林、牧、渔业", "Agriculture, forestry, animal husbandry and fishery"),
    B => ("B", "采矿业", "Mining"),
    C => ("C", "制造业", "Manufacturing"),
    D => ("D", "电力、热力、燃气及水生产和供应业", "Electricity, heat, gas and water"),
    E => ("E", "建筑业", "Construction"),
    F => ("F", "批发和零售业", "Wholesale and retail"),
    G => ("G", "交通运输、仓储和邮政业", "Transport, storage and post"),
    H => ("H", "住宿和餐饮业", "Accommodation and catering"),
    I => ("I", "信息传输、软件和信息技术服务业", "Information and software"),
    J => ("J", "金融业", "Finance"),
    K => ("K", "房地产业", "Real estate"),
    L => ("L", "租赁和商务服务业", "Leasing and business services"),
    M => ("M", "科学研究和技术服务业", "Scientific research and technical services"),
    N => ("N", "水利、环境和公共设施管理业", "Water, environment and public facilities"),
    O => ("O", "居民服务、修理和其他服务业", "Residential and other services"),
    P => ("P", "教育", "Education"),
    Q => ("Q", "卫生和社会工作", "Health and social work"),
    R => ("R", "文化、体育和娱乐业", "Culture, sports and entertainment"),
    S => ("S", "公共管理、社会保障和社会组织", "Public administration and social organizations"),
    T => ("T", "国际组织", "International organizations"),
});

/// 数据分级 1–4 (GB/T 43697-2024 as graded by local practice).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct SensitivityLevel(u8);

impl SensitivityLevel {
    pub fn new(level: u8) -> Result<Self, VocabError> {
        if (1..=4).contains(&level) {
            Ok(Self(level))
        } else {
            Err(VocabError {
                vocabulary: "sensitivity_level",
                value: level.to_string(),
                expected: "1, 2, 3, 4".to_owned(),
            })
        }
    }

    pub fn get(self) -> u8 {
        self.0
    }

    pub fn label_zh(self) -> &'static str {
        match self.0 {
            1 => "一级",
            2 => "二级",
            3 => "三级",
            _ => "四级",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self.0 {
            1 => "Level 1",
            2 => "Level 2",
            3 => "Level 3",
            _ => "Level 4",
        }
    }
}

impl Default for SensitivityLevel {
    fn default() -> Self {
        Self(1)
    }
}

impl TryFrom<u8> for SensitivityLevel {
    type Error = VocabError;
    fn try_from(level: u8) -> Result<Self, Self::Error> {
        Self::new(level)
    }
}

impl From<SensitivityLevel> for u8 {
    fn from(level: SensitivityLevel) -> Self {
        level.0
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn themes_follow_the_national_numbering() {
        assert_eq!(Theme::ALL.len(), 22);
        assert_eq!(Theme::CreditServices.code(), 1);
        assert_eq!(Theme::Transport.code(), 6);
        assert_eq!(Theme::Organizations.code(), 21);
        assert_eq!(Theme::Other.code(), 99);
    }

    #[test]
    fn parses_identifier_or_chinese_label() {
        assert_eq!(
            AccessLevel::parse("conditional"),
            Ok(AccessLevel::Conditional)
        );
        assert_eq!(
            AccessLevel::parse("无条件开放"),
            Ok(AccessLevel::Unconditional)
        );
        assert_eq!(
            UpdateFrequency::parse("每季度"),
            Ok(UpdateFrequency::Quarterly)
        );
        let err = AccessLevel::parse("public").unwrap_err();
        assert_eq!(err.vocabulary, "access_level");
        assert!(
            err.to_string()
                .contains("unconditional, conditional, closed")
        );
    }

    #[test]
    fn sensitivity_levels_are_one_to_four() {
        assert!(SensitivityLevel::new(0).is_err());
        assert!(SensitivityLevel::new(5).is_err());
        assert_eq!(SensitivityLevel::new(4).map(SensitivityLevel::get), Ok(4));
    }

    #[test]
    fn serde_uses_identifiers() {
        let json = serde_json::to_string(&UpdateFrequency::HalfYearly).unwrap_or_default();
        assert_eq!(json, "\"half_yearly\"");
        let back: Result<Theme, _> = serde_json::from_str("\"交通运输\"");
        assert_eq!(back.ok(), Some(Theme::Transport));
    }
}
