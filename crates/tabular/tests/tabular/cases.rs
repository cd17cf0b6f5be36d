//! The ingest cases of shared/cases/README.md, with the values it states.

use chrono::{NaiveDate, TimeDelta};
use kaifang_domain::FieldType;
use kaifang_tabular::{Format, ReadOptions, Value, analyse};

use crate::common::{col, date, field_type, has_warning, load, names, shared, text};

fn late_non_ascii(file: &str, encoding: &str) {
    let Some(path) = shared(&format!("cases/{file}")) else {
        return;
    };
    let (an, rows) = load(&path);
    assert_eq!(an.encoding.as_deref(), Some(encoding));
    assert_eq!(an.rows, 3003);
    let city = col(&an, "city");
    assert_eq!(rows[2999][city], text("Sample City 3000"));
    assert_eq!(
        rows[3000][..],
        [Value::Integer(3001), text("C03001"), text("上海市浦东新区")]
    );
    assert_eq!(rows[3001][city], text("北京市海淀区"));
    assert_eq!(rows[3002][city], text("贵阳市观山湖区"));
}

#[test]
fn late_non_ascii_gbk_is_decided_on_the_whole_file() {
    late_non_ascii("ckan-xloader-174_late-nonascii_gbk.csv", "gb18030");
}

#[test]
fn late_non_ascii_utf8_is_decided_on_the_whole_file() {
    late_non_ascii("ckan-xloader-174_late-nonascii_utf8.csv", "UTF-8");
}

#[test]
fn gbk_without_bom_from_chinese_excel() {
    let Some(path) = shared("cases/openrefine-2013_gbk-no-bom.csv") else {
        return;
    };
    let (an, rows) = load(&path);
    assert_eq!(an.encoding.as_deref(), Some("gb18030"));
    assert_eq!(
        names(&an),
        [
            "序号",
            "姓名",
            "身份证号",
            "手机号",
            "登记日期",
            "地址",
            "补贴金额(元)"
        ]
    );
    assert_eq!(field_type(&an, "补贴金额(元)"), FieldType::Number);
    let amount = col(&an, "补贴金额(元)");
    let amounts: Vec<&Value> = rows.iter().map(|r| &r[amount]).collect();
    assert_eq!(
        amounts,
        [
            &Value::Number(1200.0),
            &Value::Number(980.5),
            &Value::Number(12345.6)
        ]
    );
    // 2020年1月1日, 2020/1/15 and 2020-02-03 are all dates.
    assert_eq!(field_type(&an, "登记日期"), FieldType::Date);
    let day = col(&an, "登记日期");
    assert_eq!(rows[0][day], date(2020, 1, 1));
    assert_eq!(rows[1][day], date(2020, 1, 15));
    assert_eq!(rows[2][day], date(2020, 2, 3));
    assert_eq!(rows[0][col(&an, "身份证号")], text("1101**********123X"));
    assert_eq!(rows[0][col(&an, "姓名")], text("张三"));
}

#[test]
fn utf8_bom_is_stripped_before_the_header() {
    let Some(path) = shared("cases/sqlite-utils-250_utf8-bom-header.csv") else {
        return;
    };
    let (an, rows) = load(&path);
    assert_eq!(an.schema.fields[0].name, "序号");
    assert_eq!(an.schema.position("序号"), Some(0));
    assert_eq!(
        rows[0][..],
        [Value::Integer(1), text("苹果"), Value::Integer(3)]
    );
}

#[test]
fn leading_zeros_keep_the_column_text_byte_exact() {
    let Some(path) = shared("cases/csvkit-977_leading-zeros.csv") else {
        return;
    };
    let (an, rows) = load(&path);
    for name in ["邮政编码", "电话区号", "内部编号"] {
        assert_eq!(field_type(&an, name), FieldType::String, "{name}");
    }
    assert_eq!(field_type(&an, "行政区划代码"), FieldType::Integer);
    let column = |name| -> Vec<Value> { rows.iter().map(|r| r[col(&an, name)].clone()).collect() };
    assert_eq!(
        column("邮政编码"),
        [
            text("010010"),
            text("100010"),
            text("200001"),
            text("310002")
        ]
    );
    assert_eq!(
        column("电话区号"),
        [text("0471"), text("010"), text("021"), text("0571")]
    );
    assert_eq!(
        column("内部编号"),
        [
            text("0123456"),
            text("0065422"),
            text("0005600"),
            text("1212122")
        ]
    );
}

