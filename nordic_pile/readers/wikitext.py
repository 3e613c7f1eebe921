"""Wikitext -> clean article text, the way NorLM prepared Wikipedia (Kutuzov et al. 2021, with WikiExtractor).

Templates (infoboxes, navboxes), tables, references, files and images with their captions, galleries, category
and interlanguage links, comments and magic words are removed; a link becomes its text; bold and italics become
plain text; each section heading is a paragraph of its own (a heading left with no text under it is dropped);
each list item is a line; wikitext paragraphs stay blank-line separated.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

DEFAULT_HIDDEN_NAMESPACES = frozenset({"file", "image", "category", "media"})
"""Link prefixes whose links do not show as text (the dump's own names for them are added by the reader)."""

REMOVED_TAGS = frozenset(
    {
        "ref",
        "references",
        "gallery",
        "timeline",
        "imagemap",
        "graph",
        "templatedata",
        "score",
        "math",
        "chem",
        "ce",
        "mapframe",
        "maplink",
        "hiero",
        "inputbox",
        "categorytree",
        "includeonly",
        "table",
        "syntaxhighlight",
        "source",
        "templatestyles",
        "indicator",
        "section",
        "charinsert",
        "rss",
        "dynamicpagelist",
    }
)
"""Tags whose content is not article prose (syntaxhighlight/source: program code, not text of the language)."""

_LITERAL_TAGS = frozenset({"nowiki", "pre", "poem"})
_INTERLANGUAGE = re.compile(r"^[a-z]{2,3}(?:-[a-z]{2,8})*$")
_MAGIC_WORD = re.compile(r"__[A-ZÆØÅÄÖ_]+__")
_SPACE = re.compile(r"[ \t\u00a0]+")
_ITEM, _HEAD, _BREAK = "\x01", "\x02", "\x03"  # markers: list item line, heading (+ level digit), forced break


def _render(nodes: Iterable, hidden: frozenset[str], out: list[str]) -> None:
    from mwparserfromhell import nodes as n

    for node in nodes:
        if isinstance(node, n.Text):
            out.append(_MAGIC_WORD.sub("", node.value))
        elif isinstance(node, n.Wikilink):
            _render_link(node, hidden, out)
        elif isinstance(node, n.ExternalLink):
            if node.title is not None:
                _render(node.title.nodes, hidden, out)
            elif not node.brackets:
                out.append(str(node.url))
        elif isinstance(node, n.Heading):
            out.append(f"\n{_HEAD}{node.level}")
            _render(node.title.nodes, hidden, out)
            out.append("\n")
        elif isinstance(node, n.HTMLEntity):
            out.append(node.normalize())
        elif isinstance(node, n.Tag):
            _render_tag(node, hidden, out)
        # Template, Argument, Comment, and anything else: not article text


def _render_link(node, hidden: frozenset[str], out: list[str]) -> None:
    title = str(node.title).strip()
    visible_colon = title.startswith(":")  # [[:Category:X]] is a plain link to the category page
    title = title.lstrip(":").strip()
    prefix, colon, rest = title.partition(":")
    prefix = prefix.strip().lower()
    if colon and not visible_colon and (prefix in hidden or (_INTERLANGUAGE.match(prefix) and rest.strip())):
        return  # file, image, category or interlanguage link
    if node.text is not None:
        _render(node.text.nodes, hidden, out)
    else:
        out.append(title)


def _render_tag(node, hidden: frozenset[str], out: list[str]) -> None:
    tag = str(node.tag).strip().lower()
    markup = node.wiki_markup
    if markup in ("*", "#"):
        out.append(f"\n{_ITEM}")
    elif markup in (";", ":"):
        out.append(f"\n{_ITEM}" if markup == ";" or not out or out[-1].endswith("\n") else " ")
    elif tag == "hr":
        out.append(f"\n{_BREAK}\n")
    elif tag == "br":
        out.append("\n")
    elif tag in REMOVED_TAGS:
        return
    elif tag in _LITERAL_TAGS and node.contents is not None:
        text = str(node.contents) if tag == "nowiki" else node.contents.strip_code()
        if tag == "nowiki":
            out.append(text)
        else:  # preformatted text and poems keep their lines
            out.append(f"\n{_BREAK}\n{_ITEM}" + text.strip("\n").replace("\n", f"\n{_ITEM}") + f"\n{_BREAK}\n")
    elif node.contents is not None:
        block = tag in ("p", "div", "blockquote", "center", "li", "dd", "dt", "ul", "ol", "dl")
        if block:
            out.append("\n\n")
        _render(node.contents.nodes, hidden, out)
        if block:
            out.append("\n\n")


def _paragraphs(rendered: str) -> list[tuple[int, str]]:
    """(heading level or 0, text) for each paragraph of the rendered text."""
    paragraphs: list[tuple[int, str]] = []
    current: list[str] = []

    def flush() -> None:
        text = _SPACE.sub(" ", " ".join(current)).strip()
        current.clear()
        if text:
            paragraphs.append((0, text))

    for line in rendered.split("\n"):
        if line.startswith(_HEAD):
            flush()
            level, title = int(line[1]), _SPACE.sub(" ", line[2:]).strip()
            if title:
                paragraphs.append((level, title))
        elif line.startswith(_ITEM):
            flush()
            item = _SPACE.sub(" ", line[1:]).strip()
            if item:
                paragraphs.append((-1, item))
        elif not line.strip() or line.strip() == _BREAK:
            flush()
        else:
            current.append(line)
    flush()
    return paragraphs


def _drop_empty_sections(paragraphs: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Drop each heading that has no text before the next heading of the same or a higher level."""
    kept: list[tuple[int, str]] = []
    for level, text in reversed(paragraphs):
        if level > 0:
            has_body = kept and (kept[-1][0] <= 0 or kept[-1][0] > level)
            if not has_body:
                continue
        kept.append((level, text))
    return kept[::-1]


def wikitext_to_text(wikitext: str, hidden_namespaces: Iterable[str] = DEFAULT_HIDDEN_NAMESPACES) -> str:
    """Clean article text of one page's wikitext: paragraphs separated by a blank line, list items one a line."""
    import mwparserfromhell

    hidden = frozenset(DEFAULT_HIDDEN_NAMESPACES | {name.lower() for name in hidden_namespaces})
    out: list[str] = []
    _render(mwparserfromhell.parse(wikitext, skip_style_tags=False).nodes, hidden, out)
    paragraphs = _drop_empty_sections(_paragraphs("".join(out)))
    blocks: list[str] = []
    for i, (level, text) in enumerate(paragraphs):
        if level == -1 and i and paragraphs[i - 1][0] == -1:
            blocks[-1] += "\n" + text  # consecutive list items form one block, one item a line
        else:
            blocks.append(text)
    return "\n\n".join(blocks)
