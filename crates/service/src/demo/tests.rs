//! Tests of the generated catalog as a whole; the code checkers are tested in `codes`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::path::Path;

use kaifang_domain::{AccessLevel, OrgKind};

use super::catalog::DATASETS;
use super::codes::is_valid_credit_code;
use super::table::Cell;
use super::tables::{Register, build};
use super::{DemoCatalog, generate};

fn generated() -> (tempfile::TempDir, DemoCatalog) {
    let dir = tempfile::tempdir().unwrap();
    let catalog = generate(dir.path()).unwrap();
    (dir, catalog)
}

fn file_of<'a>(catalog: &'a DemoCatalog, name: &str) -> &'a Path {
    let found = catalog.datasets.iter().find(|d| d.file.ends_with(name));
    &found
        .unwrap_or_else(|| panic!("no dataset writes {name}"))
        .file
}

#[test]
fn generating_twice_writes_identical_bytes() {
    let (_first_dir, first) = generated();
    let (_second_dir, second) = generated();
    assert_eq!(first.datasets.len(), second.datasets.len());
    for (a, b) in first.datasets.iter().zip(&second.datasets) {
        assert_eq!(a.file.file_name(), b.file.file_name());
        let (bytes_a, bytes_b) = (
            std::fs::read(&a.file).unwrap(),
            std::fs::read(&b.file).unwrap(),
        );
        assert!(
            bytes_a == bytes_b,
            "{} differs between runs",
            a.file.display()
        );
        assert_eq!(a.dataset, b.dataset);
    }
}

#[test]
fn every_file_exists_inside_the_folder_and_is_not_empty() {
    let (dir, catalog) = generated();
    assert_eq!(catalog.datasets.len(), 12);
    for dataset in &catalog.datasets {
        assert_eq!(dataset.file.parent(), Some(dir.path()));
        let size = std::fs::metadata(&dataset.file).unwrap().len();
        assert!(
            size > 1000,
            "{} has only {size} bytes",
            dataset.file.display()
        );
    }
}

#[test]
fn every_table_has_between_50_and_3000_rows_of_full_width() {
    let register = Register::generate();
    for spec in &DATASETS {
        let table = build(spec.kind, &register);
        let rows = table.rows.len();
        assert!((50..=3000).contains(&rows), "{}: {rows} rows", spec.title);
        assert!(
            table
                .rows
                .iter()
                .all(|row| row.len() == table.columns.len()),
            "{}",
            spec.title
        );
    }
}

#[test]
fn the_gbk_file_is_gb18030_with_crlf_and_no_bom() {
    let (_dir, catalog) = generated();
    let bytes = std::fs::read(file_of(&catalog, "enterprise_registration.csv")).unwrap();
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "must not be valid UTF-8"
    );
    assert!(!bytes.starts_with(b"\xEF\xBB\xBF"));
    let text = encoding_rs::GB18030
        .decode_without_bom_handling_and_without_replacement(&bytes)
        .expect("decodes cleanly as GB18030");
    assert!(text.starts_with("统一社会信用代码,企业名称,企业类型,成立日期,注册资本(万元)"));
    // "统一" in GBK is CD B3 D2 BB (GB2312 rows 45 and 50).
    assert!(bytes.starts_with(&[0xCD, 0xB3, 0xD2, 0xBB]));
    let lines = text.split_terminator("\r\n").count();
    assert_eq!(lines, 2001, "header + 2000 rows, each ending in CRLF");
    assert!(!text.replace("\r\n", "").contains('\n'));
    // Chinese Excel writes dates without zero padding: 2018/3/5.
    let first_row = text.lines().nth(1).unwrap_or_default();
    let date = first_row.split(',').nth(3).unwrap_or_default();
    let parts: Vec<&str> = date.split('/').collect();
    assert_eq!(parts.len(), 3, "{date}");
    assert!(parts.iter().skip(1).all(|p| !p.starts_with('0')), "{date}");
}

