//! Every file in shared/corpus/real: encoding, header row and data-row count as
//! corpus/real/SOURCES.md gives them, and values read off the files themselves.

use kaifang_domain::FieldType;
use kaifang_tabular::{Format, Value};

use crate::common::{col, date, field_type, has_warning, load, names, shared, text};

#[test]
fn nbs_monthly_gbk_with_preamble_and_footers() {
    let Some(path) = shared("corpus/real/cn-nbs/月度数据.csv") else {
        return;
    };
    let (an, rows) = load(&path);
    assert_eq!(an.format, Format::Csv);
    assert_eq!(an.encoding.as_deref(), Some("gb18030"));
    assert_eq!(an.delimiter, Some(','));
    assert_eq!(an.header_row, 3);
    assert_eq!(an.rows, 258);
    assert_eq!(names(&an)[0], "时间");
    assert_eq!(names(&an).len(), 7);
    let m2 = col(&an, "货币和准货币(M2)供应量期末值(亿元)");
    assert_eq!(an.schema.fields[m2].field_type, FieldType::Number);
    assert_eq!(rows[0][0], text("2021年5月"));
    assert_eq!(rows[0][m2], Value::Number(2_275_538.07));
    // The last data row sits right above the 注： and 数据来源： footers.
    assert_eq!(rows[257][0], text("1999年12月"));
    assert_eq!(rows[257][m2], Value::Number(117_638.1));
    assert!(has_warning(&an, "footer_rows_skipped"));
    assert!(has_warning(&an, "preamble_skipped"));
}

#[test]
fn nbs_provinces_gbk_unpadded_preamble_and_quoted_note() {
    let Some(path) = shared("corpus/real/cn-nbs/分省年度数据.csv") else {
        return;
    };
    let (an, rows) = load(&path);
    assert_eq!(an.encoding.as_deref(), Some("gb18030"));
    assert_eq!(an.header_row, 4);
    assert_eq!(an.rows, 31);
    assert_eq!(names(&an).len(), 26);
    assert_eq!(names(&an)[..3], ["地区", "2017年", "2016年"]);
    assert_eq!(field_type(&an, "2017年"), FieldType::Number);
    assert_eq!(rows[0][..2], [text("北京市"), Value::Number(28014.94)]);
    assert_eq!(
        rows[30][..2],
        [text("新疆维吾尔自治区"), Value::Number(10881.96)]
    );
}

#[test]
fn nbs_cities_xls_years_typed_despite_empty_text_cells() {
    let Some(path) = shared("corpus/real/cn-nbs/主要城市年度数据.xls") else {
        return;
    };
    let (an, rows) = load(&path);
    assert_eq!(an.format, Format::Xls);
    assert_eq!(an.encoding, None);
    assert_eq!(an.header_row, 4);
    assert_eq!(an.rows, 36);
    assert_eq!(
        names(&an),
        ["地区", "2019年", "2018年", "2017年", "2016年", "2015年"]
    );
    for year in ["2019年", "2018年", "2015年"] {
        assert_eq!(field_type(&an, year), FieldType::Number, "{year}");
    }
    assert_eq!(rows[0][..2], [text("北京"), Value::Number(35371.28)]);
    // 石家庄's 2019 cell is an empty text cell: null, not text.
    assert_eq!(
        rows[2][..3],
        [text("石家庄"), Value::Null, Value::Number(6082.62)]
    );
    assert!(has_warning(&an, "footer_rows_skipped"));
}

#[test]
fn moe_university_list_drops_province_section_rows() {
    let Some(path) = shared("corpus/real/cn-moe/全国高等学校名单.xls") else {
        return;
    };
    let (an, rows) = load(&path);
    assert_eq!(an.format, Format::Xls);
    assert_eq!(an.sheets.len(), 2);
    assert_eq!(an.sheets[0], "sheet1");
    assert_eq!(an.sheet.as_deref(), Some("sheet1"));
    assert_eq!(an.header_row, 3);
    assert_eq!(
        names(&an),
        [
            "序号",
            "学校名称",
            "学校标识码",
            "主管部门",
            "所在地",
            "办学层次",
            "备注"
        ]
    );
    // 2665 sheet rows = 2 above the header + header + 31 provinces + 2631 schools.
    assert_eq!(an.rows, 2631);
    let section = an
        .warnings
        .iter()
        .find(|w| w.code == "section_rows_skipped");
    let section = section.map(|w| w.message.as_str()).unwrap_or_default();
    assert!(
        section.starts_with("31 ") && section.contains("北京市（92所）"),
        "{section}"
    );
    assert_eq!(field_type(&an, "序号"), FieldType::Integer);
    assert_eq!(field_type(&an, "学校标识码"), FieldType::String);
    let first = [
        text("北京大学"),
        text("4111010001"),
        text("教育部"),
        text("北京市"),
        text("本科"),
    ];
    assert_eq!(rows[0][0], Value::Integer(1));
    assert_eq!(rows[0][1..6], first);
    assert_eq!(rows[2630][0], Value::Integer(2631));
    // No row is a province heading.
    assert!(rows.iter().all(|r| matches!(r[0], Value::Integer(_))));
}

