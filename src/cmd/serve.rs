//! `podium serve`: build, serve, rebuild on every change, reload the browser.

use std::net::SocketAddr;
use std::path::Path;

use podium::serve::{SERVING_ERRORS, Server, router, watch};
use podium::site::BuildOptions;

use super::Failure;

/// Serves the hub until interrupted.
pub fn run(
    root: &Path,
    interface: &str,
    port: u16,
    open: bool,
    (drafts, future): (bool, bool),
) -> Result<(), Failure> {
    let ip: std::net::IpAddr = interface
        .parse()
        .map_err(|_| Failure::Usage(format!("`{interface}` is not an IP address to listen on")))?;
    let options = BuildOptions {
        root: root.to_path_buf(),
        drafts,
        future,
        ..Default::default()
    };
    let wanted = SocketAddr::new(ip, port);
    let server = Server::new(options, wanted)?;
    // Watching starts before the first build, so an edit made during it is rebuilt after it;
    // listening too, so a port in use is said at once, not after a whole build. Browsers
    // that connect during the build wait for it.
    let _watcher = watch(server.clone())
        .map_err(|e| Failure::Usage(format!("cannot watch {}: {e}", root.display())))?;
    let listener = listen(wanted)?;
    server.build();
    if let Some(errors) = server.error() {
        eprintln!("{errors}\n{SERVING_ERRORS}");
    }
    let base = server
        .snapshot
        .read()
        .expect("snapshot lock")
        .base_path
        .clone();
    let url = format!("http://{wanted}{base}");
    let runtime = tokio::runtime::Runtime::new()
        .map_err(|e| Failure::Usage(format!("cannot start the server: {e}")))?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)
            .map_err(|e| Failure::Unavailable(format!("cannot listen on {wanted}: {e}")))?;
        eprintln!("Serving at {url} — edit a file and the page reloads (Ctrl+C to stop)");
        if open {
            open_browser(&url);
        }
        // Live-reload streams never end, so a graceful shutdown would wait forever with a
        // browser open; Ctrl+C (or a TERM signal) stops serving at once instead, and the
        // served site's folder is removed on the way out.
        tokio::select! {
            served = axum::serve(listener, router(server)) => served.map_err(|e| Failure::Usage(format!("server error: {e}"))),
            _ = stop_signal() => Ok(()),
        }
    })
}

/// A listening socket at `addr`, ready for the async server; a port in use is named, with
/// the option that picks another.
fn listen(addr: SocketAddr) -> Result<std::net::TcpListener, Failure> {
    let listener = std::net::TcpListener::bind(addr).map_err(|e| {
        let port = addr.port();
        Failure::Unavailable(match e.kind() {
            std::io::ErrorKind::AddrInUse => format!(
                "port {port} is in use on {} (another `podium serve`?)\n  = help: serve on another port, e.g. `podium serve --port {}`",
                addr.ip(),
                port.wrapping_add(1).max(1024)
            ),
            _ => format!("cannot listen on port {port} of {}: {e}", addr.ip()),
        })
    })?;
    // Tokio takes over the socket and needs it not to block.
    listener
        .set_nonblocking(true)
        .map_err(|e| Failure::Unavailable(format!("cannot listen on {addr}: {e}")))?;
    Ok(listener)
}

/// Ctrl+C, or on Unix a TERM signal (what service managers and test harnesses send).
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(opener).arg(url).spawn().is_err() {
        eprintln!("Open {url} in your browser.");
    }
}
