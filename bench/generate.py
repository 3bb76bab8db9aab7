#!/usr/bin/env python3
"""Writes a synthetic research-group hub for benchmarking Podium (and the same site for Hugo).

    generate.py SIZE OUTDIR [--seed N] [--hugo]

SIZE is small (1k posts, 200 seminars, 100 members), medium (10k, 2k, 1k) or
large (50k, 5k, 2k); `tiny` (60, 12, 8) exists for trying the scripts out.
Without --hugo, OUTDIR becomes a Podium hub (config.toml, content/); with --hugo, the
equivalent Hugo site (config.toml, content/, layouts/) holding the same posts, seminars and
members with the same Markdown bodies. Either way OUTDIR/expected.json says which pages the
build must produce (see check.py), so a broken template cannot look fast.

Output depends only on SIZE and --seed: every item is generated from its own
random.Random seeded with (seed, kind, index), and files are written in a fixed order.
Python 3 standard library only.
"""

import argparse
import datetime as dt
import json
import math
import os
import random
import shutil
import sys
import unicodedata

SIZES = {
    "tiny": (60, 12, 8),
    "small": (1_000, 200, 100),
    "medium": (10_000, 2_000, 1_000),
    "large": (50_000, 5_000, 2_000),
}

PAGINATE_BY = 10
BASE_URL = "https://bench.example.org/hub/"
TIMEZONE = "America/Los_Angeles"

TAGS = [
    "machine-learning", "dark-matter", "neutrinos", "cosmology", "collider-physics",
    "anomaly-detection", "generative-models", "simulation", "uncertainty", "inference",
    "graph-networks", "transformers", "detectors", "calibration", "triggers",
    "computing", "hpc", "gpu", "software", "open-data",
    "statistics", "unfolding", "jets", "tracking", "calorimetry",
    "flavour", "higgs", "top-quark", "qcd", "lattice",
    "gravitational-waves", "astro", "instrumentation", "quantum", "qis",
    "theory", "phenomenology", "workshops", "outreach", "teaching",
    "careers", "awards", "papers", "talks", "hiring",
    "diversity", "safety", "funding", "collaborations", "announcements",
]
assert len(TAGS) == 50

FIRST = [
    "Łukasz", "Ümit", "Şaban", "Zuzanna", "Małgorzata", "Jürgen", "Zoë", "José", "Björn",
    "Søren", "Chloé", "Ágnes", "Mário", "Ørjan", "Gül", "Çağla", "İlker", "Žiga", "Radosław",
    "Bożena", "Ana", "Wei", "Priya", "Kwame", "Inês", "Maximilian", "Elena", "Aiko", "Rahul",
    "Sofía", "Jiří", "Oğuz", "Hélène", "François", "Nuno", "Thảo", "Benjamin", "Sarah",
    "Chris", "Fatima", "Dmitri", "Ingrid", "Kofi", "Mei", "Pavel", "Lucía", "Tomáš", "Anaïs",
]
LAST = [
    "Żak", "Kowalski", "Wiśniewska", "Öztürk", "Çelik", "Yılmaz", "Müller", "Schäfer",
    "García", "Núñez", "Dvořák", "Novák", "Ødegaard", "Kovačević", "Nguyễn", "Håkansson",
    "Lefèvre", "Sánchez", "Petrović", "Østergaard", "Smith", "Chen", "Okafor", "Tanaka",
    "Patel", "Rossi", "Jansen", "Ivanova", "Łukasiewicz", "Gürsey", "Şahin", "Doğan",
    "Nachman", "Shih", "Thaler", "Wojtaszek", "Brzęczyszczykiewicz", "Jørgensen",
]
AFFILIATIONS = [
    "Berkeley Lab", "UC Berkeley", "CERN", "MIT", "Uniwersytet Warszawski",
    "Boğaziçi Üniversitesi", "Universität Zürich", "Université Paris-Saclay", "Fermilab",
    "SLAC", "DESY", "Københavns Universitet", "Universidad de Granada", "KEK", "Stanford",
    "Jagiellonian University", "TU München", "Univerzita Karlova", "NERSC", "Caltech",
]
SERIES = [
    ("physics-division", "Physics Division Seminar", "America/Los_Angeles",
     "Building 50 Auditorium", "1h"),
    ("ml-forum", "ML and Science Forum", "America/Los_Angeles", "Shyh Wang Hall 1200", "1h"),
    ("group-meeting", "Group Meeting", "America/Los_Angeles", "Building 50A-5132", "1h30m"),
    ("theory", "Theory Seminar", "Europe/Warsaw", "Sala Łukasiewicza, Pasteura 5", "1h"),
    ("joint-colloquium", "Joint Colloquium", "Europe/Istanbul", "Feza Gürsey Salonu", "45m"),
]
CATEGORIES = [
    "Scientific Staff", "Term Staff / Postdoctoral", "Students",
    "Engineering / Technical / Admin", "Affiliates",
]
POSITIONS = {
    "Scientific Staff": ["Senior Scientist", "Staff Scientist", "Research Scientist"],
    "Term Staff / Postdoctoral": ["Postdoctoral Fellow", "Chamberlain Fellow", "Project Scientist"],
    "Students": ["Graduate Student", "Undergraduate Student", "Summer Student"],
    "Engineering / Technical / Admin": ["Software Engineer", "Electronics Engineer", "Program Manager"],
    "Affiliates": ["Faculty Affiliate", "Visiting Scientist", "Guest"],
}
GROUPS = [
    "ATLAS", "QIS", "Machine Learning", "Cosmology", "Neutrinos", "Dark Matter", "Theory",
    "Instrumentation", "Computing", "DESI", "LZ", "CMB-S4",
]

