"""A small Faroese MediaWiki dump for the sample corpus: articles of Faroese Wikipedia sentences (UD Faroese-OFT,
CC BY-SA 4.0) with the wikitext real articles carry, plus redirects, talk, template, user and category pages."""

from __future__ import annotations

import bz2
import random
import re
from pathlib import Path
from xml.sax.saxutils import escape

HEAD = """<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" version="0.11" xml:lang="fo">
  <siteinfo>
    <sitename>Wikipedia</sitename>
    <dbname>fowiki</dbname>
    <base>https://fo.wikipedia.org/wiki/Fors%C3%AD%C3%B0a</base>
    <generator>MediaWiki 1.43.0-wmf.1</generator>
    <case>first-letter</case>
    <namespaces>
      <namespace key="-2" case="first-letter">Miðil</namespace>
      <namespace key="0" case="first-letter" />
      <namespace key="1" case="first-letter">Kjak</namespace>
      <namespace key="2" case="first-letter">Brúkari</namespace>
      <namespace key="6" case="first-letter">Mynd</namespace>
      <namespace key="10" case="first-letter">Fyrimynd</namespace>
      <namespace key="14" case="first-letter">Bólkur</namespace>
    </namespaces>
  </siteinfo>
"""
SECTIONS = ["Søga", "Landafrøði", "Fólk", "Mentan", "Vinna"]
_TITLED = re.compile(r"^([A-ZÁÍÓÚÝÆØÐÞ][^:.!?]{1,38}): ([A-ZÁÍÓÚÝÆØÐÞ].+[.!?])$")


def sentences(data: Path) -> list[str]:
    from make_sample import docs

    out = []
    for doc in docs(data, "fo", "ud_faroese_oft_wiki"):
        out += re.split(r"(?<=[.!?]) (?=[A-ZÁÍÓÚÝÆØÐÞ0-9])", doc["text"])
    return out


def _linked(sentence: str, rng: random.Random) -> str:
    words = sentence.split(" ")
    candidates = [i for i, w in enumerate(words[1:], 1) if w[:1].isupper() and w.isalpha()]
    if candidates and rng.random() < 0.5:
        i = rng.choice(candidates)
        words[i] = f"[[{words[i]}]]" if rng.random() < 0.6 else f"[[{words[i]} (týdningar)|{words[i]}]]"
    return " ".join(words)


def article(title: str, first: str, body: list[str], titles: list[str], rng: random.Random) -> str:
    parts = []
    if rng.random() < 0.5:
        parts.append(f"{{{{Infobox\n| navn = {title}\n| mynd = {title.replace(' ', '_')}.jpg\n}}}}")
    if rng.random() < 0.4:
        parts.append(f"[[Mynd:{title.replace(' ', '_')}.jpg|thumb|220px|{title}]]")
    lead = _linked(first.replace(title, f"'''{title}'''", 1), rng)
    if rng.random() < 0.5:
        lead += f"<ref>{{{{Cite web|url=https://example.fo/{len(title)}|title={title}}}}}</ref>"
    parts.append(lead)
    chunks = [body[i : i + 4] for i in range(0, len(body), 4)]
    for n, chunk in enumerate(chunks):
        if n and rng.random() < 0.7:
            parts.append(f"== {SECTIONS[n % len(SECTIONS)]} ==")
        parts.append(" ".join(_linked(s, rng) for s in chunk) + ('<ref name="k" />' if rng.random() < 0.3 else ""))
    if rng.random() < 0.3:
        parts.append('{| class="wikitable"\n! Ár !! Tal\n|-\n| 2010 || 166\n|-\n| 2014 || 172\n|}')
    if rng.random() < 0.5:
        parts.append("== Sí eisini ==\n" + "\n".join(f"* [[{t}]]" for t in rng.sample(titles, 2)))
    parts.append("== Keldur ==\n<references />")
    parts.append(f"[[Bólkur:{rng.choice(['Føroyar', 'Norðurlond', 'Landafrøði', 'Søga'])}]]\n[[en:{title}]]")
    return "\n\n".join(parts)


def _page(title: str, ns: int, page_id: int, text: str, when: str, redirect: str | None = None) -> str:
    target = f'    <redirect title="{escape(redirect)}" />\n' if redirect else ""
    return (
        f"  <page>\n    <title>{escape(title)}</title>\n    <ns>{ns}</ns>\n    <id>{page_id}</id>\n{target}"
        f"    <revision>\n      <id>{page_id + 50000}</id>\n      <timestamp>{when}</timestamp>\n"
        f"      <model>wikitext</model>\n      <format>text/x-wiki</format>\n"
        f'      <text bytes="{len(text.encode())}" xml:space="preserve">{escape(text)}</text>\n'
        f"    </revision>\n  </page>\n"
    )


def dump(data: Path, out: Path, rng: random.Random) -> None:
    pool = sentences(data)
    titled = [m.groups() for s in pool if (m := _TITLED.match(s)) and m.group(1) in m.group(2)]
    seen, articles = set(), []
    for title, first in titled:
        if title not in seen:
            seen.add(title)
            articles.append((title, first))
    body = [s for s in pool if not _TITLED.match(s) and len(s) > 25]
    rng.shuffle(body)
    titles = [t for t, _ in articles]
    pages, page_id = [HEAD], 1000
    for n, (title, first) in enumerate(articles):
        page_id += 1
        text = article(title, first, body[n * 9 : n * 9 + rng.randint(4, 9)], titles, rng)
        pages.append(_page(title, 0, page_id, text, f"2024-0{1 + n % 9}-1{n % 10}T12:00:00Z"))
        if n % 9 == 0:
            page_id += 1
            pages.append(_page(title.lower(), 0, page_id, f"#REDIRECT [[{title}]]", "2023-01-01T00:00:00Z", title))
        if n % 15 == 0:
            page_id += 1
            pages.append(
                _page(
                    f"Kjak:{title}", 1, page_id, "Hvar eru keldurnar? --[[Brúkari:Dømi|Dømi]]", "2023-06-01T00:00:00Z"
                )
            )
    pages.append(_page("Fyrimynd:Infobox", 10, 9001, '{| class="infobox"\n| {{{navn}}}\n|}', "2020-01-01T00:00:00Z"))
    pages.append(_page("Brúkari:Dømi", 2, 9002, "Eg skrivi um Føroyar.", "2020-01-01T00:00:00Z"))
    pages.append(_page("Bólkur:Føroyar", 14, 9003, "Greinir um Føroyar.", "2020-01-01T00:00:00Z"))
    pages.append("</mediawiki>\n")
    (out / "wiki").mkdir(parents=True, exist_ok=True)
    (out / "wiki" / "fowiki-sample.xml.bz2").write_bytes(bz2.compress("".join(pages).encode(), compresslevel=9))
