//! Small helpers over the seeded RNG. Only arithmetic that is exact in IEEE 754 is used, so
//! the output does not depend on the platform's libm.

use rand::Rng;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

pub type DemoRng = ChaCha8Rng;

/// Each generator gets its own stream, so adding or changing one dataset leaves the bytes of
/// the others unchanged.
pub fn stream(name: &str) -> DemoRng {
    // FNV-1a: a fixed, documented hash; std's hasher is not guaranteed stable across releases.
    let seed = name.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    ChaCha8Rng::seed_from_u64(seed)
}

pub fn pick<'a, T>(rng: &mut DemoRng, items: &'a [T]) -> &'a T {
    // The lists are compile-time constants and never empty.
    &items[rng.random_range(0..items.len())]
}

/// Picks by integer weights; `items` must hold at least one positive weight.
pub fn weighted<'a, T>(rng: &mut DemoRng, items: &'a [(T, u32)]) -> &'a T {
    let total: u32 = items.iter().map(|(_, w)| *w).sum();
    let mut ticket = rng.random_range(0..total.max(1));
    for (item, weight) in items {
        if ticket < *weight {
            return item;
        }
        ticket -= weight;
    }
    &items[items.len() - 1].0
}

/// Roughly standard normal (Irwin–Hall sum of four uniforms): bounded, smooth, exact to compute.
pub fn normal(rng: &mut DemoRng) -> f64 {
    let sum: f64 = (0..4).map(|_| rng.random::<f64>()).sum();
    (sum - 2.0) * 3.0_f64.sqrt()
}

/// A value around `mean` with spread `sd`, clamped to `[low, high]`.
pub fn around(rng: &mut DemoRng, mean: f64, sd: f64, low: f64, high: f64) -> f64 {
    (mean + sd * normal(rng)).clamp(low, high)
}

pub fn digits(rng: &mut DemoRng, count: usize) -> String {
    (0..count)
        .map(|_| char::from(b'0' + rng.random_range(0..10u8)))
        .collect()
}

/// A landline of a Wuxi office: area code 0510 and eight digits starting with 8.
pub fn office_phone(rng: &mut DemoRng) -> String {
    format!("0510-8{}", digits(rng, 7))
}

/// A mobile number in the 1[3-9]\d{9} shape, for the one dataset kept for masking work.
pub fn mobile(rng: &mut DemoRng) -> String {
    const PREFIXES: [&str; 16] = [
        "133", "135", "136", "137", "138", "139", "150", "151", "152", "157", "158", "159", "180",
        "187", "189", "199",
    ];
    format!("{}{}", pick(rng, &PREFIXES), digits(rng, 8))
}

/// Rounds to `places` decimals so the spreadsheet cell and its text rendering agree.
pub fn round(value: f64, places: i32) -> f64 {
    let factor = 10_f64.powi(places);
    (value * factor).round() / factor
}

/// A day in `[start, end]`; with `recent_bias` the draw leans towards `end`, as registrations
/// and licences pile up in later years.
pub fn date_between(
    rng: &mut DemoRng,
    start: chrono::NaiveDate,
    end: chrono::NaiveDate,
    recent_bias: bool,
) -> chrono::NaiveDate {
    let span = (end - start).num_days().max(0);
    let mut offset = rng.random_range(0..=span);
    if recent_bias {
        offset = offset.max(rng.random_range(0..=span));
    }
    start + chrono::Duration::days(offset)
}
