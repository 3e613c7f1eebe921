"""HTML pages and a small WARC crawl for the sample corpus: the Debian Administrator's Handbook pages of
../shared/data/html as Debian packages them, and GNOME help pages in a help-site page that we write around them."""

from __future__ import annotations

import html
import io
import json
import random
import uuid
from pathlib import Path

PERMISSIVE = ("debian:debian-handbook",)
"""Of ../shared/data/html only the Debian handbook (CC BY-SA 3.0) is used. LibreOffice help (MPL-2.0), GIMP help
(GFDL) and the installation guide (GPL) are left out: bundled text is public domain, CC BY or CC BY-SA only."""

GNOME_SITE = {
    "sv": ("GNOME-hjälp", "Sök", "Mer information", "Om", "Licens"),
    "da": ("GNOME-hjælp", "Søg", "Flere oplysninger", "Om", "Licens"),
    "fi": ("GNOME-ohje", "Hae", "Lisätietoja", "Tietoja", "Lisenssi"),
}
"""The help site's own words per language (ours): its name, search, "more information", "about", "licence"."""

NAV_ONLY = """<!DOCTYPE html>
<html lang="sv"><head><meta charset="utf-8"><title>Sitemap – Exempelbolaget</title></head>
<body><header><nav><ul><li><a href="/">Start</a></li><li><a href="/produkter">Produkter</a></li>
<li><a href="/om">Om oss</a></li><li><a href="/kontakt">Kontakt</a></li><li><a href="/logga-in">Logga in</a></li>
</ul></nav></header><aside><ul><li><a href="/arkiv/2023">Arkiv 2023</a></li><li><a href="/arkiv/2024">Arkiv 2024</a>
</li></ul></aside><footer><a href="/cookies">Cookies</a> | <a href="/integritet">Integritetspolicy</a></footer>
</body></html>
"""


def _url(entry: dict) -> str:
    lang, page = entry["original_path"].split("/html/", 1)[1].split("/", 1)
    return f"https://debian-handbook.info/browse/{lang}/stable/{page}"


def _gnome_url(doc: dict, lang: str) -> str:
    document, page = doc["id"].split(":")[3].split("/", 1)
    return f"https://help.gnome.org/users/{document}/stable/{page.removesuffix('.page')}.html.{lang}"


def _legacy_page(doc: dict) -> bytes:
    """A Danish GNOME help page (CC BY-SA 3.0) in an old-style page that declares ISO-8859-1, encoded so."""
    title, *paragraphs = html.escape(doc["text"], quote=False).split("\n\n")
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    page = (
        f'<html lang="da"><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'
        f"<title>{title}</title></head><body><div id='menu'><a href='/'>Hjælp</a></div><h1>{title}</h1>"
        f"{body}<div id='footer'>Oversat fra engelsk.</div></body></html>\n"
    )
    return page.encode("cp1252")


def _help_page(doc: dict, lang: str, related: list[dict]) -> bytes:
    """A GNOME help page (CC BY-SA 3.0) as a help site serves it, in the layout yelp gives Mallard pages: a trail
    and a search box in the header, the page, a "more information" list of related pages, an about/licence
    footer, a stylesheet and scripts. The markup and the site's words are ours; the page text is GNOME's."""
    name, search, more, about, licence = GNOME_SITE[lang]
    title, *paragraphs = html.escape(doc["text"], quote=False).split("\n\n")
    body = "\n".join(f'<div class="p"><p class="p">{p}</p></div>' for p in paragraphs)
    titles = [(_gnome_url(d, lang), html.escape(d["text"].split("\n", 1)[0])) for d in related]
    links = "".join(f'<li class="links"><a href="{url}">{text}</a></li>' for url, text in titles)
    page = f"""<!DOCTYPE html>
<html lang="{lang}" dir="ltr"><head><meta charset="utf-8"><title>{title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" type="text/css" href="/yelp.css"><script type="text/javascript" src="/yelp.js"></script>
<script>document.addEventListener('DOMContentLoaded', function () {{ yelp_init('{lang}'); }});</script>
</head><body>
<header><div class="inner pagewide"><div class="trails" role="navigation"><div class="trail">
<a class="trail" href="index.html.{lang}">{name}</a> »</div></div>
<div class="search"><form action="/search"><input type="search" name="q" placeholder="{search}"></form></div>
</div></header>
<main><article><div class="hgroup pagewide"><h1 class="title"><span class="title">{title}</span></h1></div>
<div class="region"><div class="contents pagewide">
{body}
</div>
<section class="links" role="navigation"><div class="inner"><div class="title"><h2><span class="title">{more}</span>
</h2></div><div class="region"><ul>{links}</ul></div></div></section>
</div></article></main>
<footer><div class="inner pagewide"><div class="about"><div class="title">{about}</div>
<div class="license"><div class="title">{licence}</div><p>Creative Commons Attribution-ShareAlike 3.0 Unported</p>
</div></div></div></footer>
</body></html>
"""
    return page.encode()


