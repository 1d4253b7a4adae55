use super::*;

fn creds() -> Credentials {
    Credentials::new("1039521561", "abcdef0123456789")
}

#[test]
fn print_request_is_signed_and_encoded() {
    let req = ApiRequest::print_text("4004519454", "<FS2>鱼香肉丝</FS2>\r\nA&B+C=50%", "order42");
    let http = req.prepare(
        &ApiBase::V2,
        &creds(),
        Some(&Secret::new("tok")),
        1_498_529_466,
        "uuid-1",
    );
    assert_eq!(http.url, "https://open-api.10ss.net/v2/print/index");
    // sign = md5("1039521561" + "1498529466" + "abcdef0123456789"), computed independently:
    //   python3 -c 'import hashlib;print(hashlib.md5(b"10395215611498529466abcdef0123456789").hexdigest())'
    assert_eq!(
        http.body,
        "client_id=1039521561&access_token=tok&sign=eec663ddfccaaec0008d36484ace2f9a\
         &timestamp=1498529466&id=uuid-1&machine_code=4004519454\
         &content=%3CFS2%3E%E9%B1%BC%E9%A6%99%E8%82%89%E4%B8%9D%3C%2FFS2%3E%0D%0AA%26B%2BC%3D50%25\
         &origin_id=order42&idempotence=1"
    );
    assert_eq!(req.retry, Retry::Safe);
}

#[test]
fn token_requests_carry_no_access_token() {
    let http =
        ApiRequest::token(&Grant::ClientCredentials).prepare(&ApiBase::V1, &creds(), None, 1, "i");
    assert!(!http.body.contains("access_token"), "{}", http.body);
    insta::assert_snapshot!(http.redacted(), @r#"
    POST https://open-api.10ss.net/oauth/oauth
    client_id = "1039521561"
    sign = ***
    timestamp = <timestamp>
    id = <uuid>
    grant_type = "client_credentials"
    scope = "all"
    "#);
}

#[test]
fn secrets_are_redacted_and_hidden_from_debug() {
    let req = ApiRequest::token(&Grant::RefreshToken(Secret::new("refresh-secret")));
    assert!(!format!("{req:?}").contains("refresh-secret"));
    let http = req.prepare(&ApiBase::V2, &creds(), None, 1, "i");
    assert!(http.body.contains("refresh_token=refresh-secret"));
    assert!(!format!("{http:?}").contains("refresh-secret"));
    assert!(!http.redacted().contains("refresh-secret"));
    assert!(!format!("{:?}", creds()).contains("abcdef0123456789"));
}

#[test]
fn zero_values_are_sent() {
    let http = ApiRequest::set_sound("m", Speaker::Buzzer, 0).prepare(
        &ApiBase::V2,
        &creds(),
        None,
        1,
        "i",
    );
    assert!(
        http.body.ends_with("&response_type=buzzer&voice=0"),
        "{}",
        http.body
    );
}

#[test]
fn every_endpoint_snapshot() {
    let secret = Secret::new("s");
    let reqs = [
        ApiRequest::token(&Grant::AuthorizationCode(secret.clone())),
        ApiRequest::token(&Grant::RefreshToken(secret.clone())),
        ApiRequest::scan_code("m", &PrinterKey::QrKey(secret.clone())),
        ApiRequest::add_printer("m", &secret, Some("13800000000"), Some("front desk")),
        ApiRequest::delete_printer("m"),
        ApiRequest::print_picture("m", "https://x/y.png", "o1"),
        ApiRequest::print_waybill("m", "{}", "o2", true),
        ApiRequest::cancel_waybill("m", "{}"),
        ApiRequest::set_voice("m", r#"["hi",9,0]"#, false, Some(3)),
        ApiRequest::delete_voice("m", 3),
        ApiRequest::add_menu("m", r#"[["a","b"]]"#),
        ApiRequest::power("m", Power::Restart),
        ApiRequest::print_info("m"),
        ApiRequest::version("m"),
        ApiRequest::cancel_all("m"),
        ApiRequest::cancel_one("m", "123"),
        ApiRequest::set_logo("m", "https://x/l.png"),
        ApiRequest::delete_logo("m"),
        ApiRequest::button_print("m", true),
        ApiRequest::accept_mode("m", false),
        ApiRequest::set_push_url("oauth_finish", "https://me/push", true, Some("m")),
        ApiRequest::order_status("m", "123"),
        ApiRequest::order_list("m", 1, 100),
        ApiRequest::print_status("m"),
        ApiRequest::reprint("m", "123"),
    ];
    let text: String = reqs
        .iter()
        .map(|r| {
            r.prepare(&ApiBase::V2, &creds(), Some(&secret), 1, "i")
                .redacted()
        })
        .collect::<Vec<_>>()
        .join("\n");
    insta::assert_snapshot!(text);
}

#[test]
fn authorize_url_drops_v2_and_encodes() {
    let url = authorize_url(&ApiBase::V2, "103", "https://me/cb?x=1", "st&1");
    assert_eq!(
        url,
        "https://open-api.10ss.net/oauth/authorize?response_type=code&client_id=103\
         &redirect_uri=https%3A%2F%2Fme%2Fcb%3Fx%3D1&state=st%261"
    );
}

#[test]
fn bases() {
    assert_eq!(
        ApiBase::parse("alt-v2").url(),
        "https://cloud-open-api.10ss.net/v2"
    );
    assert_eq!(
        ApiBase::parse("http://127.0.0.1:9/v2/").url(),
        "http://127.0.0.1:9/v2"
    );
    assert_eq!(ApiBase::OverseasV1.url(), "https://open-api-os.10ss.net");
}
