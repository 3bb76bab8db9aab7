//! Feed-level tests.
