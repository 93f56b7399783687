//! Fetching a URL: redirects followed, a timeout for the whole exchange, a limit on the size,
//! TLS with rustls, and an error that says what went wrong (a 404, a timeout, a page too
//! large, a document of another type).

use std::time::Duration;

use ureq::ResponseExt;

use super::DocKind;
use crate::diagnostics::{Code, Diagnostic};

/// How long a fetch may take and how many bytes it may bring.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// For the whole exchange: connecting, redirects, headers and body.
    pub timeout: Duration,
    /// The largest document taken, fetched or read from standard input.
    pub max_bytes: u64,
}

impl Default for Limits {
    /// 30 seconds and 50 MiB: a news page is far less, a long report as a PDF can be tens
    /// of MiB.
    fn default() -> Limits {
        Limits {
            timeout: Duration::from_secs(30),
            max_bytes: 50 * 1024 * 1024,
        }
    }
}

/// A fetched document.
#[derive(Debug)]
pub struct Fetched {
    pub bytes: Vec<u8>,
    /// The Content-Type header as sent.
    pub content_type: Option<String>,
    /// The address the document came from in the end, after redirects.
    pub url: String,
}

/// Redirects followed before giving up (browsers stop at about 20).
const MAX_REDIRECTS: u32 = 10;

/// Fetches `url`.
pub fn get(url: &str, limits: &Limits) -> Result<Fetched, Diagnostic> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(limits.timeout))
        .max_redirects(MAX_REDIRECTS)
        // 4xx and 5xx are answers to tell the user about, with their status.
        .http_status_as_error(false)
        .user_agent(concat!("brief/", env!("CARGO_PKG_VERSION"), " (brief add)"))
        .build()
        .into();
    let mut response = agent
        .get(url)
        .header(
            "Accept",
            "text/html,application/xhtml+xml,application/pdf,text/plain;q=0.9,*/*;q=0.1",
        )
        .call()
        .map_err(|e| error_of(url, e, limits))?;
    let status = response.status();
    let final_url = response.get_uri().to_string();
    if !status.is_success() {
        let reason = status.canonical_reason().unwrap_or("");
        let help = match status.as_u16() {
            401 | 403 => {
                "the site refuses brief: open the page in a browser, save it (Ctrl-S, \"Web page, HTML only\") and `brief add` the file"
            }
            404 | 410 => {
                "check the address; if the page is gone, an archived copy may still have it"
            }
            429 => {
                "the site limits how often it may be asked: try again later, or save the page from a browser and add the file"
            }
            500..=599 => {
                "the site failed to answer: try again later, or save the page from a browser and add the file"
            }
            _ => "save the page from a browser and `brief add` the file",
        };
        return Err(Diagnostic::error(
            Code::AddFetch,
            format!("{final_url} answered {} {reason}", status.as_u16()),
        )
        .help(help));
    }
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    if let Some(ct) = &content_type
        && kind_of_content_type(ct).is_none()
    {
        return Err(Diagnostic::error(
            Code::AddFetch,
            format!("{final_url} is {ct}, neither a web page, a PDF nor plain text"),
        )
        .help("brief adds HTML pages, PDFs and plain text; save another document's text as a .txt file and add that"));
    }
    let bytes = response
        .body_mut()
        .with_config()
        .limit(limits.max_bytes)
        .read_to_vec()
        .map_err(|e| error_of(&final_url, e, limits))?;
    Ok(Fetched {
        bytes,
        content_type,
        url: final_url,
    })
}

/// The kind of document a Content-Type names, if brief reads it.
pub fn kind_of_content_type(content_type: &str) -> Option<DocKind> {
    let mime = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    match mime.as_str() {
        "text/html" | "application/xhtml+xml" => Some(DocKind::Html),
        "application/pdf" | "application/x-pdf" => Some(DocKind::Pdf),
        "text/plain" => Some(DocKind::Text),
        _ => None,
    }
}

fn error_of(url: &str, e: ureq::Error, limits: &Limits) -> Diagnostic {
    let (message, help) = match &e {
        ureq::Error::Timeout(_) => (
            format!(
                "{url} did not answer in {} seconds",
                limits.timeout.as_secs_f64()
            ),
            "try again, or give it longer with --timeout SECONDS".to_string(),
        ),
        ureq::Error::BodyExceedsLimit(n) => (
            format!("{url} is larger than {n} bytes"),
            "raise the limit with --max-size MIB if the document is what you want".to_string(),
        ),
        ureq::Error::HostNotFound => (
            format!("the host of {url} was not found"),
            "check the address and the network".to_string(),
        ),
        ureq::Error::TooManyRedirects => (
            format!("{url} redirects more than {MAX_REDIRECTS} times"),
            "open it in a browser to see where it leads, and add that address".to_string(),
        ),
        _ => (
            format!("cannot fetch {url}: {e}"),
            "check the address and the network, or save the page from a browser and add the file"
                .to_string(),
        ),
    };
    Diagnostic::error(Code::AddFetch, message).help(help)
}
