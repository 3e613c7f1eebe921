"""The Danish fixtures in NorNE's layouts stay what tests/data/ner/make_ddt_fixtures.py builds from DDT."""

import importlib.util

import pytest

from nordic_pile.evaluate.conll import read_tagged
from nordic_pile.evaluate.token_splits import read_split
from tests.evaluate.conftest import NER

spec = importlib.util.spec_from_file_location("make_ddt_fixtures", NER / "make_ddt_fixtures.py")
make = importlib.util.module_from_spec(spec)
spec.loader.exec_module(make)
SHARED = next(
    (p for p in (NER.parents[3] / "shared" / "data", NER.parents[4] / "shared" / "data") if p.is_dir()), None
)


def test_conllu_fixtures_carry_every_upos_tag_of_the_extract():
    upos = make.read_upos()
    assert list(upos) == [f"dev-{n}" for n in range(120)]
    for name, (start, stop) in make.CONLLU_SLICES.items():
        sentences = read_tagged(str(NER / name), "pos").sentences
        assert [s.tags for s in sentences] == [upos[f"dev-{n}"] for n in range(start, stop)], name


@pytest.mark.skipif(SHARED is None, reason="needs the shared data folder beside the repository")
def test_fixtures_rebuild_byte_for_byte_from_the_shared_data(tmp_path):
    for name, text in make.build(SHARED).items():
        assert (NER / name).read_text(encoding="utf-8") == text, name
    # the UPOS extract is rebuilt from a UD file with the same words (here: the fixtures themselves, in order)
    ud = tmp_path / "dev.conllu"
    ud.write_text("".join((NER / name).read_text(encoding="utf-8") for name in make.CONLLU_SLICES), encoding="utf-8")
    assert make.upos_from_ud(ud, SHARED) == make.UPOS_FILE.read_text(encoding="utf-8")


def test_iob1_file_of_real_sentences_reads_back_as_the_bio_original(tmp_path):
    bio = read_split([str(NER / "da_ddt_train.bio")], "ner")
    path = tmp_path / "iob1.conll"
    path.write_text(
        "".join(
            "".join(f"{w}\t{t}\n" for w, t in zip(ws, make.iob1(ts))) + "\n" for ws, ts in zip(bio.words, bio.tags)
        ),
        encoding="utf-8",
    )
    split = read_split([str(path)], "ner")
    assert split.info[0]["scheme"] == "iob1" and split.info[0]["tags_changed_to_iob2"] > 100
    assert split.tags == bio.tags