WORDS = """
model data detector event signal background neural network training inference
likelihood simulation calibration uncertainty gradient loss sample distribution
collision jet track vertex energy momentum mass decay channel trigger readout
anomaly density flow diffusion transformer graph embedding latent prior posterior
estimate measurement systematic statistical analysis method approach result
experiment collaboration physics particle neutrino dark matter cosmic survey
galaxy spectrum photon electron muon quark gluon boson field theory symmetry
the a of and to in for with on by from that is are we our this these which as
new fast robust precise efficient scalable interpretable unsupervised weakly
supervised generative discriminative conditional calibrated learned classical
improves reduces enables shows compares trains evaluates tests combines builds
over under across between within without through per each every most several
""".split()
LANGS = ["python", "rust", "bash", "toml"]
CODE = {
    "python": [
        "import numpy as np", "def fit(x, y, epochs={n}):", "    w = np.zeros(x.shape[1])",
        "    for _ in range(epochs):", "        w -= 0.01 * x.T @ (x @ w - y)", "    return w",
        "print(fit(np.eye(3), np.ones(3)))",
    ],
    "rust": [
        "fn mean(xs: &[f64]) -> f64 {", "    xs.iter().sum::<f64>() / xs.len() as f64", "}",
        "fn main() {", "    let v = vec![1.0, 2.0, {n}.0];", "    println!(\"{}\", mean(&v));", "}",
    ],
    "bash": [
        "#!/bin/sh", "set -eu", "for run in $(seq 1 {n}); do",
        "  sbatch --gpus=4 train.sh \"$run\"", "done", "squeue -u \"$USER\"",
    ],
    "toml": [
        "[model]", "layers = {n}", "hidden = 256", "dropout = 0.1", "", "[data]",
        "path = \"/global/cfs/data/events.h5\"",
    ],
}


def rng_for(seed, kind, i):
    return random.Random(f"{seed}/{kind}/{i}")


def ascii_slug(text):
    table = {"Ł": "L", "ł": "l", "Ø": "O", "ø": "o", "ı": "i", "ß": "ss", "Đ": "D", "đ": "d",
             "Æ": "AE", "æ": "ae"}
    text = "".join(table.get(c, c) for c in text)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    out = []
    for c in text:
        if c.isascii() and c.isalnum():
            out.append(c)
        elif out and out[-1] != "-":
            out.append("-")
    return "".join(out).strip("-")


def q(s):
    """A TOML basic string (JSON escapes are valid TOML for this text)."""
    return json.dumps(s, ensure_ascii=False)


def sentence(r, n=None):
    n = n or r.randint(8, 20)
    words = r.choices(WORDS, k=n)
    k = r.random()
    if k < 0.08:
        i = r.randrange(n)
        words[i] = f"**{words[i]}**"
    elif k < 0.16:
        i = r.randrange(n)
        words[i] = f"*{words[i]}*"
    elif k < 0.22:
        i = r.randrange(n)
        words[i] = f"`{words[i]}_{r.randint(1, 99)}`"
    elif k < 0.27:
        i = r.randrange(n)
        words[i] = f"[{words[i]}](https://example.org/{words[i]}/{r.randint(1, 999)})"
    words[0] = words[0][:1].upper() + words[0][1:]
    return " ".join(words) + "."


