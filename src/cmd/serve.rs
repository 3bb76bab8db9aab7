//! `podium serve`: build, then serve the output folder over HTTP for a local preview.

use std::net::SocketAddr;
use std::path::Path;

use axum::Router;
use tower_http::services::{ServeDir, ServeFile};

use super::Failure;

/// Builds the hub into its output folder and serves it until interrupted.
pub fn run(
    root: &Path,
    interface: &str,
    port: u16,
    open: bool,
    drafts: bool,
) -> Result<(), Failure> {
    let addr: SocketAddr = format!("{interface}:{port}")
        .parse()
        .map_err(|_| Failure::Usage(format!("`{interface}` is not an IP address to listen on")))?;
    let local = format!("http://{addr}/");
    super::build::run(root, None, Some(local.clone()), drafts, None)?;
    let config = podium::config::Config::load(root)?;
    let dir = root.join(&config.build.output_dir);
    let files = ServeDir::new(&dir).not_found_service(ServeFile::new(dir.join("404.html")));
    let app = Router::new().fallback_service(files);
    let runtime = tokio::runtime::Runtime::new()
        .map_err(|e| Failure::Usage(format!("cannot start the server: {e}")))?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| Failure::Usage(format!("cannot listen on {addr}: {e}")))?;
        eprintln!("Serving {} at {local} (Ctrl+C to stop)", dir.display());
        if open {
            open_browser(&local);
        }
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .map_err(|e| Failure::Usage(format!("server error: {e}")))
    })
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
