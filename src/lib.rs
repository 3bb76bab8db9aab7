//! Podium: a static site generator for research-group hubs.
//!
//! Data flows one way: [`config`] and [`content`] load the hub into a typed model,
//! [`markdown`] renders bodies, [`render`] turns the model into files through templates, and
//! [`output`] writes them. [`members`] owns the people of a hub, from model to vCard. [`site`] runs that pipeline; `cmd` (in the binary) drives it.

pub mod cache;
pub mod calendar;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod events;
pub mod external;
pub mod front_matter;
pub mod hub_files;
pub mod import;
pub mod markdown;
pub mod members;
pub mod nesting;
pub mod output;
pub mod render;
pub mod safe_url;
pub mod scaffold;
pub mod scan;
pub mod seminars;
pub mod serve;
pub mod site;
pub mod time;