def paragraph(r, words):
    out, count = [], 0
    while count < words:
        s = sentence(r)
        out.append(s)
        count += s.count(" ") + 1
    return " ".join(out), count


def title_text(r, lo=4, hi=9):
    words = r.choices([w for w in WORDS if len(w) > 3], k=r.randint(lo, hi))
    return " ".join(words).capitalize()


def post_body(r, token, more_marker):
    """Markdown of 300–1,500 words with headings, lists, a GFM table and a code block."""
    target = r.randint(300, 1500)
    parts = []
    intro, n = paragraph(r, r.randint(40, 80))
    parts.append(f"{intro} Reference {token}.")
    parts.append(more_marker)
    count = n + 2
    # Structure that every post has, then paragraphs until the word budget is spent.
    parts.append(f"## {title_text(r, 2, 5)}")
    p, n = paragraph(r, r.randint(60, 120))
    parts.append(p)
    count += n
    items = [f"- {sentence(r, r.randint(5, 12))}" for _ in range(r.randint(3, 6))]
    parts.append("\n".join(items))
    count += sum(i.count(" ") for i in items)
    parts.append(f"### {title_text(r, 2, 4)}")
    rows = ["| Method | Dataset | AUC | Time (s) |", "| --- | --- | ---: | ---: |"]
    for _ in range(r.randint(3, 6)):
        rows.append(f"| {r.choice(WORDS)} {r.choice(WORDS)} | {r.choice(WORDS)}-{r.randint(1, 9)} "
                    f"| {r.uniform(0.5, 1):.3f} | {r.uniform(1, 500):.1f} |")
    parts.append("\n".join(rows))
    count += 4 * (len(rows) - 2)
    lang = r.choice(LANGS)
    code = "\n".join(line.replace("{n}", str(r.randint(2, 64))) for line in CODE[lang])
    parts.append(f"```{lang}\n{code}\n```")
    count += 20
    nums = [f"{i + 1}. {sentence(r, r.randint(5, 12))}" for i in range(r.randint(2, 5))]
    parts.append("\n".join(nums))
    count += sum(i.count(" ") for i in nums)
    while count < target:
        if r.random() < 0.2:
            parts.append(f"## {title_text(r, 2, 5)}")
        p, n = paragraph(r, min(r.randint(50, 150), max(10, target - count)))
        parts.append(p)
        count += n
    return "\n\n".join(parts) + "\n"


def abstract(r, token, lo=80, hi=250):
    paras = []
    target, count = r.randint(lo, hi), 0
    while count < target:
        p, n = paragraph(r, min(r.randint(40, 100), max(10, target - count)))
        paras.append(p)
        count += n
    paras[0] += f" Reference {token}."
    return "\n\n".join(paras) + "\n"


def person(r):
    return f"{r.choice(FIRST)} {r.choice(LAST)}"


class Writer:
    """Writes files under a root; keeps the directory creation cheap."""

    def __init__(self, root):
        self.root = root
        self.made = set()

    def write(self, rel, text):
        path = os.path.join(self.root, rel)
        d = os.path.dirname(path)
        if d not in self.made:
            os.makedirs(d, exist_ok=True)
            self.made.add(d)
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)


def front(fields, hugo=False):
    """TOML front matter from (key, value) pairs; tables (list of dicts) last."""
    lines = ["+++"]
    tables = []
    for k, v in fields:
        if v is None:
            continue
        if isinstance(v, list) and v and isinstance(v[0], dict):
            tables.append((k, v))
        elif isinstance(v, bool):
            lines.append(f"{k} = {'true' if v else 'false'}")
        elif isinstance(v, (int, float)):
            lines.append(f"{k} = {v}")
        elif isinstance(v, dt.date):
            lines.append(f"{k} = {v.isoformat()}")
        elif isinstance(v, list):
            lines.append(f"{k} = [{', '.join(q(x) for x in v)}]")
        else:
            lines.append(f"{k} = {q(v)}")
    for k, rows in tables:
        for row in rows:
            lines.append("")
            lines.append(f"[[{k}]]")
            for rk, rv in row.items():
                lines.append(f"{rk} = {q(rv)}")
    lines.append("+++")
    return "\n".join(lines) + "\n"


