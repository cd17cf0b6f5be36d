//! Broken input gets a clear, typed error: random bytes, truncated workbooks, binaries
//! named .csv, damaged UTF-8 and GBK.

use std::path::PathBuf;

use kaifang_tabular::export::XlsxExport;
use kaifang_tabular::{ReadOptions, TabularError, Value, analyse};

fn write(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn refuse(path: &std::path::Path) -> TabularError {
    match analyse(path, &ReadOptions::default()) {
        Ok(an) => panic!("{} was accepted: {an:?}", path.display()),
        Err(e) => e,
    }
}

/// Deterministic noise (a linear congruential generator).
fn noise(len: usize, mut seed: u64) -> Vec<u8> {
    (0..len)
        .map(|_| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) as u8
        })
        .collect()
}

#[test]
fn random_bytes_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    for (i, len) in [1usize << 16, 3000, 200_000].into_iter().enumerate() {
        let path = write(&dir, &format!("noise{i}.csv"), &noise(len, i as u64 + 7));
        let err = refuse(&path);
        assert!(
            matches!(
                err,
                TabularError::UndecidableEncoding { .. } | TabularError::Unsupported(_)
            ),
            "{err:?}"
        );
        assert!(!err.to_string().is_empty());
    }
}

#[test]
fn binaries_named_csv_are_refused_by_what_they_are() {
    let dir = tempfile::tempdir().unwrap();
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend(noise(500, 1));
    let err = refuse(&write(&dir, "image.csv", &png));
    assert!(
        matches!(err, TabularError::Unsupported(_)) && err.to_string().contains("PNG"),
        "{err}"
    );
    let mut gz = b"\x1f\x8b\x08\x00".to_vec();
    gz.extend(noise(500, 2));
    let err = refuse(&write(&dir, "data.csv", &gz));
    assert!(err.to_string().contains("gzip"), "{err}");
    // Text full of control bytes is valid UTF-8 but no table.
    let controls: Vec<u8> = (0..4000u32).map(|i| (i % 8) as u8).collect();
    let err = refuse(&write(&dir, "controls.csv", &controls));
    assert!(matches!(err, TabularError::Unsupported(_)), "{err:?}");
    let err = refuse(&write(
        &dir,
        "page.csv",
        b"<!DOCTYPE html><html><body>x</body></html>",
    ));
    assert!(err.to_string().contains("HTML"), "{err}");
}

#[test]
fn truncated_xlsx_is_malformed() {
    let dir = tempfile::tempdir().unwrap();
    let full = dir.path().join("full.xlsx");
    let mut xlsx = XlsxExport::new(&["id", "name"], None).unwrap();
    for i in 0..200 {
        xlsx.write_row(&[Value::Integer(i), Value::String(format!("name {i}"))])
            .unwrap();
    }
    xlsx.finish_to_path(&full).unwrap();
    let bytes = std::fs::read(&full).unwrap();
    assert!(analyse(&full, &ReadOptions::default()).is_ok());
    for cut in [bytes.len() / 2, bytes.len() - 30, 100] {
        let path = write(&dir, &format!("cut{cut}.xlsx"), &bytes[..cut]);
        let err = refuse(&path);
        assert!(
            matches!(err, TabularError::Malformed { .. }),
            "cut at {cut}: {err:?}"
        );
    }
    // A zip that holds no workbook, named .zip.
    let path = write(&dir, "archive.zip", &bytes[..200]);
    assert!(matches!(refuse(&path), TabularError::Unsupported(_)));
}

#[test]
fn damaged_utf8_is_refused_at_the_bad_byte() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("id,city\n");
    for i in 0..200 {
        text.push_str(&format!("{i},上海市浦东新区\n"));
    }
    let mut bytes = text.into_bytes();
    let at = bytes.len();
    bytes.push(0xFF);
    bytes.extend_from_slice("1,北京市海淀区\n".as_bytes());
    let err = refuse(&write(&dir, "damaged.csv", &bytes));
    assert!(
        matches!(err, TabularError::UndecidableEncoding { offset } if offset == at as u64),
        "{err:?}"
    );
}

#[test]
fn damaged_gbk_is_refused_at_the_bad_byte() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("id,city\n");
    for i in 0..200 {
        text.push_str(&format!("{i},贵阳市观山湖区人民政府办公室\n"));
    }
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(&text);
    assert!(!unmappable);
    let mut bytes = gbk.into_owned();
    let at = bytes.len();
    bytes.extend_from_slice(b"7,\xFF\n");
    let err = refuse(&write(&dir, "damaged-gbk.csv", &bytes));
    assert!(
        matches!(err, TabularError::UndecidableEncoding { offset } if offset == at as u64 + 2),
        "{err:?}"
    );
}

#[test]
fn broken_json_is_malformed() {
    let dir = tempfile::tempdir().unwrap();
    let err = refuse(&write(&dir, "cut.json", br#"[{"a": 1}, {"a": 2"#));
    assert!(
        matches!(err, TabularError::Malformed { format: "json", .. }),
        "{err:?}"
    );
    let err = refuse(&write(&dir, "scalars.json", b"[1, 2, 3]"));
    assert!(err.to_string().contains("object"), "{err}");
    let err = refuse(&write(&dir, "no-array.json", br#"{"a": 1, "b": "x"}"#));
    assert!(matches!(err, TabularError::Empty(_)), "{err:?}");
}

#[test]
fn a_bad_byte_at_a_chunk_boundary_is_located() {
    let dir = tempfile::tempdir().unwrap();
    // The lone GB18030 lead byte 0x81 lands on offset 65535, the last byte of the first
    // 64 KiB chunk; what makes it bad (a line feed) is in the next one.
    let mut bytes = b"id,x\n1,".to_vec();
    bytes.resize(65_535, b'a');
    bytes.extend_from_slice(b"\x81\n2,b\n");
    let err = refuse(&write(&dir, "boundary.csv", &bytes));
    assert!(
        matches!(err, TabularError::UndecidableEncoding { offset: 65_535 }),
        "{err:?}"
    );
}