#[test]
fn ningxia_registry_csv_keeps_codes_as_text_and_na_as_null() {
    let Some(path) = shared("corpus/real/cn-enterprise-registry/宁夏.csv") else {
        return;
    };
    let (an, rows) = load(&path);
    assert_eq!(an.encoding.as_deref(), Some("UTF-8"));
    assert_eq!(an.header_row, 1);
    assert_eq!(an.rows, 573);
    let code = col(&an, "统一社会信用代码");
    let capital = col(&an, "注册资金");
    let kind = col(&an, "企业类型");
    assert_eq!(an.schema.fields[code].field_type, FieldType::String);
    assert_eq!(field_type(&an, "注册日期"), FieldType::Date);
    assert_eq!(rows[0][code], text("91640100715093810U"));
    assert_eq!(rows[0][col(&an, "注册日期")], date(2002, 1, 8));
    assert_eq!(rows[0][kind], Value::Null);
    assert_eq!(rows[1][capital], text("5,000(万)"));
    // SOURCES.md: 117 N/A in 注册资金, 560 in 企业类型.
    assert_eq!(
        rows.iter().filter(|r| r[capital] == Value::Null).count(),
        117
    );
    assert_eq!(rows.iter().filter(|r| r[kind] == Value::Null).count(), 560);
    assert_eq!(
        rows[572][..2],
        [text("宁夏宁化新型建材分公司"), text("91640000735978093T")]
    );
}

#[test]
fn ningxia_registry_json_wrapper_agrees_with_the_csv() {
    let Some(json) = shared("corpus/real/cn-enterprise-registry/宁夏.json") else {
        return;
    };
    let Some(csv) = shared("corpus/real/cn-enterprise-registry/宁夏.csv") else {
        return;
    };
    let (an, rows) = load(&json);
    assert_eq!(an.format, Format::Json);
    assert_eq!(an.rows, 573);
    assert_eq!(an.header_row, 0);
    assert_eq!(names(&an)[..3], ["name", "code", "registrationDay"]);
    assert_eq!(field_type(&an, "code"), FieldType::String);
    let (csv_an, csv_rows) = load(&csv);
    let types = |a: &kaifang_tabular::Analysis| -> Vec<FieldType> {
        a.schema.fields.iter().map(|f| f.field_type).collect()
    };
    assert_eq!(types(&an), types(&csv_an));
    assert_eq!(rows, csv_rows);
}

#[test]
fn shanghai_daily_is_205_columns_wide() {
    let Some(path) = shared("corpus/real/cn-shanghai-health/shanghai-daily.csv") else {
        return;
    };
    let (an, rows) = load(&path);
    assert_eq!(an.rows, 165);
    assert_eq!(an.schema.fields.len(), 205);
    assert_eq!(field_type(&an, "日期"), FieldType::Date);
    assert_eq!(
        field_type(&an, "从闭环隔离中发现的阳性感染者"),
        FieldType::Integer
    );
    assert_eq!(
        rows[0][..4],
        [
            date(2022, 5, 11),
            Value::Integer(1450),
            Value::Integer(144),
            Value::Integer(1306)
        ]
    );
}

#[test]
fn taipei_land_bom_and_english_second_header() {
    let Some(path) = shared("corpus/real/tw-moi-lvr/a_lvr_land_a.csv") else {
        return;
    };
    let (an, rows) = load(&path);
    assert_eq!(an.encoding.as_deref(), Some("UTF-8"));
    assert_eq!(an.header_row, 1);
    assert_eq!(an.rows, 366);
    assert_eq!(an.schema.fields.len(), 28);
    let first = &an.schema.fields[0];
    assert_eq!(first.name, "鄉鎮市區");
    assert_eq!(
        first.description.as_deref(),
        Some("The villages and towns urban district")
    );
    assert!(has_warning(&an, "header_second_row"));
    assert_eq!(
        rows[0][..3],
        [
            text("文山區"),
            text("房地(土地+建物)+車位"),
            text("臺北市文山區車前路1~30號")
        ]
    );
    assert!(
        rows.iter()
            .all(|r| r[0] != text("The villages and towns urban district"))
    );
}