def generate(size, out, seed, hugo):
    n_posts, n_seminars, n_members = SIZES[size]
    w = Writer(out)
    more = "<!--more-->" if hugo else "<!-- more -->"
    expected = {
        "tool": "hugo" if hugo else "podium",
        "size": size,
        "seed": seed,
        "base_path": "/hub/",
        "paginate_by": PAGINATE_BY,
        "posts": [],
        "seminars": [],
        "members": [],
        "tags": {},
        "samples": [],
    }
    title = f"Synthetic Hub ({size}, seed {seed})"

    # Members first: posts name them as authors.
    members = []
    used = set()
    for i in range(n_members):
        r = rng_for(seed, "member", i)
        first, last = r.choice(FIRST), r.choice(LAST)
        name = f"{first} {last}"
        slug = ascii_slug(name)
        if slug in used:
            slug = f"{slug}-{i}"
        used.add(slug)
        members.append(slug)
        category = CATEGORIES[min(4, int(r.random() ** 1.5 * 5))]
        token = f"zqm{i}x"
        fields = [
            ("title", name if hugo else None),
            ("name", name),
            ("category", category),
            ("position", r.choice(POSITIONS[category])),
            ("groups", sorted(r.sample(GROUPS, r.randint(1, 3)))),
            ("email", f"{slug}@example.org"),
        ]
        w.write(f"content/people/{slug}.md", front(fields) + "\n" + abstract(r, token, 40, 150))
        expected["members"].append(slug)
        if i % 25 == 0:
            expected["samples"].append([f"people/{slug}/", name, token])

    start_day = dt.date(2008, 1, 1)
    span_days = (dt.date(2025, 12, 31) - start_day).days
    for i in range(n_posts):
        r = rng_for(seed, "post", i)
        ptitle = title_text(r)
        slug = f"{ascii_slug(ptitle)[:48].strip('-')}-{i:05d}"
        date = start_day + dt.timedelta(days=r.randrange(span_days))
        tags = sorted(r.sample(TAGS, r.randint(1, 4)))
        for t in tags:
            expected["tags"][t] = expected["tags"].get(t, 0) + 1
        token = f"zqp{i}x"
        fields = [
            ("title", ptitle),
            ("description", sentence(r, 14)),
            ("date", date),
            ("tags", tags),
            ("authors", [members[r.randrange(len(members))]]),
        ]
        w.write(f"content/news/{slug}.md", front(fields) + "\n" + post_body(r, token, more))
        expected["posts"].append(slug)
        if i % 50 == 0:
            expected["samples"].append([f"news/{slug}/", ptitle, token])

    first_talk = dt.datetime(2012, 1, 9, 10, 0)
    talk_span = (dt.datetime(2026, 12, 31) - first_talk).days
    for i in range(n_seminars):
        r = rng_for(seed, "seminar", i)
        series = r.choice(SERIES)
        speaker = person(r)
        slug = f"{ascii_slug(speaker)}-{i:05d}"
        day = first_talk + dt.timedelta(days=r.randrange(talk_span))
        start = day.replace(hour=r.randint(9, 16), minute=r.choice([0, 30]))
        ttitle = title_text(r)
        token = f"zqs{i}x"
        fields = [
            ("title", ttitle),
            ("speaker", speaker),
            ("affiliation", r.choice(AFFILIATIONS)),
            ("start", start.strftime("%Y-%m-%d %H:%M")),
            ("duration", r.choice(["1h", "45m", "1h30m"]) if r.random() < 0.5 else None),
            ("series", series[0]),
            ("location", r.choice(["Building 50 Auditorium", "Perseverance Hall", "Zoom"])
             if r.random() < 0.4 else None),
        ]
        if hugo:
            fields.append(("date", start.date()))
        w.write(f"content/seminars/{slug}.md", front(fields) + "\n" + abstract(r, token))
        expected["seminars"].append(slug)
        if i % 20 == 0:
            expected["samples"].append([f"seminars/{slug}/", ttitle, token])

    # Sections.
    w.write("content/_index.md", front([("title", title), (
        "description", "A synthetic hub for benchmarking: news, seminars and people.")])
        + "\nWelcome to the benchmark hub of Zuzanna Żak, Łukasz Kowalski and Ümit Öztürk.\n")
    news = [("title", "News"), ("description", "Announcements and reports.")]
    if not hugo:
        news += [("kind", "posts"), ("sort_by", "date"), ("paginate_by", PAGINATE_BY)]
    else:
        news += [("outputs", ["HTML", "RSS"])]
    w.write("content/news/_index.md", front(news))
    series_rows = [
        {"slug": s, "name": n, "timezone": tz, "location": loc, "default_duration": d}
        for s, n, tz, loc, d in SERIES
    ]
    sem = [("title", "Seminars"), ("description", "Talks in every series.")]
    sem += [("outputs", ["HTML"])] if hugo else [
        ("kind", "seminars"), ("timezone", TIMEZONE), ("default_duration", "1h")]
    sem.append(("series", series_rows))
    w.write("content/seminars/_index.md", front(sem))
    ppl = [("title", "People"), ("description", "Members of the group.")]
    ppl += [("outputs", ["HTML"])] if hugo else [("kind", "members")]
    ppl.append(("categories", CATEGORIES))
    w.write("content/people/_index.md", front(ppl))

    if hugo:
        w.write("config.toml", hugo_config(title))
        for rel, text in HUGO_LAYOUTS.items():
            w.write(f"layouts/{rel}", text.lstrip("\n"))
    else:
        w.write("config.toml", podium_config(title))

    p = PAGINATE_BY
    n_tag_pages = sum(math.ceil(c / p) for c in expected["tags"].values())
    expected["counts"] = {
        "home": 1,
        "posts": n_posts,
        "news_lists": math.ceil(n_posts / p),
        "seminars": n_seminars,
        "seminar_lists": 1,
        "members": n_members,
        "member_lists": 1,
        "tags_index": 1,
        "tag_terms": len(expected["tags"]),
        "tag_pages_paginated": n_tag_pages,
    }
    expected["tags"] = dict(sorted(expected["tags"].items()))
    w.write("expected.json", json.dumps(expected, ensure_ascii=False, indent=1) + "\n")


