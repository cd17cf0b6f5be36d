//! What the catalog index holds for a dataset, built from the store's records.

use std::collections::HashMap;

use kaifang_domain::{Dataset, OrgKind, Organization};
use kaifang_search::CatalogDoc;

/// Organizations by id, to name a dataset's publisher and the district it belongs to.
#[derive(Default)]
pub(crate) struct Organizations(HashMap<String, Organization>);

impl Organizations {
    pub(crate) fn new(list: Vec<Organization>) -> Self {
        Self(list.into_iter().map(|o| (o.id.clone(), o)).collect())
    }

    pub(crate) fn name(&self, id: &str) -> Option<&str> {
        self.0.get(id).map(|o| o.name.as_str())
    }

    pub(crate) fn id_named(&self, name: &str) -> Option<&str> {
        self.0
            .values()
            .find(|o| o.name == name)
            .map(|o| o.id.as_str())
    }

    /// The district an organization belongs to: itself when it is a district, its parent
    /// when it is a district's department; city departments belong to none.
    fn district(&self, id: &str) -> Option<String> {
        let org = self.0.get(id)?;
        match org.kind {
            OrgKind::District => Some(org.name.clone()),
            OrgKind::DistrictDepartment => {
                let parent = self.0.get(org.parent_id.as_deref()?)?;
                (parent.kind == OrgKind::District).then(|| parent.name.clone())
            }
            OrgKind::CityDepartment => None,
        }
    }
}

pub(crate) fn catalog_doc(dataset: &Dataset, organizations: &Organizations) -> CatalogDoc {
    let mut formats: Vec<String> = dataset.resources.iter().map(|r| r.format.clone()).collect();
    formats.sort();
    formats.dedup();
    let fields = dataset
        .resources
        .iter()
        .flat_map(|r| &r.schema.fields)
        .flat_map(|f| {
            [
                Some(&f.name),
                f.original_name.as_ref(),
                f.description.as_ref(),
            ]
        })
        .flatten()
        .filter(|text| !text.trim().is_empty())
        .cloned()
        .collect();
    CatalogDoc {
        id: dataset.id.clone(),
        title: dataset.title.clone(),
        description: dataset.description.clone(),
        keywords: dataset.keywords.clone(),
        organization_id: dataset.organization_id.clone(),
        organization_name: dataset.organization_name.clone(),
        district: organizations.district(&dataset.organization_id),
        theme: dataset.theme.id().to_owned(),
        access_level: dataset.access_level.id().to_owned(),
        update_frequency: dataset.update_frequency.id().to_owned(),
        formats,
        fields,
        last_updated: dataset.last_updated,
        downloads: u64::try_from(dataset.downloads).unwrap_or(0),
        calls: u64::try_from(dataset.calls).unwrap_or(0),
    }
}
