"""Regenerate the stop-word lists in nordic_pile/filters/data/stop_words/ (a developer tool, not a benchmark).

    pip install spacy justext   # only here: the lists ship as our own files
    python bench/derive_filter_lists.py [--data ../shared/data/docs] [--write]

Sources (see nordic_pile/filters/data/README.md): spaCy's stop lists (MIT) for swe, nob, dan, isl and eng; jusText's
Nynorsk list (BSD-2-Clause) for nno, filtered to closed-class words; Faroese from word frequencies in real Faroese
text, kept where a Faroese grammar classes the word as a function word (pronoun, article, preposition,
conjunction, auxiliary, adverb, numeral). The removals and additions below are the whole of our editing. Without
--write it prints each list's document frequency in --data, the measurement behind the Gopher stop words in
thresholds.yaml (the most frequent function words of each language).
"""

from __future__ import annotations

import argparse
import collections
import importlib
import io
import json
import os
import pathlib

OUT = pathlib.Path(__file__).resolve().parent.parent / "nordic_pile" / "filters" / "data" / "stop_words"

SPACY = {"swe": "sv", "nob": "nb", "dan": "da", "isl": "is", "eng": "en"}
# spaCy's lists carry a few content or forum words; these are not closed-class and come out
REMOVE = {
    "nob": "bris by dag del fjor folk gang grunn kamp kampen kl kontakt kort kroner kveld land landet laget leder løpet "
    "mennesker mål opplyser personer plass poeng runde saken sted stedet tid år and",
    "swe": "beslut beslutat beslutit dag dagar dagarna dagen del delen gott gör ja nej år åren året",
    "dan": "",
    "isl": "dag fólk gmg img lol rofl póst póstur tilvitnun titlar þráð þráður sælir sæll takk þakka þakkir velkomin "
    "velkominn",
    "eng": "",
}
# closed-class words the source lists lack (Icelandic's spaCy list has no og/að/í/á, for one)
ADD = {
    "isl": "og að í á en er sem um af til við var hann hún það þeir þær þau ekki þá því fyrir frá með eða ég þú "
    "hans hennar þess sig sér sín sinn sitt eftir út nú þar hér ef þó sá sú þetta voru verið hefði mun myndi "
    "skal má ætti hjá undir milli meðal án gegn auk líka eigi honum henni hana þeim þeirra okkur oss",
    "nob": "jeg meg deg oss dere hun ham henne hans hennes dens deres vår vårt våre min mitt mine din ditt dine "
    "ikke nei ja hva hvem hvor hvordan hvorfor hvilken hvilke når om hvis fordi selv seg sin sitt sine",
}
NYNORSK_KEEP = (
    "alle alt andre anna at att av begge berre blant blei bli blir blitt både de dei deira den denne der derimot "
    "desse det dette då ei ein einaste eit eller enn er etter fleire fleste for fordi fram framleis frå få får fått "
    "før først første gjennom gjer gjerne gjorde gjort ha hadde han hans har hatt heile heilt her ho i igjen ikkje "
    "inn innan kan kjem kom kring kunne kva kvar kvart like likevel lite langs mange med medan meir mellom men mest "
    "meste mindre minst mot mykje må måtte ned nesten no noko nokre nær også om opp over på rundt saman same samt "
    "seg seinare sidan sin sine sitt sjølv skal skulle slik som svært så særleg særs ta til tilbake truleg under ut "
    "utan var vart ved vere vera vert vil ville vore vorte å òg"
)
NYNORSK_ADD = (
    "eg meg deg oss dykk dykkar vi me du henne hennar honom dykkar kven korleis kvifor kor nokon ingen ingenting "
    "ja nei når viss dersom eigen eige eiga hjå attmed hos anten korkje og ifrå mitt mi mine ditt di dine vår vårt "
    "våre vore"
)
# Faroese function words among the 400 most frequent words of docs_fo (checked against a Faroese grammar:
# pronouns, articles, prepositions, conjunctions, auxiliaries and modal verbs, adverbs, numerals)
FAROESE = (
    "og í at er sum hann við av á til um men tað eru teir ikki tá ein fyri ið var eg tí hevur frá eisini hjá "
    "hetta hava verður tit eitt eftir teimum vóru tey úr har nú tú tann verða upp so hansara varð verið honum "
    "vit hevði tykkum skal út enn seg millum hon meg ella hesum fram vera tær hvussu sær mær aftur skulu teirra "
    "einum vórðu eina eri saman hesi havi tykkara hvat bæði inn undir alt tess okkum hvør hvör her henda høvdu "
    "hövdu burtur soleiðis fleiri skuldi heldur uttan tó yvir mín meðan okkara sínum einki eins móti allir teg "
    "sama meira nakað sín hana hesin eingin niður øllum öllum kunnu eini undan annað síðan hin allar hesar ert "
    "hví bert tveir man fyrst onnur kortini fyrr mítt hvar sína nær hitt somu longu øll öll síni oman sítt mínum "
    "tín teirri henni nakar nakrar nakrir aftan mangir altíð áður ímóti ímillum hennara kann vil kundi skal "
    "skulu mundi eitt tríggir fýra fimm seks sjey átta níggju tíggju"
)


def _spacy(code: str) -> set[str]:
    return set(importlib.import_module(f"spacy.lang.{code}.stop_words").STOP_WORDS)


def build() -> dict[str, list[str]]:
    import justext

    lists = {}
    for lang, code in SPACY.items():
        words = (_spacy(code) - set(REMOVE[lang].split())) | set(ADD.get(lang, "").split())
        lists[lang] = sorted(w.lower() for w in words if " " not in w)
    nynorsk = set(justext.get_stoplist("Norwegian_Nynorsk"))
    keep = set(NYNORSK_KEEP.split())
    missing = keep - nynorsk
    if missing:
        raise SystemExit(f"not in jusText's Nynorsk list any more: {sorted(missing)}")
    lists["nno"] = sorted(keep | set(NYNORSK_ADD.split()))
    lists["fao"] = sorted(set(FAROESE.split()))
    return lists


def doc_frequencies(data: str, lang: str, words: set[str], limit: int = 5000) -> list[tuple[str, float]]:
    import zstandard

    from nordic_pile.text.words import words as tokenize

    iso1 = {"swe": "sv", "nob": "nb", "nno": "nn", "dan": "da", "isl": "is", "fao": "fo", "eng": "en"}[lang]
    df, n = collections.Counter(), 0
    with open(os.path.join(data, f"docs_{iso1}.jsonl.zst"), "rb") as f:
        for line in io.TextIOWrapper(zstandard.ZstdDecompressor().stream_reader(f), encoding="utf-8"):
            df.update({w.lower() for w in tokenize(json.loads(line)["text"])} & words)
            n += 1
            if n >= limit:
                break
    return [(w, round(c / n, 3)) for w, c in df.most_common(25)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default="../shared/data/docs")
    parser.add_argument("--write", action="store_true", help="write the lists (else print measurements)")
    args = parser.parse_args()
    lists = build()
    for lang, words in sorted(lists.items()):
        if args.write:
            header = f"# {lang}: closed-class words, lower case, one a line; source and licence in ../README.md\n"
            (OUT / f"{lang}.txt").write_text(header + "\n".join(words) + "\n", encoding="utf-8")
        else:
            print(lang, len(words), doc_frequencies(args.data, lang, set(words)))


if __name__ == "__main__":
    main()
