//! The demo catalog: realistic, deterministic synthetic open data of Wuxi (无锡) — several
//! agencies, themes, formats and access levels — for `kaifang serve --demo`. Everything is
//! generated here; no third-party file is copied. The caller imports what [`generate`] writes.

mod catalog;
mod codes;
mod places;
mod random;
mod table;
mod tables;
mod write;

#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};

use kaifang_domain::{NewDataset, OrgKind, SensitivityLevel};

use self::table::ymd;

pub struct DemoOrganization {
    /// e.g. "无锡市交通运输局"
    pub name: String,
    pub kind: OrgKind,
    /// The parent organization's name (a district department's district).
    pub parent: Option<String>,
}

pub struct DemoDataset {
    /// [`DemoOrganization::name`] of the publisher.
    pub organization: String,
    /// The generated file, inside the folder given to [`generate`].
    pub file: PathBuf,
    /// Metadata; `organization_id` is left empty, the caller fills it in.
    pub dataset: NewDataset,
}

pub struct DemoCatalog {
    /// Parents before children.
    pub organizations: Vec<DemoOrganization>,
    pub datasets: Vec<DemoDataset>,
}

/// Writes the demo files into `dir` (which exists) and describes them. Deterministic:
/// the same bytes every run (seeded ChaCha RNG, no clock, no HashMap iteration order).
pub fn generate(dir: &Path) -> std::io::Result<DemoCatalog> {
    let organizations = catalog::ORGANIZATIONS
        .iter()
        .map(|org| DemoOrganization {
            name: org.name.to_owned(),
            kind: org.kind,
            parent: org.parent.map(str::to_owned),
        })
        .collect();
    let register = tables::Register::generate();
    let mut datasets = Vec::with_capacity(catalog::DATASETS.len());
    for spec in &catalog::DATASETS {
        let table = tables::build(spec.kind, &register);
        let file = dir.join(spec.file);
        write::write(&file, &table, spec.layout)?;
        tracing::debug!(
            file = spec.file,
            rows = table.rows.len(),
            "demo file written"
        );
        datasets.push(DemoDataset {
            organization: spec.organization.to_owned(),
            file,
            dataset: metadata(spec),
        });
    }
    Ok(DemoCatalog {
        organizations,
        datasets,
    })
}

fn metadata(spec: &catalog::DatasetSpec) -> NewDataset {
    let ((y1, m1, d1), (y2, m2, d2)) = spec.temporal;
    NewDataset {
        title: spec.title.to_owned(),
        description: spec.description.to_owned(),
        organization_id: String::new(),
        theme: spec.theme,
        industry: spec.industry,
        keywords: spec.keywords.iter().map(|k| (*k).to_owned()).collect(),
        access_level: spec.access_level,
        sensitivity_level: SensitivityLevel::new(spec.sensitivity).unwrap_or_default(),
        update_frequency: spec.update_frequency,
        spatial_coverage: Some(spec.spatial.to_owned()),
        temporal_start: Some(ymd(y1, m1, d1)),
        temporal_end: Some(ymd(y2, m2, d2)),
        license: kaifang_domain::model::DEFAULT_LICENSE.to_owned(),
        contact_name: Some(spec.contact.office.to_owned()),
        contact_phone: Some(spec.contact.phone.to_owned()),
        contact_email: Some(spec.contact.email.to_owned()),
    }
}
