//! Pure request building: one constructor per endpoint, then [`ApiRequest::prepare`] adds the
//! common parameters (`client_id`, `timestamp`, `id`, `sign`, `access_token`) and form-encodes.
//!
//! Decisions on the fact sheet's open questions:
//! - Q5: always POST.
//! - Q6: print calls always send `idempotence=1` explicitly (v1 default off, v2 default on).
//! - Q12: the authorize URL is built on the host without `/v2` (the v2 example does so).
//! - The K8-only endpoints (`pushswitch`, `setkeywords`, `setting`) are not built: receipts only.

use super::form;
use super::secret::Secret;

/// Where the API lives.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum ApiBase {
    /// v1, mainland: `https://open-api.10ss.net`.
    V1,
    /// v2, mainland: `https://open-api.10ss.net/v2` (the default).
    #[default]
    V2,
    /// v1, overseas: `https://open-api-os.10ss.net`.
    OverseasV1,
    /// v2, overseas: `https://open-api-os.10ss.net/v2`.
    OverseasV2,
    /// v2 on the alternate mainland host: `https://cloud-open-api.10ss.net/v2`.
    AltV2,
    /// Any other base URL (a proxy, a local test server), without a trailing slash.
    Custom(String),
}

impl ApiBase {
    /// The base URL, no trailing slash.
    pub fn url(&self) -> &str {
        match self {
            ApiBase::V1 => "https://open-api.10ss.net",
            ApiBase::V2 => "https://open-api.10ss.net/v2",
            ApiBase::OverseasV1 => "https://open-api-os.10ss.net",
            ApiBase::OverseasV2 => "https://open-api-os.10ss.net/v2",
            ApiBase::AltV2 => "https://cloud-open-api.10ss.net/v2",
            ApiBase::Custom(u) => u.trim_end_matches('/'),
        }
    }

    /// Parses `v1`, `v2`, `overseas-v1`, `overseas-v2`, `alt-v2`, or takes any other text as a URL.
    pub fn parse(s: &str) -> Self {
        match s {
            "v1" => ApiBase::V1,
            "v2" => ApiBase::V2,
            "overseas-v1" => ApiBase::OverseasV1,
            "overseas-v2" => ApiBase::OverseasV2,
            "alt-v2" => ApiBase::AltV2,
            url => ApiBase::Custom(url.trim_end_matches('/').to_owned()),
        }
    }
}

/// The app's credentials.
#[derive(Debug, Clone)]
pub struct Credentials {
    /// The app id.
    pub client_id: String,
    /// The app secret (never shown).
    pub client_secret: Secret,
}

impl Credentials {
    /// Credentials from an id and a secret.
    pub fn new(client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
        Credentials {
            client_id: client_id.into(),
            client_secret: Secret::new(client_secret),
        }
    }
}

/// Whether a request may be sent again when its answer was lost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retry {
    /// Never: it changes state and the platform does not de-duplicate it.
    Never,
    /// Yes: it only reads, or it carries `origin_id` with `idempotence=1`.
    Safe,
}

/// A token grant for `/oauth/oauth`.
#[derive(Debug, Clone)]
pub enum Grant {
    /// Own-app mode: a token for the whole app.
    ClientCredentials,
    /// Open-app mode: exchange the code the authorize redirect delivered.
    AuthorizationCode(Secret),
    /// Refresh with a refresh token.
    RefreshToken(Secret),
}

/// How a printer proves possession in scan-code authorisation and binding.
#[derive(Debug, Clone)]
pub enum PrinterKey {
    /// The temporary `qr_key` from the printer's QR code (300 s).
    QrKey(Secret),
    /// The printer's `msign` from its label.
    Msign(Secret),
}

/// One API call, before the common parameters are added.
#[derive(Debug, Clone)]
pub struct ApiRequest {
    /// The path below the base, e.g. `/print/index`.
    pub path: &'static str,
    /// Whether the call carries `access_token`.
    pub needs_token: bool,
    /// Whether a lost answer may be retried.
    pub retry: Retry,
    params: Vec<(&'static str, Param)>,
}

/// A parameter value; secrets stay wrapped until they are encoded.
#[derive(Clone)]
enum Param {
    Plain(String),
    Secret(Secret),
}

impl std::fmt::Debug for Param {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Param::Plain(s) => write!(f, "{s:?}"),
            Param::Secret(s) => write!(f, "{s:?}"),
        }
    }
}

