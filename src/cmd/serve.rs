//! `podium serve`: build, serve, rebuild on every change, reload the browser.

use std::net::SocketAddr;
use std::path::Path;

use podium::serve::{Server, router, watch};
use podium::site::BuildOptions;

use super::Failure;

/// Serves the hub until interrupted.
pub fn run(
    root: &Path,
    interface: &str,
    port: u16,
    open: bool,
    drafts: bool,
) -> Result<(), Failure> {
    let ip: std::net::IpAddr = interface
        .parse()
        .map_err(|_| Failure::Usage(format!("`{interface}` is not an IP address to listen on")))?;
    let addr = SocketAddr::new(ip, port);
    let options = BuildOptions {
        root: root.to_path_buf(),
        drafts,
        ..Default::default()
    };
    let server = Server::start(options, addr)?;
    let _watcher = watch(server.clone())
        .map_err(|e| Failure::Usage(format!("cannot watch {}: {e}", root.display())))?;
    let base = server
        .snapshot
        .read()
        .expect("snapshot lock")
        .base_path
        .clone();
    let url = format!("http://{addr}{base}");
    let runtime = tokio::runtime::Runtime::new()
        .map_err(|e| Failure::Usage(format!("cannot start the server: {e}")))?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| Failure::Usage(format!("cannot listen on {addr}: {e}")))?;
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
