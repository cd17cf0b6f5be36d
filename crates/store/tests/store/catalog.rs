//! Migrations, organizations, datasets and resources, the dataset list and stats, change
//! records.

use chrono::NaiveDate;
use kaifang_domain::{
    AccessLevel, Industry, NewDataset, OrgKind, SensitivityLevel, Theme, UpdateFrequency,
};
use kaifang_store::{ChangeKind, DatasetQuery, StoreError};

use crate::common::TestStore;
use crate::fixture::{self, i, s};

crate::both_backends!(
    fresh_database_is_migrated_and_empty,
    organizations_are_found_by_exact_name,
    dataset_and_resource_round_trip_every_field,
    update_and_delete_dataset,
    list_filters_pages_and_hides_closed,
    stats_count_open_datasets_resources_and_rows,
    every_change_writes_a_change_record,
);

async fn fresh_database_is_migrated_and_empty(t: TestStore) {
    let stats = t.store.stats().await.unwrap();
    assert_eq!(stats, kaifang_store::CatalogStats::default());
    assert!(t.store.list_organizations().await.unwrap().is_empty());
    let (total, page) = t
        .store
        .list_datasets(&DatasetQuery::default())
        .await
        .unwrap();
    assert_eq!((total, page.len()), (0, 0));
    if t.store.backend() == "sqlite" {
        assert!(t.dir.path().join("data/kaifang.sqlite").is_file());
        // Opening again re-runs the migrator against an up-to-date schema.
        let config = kaifang_store::StoreConfig {
            data_dir: t.dir.path().join("data"),
            database_url: None,
        };
        let again = kaifang_store::Store::connect(&config).await.unwrap();
        assert_eq!(again.stats().await.unwrap().datasets, 0);
    }
}

async fn organizations_are_found_by_exact_name(t: TestStore) {
    let first = t
        .store
        .ensure_organization("市交通局", OrgKind::CityDepartment, None)
        .await
        .unwrap();
    let again = t
        .store
        .ensure_organization("市交通局", OrgKind::District, None)
        .await
        .unwrap();
    assert_eq!(first, again, "same row, kind kept");
    assert_eq!(again.kind, OrgKind::CityDepartment);
    let other = t
        .store
        .ensure_organization("浦东新区", OrgKind::District, None)
        .await
        .unwrap();
    assert_ne!(other.id, first.id);
    assert_eq!(other.parent_id, None);
    let child = t
        .store
        .ensure_organization(
            "浦东新区民政局",
            OrgKind::DistrictDepartment,
            Some(&other.id),
        )
        .await
        .unwrap();
    assert_eq!(child.parent_id.as_deref(), Some(other.id.as_str()));
    let all = t.store.list_organizations().await.unwrap();
    assert_eq!(all.len(), 3);
    assert!(uuid::Uuid::parse_str(&first.id).is_ok_and(|u| u.get_version_num() == 7));
}

fn full_dataset(organization_id: &str) -> NewDataset {
    NewDataset {
        title: "公交线路站点".to_owned(),
        description: "全市公交线路及站点，含经纬度".to_owned(),
        organization_id: organization_id.to_owned(),
        theme: Theme::Transport,
        industry: Some(Industry::G),
        keywords: vec!["公交".to_owned(), "站点".to_owned(), "bus".to_owned()],
        access_level: AccessLevel::Conditional,
        sensitivity_level: SensitivityLevel::new(3).unwrap(),
        update_frequency: UpdateFrequency::Monthly,
        spatial_coverage: Some("全市".to_owned()),
        temporal_start: NaiveDate::from_ymd_opt(2020, 1, 1),
        temporal_end: NaiveDate::from_ymd_opt(2024, 12, 31),
        license: "CC-BY-4.0".to_owned(),
        contact_name: Some("王工".to_owned()),
        contact_phone: Some("021-12345678".to_owned()),
        contact_email: Some("data@example.gov.cn".to_owned()),
    }
}

