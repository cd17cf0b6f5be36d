//! Prints what `analyse` finds in a file, and the first rows. A development aid.
use std::path::PathBuf;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let show: usize = std::env::var("ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3);
    for a in args {
        let path = PathBuf::from(&a);
        let options = kaifang_tabular::ReadOptions::default();
        match kaifang_tabular::analyse(&path, &options) {
            Err(e) => println!("{a}: ERROR {e}"),
            Ok(an) => {
                println!(
                    "{a}: {:?} enc={:?} delim={:?} sheets={:?} sheet={:?} header_row={} rows={}",
                    an.format,
                    an.encoding,
                    an.delimiter,
                    an.sheets,
                    an.sheet,
                    an.header_row,
                    an.rows
                );
                for f in &an.schema.fields {
                    println!(
                        "   {:?} {:?} orig={:?} desc={:?}",
                        f.name, f.field_type, f.original_name, f.description
                    );
                }
                for w in &an.warnings {
                    println!("   ! {} {}", w.code, w.message);
                }
                match kaifang_tabular::read_rows(&path, &an) {
                    Err(e) => println!("   read error {e}"),
                    Ok(it) => {
                        let mut n = 0u64;
                        for r in it {
                            match r {
                                Ok(v) => {
                                    if (n as usize) < show {
                                        println!("   {v:?}");
                                    }
                                    n += 1;
                                }
                                Err(e) => {
                                    println!("   row error {e}");
                                    break;
                                }
                            }
                        }
                        println!(
                            "   read {n} rows{}",
                            if n == an.rows { "" } else { " MISMATCH" }
                        );
                    }
                }
            }
        }
    }
}
