//! The user documentation stands on its own: it states its rules rather than pointing
//! into documents that are not shipped with the repository.

use std::path::Path;

/// README.md and every page under docs/, with their text.
fn documents() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![root.join("README.md")];
    let docs = std::fs::read_dir(root.join("docs")).expect("docs/ exists");
    files.extend(docs.map(|e| e.expect("docs/ is readable").path()));
    files
        .into_iter()
        .filter(|f| f.extension().is_some_and(|e| e == "md"))
        .map(|f| {
            let text = std::fs::read_to_string(&f).expect("a doc is readable");
            (f.strip_prefix(root).unwrap().display().to_string(), text)
        })
        .collect()
}

#[test]
fn the_docs_cite_no_section_of_the_unshipped_spec() {
    let mut citations = Vec::new();
    for (file, text) in documents() {
        for (n, line) in text.lines().enumerate() {
            if line.contains("SPEC") || line.contains('§') {
                citations.push(format!("{file}:{}: {line}", n + 1));
            }
        }
    }
    assert!(citations.is_empty(), "{}", citations.join("\n"));
}