#[test]
fn phone_numbers_stay_text_and_an_empty_fax_is_null() {
    let Some(path) = shared("cases/csvkit-1143_phone-numbers.csv") else {
        return;
    };
    let (an, rows) = load(&path);
    assert_eq!(field_type(&an, "联系电话"), FieldType::String);
    assert_eq!(field_type(&an, "传真"), FieldType::String);
    let phone = col(&an, "联系电话");
    let fax = col(&an, "传真");
    assert_eq!(rows[0][phone], text("+8613800000000"));
    assert_eq!(rows[1][phone], text("13900001111"));
    assert_eq!(rows[2][phone], text("400-000-0000"));
    assert_eq!(rows[0][fax], text("010-12345678"));
    assert_eq!(rows[1][fax], text("(0571)87654321"));
    assert_eq!(rows[3][fax], Value::Null);
}

#[test]
fn blank_cells_in_typed_columns_are_null() {
    let Some(path) = shared("cases/ckan-xloader-182_blank-in-typed-column.csv") else {
        return;
    };
    let (an, rows) = load(&path);
    assert_eq!(field_type(&an, "date"), FieldType::Date);
    assert_eq!(field_type(&an, "temperature"), FieldType::Integer);
    assert_eq!(rows[2], [Value::Null, Value::Null, text("Berkeley")]);
    assert_eq!(rows[3], [date(2011, 1, 3), Value::Null, Value::Null]);
    assert_eq!(rows[1][1], Value::Integer(-1));
}

#[test]
fn excel_date_cells_become_iso_whatever_the_display_format() {
    let Some(path) = shared("cases/csvkit-577_excel-date-cells.xlsx") else {
        return;
    };
    let (an, rows) = load(&path);
    assert_eq!(an.format, Format::Xlsx);
    assert_eq!(an.sheets, ["登记表"]);
    assert_eq!(an.sheet.as_deref(), Some("登记表"));
    assert_eq!(an.rows, 7);
    // One column mixes dates, numbers and text, so it is a string column: each cell is
    // written in its own type's canonical form.
    let value = col(&an, "值");
    let serial = |days: i64| {
        let epoch = NaiveDate::from_ymd_opt(1899, 12, 30).unwrap_or_default();
        (epoch + TimeDelta::days(days))
            .format("%Y-%m-%d")
            .to_string()
    };
    assert_eq!(rows[0][value], text(&serial(42408))); // yyyy/m/d
    assert_eq!(rows[1][value], text("2020-01-01")); // yyyy"年"m"月"d"日", serial 43831
    assert_eq!(rows[2][value], text(&serial(39081))); // d-mmm
    assert_eq!(rows[3][value], text("2020-01-01T08:30:00")); // 43831.3541666 = 08:30
    assert_eq!(rows[4][value], text("43831")); // General: a number, not a date
    assert_eq!(rows[5][value], text("2020年1月1日")); // a text cell stays as written
    assert_eq!(rows[6][value], text("0.125")); // 0.0% format: the stored value
}

#[test]
fn excel_1904_date_system() {
    let Some(path) = shared("corpus/edge/calamine/date_1904.xlsx") else {
        return;
    };
    let (an, rows) = load(&path);
    // Serial 42735 in the 1904 system (2016-12-31 in the 1900 one) is 2021-01-01.
    assert_eq!(rows[0][0], text("2021-01-01"));
    assert_eq!(rows[1][0], text("2021-01-02"));
    assert_eq!(rows[2][0], text("255:10:10")); // a [hh]:mm:ss duration
    assert_eq!(an.header_row, 0);
    assert!(has_warning(&an, "no_header"));
}

