"""C4-style line cleanup: the lines it removes and why, Nordic boilerplate included; paragraphs kept."""

from nordic_pile.filters.c4 import C4LineCleanup

PAGE = """Välkommen till vår webbplats

Den här webbplatsen använder cookies för att ge dig en bättre upplevelse.
Regeringen presenterade i dag sin budget för nästa år.
Oppositionen var kritisk och menar att pengarna inte räcker.

Aktivera JavaScript för att se den här sidan korrekt.
Lorem ipsum dolor sit amet, consectetur adipiscing elit.
Läs mer...
Ja.
Budgeten ska nu behandlas i riksdagen under hösten[1].
Nettstedet bruker informasjonskapsler til statistikk.
Vi bruger cookies til at forbedre siden."""


def test_removes_c4_lines_and_keeps_prose():
    step = C4LineCleanup()
    out = step.format(PAGE)
    assert out == (
        "Regeringen presenterade i dag sin budget för nästa år.\n"
        "Oppositionen var kritisk och menar att pengarna inte räcker.\n\n"
        "Budgeten ska nu behandlas i riksdagen under hösten."
    )
    removed = {k.split("/")[1]: v.total for k, v in step.stats.stats.items() if k.startswith("line_removed/")}
    assert removed == {"no_terminal_punct": 2, "policy": 3, "javascript": 1, "lorem_ipsum": 1, "too_few_words": 1}


def test_options_switch_each_check_off():
    step = C4LineCleanup(
        require_terminal_punct=False,
        min_words_per_line=0,
        remove_policy=False,
        remove_javascript=False,
        remove_lorem_ipsum=False,
        remove_citations=False,
    )
    assert step.format(PAGE) == PAGE.replace("\n\n\n", "\n\n")
    quoted = "«Det var en fin dag», sa hon.\n”Ja, det var det verkligen.”\nHan svarade: Nej…"
    assert C4LineCleanup().format(quoted) == "«Det var en fin dag», sa hon.\n”Ja, det var det verkligen.”"
