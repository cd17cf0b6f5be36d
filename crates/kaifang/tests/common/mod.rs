//! Running the binary as a user runs it.

#![allow(dead_code, clippy::unwrap_used)]

use std::process::Command;

pub const BUS_LINES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../web/tests/fixtures/bus_lines.csv"
);

/// `kaifang ARGS…`: exit code, stdout, stderr.
pub fn kaifang(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_kaifang"))
        .args(args)
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}
