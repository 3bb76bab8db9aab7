//! Markdown: turning a page body into HTML.
//!
//! Owns the comrak setup (GFM tables, strikethrough, autolinks, task lists, footnotes),
//! heading anchors, the rewriting of links (`@/path.md` internal links, root-absolute links
//! under the site's sub-path), math rendered to MathML at build time, code highlighted at
//! build time with CSS classes, and the summary cut at `<!-- more -->`.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt::{self, Write};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};

use comrak::adapters::{HeadingAdapter, HeadingMeta, SyntaxHighlighterAdapter};
use comrak::nodes::{AstNode, NodeValue, Sourcepos};
use comrak::options::Plugins;
use comrak::{Anchorizer, Arena, Options};
use syntect::parsing::{BasicScopeStackOp, ParseState, ScopeStack, ScopeStackOp, SyntaxSet};

use crate::config::MarkdownConfig;
use crate::diagnostics::{Diagnostic, Pos};
use crate::nesting;

/// The marker line that ends a page's summary.
pub const MORE_MARKER: &str = "<!-- more -->";

/// What a body needs to know about the rest of the site.
pub struct Links<'a> {
    /// Content path (`news/post.md`) → site path of its page (`news/post/`).
    pub pages: &'a HashMap<String, String>,
    /// The base URL's path, e.g. `/hub/`.
    pub base_path: &'a str,
}

/// A rendered body.
#[derive(Debug, Default, Clone)]
pub struct Rendered {
    pub html: String,
    /// The HTML before `<!-- more -->`, when the body has that line.
    pub summary: Option<String>,
    pub word_count: usize,
}

/// Where a body sits in its file, for messages.
pub struct Source<'a> {
    pub file: &'a Path,
    /// Lines of front matter above the body.
    pub line_offset: usize,
}

/// Renders `body` to HTML; every broken link and bad formula is reported, not just the first.
pub fn render(
    body: &str,
    config: &MarkdownConfig,
    links: &Links,
    source: &Source,
) -> Result<Rendered, Vec<Diagnostic>> {
    let options = options(config);
    let headings = Headings::default();
    let highlighter = Highlighter;
    let mut plugins = Plugins::default();
    plugins.render.heading_adapter = Some(&headings);
    if config.highlight_code {
        plugins.render.codefence_syntax_highlighter = Some(&highlighter);
    }
    let mut errors = Vec::new();
    let html = SCRATCH.with_borrow_mut(|scratch| {
        scratch.clear();
        // HTML is a little longer than its Markdown; room made at once spares a long body
        // the doublings that leave up to twice the room it needs.
        if body.len() > SCRATCH_KEPT {
            scratch.reserve(body.len() + body.len() / 4);
        }
        for (piece, line) in pieces(body, PIECE) {
            let source = Source {
                file: source.file,
                line_offset: source.line_offset + line,
            };
            let arena = Arena::new();
            let root = comrak::parse_document(&arena, piece, &options);
            for node in root.descendants() {
                rewrite_node(node, config, links, &source, &mut errors);
            }
            // Once there are errors, later pieces are only checked.
            if errors.is_empty() {
                comrak::format_html_with_plugins(root, &options, scratch, &plugins)
                    .expect("writing to a String cannot fail");
            }
        }
        if scratch.capacity() <= SCRATCH_KEPT {
            return scratch.as_str().to_owned();
        }
        // An unusually long page's buffer is handed over, not copied: the copy of a 50 MB
        // body's HTML was much of that build's peak memory.
        let mut html = std::mem::take(scratch);
        html.shrink_to_fit();
        html
    });
    if !errors.is_empty() {
        return Err(errors);
    }
    let summary = html
        .find(MORE_MARKER)
        .map(|i| for_lists(html[..i].trim_end()));
    Ok(Rendered {
        summary,
        word_count: word_count(body),
        html,
    })
}

/// The size (in bytes) from which a body is parsed in pieces. The parsed tree of a body
/// takes about ten times its text: a 50 MB file needed 1.8 GB at once.
pub const PIECE: usize = 512 * 1024;

/// `body` cut into pieces of about `size` bytes, each with the number of lines before it.
/// Cuts fall on blank lines outside fenced code, so a piece holds whole paragraphs,
/// lists and code blocks; a body up to `size` is one piece.
fn pieces(body: &str, size: usize) -> Vec<(&str, usize)> {
    let mut pieces = Vec::new();
    let (mut start, mut start_line, mut fenced) = (0, 0, false);
    let mut offset = 0;
    for (i, line) in body.split_inclusive('\n').enumerate() {
        offset += line.len();
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fenced = !fenced;
        }
        if !fenced && line.trim().is_empty() && offset - start >= size {
            pieces.push((&body[start..offset], start_line));
            (start, start_line) = (offset, i + 1);
        }
    }
    if start < body.len() || pieces.is_empty() {
        pieces.push((&body[start..], start_line));
    }
    pieces
}

