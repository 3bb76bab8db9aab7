//! Markdown bodies with math, code, links and raw HTML (`src/markdown.rs`).

use std::collections::HashMap;
use std::path::Path;

use podium::config::MarkdownConfig;
use podium::markdown::{Links, Source, render};
use proptest::prelude::*;

use crate::harness::{check, guarded, nasty_string, points_into};

/// LaTeX pieces, balanced and not: commands the converter knows, unknown ones, stray
/// braces, environments, and text.
fn latex() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        prop::sample::select(vec![
            "x^2",
            "\\frac{a}{b}",
            "\\frac",
            "\\sqrt[3]{x}",
            "{",
            "}",
            "_",
            "^",
            "\\left(",
            "\\right)",
            "\\begin{matrix}a&b\\\\c\\end{matrix}",
            "\\begin{align}",
            "\\end{foo}",
            "\\nosuchcommand",
            "\\\\",
            "&",
            "\\text{é $}",
            "\\mathbb{R}",
            "\\operatorname{f}",
            "\\color{red}",
            "%",
            "#1",
            "\\def\\x{y}",
            "\\hat",
            "'",
            "\\int_0^\\infty",
        ])
        .prop_map(str::to_string),
        nasty_string(6),
    ];
    prop::collection::vec(piece, 0..12).prop_map(|p| p.concat())
}

/// Inline Markdown: emphasis, math, links (internal ones that exist and do not), code.
fn inline() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => nasty_string(30),
        2 => latex().prop_map(|l| format!("${l}$")),
        1 => latex().prop_map(|l| format!("$${l}$$")),
        1 => latex().prop_map(|l| format!("$`{l}`$")),
        1 => (nasty_string(10), prop::sample::select(vec![
            "@/about.md", "@/missing.md", "@/about.md#top", "@/", "/files/a.pdf", "//host/x",
            "javascript:alert(1)", "", "@/news/_index.md", "<@/about.md>", "@/../x.md",
        ])).prop_map(|(t, u)| format!("[{t}]({u})")),
        1 => nasty_string(10).prop_map(|t| format!("**{t}** _{t}_ ~~{t}~~ `{t}`")),
        1 => prop::sample::select(vec![
            "<a href=\"/x\">", "<img src='/y'>", "<!-- more -->", "<span", "[^1]", "\\$",
            "https://example.org", "&amp;", "&#0;", "<script>", "$", "$$",
        ])
        .prop_map(str::to_string),
    ]
}

/// One block: a paragraph, heading, list, quote, table, fenced code or display math.
fn block() -> impl Strategy<Value = String> {
    let line = || prop::collection::vec(inline(), 1..5).prop_map(|v| v.join(" "));
    prop_oneof![
        4 => line(),
        1 => (1usize..8, line()).prop_map(|(n, l)| format!("{} {l}", "#".repeat(n))),
        1 => (0usize..12, line()).prop_map(|(n, l)| format!("{}{l}", "> ".repeat(n))),
        1 => (0usize..12, line()).prop_map(|(n, l)| format!("{}- {l}", "  ".repeat(n))),
        1 => (line(), line()).prop_map(|(a, b)| format!("| {a} | b |\n|---|:-:|\n| {b} |")),
        1 => (prop::sample::select(vec!["rust", "python", "", "nosuchlang", "toml", "c++", "{"]),
              nasty_string(60))
            .prop_map(|(lang, code)| format!("```{lang}\n{code}\n```")),
        1 => latex().prop_map(|l| format!("$$\n{l}\n$$")),
        1 => line().prop_map(|l| format!("[^1]: {l}")),
        1 => Just("<!-- more -->".to_string()),
    ]
}

/// A body of a few blocks, and how many front matter lines sit above it.
fn body() -> impl Strategy<Value = (usize, String)> {
    (
        0usize..6,
        prop::collection::vec(block(), 0..8).prop_map(|b| b.join("\n\n")),
    )
}

/// Any body renders, or every error names the file and a line of it.
#[test]
fn any_body_renders_or_points_at_lines() {
    check(
        256,
        || (body(), any::<bool>()),
        |((above, body), math)| {
            let file = Path::new("content/news/post.md");
            let input = body.clone();
            let outcome = guarded(move || {
                let pages = HashMap::from([("about.md".to_string(), "about/".to_string())]);
                let links = Links {
                    pages: &pages,
                    base_path: "/hub/",
                };
                let config = MarkdownConfig {
                    math,
                    ..MarkdownConfig::default()
                };
                let source = Source {
                    file: Path::new("content/news/post.md"),
                    line_offset: above,
                };
                render(&input, &config, &links, &source).err()
            })?;
            let whole = format!("{}{body}", "x\n".repeat(above));
            for d in outcome.unwrap_or_default() {
                points_into(&d, file, &whole)?;
            }
            Ok(())
        },
    );
}

/// Nesting as deep as a hostile file makes it: quotes, brackets, emphasis and fractions
/// hundreds of thousands deep. Nested fractions once overflowed the stack (from 60 `\frac{`
/// on a 2 MB thread in a debug build), aborting the whole test binary; formulas nested that
/// deep are now refused before they are parsed.
#[test]
fn deeply_nested_bodies_render_or_are_refused() {
    let depth = || prop_oneof![1usize..=64, Just(800usize), Just(100_000usize)];
    check(
        24,
        move || (0usize..4, depth()),
        |(kind, depth)| {
            let body = match kind {
                0 => format!("{}x", "> ".repeat(depth)),
                1 => format!("${}x{}$", "\\frac{".repeat(depth), "}{1}".repeat(depth)),
                2 => format!("{}x", "[".repeat(depth)),
                _ => format!("{}x", "*".repeat(depth)),
            };
            let input = body.clone();
            let outcome = guarded(move || {
                let pages = HashMap::new();
                let links = Links {
                    pages: &pages,
                    base_path: "/",
                };
                let source = Source {
                    file: Path::new("content/news/post.md"),
                    line_offset: 0,
                };
                render(&input, &MarkdownConfig::default(), &links, &source).err()
            })?;
            for d in outcome.unwrap_or_default() {
                points_into(&d, Path::new("content/news/post.md"), &body)?;
            }
            Ok(())
        },
    );
}