def pages_and_archive(data: Path, out: Path, rng: random.Random) -> None:
    """Three handbook pages as HTML files, a navigation-only page and an ISO-8859-1 GNOME help page; the other
    three handbook pages, one of the files again, and two GNOME help pages each in Swedish, Danish and Finnish in
    a WARC."""
    from make_sample import gnome_help, in_cp1252

    with open(data / "html" / "index.jsonl", encoding="utf-8") as f:
        entries = sorted((e for e in map(json.loads, f) if e["source"] in PERMISSIVE), key=lambda e: e["file"])
    rng.shuffle(entries)
    folder = out / "web" / "pages"
    folder.mkdir(parents=True, exist_ok=True)
    as_files, in_archive = entries[:3], entries[3:]
    for entry in as_files:
        (folder / entry["file"].replace("/", "_")).write_bytes((data / "html" / entry["file"]).read_bytes())
    (folder / "sitemap.html").write_text(NAV_ONLY, encoding="utf-8")
    pages = [(_url(e), (data / "html" / e["file"]).read_bytes()) for e in in_archive]
    duplicate = as_files[0]
    pages.append((_url(duplicate).replace(".html", "-2.html"), (data / "html" / duplicate["file"]).read_bytes()))
    for lang in ("sv", "da", "fi"):
        reserved = sorted(gnome_help(data, lang)[1], key=lambda d: (-len(d["text"]), d["id"]))
        if lang == "da":
            legacy = next(d for d in reserved if in_cp1252(d["text"]))
            reserved.remove(legacy)
            (folder / "gnome-hjaelp-latin1.htm").write_bytes(_legacy_page(legacy))
        for doc in reserved[:2]:
            pages.append((_gnome_url(doc, lang), _help_page(doc, lang, rng.sample(reserved[2:], 3))))
    write_archive(out / "web" / "crawl-2024-pages.warc.gz", pages, rng)


def write_archive(path: Path, pages: list[tuple[str, bytes]], rng: random.Random) -> None:
    """warcinfo; per (url, html) page a request and a response; a redirect, a 404, a stylesheet, an image, a
    navigation-only page and a metadata record."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    second = 0

    def record(writer, kind, url, payload, content_type=None, status="200 OK", headers=()):
        nonlocal second
        second += 7
        warc = {
            "WARC-Record-ID": f"<urn:uuid:{uuid.UUID(int=rng.getrandbits(128), version=4)}>",
            "WARC-Date": f"2024-05-14T08:{second // 60 % 60:02d}:{second % 60:02d}Z",
        }
        http = None
        if kind == "response":
            http = StatusAndHeaders(
                status, ([("Content-Type", content_type)] if content_type else []) + list(headers), protocol="HTTP/1.1"
            )
        elif kind == "request":
            http = StatusAndHeaders(
                f"GET /{url.split('/', 3)[-1]} HTTP/1.1", [("Host", url.split("/")[2])], is_http_request=True
            )
        writer.write_record(
            writer.create_warc_record(
                url,
                kind,
                payload=io.BytesIO(payload),
                http_headers=http,
                warc_headers_dict=warc,
                warc_content_type=content_type if kind in ("metadata", "warcinfo") else None,
            )
        )

    with open(path, "wb") as f:
        w = WARCWriter(f, gzip=True)
        record(
            w,
            "warcinfo",
            "",
            b"software: nordic-pile data/make_sample.py\r\nformat: WARC File Format 1.0\r\n",
            "application/warc-fields",
        )
        for url, page in pages:
            record(w, "request", url, b"")
            record(w, "response", url, page, "text/html; charset=UTF-8")
        site = "https://www.example.se"
        record(
            w,
            "response",
            f"{site}/gammal-sida",
            b"",
            status="301 Moved Permanently",
            headers=[("Location", f"{site}/ny-sida")],
        )
        record(
            w,
            "response",
            f"{site}/saknas",
            b"<html><body><h1>404</h1></body></html>",
            "text/html",
            status="404 Not Found",
        )
        record(w, "response", f"{site}/stil.css", b"body { font-family: sans-serif; }\n", "text/css")
        record(w, "response", f"{site}/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(range(64)), "image/png")
        record(w, "response", f"{site}/sitemap", NAV_ONLY.encode(), "text/html; charset=utf-8")
        record(w, "metadata", f"{site}/sitemap", b"outlinks: 9\r\n", "application/warc-fields")
