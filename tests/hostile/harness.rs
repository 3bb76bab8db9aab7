//! What every hostile case shares: a repeatable proptest configuration, a runner that turns a
//! panic or an overrun into a failed case, and the check that a diagnostic points at a line.

use std::path::Path;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::Duration;

use podium::diagnostics::Diagnostic;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestCaseError, TestRunner};

/// The longest one case may take in a debug build before it counts as a hang. Every case
/// is small, so anything near this is a loop that does not end, not a slow machine.
pub const TIME_LIMIT: Duration = Duration::from_secs(5);

/// A fixed budget of `cases` (unless `PROPTEST_CASES` asks for a longer search), a fixed
/// seed and no failure files, so every run on every machine tries the same inputs.
/// Shrinking is bounded so a failure is reported promptly.
pub fn config(cases: u32) -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(cases);
    Config {
        cases,
        failure_persistence: None,
        rng_seed: RngSeed::Fixed(20),
        max_shrink_iters: 512,
        max_shrink_time: 30_000,
        ..Config::default()
    }
}

/// The stack of the thread that generates and shrinks cases: proptest's nested strategies
/// take deep stack frames in a debug build, more than a test thread's 2 MB.
const RUNNER_STACK: usize = 64 << 20;

/// The stack the code under test gets: that of the rayon threads a build parses and
/// renders pages on (Rust's default for spawned threads), so a case that overflows here
/// overflows in `podium build` too.
const WORKER_STACK: usize = 2 << 20;

/// Tries `property` on `cases` inputs from `strategy` (see [`config`]) and panics with the
/// smallest failing input found, if any. `strategy` makes the strategy on the runner's
/// thread, since some strategies cannot be sent between threads.
pub fn check<S: Strategy>(
    cases: u32,
    strategy: impl FnOnce() -> S + Send + 'static,
    property: impl Fn(S::Value) -> Result<(), TestCaseError> + Send + 'static,
) {
    let runner = thread::Builder::new()
        .stack_size(RUNNER_STACK)
        .spawn(move || {
            let mut runner = TestRunner::new(config(cases));
            runner.run(&strategy(), property).map_err(|e| e.to_string())
        });
    match runner.expect("a thread can be started").join() {
        Ok(Ok(())) => {}
        Ok(Err(failure)) => panic!("{failure}"),
        Err(panic) => std::panic::resume_unwind(panic),
    }
}

/// Runs `work` on a thread of its own and returns its result, or fails the case when it
/// panics or has not finished within [`TIME_LIMIT`] (the thread is then left behind).
pub fn guarded<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, TestCaseError> {
    let (sender, receiver) = mpsc::channel();
    let worker = thread::Builder::new()
        .stack_size(WORKER_STACK)
        .spawn(move || {
            let _ = sender.send(work());
        })
        .expect("a thread can be started");
    match receiver.recv_timeout(TIME_LIMIT) {
        Ok(value) => {
            let _ = worker.join();
            Ok(value)
        }
        Err(RecvTimeoutError::Disconnected) => {
            let payload = worker.join().err();
            let message = payload
                .as_deref()
                .and_then(|p| {
                    p.downcast_ref::<String>()
                        .cloned()
                        .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                })
                .unwrap_or_else(|| "(no message)".into());
            Err(TestCaseError::fail(format!("panicked: {message}")))
        }
        Err(RecvTimeoutError::Timeout) => Err(TestCaseError::fail(format!(
            "still running after {TIME_LIMIT:?}: a hang"
        ))),
    }
}

/// Fails the case unless `d` names `file` and a line that exists in `text` (the line after
/// the last also counts: an error at the end of the file). A lone carriage return ends a
/// line too, as it does for CommonMark and for editors.
pub fn points_into(d: &Diagnostic, file: &Path, text: &str) -> Result<(), TestCaseError> {
    let lone_returns = text.replace("\r\n", "\n").matches('\r').count();
    let lines = text.lines().count() + lone_returns + 1;
    prop_assert_eq!(&d.file, file, "diagnostic names the wrong file: {}", d);
    prop_assert!(
        (1..=lines).contains(&d.line),
        "diagnostic line {} is not a line of the {}-line file: {}",
        d.line,
        lines - 1,
        d
    );
    prop_assert!(!d.message.trim().is_empty(), "diagnostic without a message");
    Ok(())
}

/// Fails the case unless `d` names one of `files` (path and text; a leading BOM is not a
/// character of the file) and a line of that file.
pub fn points_into_one<P: AsRef<Path>>(
    d: &Diagnostic,
    files: &[(P, &str)],
) -> Result<(), TestCaseError> {
    let Some((path, text)) = files.iter().find(|(p, _)| p.as_ref() == d.file) else {
        return Err(TestCaseError::fail(format!(
            "a problem in a file the case did not write: {d}"
        )));
    };
    points_into(
        d,
        path.as_ref(),
        text.strip_prefix('\u{feff}').unwrap_or(text),
    )
}

/// A hub in a temporary folder: a `config.toml`, an `about.md` page, a posts section at
/// `content/news/`, and `files` (path under the root, text) over those.
pub fn hub(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let base = [
        (
            "config.toml",
            "title = \"T\"\nbase_url = \"https://e.org/sub/\"\n",
        ),
        ("content/about.md", "+++\ntitle = \"About\"\n+++\n"),
        (
            "content/news/_index.md",
            "+++\ntitle = \"News\"\nkind = \"posts\"\n+++\n",
        ),
    ];
    for (path, text) in base.iter().chain(files) {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().expect("a file in a folder")).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

/// Text that often breaks parsers: control characters, NUL, a BOM, right-to-left and
/// combining marks, astral characters, quotes and backslashes.
pub fn nasty_char() -> impl Strategy<Value = char> {
    prop_oneof![
        Just('\0'),
        Just('\u{feff}'),
        Just('\u{202e}'),
        Just('\u{301}'),
        Just('\u{1f600}'),
        Just('\r'),
        Just('\t'),
        Just('"'),
        Just('\''),
        Just('\\'),
        Just('$'),
        Just('#'),
        Just('\u{7f}'),
        Just('\u{2028}'),
        any::<char>(),
    ]
}

/// A string of up to `max` characters, mostly ordinary, some hostile.
pub fn nasty_string(max: usize) -> impl Strategy<Value = String> {
    let ch = prop_oneof![4 => proptest::char::range(' ', '~'), 1 => nasty_char()];
    proptest::collection::vec(ch, 0..=max).prop_map(|cs| cs.into_iter().collect())
}
