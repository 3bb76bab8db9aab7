//! The hostile-input suite (issue 20): property tests that feed every input a person or an
//! export can hand Podium — front matter, Markdown and math, timetables, recurrence rules,
//! dates, Indico exports and member spreadsheets — mangled in the ways real files are, and
//! check that each case ends in time, without a panic, with errors that point at a line.
//!
//! Case budgets and the seed are fixed, so a run is repeatable and `cargo test` stays fast;
//! `PROPTEST_CASES=5000 cargo test --test hostile` searches harder.

mod harness;

mod build;
mod dates;
mod front_matter;
mod hub;
mod indico;
mod markdown;
mod members;
mod seminars;
mod timetable;