def podium_config(title):
    return f"""base_url = "{BASE_URL}"
title = {q(title)}
description = "A synthetic research-group hub for Podium's benchmarks."
language = "en"
timezone = "{TIMEZONE}"

[[menu]]
name = "News"
url = "@/news/_index.md"

[[menu]]
name = "Seminars"
url = "@/seminars/_index.md"

[[menu]]
name = "People"
url = "@/people/_index.md"

[markdown]
highlight_code = true

[feeds]
limit = 20
"""


def hugo_config(title):
    return f"""baseURL = "{BASE_URL}"
title = {q(title)}
languageCode = "en"
paginate = {PAGINATE_BY}
rssLimit = 20
enableRobotsTXT = true
buildFuture = true
disableKinds = []

[params]
description = "A synthetic research-group hub for Podium's benchmarks."

[taxonomies]
tag = "tags"

[outputs]
home = ["HTML"]
section = ["HTML"]
taxonomy = ["HTML"]
term = ["HTML"]

[markup.goldmark.renderer]
unsafe = true

[markup.highlight]
noClasses = false

[[menu.main]]
name = "News"
url = "/news/"
weight = 1

[[menu.main]]
name = "Seminars"
url = "/seminars/"
weight = 2

[[menu.main]]
name = "People"
url = "/people/"
weight = 3
"""


