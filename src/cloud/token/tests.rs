use std::sync::atomic::{AtomicU32, Ordering};

use super::*;

fn token(name: &str, expires_at: Option<u64>) -> Token {
    Token {
        access_token: Secret::new(name),
        refresh_token: Some(Secret::new(format!("r-{name}"))),
        expires_at,
        refresh_expires_at: None,
        obtained_at: 0,
    }
}

fn manager(limit: u32) -> TokenManager {
    TokenManager::new(Arc::new(MemoryTokenStore::new()), limit, 3600)
}

#[test]
fn stored_token_is_used_without_fetching() {
    let m = manager(20);
    let key = TokenKey::App("c".into());
    m.put(&key, token("a", None)).unwrap();
    let t = m.get(&key, 100, &|_| panic!("no fetch expected")).unwrap();
    assert_eq!(t.access_token.expose(), "a");
    assert_eq!(m.record(&key).unwrap().fetches_in_window(100), 0);
}

#[test]
fn expiring_token_is_refreshed_ahead_with_its_refresh_token() {
    let m = manager(20);
    let key = TokenKey::Machine("m".into());
    m.put(&key, token("a", Some(10_000))).unwrap();
    // 3600 s margin: at 6400 the token is due.
    let t = m
        .get(&key, 6_400, &|old| {
            assert_eq!(
                old.and_then(|t| t.refresh_token.as_ref())
                    .map(Secret::expose),
                Some("r-a")
            );
            Ok(token("b", Some(99_999)))
        })
        .unwrap();
    assert_eq!(t.access_token.expose(), "b");
    assert_eq!(m.record(&key).unwrap().fetches, [6_400]);
}

#[test]
fn daily_budget_is_enforced_locally_and_rolls_over() {
    let m = manager(3);
    let key = TokenKey::App("c".into());
    let n = AtomicU32::new(0);
    let fetch = |_: Option<&Token>| {
        Ok(token(
            &format!("t{}", n.fetch_add(1, Ordering::SeqCst)),
            None,
        ))
    };
    for now in [10, 20, 30] {
        m.fetch_now(&key, now, &fetch).unwrap();
    }
    let e = m.fetch_now(&key, 40, &fetch).unwrap_err();
    assert_eq!(e.kind(), &ApiErrorKind::TokenQuota { used: 3, limit: 3 });
    assert_eq!(
        n.load(Ordering::SeqCst),
        3,
        "the refused fetch sent nothing"
    );
    // 24 h after the first fetch one slot is free again.
    m.fetch_now(&key, 10 + DAY, &fetch).unwrap();
    assert_eq!(m.record(&key).unwrap().fetches, [20, 30, 10 + DAY]);
}

#[test]
fn failed_fetch_still_counts() {
    let m = manager(20);
    let key = TokenKey::App("c".into());
    let e = m
        .fetch_now(&key, 5, &|_| Err(ApiError::new(ApiErrorKind::Timeout, "t")))
        .unwrap_err();
    assert_eq!(e.kind(), &ApiErrorKind::Timeout);
    assert_eq!(m.record(&key).unwrap().fetches_in_window(5), 1);
}

#[test]
fn concurrent_rejections_refresh_once() {
    let m = manager(20);
    let key = TokenKey::App("c".into());
    m.put(&key, token("old", None)).unwrap();
    let fetches = AtomicU32::new(0);
    std::thread::scope(|s| {
        for _ in 0..16 {
            s.spawn(|| {
                let t = m
                    .replace_rejected(&key, &Secret::new("old"), 50, &|_| {
                        fetches.fetch_add(1, Ordering::SeqCst);
                        std::thread::sleep(std::time::Duration::from_millis(20));
                        Ok(token("new", None))
                    })
                    .unwrap();
                assert_eq!(t.access_token.expose(), "new");
            });
        }
    });
    assert_eq!(fetches.load(Ordering::SeqCst), 1);
}

#[test]
fn own_app_tokens_ignore_expires_in() {
    let body = TokenBody {
        access_token: Secret::new("a"),
        refresh_token: None,
        machine_code: None,
        expires_in: Some(2_592_000),
        refresh_expires_in: Some(3_024_000),
    };
    let app = Token::from_body(body.clone(), &TokenKey::App("c".into()), 100);
    assert_eq!(app.expires_at, None);
    let machine = Token::from_body(body, &TokenKey::Machine("m".into()), 100);
    assert_eq!(machine.expires_at, Some(2_592_100));
    assert_eq!(machine.refresh_expires_at, Some(3_024_100));
}

#[test]
fn file_store_is_atomic_owner_only_and_round_trips() {
    let dir = std::env::temp_dir().join(format!("slipmark-token-test-{}", std::process::id()));
    let path = dir.join("sub").join("tokens.json");
    let store = FileTokenStore::new(&path);
    assert_eq!(store.load("app:c").unwrap(), None);
    let record = TokenRecord {
        token: Some(token("a", Some(5))),
        fetches: vec![1, 2],
    };
    store.save("app:c", &record).unwrap();
    store.save("machine:m", &TokenRecord::default()).unwrap();
    assert_eq!(
        FileTokenStore::new(&path).load("app:c").unwrap(),
        Some(record)
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let leftovers: Vec<_> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
    std::fs::write(&path, b"{not json").unwrap();
    assert_eq!(
        store.load("app:c").unwrap_err().kind(),
        &ApiErrorKind::TokenStore
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn failed_early_refresh_keeps_the_still_valid_token_and_cools_down() {
    let m = manager(20);
    let key = TokenKey::Machine("m".into());
    m.put(&key, token("a", Some(10_000))).unwrap();
    let attempts = AtomicU32::new(0);
    let down = |_: Option<&Token>| {
        attempts.fetch_add(1, Ordering::SeqCst);
        Err(ApiError::new(ApiErrorKind::Connect, "down"))
    };
    assert_eq!(
        m.get(&key, 7_000, &down).unwrap().access_token.expose(),
        "a"
    );
    // Within the cool-down no new attempt is made.
    assert_eq!(
        m.get(&key, 7_599, &down).unwrap().access_token.expose(),
        "a"
    );
    assert_eq!(attempts.load(Ordering::SeqCst), 1);
    assert_eq!(
        m.get(&key, 7_600, &down).unwrap().access_token.expose(),
        "a"
    );
    assert_eq!(attempts.load(Ordering::SeqCst), 2);
    // Once expired, the failure shows.
    let e = m.get(&key, 10_000, &down).unwrap_err();
    assert_eq!(e.kind(), &ApiErrorKind::Connect);
    assert_eq!(attempts.load(Ordering::SeqCst), 3);
}

#[test]
fn early_refresh_spends_at_most_half_the_budget() {
    let m = manager(4);
    let key = TokenKey::Machine("m".into());
    m.put(&key, token("a", Some(100_000))).unwrap();
    let n = AtomicU32::new(0);
    // Each fetched token is again close to expiry, so every call would like to refresh.
    let fetch = |_: Option<&Token>| {
        Ok(token(
            &format!("t{}", n.fetch_add(1, Ordering::SeqCst)),
            Some(100_000),
        ))
    };
    for now in [97_000, 97_600, 98_200, 98_800] {
        m.get(&key, now, &fetch).unwrap();
    }
    assert_eq!(n.load(Ordering::SeqCst), 2, "half of 4");
    // A rejection may still use the rest.
    m.replace_rejected(&key, &Secret::new("t1"), 98_900, &fetch)
        .unwrap();
    assert_eq!(n.load(Ordering::SeqCst), 3);
}