async fn dataset_and_resource_round_trip_every_field(t: TestStore) {
    let store = &t.store;
    let org = store
        .ensure_organization("市交通局", OrgKind::CityDepartment, None)
        .await
        .unwrap();
    let new = full_dataset(&org.id);
    let created = store.create_dataset(&new).await.unwrap();
    assert_eq!(created.title, new.title);
    assert_eq!(created.organization_name, "市交通局");
    assert_eq!(created.first_published, created.last_updated);
    assert_eq!(created.data_volume, 0);
    assert_eq!(store.dataset(&created.id).await.unwrap(), created);

    let schema = fixture::schema(&[
        ("线路", kaifang_domain::FieldType::String),
        ("站数", kaifang_domain::FieldType::Integer),
    ]);
    let mut new_resource = fixture::new_resource(&created.id, &schema);
    new_resource.kind = kaifang_domain::ResourceKind::Api;
    new_resource.sheet = Some("线路表".to_owned());
    let resource = store.create_resource(&new_resource).await.unwrap();
    assert_eq!(resource.rows, None);
    assert_eq!(resource.schema, schema);
    assert_eq!(resource.sheet.as_deref(), Some("线路表"));
    assert_eq!(store.resource(&resource.id).await.unwrap(), resource);

    let rows = vec![vec![s("1路"), i(12)], vec![s("2路"), i(30)]];
    assert_eq!(
        fixture::load(store, &resource.id, &schema, rows)
            .await
            .unwrap(),
        2
    );
    let dataset = store.dataset(&created.id).await.unwrap();
    assert_eq!(dataset.resources.len(), 1);
    assert_eq!(dataset.resources.first().and_then(|r| r.rows), Some(2));
    assert_eq!(dataset.data_volume, 2);
    assert!(dataset.last_updated > created.last_updated);

    let missing = store
        .create_dataset(&NewDataset::minimal("x", "no-such-org"))
        .await;
    assert!(matches!(
        missing,
        Err(StoreError::NotFound {
            entity: "organization",
            ..
        })
    ));
    let orphan = store
        .create_resource(&fixture::new_resource("no-such-dataset", &schema))
        .await;
    assert!(matches!(
        orphan,
        Err(StoreError::NotFound {
            entity: "dataset",
            ..
        })
    ));
    assert!(matches!(
        store.dataset("nope").await,
        Err(StoreError::NotFound { .. })
    ));
    assert!(matches!(
        store.resource("nope").await,
        Err(StoreError::NotFound { .. })
    ));
}

async fn update_and_delete_dataset(t: TestStore) {
    let store = &t.store;
    let org = store
        .ensure_organization("市交通局", OrgKind::CityDepartment, None)
        .await
        .unwrap();
    let created = store.create_dataset(&full_dataset(&org.id)).await.unwrap();
    let mut changed = full_dataset(&org.id);
    changed.title = "公交站点（2025版）".to_owned();
    changed.industry = None;
    changed.keywords = Vec::new();
    changed.temporal_end = None;
    let updated = store.update_dataset(&created.id, &changed).await.unwrap();
    assert_eq!(updated.title, "公交站点（2025版）");
    assert_eq!(updated.industry, None);
    assert!(updated.keywords.is_empty());
    assert_eq!(updated.first_published, created.first_published);
    assert!(updated.last_updated >= created.last_updated);

    let schema = fixture::schema(&[("线路", kaifang_domain::FieldType::String)]);
    let resource = store
        .create_resource(&fixture::new_resource(&created.id, &schema))
        .await
        .unwrap();
    fixture::load(store, &resource.id, &schema, vec![vec![s("1路")]])
        .await
        .unwrap();
    assert_eq!(t.datastore_tables().await.len(), 1);

    store.delete_dataset(&created.id).await.unwrap();
    assert!(matches!(
        store.dataset(&created.id).await,
        Err(StoreError::NotFound { .. })
    ));
    assert!(matches!(
        store.resource(&resource.id).await,
        Err(StoreError::NotFound { .. })
    ));
    assert!(
        t.datastore_tables().await.is_empty(),
        "datastore table dropped with the dataset"
    );
    assert_eq!(
        t.ds_tables().await,
        Vec::<String>::new(),
        "its search-terms tables too"
    );
    let again = store.delete_dataset(&created.id).await;
    assert!(matches!(
        again,
        Err(StoreError::NotFound {
            entity: "dataset",
            ..
        })
    ));
}