#[test]
fn duplicate_and_blank_headers_are_renamed_with_originals_kept() {
    let Some(path) = shared("cases/ckan-datapusher-58_duplicate-blank-headers.csv") else {
        return;
    };
    let (an, rows) = load(&path);
    // Header: 序号,姓名,姓名,,备注,  — the last column is blank in every row.
    assert_eq!(names(&an), ["序号", "姓名", "姓名_2", "field_4", "备注"]);
    let fields = &an.schema.fields;
    assert_eq!(fields[2].original_name.as_deref(), Some("姓名"));
    assert_eq!(fields[3].original_name.as_deref(), Some(""));
    assert_eq!(fields[1].original_name, None);
    assert_eq!(
        an.warnings
            .iter()
            .filter(|w| w.code == "header_renamed")
            .count(),
        2
    );
    assert!(has_warning(&an, "empty_column_dropped"));
    // No data cell lost: x and y sit under the blank header.
    let first = [
        Value::Integer(1),
        text("张三"),
        text("Zhang San"),
        text("x"),
        text("首行"),
    ];
    assert_eq!(rows[0], first);
    assert_eq!(
        rows[1],
        [
            Value::Integer(2),
            text("李四"),
            text("Li Si"),
            text("y"),
            Value::Null
        ]
    );
}

#[test]
fn hostile_column_names_are_field_names() {
    let Some(path) = shared("cases/ckan-1871_hostile-column-names.csv") else {
        return;
    };
    let (an, rows) = load(&path);
    assert_eq!(
        names(&an),
        ["a\"; DROP TABLE t; --", "_id", "x' OR '1'='1", "name"]
    );
    assert!(an.schema.fields.iter().all(|f| f.original_name.is_none()));
    assert_eq!(
        rows,
        [[
            Value::Integer(1),
            Value::Integer(2),
            Value::Integer(3),
            Value::Integer(4)
        ]]
    );
}

#[test]
fn unicode_and_punctuated_column_names() {
    let Some(path) = shared("cases/ckan-xloader-28_unicode-column-names.csv") else {
        return;
    };
    let (an, rows) = load(&path);
    let want = [
        "统一社会信用代码",
        "注册资金(万元)",
        "地址/电话",
        "Name",
        "name",
        "序号",
        "d@t$e",
    ];
    assert_eq!(names(&an), want);
    let trimmed = &an.schema.fields[5];
    assert_eq!(trimmed.original_name.as_deref(), Some("序号 "));
    let warning = an.warnings.iter().find(|w| w.code == "header_trimmed");
    assert!(warning.is_some_and(|w| w.message.contains("序号")));
    assert_eq!(field_type(&an, "统一社会信用代码"), FieldType::String);
    assert_eq!(rows[0][0], text("91110000000000000X"));
    assert_eq!(rows[0][1], Value::Integer(1000));
    assert_eq!(rows[0][2], text("北京/010-00000000"));
    assert_eq!(rows[0][3..5], [text("a"), text("b")]);
    assert_eq!(rows[0][6], date(2020, 1, 1));
}

#[test]
fn cjk_fulltext_rows_read_intact() {
    let Some(path) = shared("cases/ckan-3615_cjk-fulltext.csv") else {
        return;
    };
    let (an, rows) = load(&path);
    assert_eq!(an.rows, 5);
    assert_eq!(rows[0][1], text("张江科学会堂"));
    assert_eq!(rows[4][1], text("Pudong Library"));
}

#[test]
fn unknown_sheet_is_refused_by_name() {
    let Some(path) = shared("cases/csvkit-577_excel-date-cells.xlsx") else {
        return;
    };
    let options = ReadOptions {
        sheet: Some("Sheet9".to_owned()),
    };
    let err = analyse(&path, &options)
        .map(|_| ())
        .unwrap_err()
        .to_string();
    assert!(err.contains("Sheet9") && err.contains("登记表"), "{err}");
}