thread_local! {
    /// The HTML of the body being rendered on this thread. A string grown while writing
    /// ends with up to twice the capacity it needs, and every page keeps its HTML until the
    /// site is rendered: on a large hub that slack was hundreds of MB of peak memory. So the
    /// HTML is written here, then copied once into a string of its exact size.
    static SCRATCH: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

/// The largest scratch buffer a thread keeps between bodies; an unusually long page's is
/// let go rather than held for the rest of the process.
const SCRATCH_KEPT: usize = 1 << 20;

/// The number of words in `text`, the same as `text.split_whitespace().count()`, which
/// showed in build profiles: for ASCII (nearly every body) a branch-free byte loop the
/// compiler vectorises counts the starts of words instead.
fn word_count(text: &str) -> usize {
    if !text.is_ascii() {
        return text.split_whitespace().count();
    }
    // The ASCII characters `char::is_whitespace` accepts: space, and tab to carriage
    // return. (Compared with `|`: as a `matches!` it became a bit test that kept the loop
    // from being vectorised.)
    let space = |b: u8| (b == b' ') | (b.wrapping_sub(b'\t') <= b'\r' - b'\t');
    let bytes = text.as_bytes();
    let Some((&first, rest)) = bytes.split_first() else {
        return 0;
    };
    // Summed in byte-wide counters, a run short enough that one cannot overflow: summed
    // straight into a `usize`, every byte was widened to 64 bits and the loop ran scalar
    // (about 9 instructions a byte).
    const RUN: usize = u8::MAX as usize;
    let befores = bytes[..rest.len()].chunks(RUN);
    let later = befores
        .zip(rest.chunks(RUN))
        .map(|(befores, afters)| {
            let starts = befores.iter().zip(afters);
            let run = starts.fold(0u8, |n, (&before, &b)| {
                n + u8::from(space(before) & !space(b))
            });
            usize::from(run)
        })
        .sum::<usize>();
    usize::from(!space(first)) + later
}

fn options(config: &MarkdownConfig) -> Options<'static> {
    let mut o = Options::default();
    o.extension.strikethrough = true;
    o.extension.table = true;
    o.extension.autolink = true;
    o.extension.tasklist = true;
    o.extension.footnotes = true;
    o.extension.math_dollars = config.math;
    o.parse.smart = config.smart_punctuation;
    o.render.r#unsafe = true;
    o.render.tasklist_classes = true;
    o
}

fn rewrite_node<'a>(
    node: &'a AstNode<'a>,
    config: &MarkdownConfig,
    links: &Links,
    source: &Source,
    errors: &mut Vec<Diagnostic>,
) {
    let mut data = node.data.borrow_mut();
    let pos = position(data.sourcepos, source);
    match &mut data.value {
        NodeValue::Link(link) | NodeValue::Image(link) => {
            match resolve_url(&link.url, links) {
                Ok(Some(url)) => link.url = url,
                Ok(None) => {}
                Err(e) => errors.push(Diagnostic::at(source.file, pos, e.0).with_hint(e.1)),
            }
        }
        NodeValue::HtmlInline(raw) => *raw = rebase_raw_html(raw, links.base_path),
        NodeValue::HtmlBlock(block) => block.literal = rebase_raw_html(&block.literal, links.base_path),
        NodeValue::Math(math) if config.math => match latex_to_mathml(&math.literal, math.display_math) {
            Ok(mathml) => data.value = NodeValue::HtmlInline(mathml),
            Err(e) => errors.push(
                Diagnostic::at(source.file, pos, format!("cannot render math `{}`: {e}", excerpt(&math.literal)))
                    .with_hint("write LaTeX math between `$…$` (inline) or `$$…$$` (display); a literal dollar sign is `\\$`"),
            ),
        },
        _ => {}
    }
}

fn position(sourcepos: Sourcepos, source: &Source) -> Pos {
    Pos::new(sourcepos.start.line, sourcepos.start.column).shifted(source.line_offset)
}

