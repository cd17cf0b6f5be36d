//! Interface strings. Chinese is the default; `?lang=en` switches to English.

use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

/// (key, 中文, English)
const STRINGS: &[(&str, &str, &str)] = &[
    (
        "site",
        "开放 · 公共数据开放平台",
        "Kaifang · Public Data Portal",
    ),
    ("home", "首页", "Home"),
    ("catalog", "数据目录", "Catalog"),
    ("api_docs", "接口", "API"),
    (
        "search_placeholder",
        "搜索数据集，例如：公交、空气质量",
        "Search datasets, e.g. bus, air quality",
    ),
    ("search", "搜索", "Search"),
    ("datasets", "数据集", "Datasets"),
    ("resources", "数据资源", "Resources"),
    ("organizations", "数据提供方", "Publishers"),
    ("rows", "数据量（条）", "Rows"),
    ("recent", "最近更新", "Recently updated"),
    ("organization", "数据提供方", "Publisher"),
    ("theme", "主题分类", "Theme"),
    ("industry", "行业分类", "Industry"),
    ("access_level", "开放属性", "Access"),
    ("sensitivity_level", "数据分级", "Sensitivity"),
    ("update_frequency", "更新频率", "Update frequency"),
    ("keywords", "标签", "Keywords"),
    ("spatial", "空间范围", "Spatial coverage"),
    ("temporal", "时间范围", "Temporal coverage"),
    ("license", "开放协议", "Licence"),
    ("contact", "联系方式", "Contact"),
    ("first_published", "首次发布", "First published"),
    ("last_updated", "最近更新", "Last updated"),
    ("data_volume", "数据量", "Data volume"),
    ("all", "全部", "All"),
    ("district", "区县", "District"),
    ("sort_by", "排序", "Sort by"),
    ("sort_relevance", "相关度", "relevance"),
    ("sort_newest", "最近更新", "newest"),
    ("sort_downloads", "下载最多", "most downloaded"),
    ("sort_calls", "调用最多", "most called"),
    ("nearest", "试试这些搜索：", "Try these searches:"),
    ("remove", "取消筛选", "Remove filter"),
    ("filter", "筛选", "Filter"),
    ("results", "共 {} 个数据集", "{} datasets"),
    (
        "no_results",
        "没有找到符合条件的数据集。",
        "No dataset matches.",
    ),
    ("preview", "数据预览", "Preview"),
    ("download", "下载", "Download"),
    ("row_api", "数据接口", "Row API"),
    ("schema", "数据项", "Fields"),
    ("field_name", "字段名", "Field"),
    ("field_type", "类型", "Type"),
    ("format", "格式", "Format"),
    ("size", "大小", "Size"),
    (
        "conditional_note",
        "有条件开放数据需申请通过后方可预览和下载。",
        "Conditional data needs an approved application.",
    ),
    ("prev", "上一页", "Previous"),
    ("next", "下一页", "Next"),
    ("not_found", "页面不存在", "Page not found"),
    ("error", "出错了", "Something went wrong"),
    ("switch_lang", "English", "中文"),
];

impl Lang {
    pub fn from_params(params: &[(String, String)]) -> Self {
        match params
            .iter()
            .rev()
            .find(|(k, _)| k == "lang")
            .map(|(_, v)| v.as_str())
        {
            Some("en") => Self::En,
            _ => Self::Zh,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::Zh => "zh",
            Self::En => "en",
        }
    }

    pub fn strings(self) -> BTreeMap<&'static str, &'static str> {
        STRINGS
            .iter()
            .map(|(key, zh, en)| (*key, if self == Self::Zh { *zh } else { *en }))
            .collect()
    }

    /// A vocabulary value's label in this language.
    pub fn label(self, zh: &'static str, en: &'static str) -> &'static str {
        if self == Self::Zh { zh } else { en }
    }
}
