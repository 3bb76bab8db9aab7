//! The HTTP side of `podium serve`: the site's files (only paths the build produced), the
//! live-reload script and its event stream, all answered only to requests addressed to this
//! machine by name.

use std::convert::Infallible;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Response, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::IntoResponse;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::routing::get;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;

use super::{Change, Server, Snapshot};
use crate::markdown::escape_text;

const LIVE_JS: &str = include_str!("live.js");
const LIVE_TAG: &str = "<script src=\"/__podium/live.js\" defer></script>";

/// The dev server's routes.
pub fn router(server: Arc<Server>) -> Router {
    Router::new()
        .route("/__podium/live.js", get(live_js))
        .route("/__podium/events", get(events))
        .fallback(get(file))
        .layer(middleware::from_fn_with_state(server.clone(), local_only))
        .with_state(server)
}

/// Refuses requests addressed to any other name than this machine's. Binding loopback is not
/// enough: a web page can point its own domain at 127.0.0.1 (DNS rebinding) and then read
/// the preview as its own origin; its requests still carry its domain as their Host.
async fn local_only(
    State(server): State<Arc<Server>>,
    request: Request,
    next: Next,
) -> Response<Body> {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok());
    // A request in absolute form (`GET http://name/ HTTP/1.1`) names its host in the URI.
    let named = request.uri().authority().map(|a| a.as_str());
    let Some(host) = named.or(host) else {
        return plain(StatusCode::BAD_REQUEST, "Bad request: no Host header");
    };
    if is_local_host(host, server.addr.ip()) {
        next.run(request).await
    } else {
        plain(StatusCode::MISDIRECTED_REQUEST, NOT_LOCAL)
    }
}

const NOT_LOCAL: &str = "podium serve answers only requests for localhost, 127.0.0.1, [::1] \
    or the address given with --interface; open the preview at one of those.";

/// Whether `host` (a Host header: a name, maybe with a port) names this machine: `localhost`,
/// the loopback addresses, or `interface`, the address the server listens on.
pub fn is_local_host(host: &str, interface: IpAddr) -> bool {
    let name = match host.rsplit_once(':') {
        // The colons of a bare IPv6 address are no port; it is only valid in brackets.
        Some((name, port)) if !port.contains(']') => {
            if port.parse::<u16>().is_err() {
                return false;
            }
            name
        }
        _ => host,
    };
    if name.eq_ignore_ascii_case("localhost") {
        return true;
    }
    let ip = match name.strip_prefix('[').and_then(|n| n.strip_suffix(']')) {
        Some(v6) => v6.parse::<Ipv6Addr>().map(IpAddr::V6),
        None => name.parse::<Ipv4Addr>().map(IpAddr::V4),
    };
    ip.is_ok_and(|ip| {
        ip == IpAddr::V4(Ipv4Addr::LOCALHOST)
            || ip == IpAddr::V6(Ipv6Addr::LOCALHOST)
            || ip == interface
    })
}

async fn live_js() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        LIVE_JS,
    )
}

/// Each browser gets the current error (if any), then every change as it happens.
async fn events(State(server): State<Arc<Server>>) -> impl IntoResponse {
    let current = server.snapshot.read().expect("snapshot lock").error.clone();
    let first = current.map(|message| Change::Error { message });
    let later = BroadcastStream::new(server.changes.subscribe()).filter_map(Result::ok);
    let stream = tokio_stream::iter(first).chain(later).map(|change| {
        let data = serde_json::to_string(&change).unwrap_or_default();
        Ok::<_, Infallible>(Event::default().data(data))
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

async fn file(State(server): State<Arc<Server>>, uri: Uri) -> Response<Body> {
    let resolved = resolve(&server.snapshot.read().expect("snapshot lock"), uri.path());
    match resolved {
        Resolved::File(path) => match read(&server, &path).await {
            Some(bytes) => respond(StatusCode::OK, &path, &bytes),
            // Removed by a rebuild between resolving and reading.
            None => not_found(&server).await,
        },
        Resolved::Redirect(to) => Response::builder()
            .status(StatusCode::MOVED_PERMANENTLY)
            .header(header::LOCATION, to)
            .body(Body::empty())
            .expect("static response parts are valid"),
        Resolved::BadRequest => plain(StatusCode::BAD_REQUEST, "Bad request"),
        Resolved::NotFound => not_found(&server).await,
    }
}

/// The bytes of a site file from the server's folder, off the async threads.
async fn read(server: &Server, path: &str) -> Option<Vec<u8>> {
    tokio::fs::read(server.dir().join(path)).await.ok()
}

async fn not_found(server: &Server) -> Response<Body> {
    if let Some(page) = error_page(server) {
        return page;
    }
    let listed = server
        .snapshot
        .read()
        .expect("snapshot lock")
        .files
        .contains("404.html");
    let page = if listed {
        read(server, "404.html").await
    } else {
        None
    };
    match page {
        Some(page) => respond(StatusCode::NOT_FOUND, "404.html", &page),
        None => plain(StatusCode::NOT_FOUND, "Not found"),
    }
}

/// Until a build succeeds there is no page to show the error overlay over: every page is then
/// one listing the errors, which reloads itself (live.js) once they are fixed.
fn error_page(server: &Server) -> Option<Response<Body>> {
    let snapshot = server.snapshot.read().expect("snapshot lock");
    if !snapshot.files.is_empty() {
        return None;
    }
    let errors = escape_text(snapshot.error.as_deref()?);
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>Podium could not build the site</title>\n</head>\n<body>\n\
         <h1>Podium could not build the site</h1>\n<pre>{errors}</pre>\n\
         <p>This page reloads by itself once the errors are fixed.</p>\n</body>\n</html>\n"
    );
    Some(respond(
        StatusCode::SERVICE_UNAVAILABLE,
        "index.html",
        html.as_bytes(),
    ))
}

/// Where a request path leads in the site.
#[derive(Debug, PartialEq, Eq)]
pub enum Resolved {
    File(String),
    Redirect(String),
    NotFound,
    BadRequest,
}

/// Maps a request path to a site file. Paths are decoded first, so `%2e%2e` is as much a
/// `..` as the plain one; any `..`, `.` or backslash is refused outright.
pub fn resolve(snapshot: &Snapshot, raw: &str) -> Resolved {
    let Ok(path) = percent_encoding::percent_decode_str(raw).decode_utf8() else {
        return Resolved::BadRequest;
    };
    if path.contains(['\\', '\0']) || path.split('/').any(|s| s == ".." || s == ".") {
        return Resolved::BadRequest;
    }
    let base = snapshot.base_path.as_str();
    if path == base.trim_end_matches('/') || (path == "/" && base != "/") {
        return Resolved::Redirect(base.to_string());
    }
    let Some(rel) = path.strip_prefix(base) else {
        return Resolved::NotFound;
    };
    let wanted = if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    };
    if snapshot.files.contains(&wanted) {
        Resolved::File(wanted)
    } else if snapshot.files.contains(&format!("{rel}/index.html")) {
        Resolved::Redirect(format!("{path}/"))
    } else {
        Resolved::NotFound
    }
}

fn respond(status: StatusCode, path: &str, bytes: &[u8]) -> Response<Body> {
    let kind = content_type(path);
    let body = if kind.starts_with("text/html") {
        with_live_reload(bytes)
    } else {
        bytes.to_vec()
    };
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, HeaderValue::from_static(kind))
        .header(header::CACHE_CONTROL, "no-store")
        .body(Body::from(body))
        .expect("static response parts are valid")
}