/// A request ready for a transport: URL and form body. `Debug` hides the body (it holds the
/// access token).
#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// The full URL.
    pub url: String,
    /// The `application/x-www-form-urlencoded` body.
    pub body: String,
}

impl std::fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "HttpRequest {{ url: {:?}, body: <{} bytes> }}",
            self.url,
            self.body.len()
        )
    }
}

impl HttpRequest {
    /// A log-safe, line-per-parameter view of the request: secrets (`access_token`, `sign`,
    /// `code`, `refresh_token`, `msign`, `qr_key`) become `***`, and the per-request `id` and
    /// `timestamp` become placeholders, so the text is stable enough to snapshot.
    pub fn redacted(&self) -> String {
        let mut out = format!("POST {}\n", self.url);
        match form::decode(&self.body) {
            Ok(pairs) => {
                for (k, v) in pairs {
                    let shown = match k.as_str() {
                        "access_token" | "sign" | "code" | "refresh_token" | "msign" | "qr_key" => {
                            "***".to_owned()
                        }
                        "id" => "<uuid>".to_owned(),
                        "timestamp" => "<timestamp>".to_owned(),
                        _ => format!("{v:?}"),
                    };
                    out.push_str(&format!("{k} = {shown}\n"));
                }
            }
            Err(e) => out.push_str(&format!("<undecodable body: {e:?}>\n")),
        }
        out
    }
}

impl ApiRequest {
    fn new(path: &'static str, retry: Retry) -> Self {
        ApiRequest {
            path,
            needs_token: true,
            retry,
            params: Vec::new(),
        }
    }

    fn p(mut self, key: &'static str, value: impl Into<String>) -> Self {
        self.params.push((key, Param::Plain(value.into())));
        self
    }

    fn s(mut self, key: &'static str, value: &Secret) -> Self {
        self.params.push((key, Param::Secret(value.clone())));
        self
    }

    fn opt(self, key: &'static str, value: Option<&str>) -> Self {
        match value {
            Some(v) => self.p(key, v),
            None => self,
        }
    }

    fn machine(path: &'static str, retry: Retry, machine_code: &str) -> Self {
        Self::new(path, retry).p("machine_code", machine_code)
    }

    /// The value of a plain business parameter, if present.
    pub fn param(&self, key: &str) -> Option<&str> {
        self.params.iter().find_map(|(k, v)| match v {
            Param::Plain(s) if *k == key => Some(s.as_str()),
            _ => None,
        })
    }

    /// Adds the common parameters and encodes. Pure: the clock and the id come from the caller.
    pub fn prepare(
        &self,
        base: &ApiBase,
        credentials: &Credentials,
        access_token: Option<&Secret>,
        timestamp: u64,
        request_id: &str,
    ) -> HttpRequest {
        let ts = timestamp.to_string();
        let sign = super::sign::sign(&credentials.client_id, &ts, &credentials.client_secret);
        let mut pairs: Vec<(&str, &str)> = vec![("client_id", &credentials.client_id)];
        if self.needs_token {
            pairs.push((
                "access_token",
                access_token.map(Secret::expose).unwrap_or_default(),
            ));
        }
        pairs.push(("sign", &sign));
        pairs.push(("timestamp", &ts));
        pairs.push(("id", request_id));
        for (k, v) in &self.params {
            let v = match v {
                Param::Plain(s) => s.as_str(),
                Param::Secret(s) => s.expose(),
            };
            pairs.push((k, v));
        }
        HttpRequest {
            url: format!("{}{}", base.url(), self.path),
            body: form::encode(&pairs),
        }
    }

    /// `/oauth/oauth`: fetch or refresh a token.
    pub fn token(grant: &Grant) -> Self {
        let mut r = Self::new("/oauth/oauth", Retry::Never);
        r.needs_token = false;
        match grant {
            Grant::ClientCredentials => r.p("grant_type", "client_credentials"),
            Grant::AuthorizationCode(code) => {
                r.p("grant_type", "authorization_code").s("code", code)
            }
            // Refreshing with the same refresh token within 2 h returns the same result (E/371769).
            Grant::RefreshToken(rt) => {
                r.retry = Retry::Safe;
                r.p("grant_type", "refresh_token").s("refresh_token", rt)
            }
        }
        .p("scope", "all")
    }

