"""MediaWiki XML dump reader (`.xml`, `.xml.bz2`): streamed page by page, articles as clean text."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

from nordic_pile.readers.base import (
    TRUNCATION_ERRORS,
    NordicReader,
    Record,
    Unreadable,
)
from nordic_pile.readers.compressed import open_binary
from nordic_pile.readers.wikitext import wikitext_to_text

ARTICLE_NAMESPACE = "0"


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _child_text(element, name: str) -> str | None:
    for child in element:
        if _local(child.tag) == name:
            return child.text
    return None


class _Site:
    """What the dump's <siteinfo> says: database name, article URL prefix, language, hidden link prefixes."""

    def __init__(self):
        self.dbname: str | None = None
        self.url_prefix: str | None = None
        self.language: str | None = None
        self.hidden: set[str] = set()

    def read(self, element) -> None:
        self.dbname = _child_text(element, "dbname")
        base = _child_text(element, "base") or ""
        if "/wiki/" in base:
            self.url_prefix = base.split("/wiki/", 1)[0] + "/wiki/"
        host = base.split("//", 1)[-1].split("/", 1)[0]
        if host.endswith(".wikipedia.org"):
            self.language = host.split(".", 1)[0]
        elif self.dbname and self.dbname.endswith("wiki"):
            self.language = self.dbname[: -len("wiki")]
        for child in element.iter():
            if _local(child.tag) == "namespace" and child.get("key") in ("6", "14", "-2") and child.text:
                self.hidden.add(child.text.strip().lower())


class MediaWikiDocReader(NordicReader):
    """Read MediaWiki XML dumps (`.xml`, `.xml.bz2`, `.xml.gz`): one clean-text document per article.

    Streamed with iterparse, each page (and each revision of a history dump) cleared once read, so memory stays
    bounded whatever the dump's size; the last revision of a page is its text. Articles are cleaned as NorLM
    prepared Wikipedia (templates, tables, references, files, categories and interlanguage links removed; links
    become their text; section headings are paragraphs). Redirects and pages outside the article namespace are
    not documents: they are counted in the step's stats (`wiki_skipped_redirect`, `wiki_skipped_namespace_1`).
    Metadata: `title`, `url` (`<site>/wiki/<Title>` when the dump's siteinfo gives the site), `date` (revision
    time), `category` wiki, `source` the wiki's database name (e.g. `fowiki`), `language` from the site unless
    `input.language` is set. Malformed XML is quarantined at its line (`invalid_xml`), a truncated .bz2 where it
    breaks (`truncated_file`); the pages before are kept. Positions are line numbers of `<page>`.
    """

    name = "mediawiki-reader"
    extensions = (".xml", ".xml.bz2", ".xml.gz", ".xml.zst")

    def records(self, filepath: str) -> Iterator[Record | Unreadable]:
        from lxml import etree

        site = _Site()
        revision: tuple[str | None, str | None] = (None, None)  # (text, timestamp) of the page's last revision
        line = 0
        try:
            with open_binary(self.data_folder, filepath) as f:
                events = etree.iterparse(f, events=("end",), huge_tree=True, resolve_entities=False, no_network=True)
                for _, element in events:
                    name = _local(element.tag)
                    line = element.sourceline or line
                    if name == "revision":  # history dumps: keep only the latest revision in memory
                        revision = (_child_text(element, "text"), _child_text(element, "timestamp"))
                        element.clear()
                        while (previous := element.getprevious()) is not None and _local(previous.tag) == name:
                            element.getparent().remove(previous)
                    elif name == "siteinfo":
                        site.read(element)
                    elif name == "page":
                        item = self._page(element, revision, site)
                        revision = (None, None)
                        element.clear()  # bounded memory: drop the page, and the emptied pages before it
                        while element.getprevious() is not None:
                            del element.getparent()[0]
                        if item is not None:
                            yield item
        except etree.XMLSyntaxError as e:
            at = e.lineno or line
            yield Unreadable(at, "invalid_xml", f"malformed XML at line {at}: {e.msg}")
        except TRUNCATION_ERRORS as e:
            yield Unreadable(
                line + 1, "truncated_file", f"file ends or breaks after line {line}: {type(e).__name__}: {e}"
            )

    def _page(self, page, revision: tuple[str | None, str | None], site: _Site) -> Record | Unreadable | None:
        title = _child_text(page, "title") or ""
        namespace = (_child_text(page, "ns") or ARTICLE_NAMESPACE).strip()
        if namespace != ARTICLE_NAMESPACE:
            self.stat_update(f"wiki_skipped_namespace_{namespace}")
            return None
        if any(_local(child.tag) == "redirect" for child in page):
            self.stat_update("wiki_skipped_redirect")
            return None
        page_id = (_child_text(page, "id") or "").strip()
        position = page.sourceline or 0
        wikitext, timestamp = revision
        try:
            text = wikitext_to_text(wikitext or "", site.hidden)
        except (RecursionError, ValueError) as e:
            return Unreadable(
                position,
                "invalid_wikitext",
                f"page {title!r}: {type(e).__name__}: {e}",
                (wikitext or "")[: self.max_chars],
            )
        metadata = {"title": title}
        if site.url_prefix:
            metadata["url"] = site.url_prefix + quote(title.replace(" ", "_"), safe=":/(),'!*@$;&=+")
        if timestamp:
            metadata["date"] = timestamp
        if self.category is None:
            metadata["category"] = "wiki"
        if self.source is None and site.dbname:
            metadata["source"] = site.dbname
        if self.language is None and site.language:
            metadata["language"] = site.language
        doc_id = f"{site.dbname}:{page_id}" if site.dbname and page_id else page_id or None
        return Record(text, position, doc_id, metadata)
