//! Row generators, one per demo table. Each draws from its own seeded stream.

mod education_health;
mod environment;
mod market;
mod services;
mod social;
mod transport;

use crate::demo::random::stream;
use crate::demo::table::{Table, ymd};

pub use market::Enterprise;

/// Which table a dataset publishes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    BusRoutes,
    AirQuality,
    Enterprises,
    FoodLicences,
    Schools,
    Medical,
    ServiceItems,
    Weather,
    CarParks,
    PowerUse,
    CareHomes,
    Allowance,
}

/// The enterprise register, shared by the datasets that name companies so that a company's
/// code is the same wherever it appears.
pub struct Register {
    pub firms: Vec<Enterprise>,
    pub table: Table,
}

impl Register {
    pub fn generate() -> Self {
        let (firms, table) = market::enterprises(&mut stream("enterprises"), 2000);
        Self { firms, table }
    }
}

pub fn build(kind: Kind, register: &Register) -> Table {
    let rng = &mut stream(&format!("{kind:?}"));
    match kind {
        Kind::BusRoutes => transport::bus_routes(rng, 260),
        Kind::AirQuality => environment::air_quality(rng, ymd(2025, 1, 1), 181),
        Kind::Enterprises => register.table.clone(),
        Kind::FoodLicences => market::food_licences(rng, &register.firms, 450),
        Kind::Schools => education_health::schools(rng, 320),
        Kind::Medical => education_health::medical(rng, 420),
        Kind::ServiceItems => services::service_items(rng),
        Kind::Weather => environment::weather(rng, ymd(2025, 6, 24), 7),
        Kind::CarParks => transport::car_parks(rng, 150),
        Kind::PowerUse => market::power_use(rng, &register.firms, 60),
        Kind::CareHomes => social::care_homes(rng, 64),
        Kind::Allowance => social::allowance(rng, ymd(2024, 7, 1), 12),
    }
}