    /// `/oauth/scancodemodel`: open-app token from a printer's QR code or label.
    pub fn scan_code(machine_code: &str, key: &PrinterKey) -> Self {
        let mut r = Self::machine("/oauth/scancodemodel", Retry::Never, machine_code);
        r.needs_token = false;
        match key {
            PrinterKey::QrKey(k) => r.s("qr_key", k),
            PrinterKey::Msign(k) => r.s("msign", k),
        }
        .p("scope", "all")
    }

    /// `/printer/addprinter`: bind a printer (own-app mode).
    pub fn add_printer(
        machine_code: &str,
        msign: &Secret,
        phone: Option<&str>,
        name: Option<&str>,
    ) -> Self {
        Self::machine("/printer/addprinter", Retry::Never, machine_code)
            .s("msign", msign)
            .opt("phone", phone)
            .opt("print_name", name)
    }

    /// `/printer/deleteprinter`: unbind a printer.
    pub fn delete_printer(machine_code: &str) -> Self {
        Self::machine("/printer/deleteprinter", Retry::Never, machine_code)
    }

    /// `/print/index`: print layout-tag text, de-duplicated by `origin_id`.
    pub fn print_text(machine_code: &str, content: &str, origin_id: &str) -> Self {
        Self::machine("/print/index", Retry::Safe, machine_code)
            .p("content", content)
            .p("origin_id", origin_id)
            .p("idempotence", "1")
    }

    /// `/pictureprint/index`: print a picture by URL, de-duplicated by `origin_id`.
    pub fn print_picture(machine_code: &str, picture_url: &str, origin_id: &str) -> Self {
        Self::machine("/pictureprint/index", Retry::Safe, machine_code)
            .p("picture_url", picture_url)
            .p("origin_id", origin_id)
            .p("idempotence", "1")
    }

    /// `/expressprint/index`: print an e-waybill (`content` is the KDNiao JSON). Each call places a
    /// real courier order, so it is never retried blindly.
    pub fn print_waybill(
        machine_code: &str,
        content_json: &str,
        origin_id: &str,
        sandbox: bool,
    ) -> Self {
        let r = Self::machine("/expressprint/index", Retry::Never, machine_code)
            .p("origin_id", origin_id)
            .p("content", content_json);
        if sandbox { r.p("sandbox", "1") } else { r }
    }

    /// `/expressprint/cancel` (v2): cancel a waybill.
    pub fn cancel_waybill(machine_code: &str, content_json: &str) -> Self {
        Self::machine("/expressprint/cancel", Retry::Never, machine_code).p("content", content_json)
    }

    /// `/printer/setvoice`: set a built-in voice (`content` is JSON or an MP3 URL).
    pub fn set_voice(machine_code: &str, content: &str, is_file: bool, aid: Option<u8>) -> Self {
        let r = Self::machine("/printer/setvoice", Retry::Never, machine_code)
            .p("content", content)
            .p("is_file", if is_file { "true" } else { "false" });
        match aid {
            Some(a) => r.p("aid", a.to_string()),
            None => r,
        }
    }

    /// `/printer/deletevoice`: delete a built-in voice.
    pub fn delete_voice(machine_code: &str, aid: u8) -> Self {
        Self::machine("/printer/deletevoice", Retry::Never, machine_code).p("aid", aid.to_string())
    }

    /// `/printmenu/addprintmenu`: set the app menu (`content` is a JSON array).
    pub fn add_menu(machine_code: &str, content_json: &str) -> Self {
        Self::machine("/printmenu/addprintmenu", Retry::Never, machine_code)
            .p("content", content_json)
    }

    /// `/printer/shutdownrestart`.
    pub fn power(machine_code: &str, action: Power) -> Self {
        let v = match action {
            Power::Restart => "restart",
            Power::Shutdown => "shutdown",
        };
        Self::machine("/printer/shutdownrestart", Retry::Never, machine_code).p("response_type", v)
    }

    /// `/printer/setsound`: volume of the buzzer or the horn. Open question 11: the range is 0–3
    /// in the docs and 0–4 in one SDK; we send what we are given and let the platform judge.
    pub fn set_sound(machine_code: &str, speaker: Speaker, volume: u8) -> Self {
        let v = match speaker {
            Speaker::Buzzer => "buzzer",
            Speaker::Horn => "horn",
        };
        Self::machine("/printer/setsound", Retry::Never, machine_code)
            .p("response_type", v)
            .p("voice", volume.to_string())
    }

