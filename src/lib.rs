//! Podium: a static site generator for research-group hubs.
pub mod calendar;
