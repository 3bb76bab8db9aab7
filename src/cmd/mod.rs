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
        } => init::upgrade_workflow(&dir.unwrap_or(root)),
        Command::Init { dir, .. } => init::run(&dir.unwrap_or(root)),
        Command::Build {
            output,
            base_url,
            drafts,
            now,
        } => build::run(&root, output.as_deref(), base_url, drafts, now),
        Command::Check { drafts } => build::check(&root, drafts),
        Command::Serve {
            port,
            interface,
            open,
            drafts,
        } => serve::run(&root, &interface, port, open, drafts),
        Command::New { kind, title } => new::run(&root, kind, &title),
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
    }
}

/// Why a command failed, which decides the exit status.
pub enum Failure {
    /// Problems in the hub's files.
    Content(Diagnostics),
    /// The command was asked for something it cannot do.
    Usage(String),
}

impl From<Diagnostics> for Failure {
    fn from(d: Diagnostics) -> Self {
        Failure::Content(d)
    }
}
