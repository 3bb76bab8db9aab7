//! Command-line arguments (SPEC §4).

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// Podium builds research-group hubs — news, seminars with calendar feeds, a member
/// directory and workshop timetables — into a static site for GitHub Pages.
#[derive(Parser, Debug)]
#[command(name = "podium", version, about, max_term_width = 100)]
pub struct Cli {
    /// The hub's folder (the one with config.toml).
    #[arg(long, global = true, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Create a new hub, with a sample of each kind of content and a GitHub Pages workflow.
    Init {
        /// Where to create it (default: the current folder, which must be empty).
        dir: Option<PathBuf>,
        /// The IANA zone of the hub's talks and events, e.g. America/Los_Angeles (default:
        /// this machine's zone, or UTC when it has no IANA name).
        #[arg(long, value_name = "ZONE")]
        timezone: Option<String>,
        /// Only rewrite the hub's .github/workflows/pages.yml so that it deploys with this
        /// version of Podium (the hub is DIR, or the current folder).
        #[arg(long)]
        upgrade_workflow: bool,
    },
    /// Build the site into the output folder (public/ by default).
    Build {
        /// Write the site here instead of the configured output folder.
        #[arg(long, short, value_name = "DIR")]
        output: Option<PathBuf>,
        /// Use this base URL instead of config.toml's (e.g. the one GitHub Pages assigns).
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// Include pages marked as drafts.
        #[arg(long)]
        drafts: bool,
        /// Include posts and pages dated after now (by default each waits for its date).
        #[arg(long)]
        future: bool,
        /// Build as if it were this moment (e.g. 2020-11-05T12:00:00Z), for reproducible output.
        #[arg(long, value_name = "DATETIME")]
        now: Option<String>,
        /// Build into an output folder that holds files no Podium build wrote, replacing
        /// everything in it (what the site does not have is deleted).
        #[arg(long)]
        force: bool,
    },
    /// Build, then serve the site locally.
    Serve {
        #[arg(long, short, default_value_t = 1111)]
        port: u16,
        /// Address to listen on; only this machine can connect unless you change it.
        #[arg(long, default_value = "127.0.0.1")]
        interface: String,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
        /// Include pages marked as drafts.
        #[arg(long)]
        drafts: bool,
        /// Include posts and pages dated after now.
        #[arg(long)]
        future: bool,
    },
    /// Build in memory and report every problem, writing nothing.
    Check {
        /// Include pages marked as drafts.
        #[arg(long)]
        drafts: bool,
        /// Include posts and pages dated after now.
        #[arg(long)]
        future: bool,
        /// Also ask the servers of links that leave the site whether they still answer.
        #[arg(long)]
        external: bool,
        /// How long to wait for each external link's server.
        #[arg(
            long,
            value_name = "SECONDS",
            default_value_t = 10,
            requires = "external"
        )]
        timeout: u64,
    },
    /// Create a new content file with its front matter filled in.
    New {
        kind: NewKind,
        /// The title (or, for a member, the name).
        title: String,
        /// A talk's start, local time in the hub's zone ("2026-12-14 16:00"), or an event's
        /// first day; the file is named after its date (default: today).
        #[arg(long, value_name = "WHEN")]
        start: Option<String>,
        /// A talk's series (its slug in the seminars section's _index.md).
        #[arg(long, value_name = "SLUG")]
        series: Option<String>,
        /// Make a folder with index.md, so photos and files can sit beside the text.
        #[arg(long)]
        bundle: bool,
    },
    /// Turn another tool's export into content files.
    Import {
        #[command(subcommand)]
        what: ImportWhat,
    },
}

/// What `podium import` can read.
#[derive(Subcommand, Debug)]
pub enum ImportWhat {
    /// Members from a sign-up form's CSV export: one file per new member, existing
    /// members are never overwritten, bad rows are reported by row number.
    Members {
        /// The form's responses, exported as CSV (relative to the hub).
        csv: PathBuf,
        /// The members section folder, relative to the hub (e.g. content/people).
        #[arg(long, value_name = "DIR")]
        into: PathBuf,
        /// Map a column to a field when its header is not recognised, e.g.
        /// --map "Full name=name"; may be repeated.
        #[arg(long, value_name = "HEADER=FIELD")]
        map: Vec<String>,
    },
    /// An Indico event, from a saved `/export/event/ID.json?detail=sessions` or
    /// `/export/timetable/ID.json`, into an event bundle (index.md and timetable.toml).
    Indico {
        /// The saved export.
        export: PathBuf,
        /// The event's folder, e.g. content/events/my-workshop.
        #[arg(long, value_name = "DIR")]
        into: PathBuf,
        /// Replace files that already exist.
        #[arg(long)]
        force: bool,
        /// A name,affiliation CSV to copy in as the participants list.
        #[arg(long, value_name = "CSV")]
        participants: Option<PathBuf>,
    },
}

/// What `podium new` can create.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum NewKind {
    Post,
    Seminar,
    Member,
    Event,
}
