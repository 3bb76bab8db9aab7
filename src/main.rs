//! The `podium` command line.

mod cli;
mod cmd;

use std::process::ExitCode;

use clap::Parser;

/// A build allocates and frees millions of small strings on every thread; glibc's malloc
/// spent a third of a build's CPU time on them, mimalloc a fraction of that.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    cmd::run(cli)
}
