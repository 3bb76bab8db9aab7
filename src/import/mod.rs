//! Importers: content made by other tools, turned into hub files.
//!
//! Each importer writes ordinary content files that the coordinator can then edit by
//! hand; none of them is needed at build time.

pub mod members;