/// Five datasets created in order a…e; c is closed; b and d belong to 浦东新区.
async fn list_filters_pages_and_hides_closed(t: TestStore) {
    let store = &t.store;
    let city = store
        .ensure_organization("市交通局", OrgKind::CityDepartment, None)
        .await
        .unwrap();
    let pudong = store
        .ensure_organization("浦东新区", OrgKind::District, None)
        .await
        .unwrap();
    let specs = [
        (
            "a 公交线路",
            &city,
            Theme::Transport,
            AccessLevel::Unconditional,
            vec!["公交"],
        ),
        (
            "b 学校名录",
            &pudong,
            Theme::EducationCulture,
            AccessLevel::Unconditional,
            vec![],
        ),
        (
            "c 内部名单",
            &city,
            Theme::Transport,
            AccessLevel::Closed,
            vec![],
        ),
        (
            "d 空气质量",
            &pudong,
            Theme::Environment,
            AccessLevel::Conditional,
            vec!["PM2.5"],
        ),
        (
            "e 地铁站点",
            &city,
            Theme::Transport,
            AccessLevel::Unconditional,
            vec!["Metro"],
        ),
    ];
    let mut ids = Vec::new();
    for (title, org, theme, level, keywords) in specs {
        let mut new = NewDataset::minimal(title, org.id.clone());
        new.theme = theme;
        new.access_level = level;
        new.keywords = keywords.into_iter().map(str::to_owned).collect();
        ids.push(store.create_dataset(&new).await.unwrap().id);
        // Distinct timestamps, so "newest first" has one answer.
        tokio::time::sleep(std::time::Duration::from_millis(3)).await;
    }
    let titles = |page: &[kaifang_domain::Dataset]| -> Vec<String> {
        page.iter()
            .map(|d| d.title.chars().take(1).collect())
            .collect()
    };
    let list = |q: DatasetQuery| async move { store.list_datasets(&q).await.unwrap() };

    let (total, page) = list(DatasetQuery::default()).await;
    assert_eq!(
        (total, titles(&page)),
        (4, vec!["e".into(), "d".into(), "b".into(), "a".into()])
    );

    let staff = DatasetQuery {
        include_closed: true,
        ..Default::default()
    };
    let (total, page) = list(staff).await;
    assert_eq!((total, titles(&page).len()), (5, 5));

    let paged = DatasetQuery {
        page: 2,
        per_page: 3,
        ..Default::default()
    };
    let (total, page) = list(paged).await;
    assert_eq!((total, titles(&page)), (4, vec!["a".to_owned()]));

    let capped = DatasetQuery {
        per_page: 10_000,
        ..Default::default()
    };
    assert_eq!(list(capped).await.1.len(), 4);

    let by_name = DatasetQuery {
        organization: Some("浦东新区".into()),
        ..Default::default()
    };
    let (total, page) = list(by_name).await;
    assert_eq!(
        (total, titles(&page)),
        (2, vec!["d".to_owned(), "b".to_owned()])
    );
    let by_id = DatasetQuery {
        organization: Some(pudong.id.clone()),
        ..Default::default()
    };
    assert_eq!(list(by_id).await.0, 2);

    let transport = DatasetQuery {
        theme: Some(Theme::Transport),
        ..Default::default()
    };
    let (_, page) = list(transport).await;
    assert_eq!(titles(&page), vec!["e".to_owned(), "a".to_owned()]);

    let conditional = DatasetQuery {
        access_level: Some(AccessLevel::Conditional),
        ..Default::default()
    };
    assert_eq!(titles(&list(conditional).await.1), vec!["d".to_owned()]);
    let closed = DatasetQuery {
        access_level: Some(AccessLevel::Closed),
        ..Default::default()
    };
    assert_eq!(
        list(closed).await.0,
        0,
        "closed stays hidden even when asked for by level"
    );

    let q = |text: &str| DatasetQuery {
        q: Some(text.to_owned()),
        ..Default::default()
    };
    assert_eq!(
        titles(&list(q("站点")).await.1),
        vec!["e".to_owned()],
        "title"
    );
    assert_eq!(
        titles(&list(q("pm2.5")).await.1),
        vec!["d".to_owned()],
        "keyword, any case"
    );
    assert_eq!(titles(&list(q("metro")).await.1), vec!["e".to_owned()]);
    assert_eq!(list(q("浦东")).await.0, 2, "organization name");
    assert_eq!(
        list(q("内部")).await.0,
        0,
        "closed not found by text either"
    );
    assert_eq!(list(q("%")).await.0, 0, "a percent sign is not a wildcard");
    assert_eq!(ids.len(), 5);
}