#[test]
fn every_credit_code_in_every_table_passes_the_checksum() {
    let register = Register::generate();
    let mut checked = 0;
    for spec in &DATASETS {
        for cell in build(spec.kind, &register).column("统一社会信用代码") {
            let Cell::Text(code) = cell else {
                panic!("{}: code is not text", spec.title)
            };
            assert!(is_valid_credit_code(code), "{}: {code}", spec.title);
            checked += 1;
        }
    }
    assert!(checked > 2500, "only {checked} codes checked");
}

#[test]
fn credit_codes_read_back_from_the_gbk_file_are_valid_and_unique() {
    let (_dir, catalog) = generated();
    let bytes = std::fs::read(file_of(&catalog, "enterprise_registration.csv")).unwrap();
    let (text, _, errors) = encoding_rs::GB18030.decode(&bytes);
    assert!(!errors);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let mut codes = BTreeSet::new();
    for record in reader.records() {
        let code = record.unwrap()[0].to_owned();
        assert!(is_valid_credit_code(&code), "{code}");
        assert!(code.starts_with("91320"), "a Wuxi enterprise: {code}");
        codes.insert(code);
    }
    assert_eq!(codes.len(), 2000);
}

#[test]
fn metadata_covers_access_levels_themes_and_frequencies() {
    let (_dir, catalog) = generated();
    let count = |level| {
        catalog
            .datasets
            .iter()
            .filter(|d| d.dataset.access_level == level)
            .count()
    };
    assert_eq!(count(AccessLevel::Conditional), 2);
    assert_eq!(count(AccessLevel::Closed), 1);
    assert_eq!(count(AccessLevel::Unconditional), 9);
    let themes: BTreeSet<_> = catalog
        .datasets
        .iter()
        .map(|d| d.dataset.theme.id())
        .collect();
    assert!(themes.len() >= 8, "{themes:?}");
    let frequencies: BTreeSet<_> = catalog
        .datasets
        .iter()
        .map(|d| d.dataset.update_frequency.id())
        .collect();
    assert!(frequencies.len() >= 5, "{frequencies:?}");
    let levels: BTreeSet<u8> = catalog
        .datasets
        .iter()
        .map(|d| d.dataset.sensitivity_level.get())
        .collect();
    assert_eq!(levels, BTreeSet::from([1, 2, 3]));
    for d in &catalog.datasets {
        let meta = &d.dataset;
        assert!(meta.organization_id.is_empty());
        assert_eq!(meta.license, "CC-BY-4.0");
        assert!(meta.description.chars().count() >= 40, "{}", meta.title);
        assert!(meta.keywords.len() >= 3, "{}", meta.title);
        assert!(meta.temporal_start <= meta.temporal_end, "{}", meta.title);
        let phone = meta.contact_phone.as_deref().unwrap_or_default();
        assert!(phone.starts_with("0510-8") && phone.len() == 13, "{phone}");
        assert!(
            meta.contact_email
                .as_deref()
                .unwrap_or_default()
                .contains('@')
        );
    }
    assert!(
        catalog
            .datasets
            .iter()
            .any(|d| d.dataset.description.chars().count() > 100)
    );
}

#[test]
fn organizations_list_parents_first_and_own_every_dataset() {
    let (_dir, catalog) = generated();
    let mut seen = BTreeSet::new();
    for org in &catalog.organizations {
        if let Some(parent) = &org.parent {
            assert!(
                seen.contains(parent.as_str()),
                "{} listed before {parent}",
                org.name
            );
            assert_eq!(org.kind, OrgKind::DistrictDepartment);
        }
        assert!(seen.insert(org.name.as_str()), "{} twice", org.name);
    }
    for kind in [
        OrgKind::CityDepartment,
        OrgKind::District,
        OrgKind::DistrictDepartment,
    ] {
        assert!(
            catalog.organizations.iter().any(|o| o.kind == kind),
            "{kind:?}"
        );
    }
    for dataset in &catalog.datasets {
        assert!(
            seen.contains(dataset.organization.as_str()),
            "{}",
            dataset.organization
        );
    }
}

