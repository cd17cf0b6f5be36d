//! Environment and weather: the daily air quality report (空气质量日报) of the national
//! monitoring stations and hourly observations of the district weather stations.

use chrono::{Datelike, Duration, NaiveDate};
use rand::Rng;

use crate::demo::random::{DemoRng, around, normal, pick, round};
use crate::demo::table::{Cell, Table};

const AIR_STATIONS: [&str; 8] = [
    "黄巷", "漆塘", "东亭", "旺庄", "雪浪", "堰桥", "荣巷", "曹张",
];

/// HJ 633-2012 breakpoints: IAQI steps and the 24-hour (8-hour for O3) concentrations, µg/m³.
const IAQI: [f64; 8] = [0.0, 50.0, 100.0, 150.0, 200.0, 300.0, 400.0, 500.0];
const PM25: [f64; 8] = [0.0, 35.0, 75.0, 115.0, 150.0, 250.0, 350.0, 500.0];
const PM10: [f64; 8] = [0.0, 50.0, 150.0, 250.0, 350.0, 420.0, 500.0, 600.0];
const O3_8H: [f64; 6] = [0.0, 100.0, 160.0, 215.0, 265.0, 800.0];

/// Individual air quality index by linear interpolation, rounded up as HJ 633 prescribes.
pub fn iaqi(concentration: f64, breakpoints: &[f64]) -> i64 {
    let pairs = breakpoints.windows(2).zip(IAQI.windows(2));
    for (bp, index) in pairs {
        if let ([low, high], [i_low, i_high]) = (bp, index)
            && concentration <= *high
        {
            let value = (i_high - i_low) / (high - low) * (concentration - low) + i_low;
            return value.ceil() as i64;
        }
    }
    500
}

pub fn grade(aqi: i64) -> &'static str {
    match aqi {
        ..=50 => "优",
        51..=100 => "良",
        101..=150 => "轻度污染",
        151..=200 => "中度污染",
        201..=300 => "重度污染",
        _ => "严重污染",
    }
}

/// Daily report for January–June 2025 (181 days × 8 stations).
pub fn air_quality(rng: &mut DemoRng, start: NaiveDate, days: i64) -> Table {
    // Monthly means for Wuxi: particulates peak in winter, ozone in early summer.
    const PM25_MEAN: [f64; 6] = [50.0, 42.0, 35.0, 29.0, 25.0, 21.0];
    const O3_MEAN: [f64; 6] = [55.0, 68.0, 86.0, 104.0, 118.0, 114.0];
    let mut table = Table::new(&[
        "日期",
        "监测站点",
        "AQI",
        "PM2.5(μg/m³)",
        "PM10(μg/m³)",
        "O3-8h(μg/m³)",
        "首要污染物",
        "空气质量等级",
    ]);
    let offsets: Vec<f64> = AIR_STATIONS
        .iter()
        .map(|_| around(rng, 1.0, 0.05, 0.85, 1.15))
        .collect();
    let mut weather = 0.0;
    for day in 0..days {
        let date = start + Duration::days(day);
        let month = (date.month0() as usize).min(5);
        // Stagnant spells last several days: an AR(1) regional factor.
        weather = 0.7 * weather + 0.5 * normal(rng);
        // Ozone follows sunshine more than stagnation.
        let sunshine = around(rng, 1.0, 0.28, 0.4, 1.8);
        for (station, offset) in AIR_STATIONS.iter().zip(&offsets) {
            let local = around(rng, 1.0, 0.08, 0.7, 1.3);
            let pm25 = (PM25_MEAN[month] * offset * local * (1.0 + 0.5 * weather))
                .max(6.0)
                .round();
            let pm10 = (pm25 * around(rng, 1.55, 0.15, 1.15, 2.2)).round();
            let o3 = (O3_MEAN[month] * local * sunshine)
                .clamp(20.0, 260.0)
                .round();
            let parts = [
                (iaqi(pm25, &PM25), "PM2.5"),
                (iaqi(pm10, &PM10), "PM10"),
                (iaqi(o3, &O3_8H), "臭氧8小时"),
            ];
            let (aqi, pollutant) =
                parts.iter().fold(
                    (0, ""),
                    |best, part| {
                        if part.0 > best.0 { *part } else { best }
                    },
                );
            table.push(vec![
                Cell::Date(date),
                Cell::text(*station),
                Cell::Int(aqi),
                Cell::Int(pm25 as i64),
                Cell::Int(pm10 as i64),
                Cell::Int(o3 as i64),
                // HJ 633: no primary pollutant when the air is 优.
                Cell::text(if aqi <= 50 { "—" } else { pollutant }),
                Cell::text(grade(aqi)),
            ]);
        }
    }
    table
}