/// Resolves `@/` internal links and puts root-absolute links under the base path.
/// `Ok(None)` leaves the URL as written; `Err` carries a message and a hint.
pub fn resolve_url(url: &str, links: &Links) -> Result<Option<String>, (String, String)> {
    if let Some(target) = url.strip_prefix("@/") {
        let (path, fragment) = match target.split_once('#') {
            Some((p, f)) => (p, format!("#{f}")),
            None => (target, String::new()),
        };
        return match links.pages.get(path) {
            Some(site_path) => Ok(Some(format!("{}{site_path}{fragment}", links.base_path))),
            None => Err((
                format!("internal link `{url}` points to no page"),
                "internal links name a file under content/, e.g. `@/news/my-post.md` or `@/people/_index.md`".into(),
            )),
        };
    }
    if url.starts_with('/') && !url.starts_with("//") && links.base_path != "/" {
        return Ok(Some(format!("{}{}", links.base_path, &url[1..])));
    }
    Ok(None)
}

/// Root-absolute `href` and `src` in HTML an author wrote inside Markdown, put under the
/// base path like Markdown links are.
fn rebase_raw_html(html: &str, base_path: &str) -> String {
    // Every attribute rebased holds `="/` or `='/`; most raw HTML (comments, `<br>`) has
    // neither, and needs no pass per attribute.
    if base_path == "/" || !(html.contains("=\"/") || html.contains("='/")) {
        return html.to_string();
    }
    let mut out = html.to_string();
    for attr in ["href=\"/", "src=\"/", "href='/", "src='/"] {
        let quote = &attr[attr.len() - 2..attr.len() - 1];
        let mut rebased = String::with_capacity(out.len());
        let mut rest = out.as_str();
        while let Some(i) = rest.find(attr) {
            let after = &rest[i + attr.len()..];
            rebased.push_str(&rest[..i]);
            if after.starts_with('/') {
                rebased.push_str(attr); // protocol-relative `//host/…` stays as it is
            } else {
                rebased.push_str(&attr[..attr.len() - 1]);
                rebased.push_str(base_path);
            }
            rest = after;
        }
        rebased.push_str(rest);
        let _ = quote;
        out = rebased;
    }
    out
}

/// The summary as list pages show it: heading ids, heading links and footnote references
/// belong to the page itself, and repeated on a list they would clash or lead nowhere.
fn for_lists(html: &str) -> String {
    let out = remove_elements(html, "<sup class=\"footnote-ref\">", "</sup>");
    let mut out = remove_elements(&out, " <a class=\"anchor\"", "</a>").into_owned();
    for (open, marked) in HEADING_IDS {
        if !out.contains(open) {
            continue; // most summaries have no heading: skip two copies per level
        }
        out = out.replace(open, marked);
        out = remove_elements(&out, "\u{1}", "\">").into_owned();
    }
    out
}

/// The start of a heading with an id, at each level, and what it becomes before the id is
/// cut: the tag without it, and a mark where the id was.
const HEADING_IDS: [(&str, &str); 6] = [
    ("<h1 id=\"", "<h1>\u{1}"),
    ("<h2 id=\"", "<h2>\u{1}"),
    ("<h3 id=\"", "<h3>\u{1}"),
    ("<h4 id=\"", "<h4>\u{1}"),
    ("<h5 id=\"", "<h5>\u{1}"),
    ("<h6 id=\"", "<h6>\u{1}"),
];

