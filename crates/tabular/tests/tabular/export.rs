//! Download writers: what goes in comes out, strings stay strings.

use calamine::{Data, Reader, Xlsx, open_workbook};
use chrono::NaiveDate;
use kaifang_tabular::export::{CsvExport, ExportError, JsonExport, XlsxExport};
use kaifang_tabular::{Value, read_rows};

use crate::common::{date, load, names, shared, text};

fn sample() -> (Vec<&'static str>, Vec<Vec<Value>>) {
    let at = NaiveDate::from_ymd_opt(2020, 1, 1)
        .and_then(|d| d.and_hms_opt(8, 30, 0))
        .unwrap();
    let fields = vec![
        "邮政编码",
        "电话",
        "数量",
        "金额",
        "有效",
        "日期",
        "时间",
        "备注",
    ];
    let rows = vec![
        vec![
            text("010010"),
            text("+8613800000000"),
            Value::Integer(3),
            Value::Number(1200.5),
            Value::Boolean(true),
            date(2020, 1, 2),
            Value::Datetime(at),
            text("含,逗号和\"引号\""),
        ],
        vec![
            text("0471"),
            Value::Null,
            Value::Integer(-4),
            Value::Number(0.125),
            Value::Boolean(false),
            Value::Null,
            Value::Null,
            text("第二行\n换行"),
        ],
    ];
    (fields, rows)
}

#[test]
fn csv_round_trips_leading_zeros_byte_exact() {
    let Some(path) = shared("cases/csvkit-977_leading-zeros.csv") else {
        return;
    };
    let (an, rows) = load(&path);
    let fields = names(&an);
    let mut out = CsvExport::new(Vec::new(), &fields, false).unwrap();
    for row in read_rows(&path, &an).unwrap() {
        out.write_row(&row.unwrap()).unwrap();
    }
    let bytes = out.finish().unwrap();
    let written = String::from_utf8(bytes.clone()).unwrap();
    let original = std::fs::read_to_string(&path).unwrap().replace('"', "");
    // Every value of the file, quotes aside, comes back as written.
    assert_eq!(written.replace('"', ""), original);
    assert!(written.contains("呼和浩特,010010,0471,150102,0123456\n"));
    let dir = tempfile::tempdir().unwrap();
    let again = dir.path().join("again.csv");
    std::fs::write(&again, &bytes).unwrap();
    let (an2, rows2) = load(&again);
    assert_eq!(an2.schema, an.schema);
    assert_eq!(rows2, rows);
}

#[test]
fn csv_export_quotes_and_bom() {
    let (fields, rows) = sample();
    let mut out = CsvExport::new(Vec::new(), &fields, true).unwrap();
    for row in &rows {
        out.write_row(row).unwrap();
    }
    let bytes = out.finish().unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF\xE9\x82\xAE")); // BOM, then 邮
    let body = String::from_utf8(bytes).unwrap();
    let lines: Vec<&str> = body
        .trim_start_matches('\u{feff}')
        .splitn(2, '\n')
        .collect();
    assert_eq!(lines[0], "邮政编码,电话,数量,金额,有效,日期,时间,备注");
    let first = "010010,+8613800000000,3,1200.5,true,2020-01-02,2020-01-01T08:30:00,";
    assert!(body.contains(&format!("{first}\"含,逗号和\"\"引号\"\"\"\n")));
    assert!(body.contains("0471,,-4,0.125,false,,,\"第二行\n换行\""));
}

#[test]
fn json_export_keeps_strings_strings() {
    let (fields, rows) = sample();
    let mut out = JsonExport::new(Vec::new(), &fields).unwrap();
    for row in &rows {
        out.write_row(row).unwrap();
    }
    let bytes = out.finish().unwrap();
    let parsed: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    let want = serde_json::json!([
        {"邮政编码": "010010", "电话": "+8613800000000", "数量": 3, "金额": 1200.5, "有效": true,
         "日期": "2020-01-02", "时间": "2020-01-01T08:30:00", "备注": "含,逗号和\"引号\""},
        {"邮政编码": "0471", "电话": null, "数量": -4, "金额": 0.125, "有效": false,
         "日期": null, "时间": null, "备注": "第二行\n换行"}
    ]);
    assert_eq!(parsed, want);
    // Field order follows the schema.
    let text = String::from_utf8(bytes).unwrap();
    assert!(text.find("邮政编码") < text.find("备注"));
    let empty = JsonExport::new(Vec::new(), &fields)
        .unwrap()
        .finish()
        .unwrap();
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&empty).unwrap(),
        serde_json::json!([])
    );
}

#[test]
fn json_export_of_the_phone_case() {
    let Some(path) = shared("cases/csvkit-1143_phone-numbers.csv") else {
        return;
    };
    let (an, rows) = load(&path);
    let mut out = JsonExport::new(Vec::new(), &names(&an)).unwrap();
    for row in &rows {
        out.write_row(row).unwrap();
    }
    let parsed: serde_json::Value = serde_json::from_slice(&out.finish().unwrap()).unwrap();
    assert_eq!(parsed[0]["联系电话"], serde_json::json!("+8613800000000"));
    assert_eq!(parsed[3]["传真"], serde_json::Value::Null);
}

#[test]
fn xlsx_export_types_cells() {
    let (fields, rows) = sample();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.xlsx");
    let mut out = XlsxExport::new(&fields, Some("数据")).unwrap();
    for row in &rows {
        out.write_row(row).unwrap();
    }
    out.finish_to_path(&path).unwrap();
    let mut wb: Xlsx<_> = open_workbook(&path).unwrap();
    assert_eq!(wb.sheet_names(), ["数据"]);
    let range = wb.worksheet_range("数据").unwrap();
    assert_eq!(
        range.get_value((0, 0)),
        Some(&Data::String("邮政编码".to_owned()))
    );
    assert_eq!(
        range.get_value((1, 0)),
        Some(&Data::String("010010".to_owned()))
    );
    assert_eq!(
        range.get_value((1, 1)),
        Some(&Data::String("+8613800000000".to_owned()))
    );
    assert_eq!(range.get_value((1, 2)), Some(&Data::Float(3.0)));
    assert_eq!(range.get_value((1, 4)), Some(&Data::Bool(true)));
    let day = match range.get_value((1, 5)) {
        Some(Data::DateTime(d)) => d.as_datetime(),
        other => panic!("not a date cell: {other:?}"),
    };
    assert_eq!(
        day,
        NaiveDate::from_ymd_opt(2020, 1, 2).and_then(|d| d.and_hms_opt(0, 0, 0))
    );
    let at = match range.get_value((1, 6)) {
        Some(Data::DateTime(d)) => d.as_datetime(),
        other => panic!("not a datetime cell: {other:?}"),
    };
    assert_eq!(
        at,
        NaiveDate::from_ymd_opt(2020, 1, 1).and_then(|d| d.and_hms_opt(8, 30, 0))
    );
    assert_eq!(range.get_value((2, 1)), Some(&Data::Empty));
    // And our own reader takes it back with the same types.
    let (an, back) = load(&path);
    assert_eq!(back[0][0], text("010010"));
    assert_eq!(back[0][5], date(2020, 1, 2));
    assert_eq!(names(&an), fields);
}

#[test]
fn a_row_of_the_wrong_width_is_refused() {
    let mut out = CsvExport::new(Vec::new(), &["a", "b"], false).unwrap();
    let err = out.write_row(&[Value::Null]).unwrap_err();
    assert!(matches!(err, ExportError::RowWidth { got: 1, want: 2 }));
}