const WEATHER_STATIONS: [(&str, &str, &str); 7] = [
    ("M5801", "梁溪气象观测站", "梁溪区"),
    ("M5802", "锡山气象观测站", "锡山区"),
    ("M5803", "惠山气象观测站", "惠山区"),
    ("M5804", "滨湖气象观测站", "滨湖区"),
    ("M5805", "新吴气象观测站", "新吴区"),
    ("M5806", "江阴气象观测站", "江阴市"),
    ("M5807", "宜兴气象观测站", "宜兴市"),
];

/// Shape of the day's temperature: coolest at 05:00, warmest at 14:00.
const DIURNAL: [f64; 24] = [
    -0.6, -0.7, -0.8, -0.88, -0.95, -1.0, -0.9, -0.7, -0.45, -0.2, 0.1, 0.4, 0.7, 0.9, 1.0, 0.95,
    0.8, 0.6, 0.35, 0.15, 0.0, -0.2, -0.35, -0.5,
];

/// Hourly observations over a week of the plum-rain season (梅雨): warm, humid, often wet.
pub fn weather(rng: &mut DemoRng, start: NaiveDate, days: i64) -> Table {
    const WINDS: [&str; 8] = ["东南", "东南", "南", "东", "东北", "西南", "东南", "南"];
    let mut table = Table::new(&[
        "观测时间",
        "站号",
        "站名",
        "所属区域",
        "气温(℃)",
        "相对湿度(%)",
        "降水量(mm)",
        "风向",
        "风速(m/s)",
        "气压(hPa)",
        "能见度(km)",
    ]);
    for day in 0..days {
        let date = start + Duration::days(day);
        let rainy = rng.random_bool(0.6);
        let mean = if rainy {
            around(rng, 25.5, 1.0, 23.0, 28.0)
        } else {
            around(rng, 29.0, 1.0, 26.0, 32.0)
        };
        let swing = if rainy { 2.5 } else { 4.5 };
        let pressure = around(rng, 1005.0, 2.0, 999.0, 1012.0);
        for (hour, shape) in (0u32..).zip(DIURNAL) {
            let Some(time) = date.and_hms_opt(hour, 0, 0) else {
                continue;
            };
            for (id, name, area) in WEATHER_STATIONS {
                let temperature = round(mean + swing * shape + 0.5 * normal(rng), 1);
                let raining =
                    rainy && rng.random_bool(if area == "宜兴市" { 0.38 } else { 0.3 });
                let rain = if raining {
                    round(around(rng, 2.5, 3.0, 0.1, 28.0), 1)
                } else {
                    0.0
                };
                let humidity = if rainy {
                    around(rng, 93.0, 3.0, 85.0, 100.0)
                } else {
                    around(rng, 74.0 - 10.0 * shape, 4.0, 50.0, 95.0)
                };
                let visibility = if raining {
                    around(rng, 6.0, 2.0, 1.5, 12.0)
                } else {
                    around(rng, 16.0, 4.0, 6.0, 30.0)
                };
                table.push(vec![
                    Cell::DateTime(time),
                    Cell::text(id),
                    Cell::text(name),
                    Cell::text(area),
                    Cell::Dec(temperature, 1),
                    Cell::Int(humidity.round() as i64),
                    Cell::Dec(rain, 1),
                    Cell::text(*pick(rng, &WINDS)),
                    Cell::Dec(round(around(rng, 2.8, 1.0, 0.3, 7.5), 1), 1),
                    Cell::Dec(round(pressure + 0.3 * normal(rng), 1), 1),
                    Cell::Dec(round(visibility, 1), 1),
                ]);
            }
        }
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iaqi_matches_hand_computed_hj633_values() {
        // PM2.5 75 is the top of the 良 band: IAQI 100 exactly.
        assert_eq!(iaqi(75.0, &PM25), 100);
        // PM2.5 50: 50 + (100−50)/(75−35)·(50−35) = 68.75 → 69.
        assert_eq!(iaqi(50.0, &PM25), 69);
        // PM10 200: 100 + 50/100·50 = 125.
        assert_eq!(iaqi(200.0, &PM10), 125);
        // O3-8h 180: 100 + 50/55·20 = 118.18… → 119.
        assert_eq!(iaqi(180.0, &O3_8H), 119);
        assert_eq!(grade(50), "优");
        assert_eq!(grade(101), "轻度污染");
    }
}