/// Removes every run from `open` to the next `close`, inclusive; `html` itself when there
/// is none (most summaries), without a copy.
fn remove_elements<'h>(html: &'h str, open: &str, close: &str) -> Cow<'h, str> {
    if !html.contains(open) {
        return Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find(open) {
        out.push_str(&rest[..i]);
        match rest[i..].find(close) {
            Some(j) => rest = &rest[i + j + close.len()..],
            None => {
                rest = &rest[i..];
                break;
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// The start of a long formula, enough to find it by, for messages.
fn excerpt(text: &str) -> Cow<'_, str> {
    const SHOWN: usize = 60;
    match text.char_indices().nth(SHOWN) {
        Some((end, _)) => Cow::Owned(format!("{}…", &text[..end])),
        None => Cow::Borrowed(text),
    }
}

/// LaTeX to MathML, at build time, so readers need no JavaScript. Formulas nested deeper
/// than [`nesting::MATH_DEPTH`] are refused before the converter, which would overflow the
/// stack on them.
pub(crate) fn latex_to_mathml(latex: &str, display: bool) -> Result<String, String> {
    let depth = nesting::math_depth(latex);
    if depth > nesting::MATH_DEPTH {
        return Err(format!(
            "it nests {depth} levels deep, and at most {} are rendered",
            nesting::MATH_DEPTH
        ));
    }
    static CONVERTER: OnceLock<math_core::LatexToMathML> = OnceLock::new();
    let converter = CONVERTER.get_or_init(|| {
        math_core::LatexToMathML::new(math_core::MathCoreConfig::default())
            .expect("the default math configuration has no macros to reject")
    });
    let style = if display {
        math_core::MathDisplay::Block
    } else {
        math_core::MathDisplay::Inline
    };
    converter
        .convert_with_local_state(latex, style)
        .map(|r| r.mathml)
        .map_err(|e| e.to_string())
}

/// Headings get stable ids and a "#" link a reader can copy.
#[derive(Default)]
struct Headings(Mutex<HeadingIds>);

#[derive(Default)]
struct HeadingIds {
    anchorizer: Anchorizer,
    /// The id of the heading being written; headings never nest.
    current: String,
}

impl HeadingAdapter for Headings {
    fn enter(&self, out: &mut dyn Write, h: &HeadingMeta, _: Option<Sourcepos>) -> fmt::Result {
        let mut ids = self.0.lock().expect("heading ids are never poisoned");
        ids.current = escape_attr(&ids.anchorizer.anchorize(&h.content));
        write!(out, "<h{} id=\"{}\">", h.level, ids.current)
    }

    fn exit(&self, out: &mut dyn Write, h: &HeadingMeta) -> fmt::Result {
        let ids = self.0.lock().expect("heading ids are never poisoned");
        write!(
            out,
            " <a class=\"anchor\" href=\"#{}\" aria-label=\"Link to this section\">#</a></h{}>",
            ids.current, h.level
        )
    }
}

/// Code highlighting with CSS classes (`hl-keyword`, `hl-string`, …), coloured by the theme
/// for light and dark.
struct Highlighter;

/// Loads the syntax definitions now (tens of milliseconds, once per process), so that a
/// build can do it on an idle core while it reads the content instead of on first use.
pub fn load_syntaxes() {
    syntaxes();
}

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// Highlights `code` as `lang` (plain text when syntect knows no such language): each token
/// in spans classed by its scopes, nested as the scopes nest. A scope's first two parts make
/// its classes (`keyword.operator.rust` gives `hl-keyword hl-operator`), and scopes that only
/// group others (`source.*`, `meta.*`, `text.*`) get no span: classes for every part of every
/// scope, as syntect's own HTML writes them, made a six-line block 4 KB, a quarter of its
/// page, for colours that only depend on the first two parts.
fn highlight(lang: Option<&str>, code: &str) -> String {
    if !highlightable(code) {
        return escape_text(code);
    }
    let set = syntaxes();
    let syntax = lang
        .and_then(|l| set.find_syntax_by_token(l))
        .unwrap_or_else(|| set.find_syntax_plain_text());
    let mut parser = ParseState::new(syntax);
    let mut spans = Spans::default();
    for line in syntect::util::LinesWithEndings::from(code) {
        let Ok(ops) = parser.parse_line(line, set) else {
            return escape_text(code);
        };
        let mut done = 0;
        for (at, op) in &ops {
            spans.text(&line[done..*at]);
            done = *at;
            if spans.apply(op).is_err() {
                return escape_text(code);
            }
        }
        spans.text(&line[done..]);
    }
    spans.finish()
}

/// The longest line (in bytes) of a block that is highlighted. Syntax rules scan a line
/// from each position in it: a 30 KB string took 15 s as JavaScript, four times as long
/// for each doubling.
pub const HIGHLIGHT_LINE: usize = 1_000;

/// The largest block (in bytes) that is highlighted; even short lines cost time in bulk.
pub const HIGHLIGHT_BLOCK: usize = 128 * 1024;

/// Whether `code` is small enough to highlight; larger blocks are shown as plain text.
fn highlightable(code: &str) -> bool {
    code.len() <= HIGHLIGHT_BLOCK && code.lines().all(|l| l.len() <= HIGHLIGHT_LINE)
}

/// Highlighted HTML being written: the scopes open at this point, and which have a span.
#[derive(Default)]
struct Spans {
    html: String,
    stack: ScopeStack,
    /// For each scope on the stack, whether it opened a span.
    opened: Vec<bool>,
    /// Where the last span opened, while nothing is in it yet: an empty span is taken out.
    empty_since: Option<usize>,
}

impl Spans {
    fn text(&mut self, text: &str) {
        if !text.is_empty() {
            self.empty_since = None;
            self.html.push_str(&escape_text(text));
        }
    }

    fn apply(&mut self, op: &ScopeStackOp) -> Result<(), syntect::parsing::ScopeError> {
        let Spans {
            html,
            stack,
            opened,
            empty_since,
        } = self;
        stack.apply_with_hook(op, |op, _| match op {
            BasicScopeStackOp::Push(scope) => {
                let name = scope.build_string();
                let mut parts = name.split('.');
                let first = parts.next().unwrap_or_default();
                let styled = !matches!(first, "" | "source" | "meta" | "text");
                if styled {
                    *empty_since = Some(html.len());
                    html.push_str("<span class=\"hl-");
                    html.push_str(first);
                    if let Some(second) = parts.next() {
                        html.push_str(" hl-");
                        html.push_str(second);
                    }
                    html.push_str("\">");
                }
                opened.push(styled);
            }
            BasicScopeStackOp::Pop => {
                if opened.pop() == Some(true) {
                    match empty_since.take() {
                        Some(start) => html.truncate(start),
                        None => html.push_str("</span>"),
                    }
                }
            }
        })
    }

    fn finish(mut self) -> String {
        for opened in self.opened.drain(..).rev() {
            if opened {
                self.html.push_str("</span>");
            }
        }
        self.html
    }
}

/// Shards of the highlight cache, so parallel renders rarely wait on one lock.
const CACHE_SHARDS: usize = 16;

/// Bytes (code plus HTML) a shard may hold before it is emptied: 64 MB in all, tens of
/// thousands of typical blocks, and a bound for a long `podium serve` session.
const CACHE_SHARD_BYTES: usize = (64 << 20) / CACHE_SHARDS;

/// Highlighted blocks kept for the life of the process: highlighting is most of the cost
/// of rendering Markdown, and a `podium serve` rebuild (or a block repeated across pages)
/// would otherwise highlight the same code again.
struct HighlightCache([Mutex<CacheShard>; CACHE_SHARDS]);

#[derive(Default)]
struct CacheShard {
    /// By a hash of language and code; the entry keeps both, so a hash collision is a miss
    /// and never the wrong HTML.
    blocks: HashMap<u64, CachedBlock>,
    bytes: usize,
}

struct CachedBlock {
    lang: Option<Box<str>>,
    code: Box<str>,
    html: Arc<str>,
}

impl HighlightCache {
    fn get() -> &'static HighlightCache {
        static CACHE: OnceLock<HighlightCache> = OnceLock::new();
        CACHE.get_or_init(|| HighlightCache(Default::default()))
    }

    fn shard(&self, key: u64) -> std::sync::MutexGuard<'_, CacheShard> {
        // A panic elsewhere while holding the lock leaves a usable map, so poisoning is ignored.
        self.0[key as usize % CACHE_SHARDS]
            .lock()
            .unwrap_or_else(|e| e.into_inner())
    }

    /// The HTML of `code` as `lang`, highlighted now or earlier.
    fn highlighted(&self, lang: Option<&str>, code: &str) -> Arc<str> {
        let mut hasher = DefaultHasher::new();
        (lang, code).hash(&mut hasher);
        let key = hasher.finish();
        if let Some(block) = self.shard(key).blocks.get(&key)
            && block.lang.as_deref() == lang
            && &*block.code == code
        {
            return block.html.clone();
        }
        // Highlighted outside the lock: other threads keep using the shard meanwhile.
        let html: Arc<str> = highlight(lang, code).into();
        let size = code.len() + html.len();
        let mut shard = self.shard(key);
        if shard.bytes + size > CACHE_SHARD_BYTES {
            // Emptying a full shard is crude but cheap, and cannot change any output.
            shard.blocks.clear();
            shard.bytes = 0;
        }
        let block = CachedBlock {
            lang: lang.map(Into::into),
            code: code.into(),
            html: html.clone(),
        };
        if let Some(old) = shard.blocks.insert(key, block) {
            shard.bytes -= old.code.len() + old.html.len();
        }
        shard.bytes += size;
        html
    }
}

impl SyntaxHighlighterAdapter for Highlighter {
    fn write_highlighted(
        &self,
        out: &mut dyn Write,
        lang: Option<&str>,
        code: &str,
    ) -> fmt::Result {
        out.write_str(&HighlightCache::get().highlighted(lang, code))
    }

    fn write_pre_tag(
        &self,
        out: &mut dyn Write,
        _: HashMap<&'static str, Cow<'_, str>>,
    ) -> fmt::Result {
        out.write_str("<pre class=\"code\">")
    }

    fn write_code_tag(
        &self,
        out: &mut dyn Write,
        attrs: HashMap<&'static str, Cow<'_, str>>,
    ) -> fmt::Result {
        match attrs.get("class") {
            Some(class) => write!(out, "<code class=\"{}\">", escape_attr(class)),
            None => out.write_str("<code>"),
        }
    }
}

/// Escapes text for an HTML attribute value in double quotes.
pub fn escape_attr(s: &str) -> String {
    escape_with(s, |b| (b == b'&') | (b == b'<') | (b == b'>') | (b == b'"'))
}

/// Escapes text for HTML element content.
pub fn escape_text(s: &str) -> String {
    escape_with(s, |b| (b == b'&') | (b == b'<') | (b == b'>'))
}

/// Escapes text for element content and attribute values in either quotes: what templates
/// print unless told it is already HTML.
pub fn escape_html(s: &str) -> String {
    escape_with(s, html_special)
}

/// The bytes [`escape_html`] replaces.
fn html_special(b: u8) -> bool {
    (b == b'&') | (b == b'<') | (b == b'>') | (b == b'"') | (b == b'\'')
}

/// The entity of each byte an escaper may replace.
fn entity(b: u8) -> &'static str {
    match b {
        b'&' => "&amp;",
        b'<' => "&lt;",
        b'>' => "&gt;",
        b'"' => "&quot;",
        b'\'' => "&#39;",
        _ => unreachable!("only the five special bytes are escaped"),
    }
}