async fn stats_count_open_datasets_resources_and_rows(t: TestStore) {
    let store = &t.store;
    let org = store
        .ensure_organization("市交通局", OrgKind::CityDepartment, None)
        .await
        .unwrap();
    let open = store
        .create_dataset(&NewDataset::minimal("开放", org.id.clone()))
        .await
        .unwrap();
    let mut closed = NewDataset::minimal("不开放", org.id.clone());
    closed.access_level = AccessLevel::Closed;
    let closed = store.create_dataset(&closed).await.unwrap();
    let schema = fixture::schema(&[("x", kaifang_domain::FieldType::Integer)]);
    for (dataset, rows) in [(&open, 3), (&open, 2), (&closed, 7)] {
        let r = store
            .create_resource(&fixture::new_resource(&dataset.id, &schema))
            .await
            .unwrap();
        let data = (0..rows).map(|n| vec![i(n)]).collect();
        fixture::load(store, &r.id, &schema, data).await.unwrap();
    }
    store
        .ensure_organization("浦东新区", OrgKind::District, None)
        .await
        .unwrap();
    let stats = store.stats().await.unwrap();
    assert_eq!(
        stats,
        kaifang_store::CatalogStats {
            datasets: 1,
            resources: 2,
            organizations: 2,
            rows: 5
        }
    );
}

async fn every_change_writes_a_change_record(t: TestStore) {
    let store = &t.store;
    let org = store
        .ensure_organization("市交通局", OrgKind::CityDepartment, None)
        .await
        .unwrap();
    let dataset = store
        .create_dataset(&NewDataset::minimal("x", org.id.clone()))
        .await
        .unwrap();
    let schema = fixture::schema(&[("x", kaifang_domain::FieldType::Integer)]);
    let resource = store
        .create_resource(&fixture::new_resource(&dataset.id, &schema))
        .await
        .unwrap();
    fixture::load(store, &resource.id, &schema, vec![vec![i(1)]])
        .await
        .unwrap();
    // A failed load changes nothing, so it records nothing.
    let (tx, rx) = tokio::sync::mpsc::channel(1);
    tx.send(Err("broken file".to_owned())).await.unwrap();
    drop(tx);
    assert!(store.load_rows(&resource.id, &schema, rx).await.is_err());
    store
        .update_dataset(&dataset.id, &NewDataset::minimal("y", org.id.clone()))
        .await
        .unwrap();
    store.delete_resource(&resource.id).await.unwrap();
    store.delete_dataset(&dataset.id).await.unwrap();

    let changes = store.catalog_changes(None, 100).await.unwrap();
    let kinds: Vec<ChangeKind> = changes.iter().map(|c| c.kind).collect();
    assert_eq!(
        kinds,
        vec![
            ChangeKind::DatasetCreated,
            ChangeKind::ResourceCreated,
            ChangeKind::ResourceLoaded,
            ChangeKind::DatasetUpdated,
            ChangeKind::ResourceDeleted,
            ChangeKind::DatasetDeleted,
        ]
    );
    assert!(changes.iter().all(|c| c.dataset_id == dataset.id));
    let after_second = changes.get(1).map(|c| c.id.clone());
    let rest = store
        .catalog_changes(after_second.as_deref(), 2)
        .await
        .unwrap();
    let rest: Vec<ChangeKind> = rest.iter().map(|c| c.kind).collect();
    assert_eq!(
        rest,
        vec![ChangeKind::ResourceLoaded, ChangeKind::DatasetUpdated]
    );
}
