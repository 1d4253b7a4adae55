//! Issue 10, must-show 5: two processes sharing one token file, refreshing 200 times each
//! against a local platform, record all 400 fetches, and the file is whole at every moment.
//!
//! The test re-runs its own binary twice as the two processes (`child_refreshes`, ignored when
//! run on its own).
#![cfg(feature = "http")]

mod cloud_support;

use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use cloud_support::mock_platform::MockPlatform;
use slipmark::cloud::{
    ApiBase, Client, Credentials, FileTokenStore, HttpTransport, TokenKey, TokenStore,
};

const ID: &str = "1039521561";
const SECRET: &str = "abcdef0123456789";
const EACH: u32 = 200;

fn client(base: &str, file: &str) -> Client {
    Client::builder(
        Credentials::new(ID, SECRET),
        Arc::new(HttpTransport::new(Default::default())),
    )
    .base(ApiBase::parse(base))
    .token_store(Arc::new(FileTokenStore::new(file)))
    .daily_token_limit(10_000)
    .build()
}

/// One of the two processes: refreshes `EACH` times through its own store on the shared file.
#[test]
#[ignore = "run by two_processes_count_every_fetch as a child process"]
fn child_refreshes() {
    let base = std::env::var("SLIPMARK_TEST_BASE").expect("started by the parent test");
    let file = std::env::var("SLIPMARK_TEST_TOKENS").unwrap();
    let c = client(&base, &file);
    for _ in 0..EACH {
        c.fetch_app_token().unwrap();
    }
}

#[test]
fn two_processes_count_every_fetch() {
    let mock = MockPlatform::start(ID, SECRET, 10_000);
    let dir = std::env::temp_dir().join(format!("slipmark-token-procs-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("tokens.json");
    // Every read during the run must find a whole JSON file (or none yet).
    let done = Arc::new(AtomicBool::new(false));
    let watcher = {
        let (done, file) = (Arc::clone(&done), file.clone());
        std::thread::spawn(move || {
            let mut reads = 0u32;
            while !done.load(Ordering::Relaxed) {
                if let Ok(bytes) = std::fs::read(&file) {
                    let parsed: Result<serde_json::Value, _> = serde_json::from_slice(&bytes);
                    assert!(
                        parsed.is_ok(),
                        "a torn token file: {:?}",
                        String::from_utf8_lossy(&bytes)
                    );
                    reads += 1;
                }
            }
            reads
        })
    };
    let exe = std::env::current_exe().unwrap();
    let children: Vec<_> = (0..2)
        .map(|_| {
            Command::new(&exe)
                .args([
                    "child_refreshes",
                    "--exact",
                    "--ignored",
                    "--test-threads=1",
                ])
                .env("SLIPMARK_TEST_BASE", &mock.base)
                .env("SLIPMARK_TEST_TOKENS", &file)
                .spawn()
                .unwrap()
        })
        .collect();
    for mut child in children {
        assert!(child.wait().unwrap().success(), "a child failed");
    }
    done.store(true, Ordering::Relaxed);
    let reads = watcher.join().expect("the file was always whole");
    assert!(reads > 0);
    assert_eq!(
        mock.token_fetches(),
        2 * EACH,
        "the platform saw every fetch"
    );
    let store = FileTokenStore::new(&file);
    let record = store
        .load(&TokenKey::App(ID.into()).storage_key())
        .unwrap()
        .expect("a record");
    assert_eq!(
        record.fetches.len(),
        2 * EACH as usize,
        "every fetch was counted"
    );
    assert!(record.token.is_some());
    let _ = std::fs::remove_dir_all(&dir);
}
