#!/usr/bin/env python3
"""Checks a built site against the generator's expected.json, so a broken build cannot look fast.

    check.py EXPECTED_JSON OUTPUT_DIR [--quick]

Every post, seminar and member page, every news list page (paginated by 10), the tags index
and every tag page must exist as an `index.html`. Tag pages may be one page per tag or
paginated by 10 (both are accepted; which one is reported). A sample of pages (every 50th
post, 20th seminar, 25th member) must contain its title and a unique token from its body.
--quick only counts `index.html` files against the expected minimum.
Prints one line: `ok PAGES index.html (…)` and exits 0, or lists what is missing and exits 1.
"""

import html
import json
import math
import os
import sys


def count_index(out):
    n = 0
    for _, _, files in os.walk(out):
        if "index.html" in files:
            n += 1
    return n


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    quick = "--quick" in sys.argv
    if len(args) != 2:
        sys.exit(__doc__)
    exp = json.load(open(args[0], encoding="utf-8"))
    out = args[1]
    c = exp["counts"]
    p = exp["paginate_by"]
    minimum = (c["home"] + c["posts"] + c["news_lists"] + c["seminars"] + c["seminar_lists"]
               + c["members"] + c["member_lists"] + c["tags_index"] + c["tag_terms"])
    total = count_index(out)
    if quick:
        if total < minimum:
            print(f"FAIL {total} index.html, expected at least {minimum}")
            sys.exit(1)
        print(f"ok {total} index.html (at least {minimum} expected)")
        return

    missing = []

    def need(rel):
        if not os.path.isfile(os.path.join(out, rel, "index.html")):
            missing.append(rel + "index.html")

    need("")
    for s in exp["posts"]:
        need(f"news/{s}/")
    for s in exp["seminars"]:
        need(f"seminars/{s}/")
    for s in exp["members"]:
        need(f"people/{s}/")
    need("news/")
    for n in range(2, c["news_lists"] + 1):
        need(f"news/page/{n}/")
    need("seminars/")
    need("people/")
    need("tags/")
    paginated_tags = 0
    for tag, count in exp["tags"].items():
        need(f"tags/{tag}/")
        pages = math.ceil(count / p)
        have = sum(os.path.isfile(os.path.join(out, f"tags/{tag}/page/{n}/index.html"))
                   for n in range(2, pages + 1))
        if have == pages - 1 and pages > 1:
            paginated_tags += 1
        elif have and have != pages - 1:
            missing.append(f"tags/{tag}/page/N/ (only {have} of {pages - 1})")
    if exp["tool"] == "hugo" and paginated_tags != sum(
            1 for n in exp["tags"].values() if n > p):
        missing.append("tag pagination (Hugo layouts paginate tags by 10)")

    bad = []
    for rel, title, token in exp["samples"]:
        path = os.path.join(out, rel, "index.html")
        if not os.path.isfile(path):
            continue
        text = open(path, encoding="utf-8").read()
        if html.escape(title, quote=False) not in text and title not in text:
            bad.append(f"{rel}: title {title!r} not in page")
        if token not in text:
            bad.append(f"{rel}: body token {token} not in page")

    if missing or bad:
        for m in missing[:20]:
            print(f"missing: {m}")
        if len(missing) > 20:
            print(f"... and {len(missing) - 20} more missing")
        for b in bad[:20]:
            print(f"wrong: {b}")
        print(f"FAIL {total} index.html; {len(missing)} missing, {len(bad)} sampled pages wrong")
        sys.exit(1)
    tags = "tag pages paginated" if paginated_tags else "one page per tag"
    print(f"ok {total} index.html ({minimum} required; {tags}; "
          f"{len(exp['samples'])} sampled pages have title and body)")


if __name__ == "__main__":
    main()
