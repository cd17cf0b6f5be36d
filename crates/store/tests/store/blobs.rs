//! Originals kept by content hash and streamed back.

use futures::TryStreamExt;
use kaifang_store::StoreError;

use crate::common::TestStore;

crate::both_backends!(blob_is_stored_under_its_sha256_and_streams_back);

async fn blob_is_stored_under_its_sha256_and_streams_back(t: TestStore) {
    let source = t.dir.path().join("原始文件.csv");
    std::fs::write(&source, b"abc").unwrap();
    let (hash, size) = t.store.put_blob(&source).await.unwrap();
    // SHA-256("abc") from FIPS 180-2, appendix B.1.
    assert_eq!(
        hash,
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    assert_eq!(size, 3);
    assert!(t.dir.path().join("data/blobs").join(&hash).is_file());

    // A second copy of the same content is the same blob.
    let copy = t.dir.path().join("copy.csv");
    std::fs::write(&copy, b"abc").unwrap();
    assert_eq!(t.store.put_blob(&copy).await.unwrap(), (hash.clone(), 3));

    // Larger than one read chunk, to cross chunk boundaries.
    let big: Vec<u8> = (0..700_000u32).map(|n| (n % 251) as u8).collect();
    let big_path = t.dir.path().join("big.bin");
    std::fs::write(&big_path, &big).unwrap();
    let (big_hash, big_size) = t.store.put_blob(&big_path).await.unwrap();
    assert_eq!(big_size, 700_000);
    let blob = t.store.open_blob(&big_hash).await.unwrap();
    assert_eq!(blob.size, 700_000);
    let chunks: Vec<bytes::Bytes> = blob.stream.try_collect().await.unwrap();
    assert_eq!(chunks.concat(), big);

    for bad in ["../../etc/passwd", "ABC", &"0".repeat(64)] {
        let opened = t.store.open_blob(bad).await;
        assert!(
            matches!(opened, Err(StoreError::NotFound { entity: "blob", .. })),
            "{bad}"
        );
    }
    let missing = t.store.put_blob(&t.dir.path().join("none.csv")).await;
    assert!(matches!(missing, Err(StoreError::Blob(_))));
}
