"""Abbreviations, month names and the nouns that introduce numbers, for the sentence splitter (lower case).

Two kinds of abbreviation: those that never end a sentence because a word always follows them (`bl.a.`,
`f.eks.`, `t.ex.`, `ca.`, `nr.`, titles) and those that often do (`osv.`, `m.m.`, `etc.`): after the second
kind a capitalised word starts a new sentence. Sources: Språkrådet's list of Norwegian abbreviations, Svenska
skrivregler (Språkrådet, Sweden), Retskrivningsordbogen's forkortelser (Dansk Sprognævn), Stafsetningarorðabókin
(Árnastofnun), each cut to the forms that end in a dot.
"""

from __future__ import annotations

_SHARED = """
ca. nr. kl. jf. jfr. evt. ev. bl. ang. avd. afd. tlf. tel. ff. pkt. vol. bd. s. f. pp. nb. obs. ref.
inkl. ekskl. excl. incl. resp. hhv. vs. mht. pga. p.g.a. m.h.t. mvh.
dr. hr. fr. frk. prof. st. sr. jr. mr. mrs. ms. kpt. lt. adv. dir. ing. mag. cand. stud. lic.
jan. feb. febr. apr. jun. aug. sep. sept. okt. oct. nov. des. dec.
""".split()

_NEVER_FINAL = {
    "nob": "bl.a. f.eks. d.v.s. dvs. m.a. m.a.o. o.a. s.k. såk. t.o.m. f.o.m. iflg. ifølge. vha. v.h.a. iht. i.h.t. "
    "pr. ant. alm. fhv. frk. gnr. bnr. nr. kr. mill. mrd. sml. e.l. el. f.kr. e.kr. ft. fv. rv. m.fl. ".split(),
    "nno": "bl.a. t.d. d.e. m.a. m.a.o. o.a. s.k. t.o.m. f.o.m. iflg. i.h.t. pr. kr. mill. mrd. sml. e.l. el. "
    "f.kr. e.kr. fv. rv. ".split(),
    "swe": "bl.a. t.ex. d.v.s. dvs. s.k. sk. m.fl. o.d. p.g.a. pga. t.o.m. fr.o.m. f.d. f.ö. fö. o.dyl. resp. "
    "kr. milj. mdr. enl. jfr. sid. tr. v. f.kr. e.kr. kap. ".split(),
    "dan": "bl.a. f.eks. d.v.s. dvs. m.a.o. o.a. s.k. såk. t.o.m. f.o.m. iflg. ifm. i.f.m. jf. pr. kr. mio. mia. "
    "sml. el. evt. ca. f.kr. e.kr. ngl. hhv. vedr. vedk. ".split(),
    "isl": "t.d. þ.e. þ.e.a.s. o.s.frv. m.a. u.þ.b. skv. sbr. nk. nr. o.fl. frh. gr. kr. f.kr. e.kr. bls. ath. "
    "t.a.m. a.m.k. þ.á.m. o.þ.h. ".split(),
    "fao": "t.d. t.e. o.a. m.a. o.t.t. v.m. nr. kr. f.kr. e.kr. s.s. ".split(),
    "eng": "e.g. i.e. cf. approx. dept. est. fig. figs. inc. ltd. co. corp. vs. viz. ed. eds. ch. sec. "
    "ca. mt. ft. ave. rd. ".split(),
}

_MAY_END = (
    "osv. o.s.v. m.m. mm. etc. m.fl. mfl. o.l. ol. mv. m.v. o.fl. ofl. o.s.frv. osfrv. o.dyl. o.d. o.a. "
    "m.a.m. osb. ".split()
)

MONTHS = frozenset(
    "januar februar mars marts april mai maj juni juli august september oktober november desember december "
    "januari februari augusti janúar febrúar apríl júní júlí ágúst október nóvember desember janvier".split()
    + [m.rstrip(".") for m in "jan. feb. febr. mar. apr. jun. jul. aug. sep. sept. okt. nov. des. dec.".split()]
)
"""Month names of the Nordic languages (an ordinal before one is a date, not a sentence end: `12. mai`)."""

NUMBER_NOUNS = frozenset(
    "kapittel kapitel kapitlet kafli kapittul figur figure fig tabell tabel tafla tabla avsnitt afsnit del "
    "part chapter section paragraf paragraph grein liður punkt bilag vedlegg bilaga appendix".split()
)
"""Nouns that begin a numbered heading (`Kapittel 12. Avansert administrasjon`, `Figur 17.3. Gaussisk sløring`): the
dot after the number belongs to the numbering when the noun is the first word of its line."""


CAPITALIZED = frozenset(
    "dr. hr. fr. frk. prof. st. sr. jr. mr. mrs. ms. kpt. lt. adv. dir. ing. mag. cand. stud. lic. ca. nr. kl. jf. "
    "jfr. evt. ev. inkl. ekskl. ang. pga. mht. vs. fig. tlf. tel. ref. obs. nb. skv. sbr. iflg. vha. iht. ifm. "
    "vedr. enl. sml. kap. bls. ath. ".split()
)
"""Abbreviations that keep their meaning when capitalised (titles; `Ca. 100`, `Nr. 5` at the start of a sentence).
A capitalised one-part token otherwise is a word or a name (`Jan.`, `Mia.`), and may end a sentence."""


def never_final(language: str | None) -> frozenset[str]:
    """Abbreviations after which no sentence ends, for `language` (all languages' when None)."""
    if language in _NEVER_FINAL:
        return frozenset(_SHARED) | frozenset(_NEVER_FINAL[language]) | frozenset(_NEVER_FINAL["eng"])
    return frozenset(_SHARED).union(*map(frozenset, _NEVER_FINAL.values()))


MAY_END = frozenset(_MAY_END)
"""Abbreviations that often end a sentence: a capitalised word after them starts the next one."""