    /// `/printer/printinfo`: model and print width (body fields unverified, open question 8).
    pub fn print_info(machine_code: &str) -> Self {
        Self::machine("/printer/printinfo", Retry::Safe, machine_code)
    }

    /// `/printer/getversion`: hardware and software versions.
    pub fn version(machine_code: &str) -> Self {
        Self::machine("/printer/getversion", Retry::Safe, machine_code)
    }

    /// `/printer/cancelall`: cancel every queued job.
    pub fn cancel_all(machine_code: &str) -> Self {
        Self::machine("/printer/cancelall", Retry::Never, machine_code)
    }

    /// `/printer/cancelone`: cancel one queued job by platform id.
    pub fn cancel_one(machine_code: &str, order_id: &str) -> Self {
        Self::machine("/printer/cancelone", Retry::Never, machine_code).p("order_id", order_id)
    }

    /// `/printer/seticon`: set the logo.
    pub fn set_logo(machine_code: &str, img_url: &str) -> Self {
        Self::machine("/printer/seticon", Retry::Never, machine_code).p("img_url", img_url)
    }

    /// `/printer/deleteicon`: delete the logo.
    pub fn delete_logo(machine_code: &str) -> Self {
        Self::machine("/printer/deleteicon", Retry::Never, machine_code)
    }

    /// `/printer/btnprint`: button-print mode on or off.
    pub fn button_print(machine_code: &str, on: bool) -> Self {
        Self::machine("/printer/btnprint", Retry::Never, machine_code)
            .p("response_type", if on { "btnopen" } else { "btnclose" })
    }

    /// `/printer/getorder`: accept/reject mode on or off (`open`/`close`; one SDK wrongly sends
    /// the button-print values here).
    pub fn accept_mode(machine_code: &str, on: bool) -> Self {
        Self::machine("/printer/getorder", Retry::Never, machine_code)
            .p("response_type", if on { "open" } else { "close" })
    }

    /// `/oauth/setpushurl`: set or clear the push URL for one `cmd`; `machine_code` is required
    /// in open-app mode.
    pub fn set_push_url(cmd: &str, url: &str, on: bool, machine_code: Option<&str>) -> Self {
        Self::new("/oauth/setpushurl", Retry::Never)
            .opt("machine_code", machine_code)
            .p("cmd", cmd)
            .p("url", url)
            .p("status", if on { "open" } else { "close" })
    }

    /// `/printer/getorderstatus`: one job's status.
    pub fn order_status(machine_code: &str, order_id: &str) -> Self {
        Self::machine("/printer/getorderstatus", Retry::Safe, machine_code).p("order_id", order_id)
    }

    /// `/printer/getorderpaginglist`: a page of jobs (page from 1, size ≤ 100).
    pub fn order_list(machine_code: &str, page_index: u32, page_size: u32) -> Self {
        Self::machine("/printer/getorderpaginglist", Retry::Safe, machine_code)
            .p("page_index", page_index.to_string())
            .p("page_size", page_size.to_string())
    }

    /// `/printer/getprintstatus`: online, offline or out of paper.
    pub fn print_status(machine_code: &str) -> Self {
        Self::machine("/printer/getprintstatus", Retry::Safe, machine_code)
    }

    /// `/printer/reprintorder` (v2): print a job again. Not retried: a lost answer could mean two
    /// copies.
    pub fn reprint(machine_code: &str, order_id: &str) -> Self {
        Self::machine("/printer/reprintorder", Retry::Never, machine_code).p("order_id", order_id)
    }
}

/// Shutdown or restart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Power {
    /// Restart the printer.
    Restart,
    /// Shut the printer down.
    Shutdown,
}

/// Which speaker `/printer/setsound` sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Speaker {
    /// The buzzer.
    Buzzer,
    /// The horn.
    Horn,
}

/// The browser URL for open-app authorisation; the platform redirects to `redirect_uri` with
/// `code` and the same `state` (check it on return, it guards against forged callbacks).
///
/// Open question 12: built on the base without a trailing `/v2`, as in the v2 docs' example.
pub fn authorize_url(base: &ApiBase, client_id: &str, redirect_uri: &str, state: &str) -> String {
    let root = base.url().strip_suffix("/v2").unwrap_or(base.url());
    let query = form::encode(&[
        ("response_type", "code"),
        ("client_id", client_id),
        ("redirect_uri", redirect_uri),
        ("state", state),
    ]);
    format!("{root}/oauth/authorize?{query}")
}

#[cfg(test)]
mod tests;