fn plain(status: StatusCode, text: &'static str) -> Response<Body> {
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, "text/plain; charset=utf-8")
        .body(Body::from(text))
        .expect("static response parts are valid")
}

/// Adds the live-reload script before `</body>`; only the served copy has it.
fn with_live_reload(html: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(html);
    match text.rfind("</body>") {
        Some(i) => format!("{}{LIVE_TAG}{}", &text[..i], &text[i..]).into_bytes(),
        None => format!("{text}{LIVE_TAG}").into_bytes(),
    }
}

/// The media type for a site file, by extension.
pub fn content_type(path: &str) -> &'static str {
    let ext = path
        .rsplit_once('.')
        .map_or("", |(_, e)| e)
        .to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "ics" => "text/calendar; charset=utf-8",
        "vcf" => "text/vcard; charset=utf-8",
        "xml" if path.ends_with("atom.xml") => "application/atom+xml",
        "xml" => "application/xml",
        "json" => "application/json",
        "txt" | "md" | "toml" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> Snapshot {
        let mut s = Snapshot {
            base_path: "/hub/".into(),
            ..Default::default()
        };
        for p in ["index.html", "news/index.html", "style.css"] {
            s.files.insert(p.into());
        }
        s
    }

    #[test]
    fn paths_map_to_site_files() {
        let s = site();
        assert_eq!(resolve(&s, "/hub/"), Resolved::File("index.html".into()));
        assert_eq!(
            resolve(&s, "/hub/news/"),
            Resolved::File("news/index.html".into())
        );
        assert_eq!(
            resolve(&s, "/hub/news"),
            Resolved::Redirect("/hub/news/".into())
        );
        assert_eq!(resolve(&s, "/hub"), Resolved::Redirect("/hub/".into()));
        assert_eq!(resolve(&s, "/"), Resolved::Redirect("/hub/".into()));
        assert_eq!(resolve(&s, "/hub/nope/"), Resolved::NotFound);
        assert_eq!(resolve(&s, "/elsewhere/style.css"), Resolved::NotFound);
    }

    #[test]
    fn traversal_is_refused_in_every_spelling() {
        let s = site();
        for p in [
            "/hub/../etc/passwd",
            "/hub/%2e%2e/etc/passwd",
            "/hub/%2E%2E%2Fetc%2Fpasswd",
            "/hub/..%5c..%5cwin.ini",
            "/hub/./style.css",
            "/hub/%00",
        ] {
            assert_eq!(resolve(&s, p), Resolved::BadRequest, "{p}");
        }
    }

    #[test]
    fn only_this_machines_names_are_local_hosts() {
        let loopback = IpAddr::V4(Ipv4Addr::LOCALHOST);
        for host in [
            "localhost",
            "LOCALHOST:1111",
            "127.0.0.1",
            "127.0.0.1:8080",
            "[::1]",
            "[::1]:1111",
            "[0:0:0:0:0:0:0:1]",
        ] {
            assert!(is_local_host(host, loopback), "{host}");
        }
        for host in [
            "evil.example",
            "evil.example:1111",
            "localhost.evil.example",
            "127.0.0.1.nip.io",
            "127.1",
            "::1",
            "[::1]x",
            "localhost:",
            "localhost:99999",
            "10.0.0.5",
            "",
        ] {
            assert!(!is_local_host(host, loopback), "{host}");
        }
        let lan = "10.0.0.5".parse().unwrap();
        assert!(is_local_host("10.0.0.5:1111", lan));
        assert!(is_local_host("localhost", lan));
        let v6: IpAddr = "fd00::5".parse().unwrap();
        assert!(is_local_host("[fd00::5]:1111", v6));
    }

    #[test]
    fn calendars_and_cards_get_their_types() {
        assert_eq!(
            content_type("seminars/seminars.ics"),
            "text/calendar; charset=utf-8"
        );
        assert_eq!(content_type("people/ada.vcf"), "text/vcard; charset=utf-8");
    }
}
