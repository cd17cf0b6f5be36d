//! Times `analyse` and `read_rows` on a file: `cargo run --release --example bench FILE`.
use std::time::Instant;

fn main() {
    for a in std::env::args().skip(1) {
        let path = std::path::PathBuf::from(&a);
        let t = Instant::now();
        let an = match kaifang_tabular::analyse(&path, &Default::default()) {
            Ok(an) => an,
            Err(e) => {
                println!("{a}: {e}");
                continue;
            }
        };
        let ta = t.elapsed();
        let t = Instant::now();
        let mut n = 0u64;
        if let Ok(rows) = kaifang_tabular::read_rows(&path, &an) {
            for r in rows {
                if r.is_err() {
                    break;
                }
                n += 1;
            }
        }
        let tr = t.elapsed();
        let rate = |d: std::time::Duration| an.rows as f64 / d.as_secs_f64();
        println!(
            "{a}: {} rows, {} fields, {:?}; analyse {ta:.2?} ({:.0} rows/s), \
             read {n} in {tr:.2?} ({:.0} rows/s)",
            an.rows,
            an.schema.fields.len(),
            an.encoding,
            rate(ta),
            rate(tr)
        );
    }
}