#[test]
fn bus_route_numbers_keep_their_leading_zeros() {
    let (_dir, catalog) = generated();
    let text = std::fs::read_to_string(file_of(&catalog, "bus_routes.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(&reader.headers().unwrap()[0], "线路编号");
    let codes: Vec<String> = reader.records().map(|r| r.unwrap()[0].to_owned()).collect();
    assert!(
        codes
            .iter()
            .all(|c| c.len() == 4 && c.bytes().all(|b| b.is_ascii_digit()))
    );
    assert!(
        codes.iter().any(|c| c.starts_with("00")),
        "some route below 100"
    );
}

#[test]
fn json_wraps_an_array_of_objects_in_header_order() {
    let (_dir, catalog) = generated();
    let text = std::fs::read_to_string(file_of(&catalog, "medical_institutions.json")).unwrap();
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    let data = value["data"].as_array().unwrap();
    assert_eq!(value["total"].as_u64(), Some(data.len() as u64));
    assert!(data.iter().all(|row| row.is_object()));
    assert!(data[0]["核定床位数"].is_number());
    // Key order in the file follows the header, not the alphabet.
    let name = text.find("\"机构名称\"").unwrap();
    let code = text.find("\"统一社会信用代码\"").unwrap();
    assert!(name < code);
}

#[test]
fn tsv_and_bom_csv_have_their_markers() {
    let (_dir, catalog) = generated();
    let tsv = std::fs::read_to_string(file_of(&catalog, "xinwu_car_parks.tsv")).unwrap();
    let header = tsv.lines().next().unwrap_or_default();
    assert_eq!(header.split('\t').count(), 11, "{header}");
    let schools = std::fs::read(file_of(&catalog, "schools.csv")).unwrap();
    assert!(schools.starts_with("\u{feff}学校标识码,学校名称".as_bytes()));
}

#[test]
fn xlsx_is_a_zip_holding_one_worksheet() {
    let (_dir, catalog) = generated();
    let bytes = std::fs::read(file_of(&catalog, "air_quality_daily.xlsx")).unwrap();
    assert!(bytes.starts_with(b"PK\x03\x04"));
    // Entry names are stored uncompressed in the zip headers.
    let holds = |name: &[u8]| bytes.windows(name.len()).any(|w| w == name);
    assert!(holds(b"xl/worksheets/sheet1.xml"));
    assert!(!holds(b"xl/worksheets/sheet2.xml"));
}

#[test]
fn care_home_phones_are_mobile_shaped() {
    let register = Register::generate();
    let spec = DATASETS
        .iter()
        .find(|s| s.access_level == AccessLevel::Conditional && s.title.contains("养老"))
        .unwrap();
    let table = build(spec.kind, &register);
    for cell in table.column("联系电话") {
        let Cell::Text(phone) = cell else {
            panic!("phone is not text")
        };
        let bytes = phone.as_bytes();
        assert_eq!(bytes.len(), 11, "{phone}");
        assert!(
            bytes[0] == b'1' && (b'3'..=b'9').contains(&bytes[1]),
            "{phone}"
        );
        assert!(bytes.iter().all(u8::is_ascii_digit), "{phone}");
    }
}

#[test]
fn allowance_counts_are_consistent_aggregates() {
    let register = Register::generate();
    let spec = DATASETS
        .iter()
        .find(|s| s.access_level == AccessLevel::Closed)
        .unwrap();
    let table = build(spec.kind, &register);
    for row in &table.rows {
        let int = |i: usize| match row[i] {
            Cell::Int(v) => v,
            _ => panic!("column {i}"),
        };
        let (homes, people) = (int(2), int(3));
        assert!(people >= homes && homes > 0);
        assert!(int(4) + int(5) + int(6) <= people * 2);
    }
}