# Minimal layouts doing the work Podium's default theme does: a base with head metadata
# (canonical, description, Open Graph), single pages, list pages paginated by 10, tag pages
# paginated by 10, the tags index, an RSS feed for news, and a home page with the latest news.
HUGO_LAYOUTS = {
    "_default/baseof.html": """
<!DOCTYPE html>
<html lang="{{ .Site.LanguageCode }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }}</title>
<link rel="canonical" href="{{ .Permalink }}">
<meta name="description" content="{{ with .Description }}{{ . }}{{ else }}{{ .Site.Params.description }}{{ end }}">
<meta property="og:title" content="{{ .Title }}">
<meta property="og:url" content="{{ .Permalink }}">
<meta property="og:type" content="{{ if .IsPage }}article{{ else }}website{{ end }}">
<meta property="og:site_name" content="{{ .Site.Title }}">
<link rel="stylesheet" href="{{ "style.css" | relURL }}">
{{ with .Site.GetPage "/news" }}{{ with .OutputFormats.Get "rss" }}<link rel="alternate" type="application/rss+xml" href="{{ .Permalink }}">{{ end }}{{ end }}
</head>
<body>
<header><a href="{{ "" | relURL }}">{{ .Site.Title }}</a>
<nav><ul>{{ range .Site.Menus.main }}<li><a href="{{ .URL | relURL }}">{{ .Name }}</a></li>{{ end }}</ul></nav>
</header>
<main>{{ block "main" . }}{{ end }}</main>
<footer><p>{{ .Site.Title }} · {{ now.Year }}</p></footer>
</body>
</html>
""",
    "_default/single.html": """
{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
{{ with .Date }}{{ if not .IsZero }}<p class="meta"><time datetime="{{ .Format "2006-01-02" }}">{{ .Format "2 January 2006" }}</time></p>{{ end }}{{ end }}
{{ with .Params.authors }}<p>{{ range . }}<a href="{{ printf "/people/%s/" . | relURL }}">{{ . }}</a> {{ end }}</p>{{ end }}
<div class="prose">{{ .Content }}</div>
{{ with .GetTerms "tags" }}<ul class="tags">{{ range . }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>{{ end }}
</article>
{{ end }}
""",
    "_default/list.html": """
{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ with .Description }}<p class="lead">{{ . }}</p>{{ end }}
{{ $pager := .Paginate .Pages.ByDate.Reverse }}
<div class="post-list">{{ range $pager.Pages }}{{ partial "card.html" . }}{{ end }}</div>
{{ partial "pager.html" $pager }}
{{ end }}
""",
    "_default/terms.html": """
{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul>{{ range .Data.Terms.ByCount }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>
{{ end }}
""",
    "partials/card.html": """
<article class="card"><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
<p class="meta"><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time></p>
<div class="summary">{{ .Summary }}</div>
{{ if .Truncated }}<p><a href="{{ .RelPermalink }}">Read more</a></p>{{ end }}
</article>
""",
    "partials/pager.html": """
{{ if gt .TotalPages 1 }}<nav class="pagination">
{{ if .HasPrev }}<a href="{{ .Prev.URL }}">Newer</a>{{ end }}
<span>Page {{ .PageNumber }} of {{ .TotalPages }}</span>
{{ if .HasNext }}<a href="{{ .Next.URL }}">Older</a>{{ end }}
</nav>{{ end }}
""",
    "index.html": """
{{ define "main" }}
<h1>{{ .Title }}</h1>
<div class="prose">{{ .Content }}</div>
<h2>Latest news</h2>
{{ range first 5 (where .Site.RegularPages "Section" "news").ByDate.Reverse }}{{ partial "card.html" . }}{{ end }}
{{ end }}
""",
    "seminars/list.html": """
{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul class="talks">{{ range sort .Pages "Params.start" "desc" }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> — {{ .Params.speaker }} ({{ .Params.affiliation }}), {{ .Params.start }}</li>{{ end }}
</ul>
{{ end }}
""",
    "seminars/single.html": """
{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
<p>{{ .Params.speaker }}, {{ .Params.affiliation }}</p>
<p><time>{{ .Params.start }}</time>{{ with .Params.duration }} · {{ . }}{{ end }} · {{ .Params.series }}{{ with .Params.location }} · {{ . }}{{ end }}</p>
<div class="prose">{{ .Content }}</div>
</article>
{{ end }}
""",
    "people/list.html": """
{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ $pages := .Pages }}
{{ range .Params.categories }}{{ $c := . }}
<h2>{{ $c }}</h2>
<ul>{{ range sort (where $pages "Params.category" $c) "Title" }}<li><a href="{{ .RelPermalink }}">{{ .Params.name }}</a>, {{ .Params.position }}</li>{{ end }}</ul>
{{ end }}
{{ end }}
""",
    "people/single.html": """
{{ define "main" }}
<article>
<h1>{{ .Params.name }}</h1>
<p>{{ .Params.position }} · {{ .Params.category }}</p>
<p>{{ delimit .Params.groups ", " }} · <a href="mailto:{{ .Params.email }}">{{ .Params.email }}</a></p>
<div class="prose">{{ .Content }}</div>
</article>
{{ end }}
""",
    "404.html": """
{{ define "main" }}<h1>Page not found</h1>{{ end }}
""",
}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("size", choices=SIZES)
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--hugo", action="store_true", help="write the equivalent Hugo site")
    ap.add_argument("--force", action="store_true", help="replace OUT if it exists")
    args = ap.parse_args()
    if os.path.exists(args.out):
        if not args.force:
            sys.exit(f"{args.out} exists (use --force to replace it)")
        shutil.rmtree(args.out)
    tmp = args.out.rstrip("/") + ".partial"
    if os.path.exists(tmp):
        shutil.rmtree(tmp)
    generate(args.size, tmp, args.seed, args.hugo)
    os.rename(tmp, args.out)


if __name__ == "__main__":
    main()
