//! Small files of our own: JSON shapes, TSV, workbooks with typed cells and several sheets.

use std::path::PathBuf;

use chrono::NaiveDate;
use kaifang_domain::FieldType;
use kaifang_tabular::{Format, ReadOptions, Value};
use rust_xlsxwriter::{ExcelDateTime, Format as CellFormat, Workbook};

use crate::common::{date, field_type, has_warning, load, load_with, names, text};

fn write(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn json_array_with_nested_values_and_json_types() {
    let dir = tempfile::tempdir().unwrap();
    let json = r#"[
        {"id": 1, "name": "甲", "ok": true, "tags": ["a", "b"], "score": 1.5, "day": "2020-01-02"},
        {"id": 2, "name": null, "ok": false, "geo": {"x": 1}, "score": 2, "day": "2020-01-03"}
    ]"#;
    let (an, rows) = load(&write(&dir, "records.json", json.as_bytes()));
    assert_eq!(an.format, Format::Json);
    assert_eq!(
        names(&an),
        ["id", "name", "ok", "tags", "score", "day", "geo"]
    );
    assert_eq!(field_type(&an, "id"), FieldType::Integer);
    assert_eq!(field_type(&an, "ok"), FieldType::Boolean);
    assert_eq!(field_type(&an, "tags"), FieldType::String);
    assert_eq!(field_type(&an, "score"), FieldType::Number);
    assert_eq!(field_type(&an, "day"), FieldType::Date);
    assert!(has_warning(&an, "nested_values"));
    assert_eq!(rows[0][3], text(r#"["a","b"]"#));
    assert_eq!(rows[1][6], text(r#"{"x":1}"#));
    assert_eq!(rows[1][1], Value::Null);
    assert_eq!(rows[1][4], Value::Number(2.0));
    assert_eq!(rows[1][5], date(2020, 1, 3));
}

#[test]
fn json_records_wrapped_two_levels_deep() {
    let dir = tempfile::tempdir().unwrap();
    let json = r#"{"success": true, "tags": ["x"], "result": {"total": 2, "records": [
        {"code": "010010", "phone": "+8613800000000"}, {"code": "0471", "phone": null}]}}"#;
    let (an, rows) = load(&write(&dir, "wrapped.json", json.as_bytes()));
    assert_eq!(names(&an), ["code", "phone"]);
    assert_eq!(rows[0], [text("010010"), text("+8613800000000")]);
    assert_eq!(rows[1], [text("0471"), Value::Null]);
}

#[test]
fn ndjson_by_extension() {
    let dir = tempfile::tempdir().unwrap();
    let lines = "{\"a\": 1}\n\n{\"a\": 2, \"b\": \"x\"}\n";
    let (an, rows) = load(&write(&dir, "lines.jsonl", lines.as_bytes()));
    assert_eq!(names(&an), ["a", "b"]);
    assert_eq!(
        rows,
        [
            [Value::Integer(1), Value::Null],
            [Value::Integer(2), text("x")]
        ]
    );
}

#[test]
fn tab_separated_text_named_txt() {
    let dir = tempfile::tempdir().unwrap();
    let tsv = "名称\t金额\n甲\t1,200\n乙\t300\n";
    let (an, rows) = load(&write(&dir, "table.txt", tsv.as_bytes()));
    assert_eq!(an.delimiter, Some('\t'));
    assert_eq!(
        rows,
        [
            [text("甲"), Value::Integer(1200)],
            [text("乙"), Value::Integer(300)]
        ]
    );
}

#[test]
fn section_rows_in_delimited_text_and_notes_anywhere() {
    let dir = tempfile::tempdir().unwrap();
    let csv = "标题：测试表\n地区,人口,面积\n华东\n上海,2487,6340.5\n江苏,8505,107200\n\
               华北\n北京,2189,16410.5\n注：人口单位为万人\n";
    let (an, rows) = load(&write(&dir, "sections.csv", csv.as_bytes()));
    assert_eq!(an.header_row, 2);
    assert_eq!(an.rows, 3);
    assert_eq!(
        rows[2],
        [text("北京"), Value::Integer(2189), Value::Number(16410.5)]
    );
    assert!(has_warning(&an, "section_rows_skipped"));
    assert!(has_warning(&an, "footer_rows_skipped"));
}

fn workbook(dir: &tempfile::TempDir) -> PathBuf {
    let path = dir.path().join("typed.xlsx");
    let mut wb = Workbook::new();
    let empty = wb.add_worksheet();
    empty.set_name("空表").unwrap();
    let ws = wb.add_worksheet();
    ws.set_name("数据").unwrap();
    let date_format = CellFormat::new().set_num_format("yyyy\"年\"m\"月\"d\"日\"");
    let time_format = CellFormat::new().set_num_format("yyyy/m/d h:mm");
    for (c, h) in ["序号", "数值", "日期", "时间", "编码", "备注"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    type Row<'a> = (f64, f64, (u16, u8, u8), &'a str, &'a str);
    let rows: [Row<'_>; 3] = [
        (1.0, 43831.0, (2020, 1, 1), "001", "a"),
        (2.0, 0.125, (2021, 12, 31), "002", ""),
        (3.0, -7.5, (1999, 2, 28), "003", "c"),
    ];
    for (i, (n, value, (y, m, d), code, note)) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_number(r, 0, *n).unwrap();
        ws.write_number(r, 1, *value).unwrap();
        let day = ExcelDateTime::from_ymd(*y, *m, *d).unwrap();
        ws.write_datetime_with_format(r, 2, &day, &date_format)
            .unwrap();
        let at = ExcelDateTime::from_ymd(*y, *m, *d)
            .unwrap()
            .and_hms(8, 30, 0)
            .unwrap();
        ws.write_datetime_with_format(r, 3, &at, &time_format)
            .unwrap();
        ws.write_string(r, 4, *code).unwrap();
        ws.write_string(r, 5, *note).unwrap();
    }
    wb.save(&path).unwrap();
    path
}

#[test]
fn workbook_cells_keep_their_types() {
    let dir = tempfile::tempdir().unwrap();
    let path = workbook(&dir);
    let (an, rows) = load(&path);
    assert_eq!(an.sheets, ["空表", "数据"]);
    assert_eq!(an.sheet.as_deref(), Some("数据")); // the first sheet holding a value
    assert_eq!(field_type(&an, "序号"), FieldType::Integer); // 1.0, 2.0, 3.0
    assert_eq!(field_type(&an, "数值"), FieldType::Number);
    assert_eq!(field_type(&an, "日期"), FieldType::Date);
    assert_eq!(field_type(&an, "时间"), FieldType::Datetime);
    assert_eq!(field_type(&an, "编码"), FieldType::String);
    let at = NaiveDate::from_ymd_opt(2020, 1, 1).and_then(|d| d.and_hms_opt(8, 30, 0));
    assert_eq!(
        rows[0],
        [
            Value::Integer(1),
            Value::Number(43831.0),
            date(2020, 1, 1),
            Value::Datetime(at.unwrap()),
            text("001"),
            text("a")
        ]
    );
    assert_eq!(rows[1][1], Value::Number(0.125));
    assert_eq!(rows[1][5], Value::Null); // an empty text cell
    assert_eq!(rows[2][2], date(1999, 2, 28));
    let options = ReadOptions {
        sheet: Some("数据".to_owned()),
    };
    let (chosen, _) = load_with(&path, &options);
    assert_eq!(chosen.rows, 3);
}
