//! Subcommands, one small module each.

mod build;
mod import;
mod import_indico;
mod import_members;
mod init;
mod new;
mod serve;

use std::process::ExitCode;

use podium::diagnostics::Diagnostics;

use crate::cli::{Cli, Command};

/// Exit status for content errors (SPEC §4); usage errors exit 2 through clap.
const CONTENT_ERROR: u8 = 1;
const USAGE_ERROR: u8 = 2;

/// Runs the chosen subcommand and maps its outcome to an exit status.
pub fn run(cli: Cli) -> ExitCode {
    let root = cli.root;
    let result = match cli.command {
        Command::Init {
            dir,
            upgrade_workflow: true,
            ..
        } => init::upgrade_workflow(&dir.unwrap_or(root)),
        Command::Init { dir, timezone, .. } => init::run(&dir.unwrap_or(root), timezone.as_deref()),
        Command::Build {
            output,
            base_url,
            drafts,
            future,
            now,
            force,
        } => build::run(
            &root,
            output.as_deref(),
            base_url,
            (drafts, future),
            now,
            force,
        ),
        Command::Check {
            drafts,
            future,
            external,
            timeout,
        } => {
            let external = external.then(|| std::time::Duration::from_secs(timeout));
            build::check(&root, (drafts, future), external)
        }
        Command::Serve {
            port,
            interface,
            open,
            drafts,
            future,
        } => serve::run(&root, &interface, port, open, (drafts, future)),
        Command::New {
            kind,
            title,
            start,
            series,
            bundle,
        } => new::run(
            &root,
            &new::Request {
                kind,
                title: &title,
                start: start.as_deref(),
                series: series.as_deref(),
                bundle,
            },
        ),
        Command::Import { what } => import::run(&root, what),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Content(d)) => {
            eprintln!("{d}");
            ExitCode::from(CONTENT_ERROR)
        }
        Err(Failure::Usage(m)) => {
            eprintln!("error: {m}");
            ExitCode::from(USAGE_ERROR)
        }
        Err(Failure::Unavailable(m)) => {
            eprintln!("error: {m}");
            ExitCode::from(CONTENT_ERROR)
        }
    }
}

/// Why a command failed, which decides the exit status.
pub enum Failure {
    /// Problems in the hub's files.
    Content(Diagnostics),
    /// The command was asked for something it cannot do.
    Usage(String),
    /// Something the command needs from this machine is not there (a port in use); not the
    /// command line's fault, so not a usage error.
    Unavailable(String),
}

impl From<Diagnostics> for Failure {
    fn from(d: Diagnostics) -> Self {
        Failure::Content(d)
    }
}