#[test]
fn taiwan_agency_list_utf16le() {
    let Some(path) = shared("corpus/real/tw-datagov/orglist-100.CSV") else {
        return;
    };
    let (an, rows) = load(&path);
    assert_eq!(an.encoding.as_deref(), Some("UTF-16LE"));
    assert_eq!(an.rows, 99);
    assert_eq!(an.schema.fields.len(), 17);
    assert_eq!(field_type(&an, "機關代碼"), FieldType::String);
    assert_eq!(field_type(&an, "機關電話"), FieldType::String);
    assert_eq!(rows[0][col(&an, "機關代碼")], text("100000000A"));
    assert_eq!(rows[0][col(&an, "機關名稱")], text("國民大會"));
    assert_eq!(rows[0][col(&an, "機關電話")], text("02-23311312"));
}

#[test]
fn taiwan_national_accounts_big5_pivot() {
    let Some(path) = shared("corpus/real/tw-datagov/NA8103A1Ac.csv") else {
        return;
    };
    let (an, rows) = load(&path);
    assert_eq!(an.encoding.as_deref(), Some("Big5"));
    // Title and blank line above; the header `" "," "," 國內生產毛額…"` and `原始值` under it.
    let value = col(&an, "國內生產毛額_當期價格(新台幣百萬元)");
    assert_eq!(
        an.schema.fields[value].description.as_deref(),
        Some("原始值")
    );
    assert_eq!(an.schema.fields[value].field_type, FieldType::Integer);
    // 625 lines: 7 year lines (2007…2013) of 86 industry lines each = 602 data rows; the
    // year lines and the notes below are one-field section rows.
    assert_eq!(an.rows, 602);
    assert_eq!(
        rows[0][value - 1..=value],
        [text("A.農、林、漁、牧業"), Value::Integer(191_886)]
    );
    assert!(has_warning(&an, "section_rows_skipped"));
}

#[test]
fn taiwan_consumer_loans_padded_codes_stay_text() {
    let Some(path) = shared("corpus/real/tw-datagov/cl_info_other.csv") else {
        return;
    };
    let (an, rows) = load(&path);
    assert_eq!(an.rows, 9041);
    let code = col(&an, "bank_code");
    assert_eq!(an.schema.fields[code].field_type, FieldType::String);
    // "020       " and "N000      ": fixed-width padding trimmed, zeros kept.
    assert_eq!(rows[0][code], text("020"));
    assert_eq!(rows[1][code], text("N000"));
    assert_eq!(field_type(&an, "etl_dt"), FieldType::Datetime);
    let stamp = chrono::NaiveDate::from_ymd_opt(2013, 11, 26)
        .and_then(|d| d.and_hms_micro_opt(22, 30, 7, 971_327))
        .map(Value::Datetime);
    assert_eq!(Some(rows[0][col(&an, "etl_dt")].clone()), stamp);
    assert_eq!(rows[1][col(&an, "mortgage_cnt")], Value::Number(9924.0));
}

#[test]
fn nyc_baby_names() {
    let Some(path) = shared("corpus/real/en-socrata/Popular_Baby_Names.csv") else {
        return;
    };
    let (an, rows) = load(&path);
    assert_eq!(an.rows, 39472);
    assert_eq!(
        names(&an),
        [
            "Year of Birth",
            "Gender",
            "Ethnicity",
            "Child's First Name",
            "Count",
            "Rank"
        ]
    );
    let first = [
        Value::Integer(2011),
        text("FEMALE"),
        text("HISPANIC"),
        text("GERALDINE"),
        Value::Integer(13),
        Value::Integer(75),
    ];
    assert_eq!(rows[0], first);
}

#[test]
fn ny_lottery_numbers_stay_text_and_us_dates_parse() {
    let Some(path) =
        shared("corpus/real/en-socrata/Lottery_Powerball_Winning_Numbers__Beginning_2010.csv")
    else {
        return;
    };
    let (an, rows) = load(&path);
    assert_eq!(an.rows, 1757);
    assert_eq!(field_type(&an, "Winning Numbers"), FieldType::String);
    // 09/26/2020 settles the order: month first.
    assert_eq!(field_type(&an, "Draw Date"), FieldType::Date);
    assert_eq!(
        rows[0],
        [
            date(2020, 9, 26),
            text("11 21 27 36 62 24"),
            Value::Integer(3)
        ]
    );
    assert_eq!(
        rows[1756],
        [
            date(2025, 3, 12),
            text("11 13 28 51 58 01"),
            Value::Integer(2)
        ]
    );
}