/// `s` with each byte `special` picks replaced by its entity, in one pass and one
/// allocation: templates escape every value they print, and a chain of `replace` calls (a
/// pass and a copy per character) showed in build profiles. Only ASCII bytes are
/// replaced, so every cut falls between characters. (`special` compares with `|`, not
/// `matches!`: a match became a bit test the compiler could not vectorise.)
fn escape_with(s: &str, special: impl Fn(u8) -> bool + Copy) -> String {
    let mut out = String::with_capacity(s.len());
    let written: Result<(), std::convert::Infallible> = escape_into(s, special, |run| {
        out.push_str(run);
        Ok(())
    });
    let Ok(()) = written;
    out
}

/// Writes `s` escaped like [`escape_html`] to `out`: how templates print values (Tera's own
/// escaper writes a byte at a time).
pub fn write_escaped_html(s: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    escape_into(s, html_special, |run| out.write_all(run.as_bytes()))
}

/// Hands `s` to `emit` in runs: the text between special bytes, and each one's entity.
fn escape_into<E>(
    s: &str,
    special: impl Fn(u8) -> bool + Copy,
    mut emit: impl FnMut(&str) -> Result<(), E>,
) -> Result<(), E> {
    let bytes = s.as_bytes();
    let mut done = 0;
    while let Some(i) = crate::scan::next_special(bytes, done, special) {
        emit(&s[done..i])?;
        emit(entity(bytes[i]))?;
        done = i + 1;
    }
    emit(&s[done..])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(body: &str, base_path: &str) -> Result<Rendered, Vec<Diagnostic>> {
        let mut pages = HashMap::new();
        pages.insert("news/post.md".to_string(), "news/post/".to_string());
        let links = Links {
            pages: &pages,
            base_path,
        };
        let source = Source {
            file: Path::new("content/a.md"),
            line_offset: 3,
        };
        render(body, &MarkdownConfig::default(), &links, &source)
    }

    #[test]
    fn internal_and_root_absolute_links_live_under_the_base_path() {
        let r = md(
            "[p](@/news/post.md#x) [cv](/files/cv.pdf) [ext](https://a.org/)",
            "/hub/",
        )
        .unwrap();
        assert!(r.html.contains("href=\"/hub/news/post/#x\""), "{}", r.html);
        assert!(r.html.contains("href=\"/hub/files/cv.pdf\""), "{}", r.html);
        assert!(r.html.contains("href=\"https://a.org/\""), "{}", r.html);
    }

    #[test]
    fn a_missing_internal_link_is_an_error_on_its_line() {
        let e = md("text\n\n[gone](@/nowhere.md)\n", "/").unwrap_err();
        assert_eq!(e.len(), 1);
        assert_eq!((e[0].line, e[0].column), (6, 1), "{}", e[0]);
    }

    #[test]
    fn math_becomes_mathml_but_prices_stay_text() {
        let r = md(
            "Energy $E = mc^2$.\n\n$$\\frac{1}{2}$$\n\nIt costs $5 and $10.",
            "/",
        )
        .unwrap();
        assert!(r.html.contains("<math"), "{}", r.html);
        assert!(r.html.contains("display=\"block\""), "{}", r.html);
        assert!(r.html.contains("costs $5 and $10"), "{}", r.html);
    }

    #[test]
    fn code_is_highlighted_with_classes() {
        let r = md("```python\ndef f(x):\n    return 'a'\n```\n", "/").unwrap();
        assert!(r.html.contains("class=\"hl-"), "{}", r.html);
        assert!(!r.html.contains("style="), "{}", r.html);
    }

    #[test]
    fn highlighted_code_keeps_every_character_in_spans_named_by_their_scopes() {
        let code = "fn f(x: &str) -> &str {\n    \"a<b\" // done\n}\n";
        let html = highlight(Some("rust"), code);
        let tags = |html: &str| {
            let mut text = String::new();
            for (i, part) in html.split('<').enumerate() {
                text.push_str(if i == 0 {
                    part
                } else {
                    part.split_once('>').unwrap().1
                });
            }
            text.replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&")
        };
        assert_eq!(tags(&html), code, "{html}");
        assert_eq!(
            html.matches("<span").count(),
            html.matches("</span>").count()
        );
        assert!(
            html.contains("<span class=\"hl-storage hl-type\">fn</span>"),
            "{html}"
        );
        assert!(
            html.contains("<span class=\"hl-comment hl-line\">"),
            "{html}"
        );
        // The quotes are inside the string's span, so they take its colour.
        let string = "<span class=\"hl-string hl-quoted\"><span class=\"hl-punctuation hl-definition\">\"</span>";
        assert!(html.contains(string), "{html}");
        for wrapper in ["hl-source", "hl-meta", "hl-rust", "<span class=\"\">"] {
            assert!(!html.contains(wrapper), "{wrapper} in {html}");
        }
    }

    #[test]
    fn long_lines_and_huge_blocks_are_plain_text_at_once() {
        let long_string = format!("x = \"{}\";\n", "a".repeat(30_000));
        let many_lines = "let x = 1;\n".repeat(HIGHLIGHT_BLOCK / 10);
        for code in [long_string, many_lines] {
            // On a thread, so that slow highlighting fails the test instead of stalling it.
            let (done, finished) = std::sync::mpsc::channel();
            let sent = code.clone();
            std::thread::spawn(move || done.send(highlight(Some("js"), &sent)));
            let html = finished
                .recv_timeout(std::time::Duration::from_secs(2))
                .expect("plain text is written in time");
            assert_eq!(html, escape_text(&code));
        }
        let at_limit = format!("x = \"{}\";", "a".repeat(HIGHLIGHT_LINE - 8));
        assert!(highlight(Some("js"), &at_limit).contains("hl-string"));
    }

    #[test]
    fn long_bodies_are_cut_on_blank_lines_outside_code() {
        let body = "a\n\n```\nb\n\nc\n```\n\nd\n";
        let cut = pieces(body, 1);
        let texts: Vec<&str> = cut.iter().map(|(t, _)| *t).collect();
        assert_eq!(texts, ["a\n\n", "```\nb\n\nc\n```\n\n", "d\n"]);
        assert_eq!(cut.iter().map(|(_, l)| *l).collect::<Vec<_>>(), [0, 2, 8]);
        assert_eq!(pieces(body, PIECE), [(body, 0)]);
        assert_eq!(pieces("", PIECE), [("", 0)]);
    }

    #[test]
    fn a_body_in_pieces_renders_as_a_whole_and_reports_lines_in_the_file() {
        let para = "Some *text* and a [link](https://e.org/).\n\n";
        let body = format!(
            "# Top\n\n{}# Top\n\n[gone](@/nowhere.md)\n",
            para.repeat(PIECE / para.len() + 10)
        );
        let e = md(&body, "/").unwrap_err();
        let line = 3 + 2 + 2 * (PIECE / para.len() + 10) + 3;
        assert_eq!((e[0].line, e[0].column), (line, 1), "{}", e[0]);
        let html = md(&body.replace("@/nowhere.md", "x"), "/").unwrap().html;
        assert_eq!(
            html.matches("<em>text</em>").count(),
            PIECE / para.len() + 10
        );
        assert!(
            html.contains("id=\"top-1\""),
            "heading ids stay unique across pieces"
        );
    }

    #[test]
    fn cached_highlighting_gives_the_same_html() {
        let body = "```rust\nfn main() {}\n```\n\n```toml\nfn main() {}\n```\n";
        let first = md(body, "/").unwrap().html;
        assert_eq!(md(body, "/").unwrap().html, first);
        let blocks: Vec<_> = first.split("<pre").skip(1).collect();
        assert_eq!(blocks.len(), 2);
        assert_ne!(
            blocks[0].replace("rust", ""),
            blocks[1].replace("toml", ""),
            "the language is part of the key"
        );
    }

    #[test]
    fn word_count_matches_split_whitespace() {
        for text in [
            "",
            "  one ",
            "a\tb\nc\r\nd\x0be\x0cf",
            "\x1cnot\x1fspace",
            "caf\u{e9}\u{a0}cr\u{e8}me\u{3000}br\u{fb}l\u{e9}e \u{2014} \u{1f600}",
            "x\u{85}y\u{2028}z\u{202f}w",
            "plain ascii\n\nwith  runs\t\tof space ",
            "x",
            " ",
        ] {
            assert_eq!(
                word_count(text),
                text.split_whitespace().count(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn escaping_replaces_each_special_character_once() {
        let s = "a & b < c > d \" e ' f &amp; é";
        assert_eq!(
            escape_text(s),
            "a &amp; b &lt; c &gt; d \" e ' f &amp;amp; é"
        );
        assert_eq!(
            escape_attr(s),
            "a &amp; b &lt; c &gt; d &quot; e ' f &amp;amp; é"
        );
        assert_eq!(
            escape_html(s),
            "a &amp; b &lt; c &gt; d &quot; e &#39; f &amp;amp; é"
        );
        assert_eq!(escape_html(""), "");
    }

    #[test]
    fn escaping_finds_special_characters_in_and_across_blocks() {
        let naive = |s: &str| {
            s.replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
                .replace('"', "&quot;")
                .replace('\'', "&#39;")
        };
        let filler = "abcdéfghijklmnopqrstuvwxyz0123456789";
        for len in [0, 1, 15, 16, 17, 31, 32, 33, 40] {
            let base: String = filler.chars().cycle().take(len).collect();
            for at in 0..=base.chars().count() {
                let cut = base.char_indices().nth(at).map_or(base.len(), |(i, _)| i);
                for special in ["&", "<", ">", "\"", "'", "<&>"] {
                    let s = format!("{}{special}{}", &base[..cut], &base[cut..]);
                    assert_eq!(escape_html(&s), naive(&s), "{s:?}");
                    let doubled = format!("{s}{s}");
                    assert_eq!(escape_html(&doubled), naive(&doubled), "{doubled:?}");
                }
            }
            assert_eq!(escape_html(&base), base);
        }
    }

    #[test]
    fn summary_ends_at_the_more_marker() {
        let r = md("First.\n\n<!-- more -->\n\nSecond.", "/").unwrap();
        assert_eq!(r.summary.as_deref(), Some("<p>First.</p>"));
        assert!(r.html.contains("Second."));
    }

    #[test]
    fn list_summaries_carry_no_ids_or_footnote_links() {
        let r = md(
            "## Background\n\nText[^a].\n\n<!-- more -->\n\nMore.\n\n[^a]: Note.",
            "/",
        )
        .unwrap();
        let summary = r.summary.unwrap();
        assert!(summary.starts_with("<h2>Background</h2>"), "{summary}");
        assert!(
            !summary.contains("id=") && !summary.contains("#fn"),
            "{summary}"
        );
        assert!(
            r.html.contains("id=\"background\""),
            "the page itself keeps its ids"
        );
    }

    #[test]
    fn raw_html_links_live_under_the_base_path_too() {
        let r = md("<a href=\"/files/cv.pdf\">CV</a> and <img src=\"/img/a.png\" alt=\"a\"> and <a href=\"//cdn.org/x\">x</a>", "/hub/").unwrap();
        assert!(r.html.contains("href=\"/hub/files/cv.pdf\""), "{}", r.html);
        assert!(r.html.contains("src=\"/hub/img/a.png\""), "{}", r.html);
        assert!(r.html.contains("href=\"//cdn.org/x\""), "{}", r.html);
    }

    #[test]
    fn headings_get_anchors_and_gfm_works() {
        let r = md("## Hello World\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n\n~~old~~[^1]\n\n[^1]: note", "/").unwrap();
        assert!(r.html.contains("<h2 id=\"hello-world\">"), "{}", r.html);
        assert!(r.html.contains("<table>"));
        assert!(r.html.contains("<del>old</del>"));
        assert!(r.html.contains("type=\"checkbox\""));
        assert!(r.html.contains("footnote"));
    }
}
