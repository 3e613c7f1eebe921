"""`langid train`: same data and seed give the same bytes; the recipe validates; the corpus readers read."""

import hashlib
import itertools
import json
import os
import struct

import pytest

from nordic_pile.errors import ConfigError, InputError
from nordic_pile.lang_id.corpus import detokenize, read_units
from nordic_pile.lang_id.recipe import load_recipe, recipe_for_files
from nordic_pile.lang_id.training import _key, collect, held_out, train
from tests.lang_id.conftest import SENTENCES


def _train(tmp_path, name, seed=1):
    recipe = recipe_for_files([str(SENTENCES)], seed=seed, dim=8, epoch=3)
    out = tmp_path / name / "model.ftz"
    meta = train(recipe, ".", str(out), log=lambda *_: None)
    return out.read_bytes(), meta


def test_training_twice_gives_identical_bytes(tmp_path):
    first, meta1 = _train(tmp_path, "a")
    junk = [bytearray(os.urandom(3 << 20)) for _ in range(4)]  # freed blocks fastText could reuse uninitialised
    del junk
    second, meta2 = _train(tmp_path, "b")
    assert first == second
    assert meta1 == meta2
    assert meta1["training"]["model_sha256"] == hashlib.sha256(first).hexdigest()
    assert meta1["labels"] == ["dan", "eng", "fao", "fin", "isl", "nno", "nob", "swe"]
    other_seed, _ = _train(tmp_path, "c", seed=2)
    assert other_seed != first


def test_training_does_not_depend_on_what_the_heap_held(tmp_path, monkeypatch):
    # fastText leaves most of its input matrix uninitialised with one thread (fit_worker.py): with glibc filling
    # fresh heap chunks with 0xfe bytes, a training that took whatever malloc gave would diverge or differ
    clean, _ = _train(tmp_path, "clean")
    monkeypatch.setenv("MALLOC_PERTURB_", "1")
    dirty, _ = _train(tmp_path, "dirty")
    assert dirty == clean


def test_metadata_is_written_beside_the_model(tmp_path):
    _, meta = _train(tmp_path, "m")
    on_disk = json.loads((tmp_path / "m" / "model.json").read_text())
    assert on_disk == meta
    assert on_disk["training"]["sources"][0]["sha256"] == hashlib.sha256(SENTENCES.read_bytes()).hexdigest()
    bins = on_disk["calibration"]["bins"]
    assert [b["max_words"] for b in bins] == [5, 30, None]
    for b in bins:
        assert b["xs"] == sorted(b["xs"]) and b["ys"] == sorted(b["ys"])


def test_shipped_recipe_is_valid():
    from nordic_pile.lang_id.identifier import MODELS_DIR

    recipe = load_recipe(f"{MODELS_DIR}/nordic-langid.train.yaml")
    assert recipe.seed == 1 and recipe.quantize.enabled is False
    assert not any("nordicdsl" in s.path.lower() or "norec" in s.sources for s in recipe.sources)


def test_shipped_model_metadata_matches_its_file():
    from nordic_pile.lang_id.identifier import MODELS_DIR, NORDIC_MODEL, load_metadata

    meta = load_metadata(NORDIC_MODEL)
    with open(NORDIC_MODEL, "rb") as f:
        assert hashlib.sha256(f.read()).hexdigest() == meta["training"]["model_sha256"]
    assert set(meta["labels"]) == {"dan", "nob", "nno", "swe", "isl", "fao", "eng", "fin", "other"}
    assert (MODELS_DIR and meta["training"]["recipe"]) == "nordic-langid.train.yaml"


@pytest.mark.parametrize(
    ("yaml_text", "message"),
    [
        ("sources: []", "expected a non-empty list"),
        ("sources: [{path: x.jsonl, domain: web}]", "domain='web'; use general or specialised"),
        ("sources: [{path: x.jsonl, language: sv}]", "language='sv' is not an ISO 639-3 code"),
        ("sources: [{path: x.jsonl}]\nfasttext: {dims: 8}", "fasttext.dims: unknown field"),
        ("sources: [{path: x.jsonl}]\nseed: one", "seed: expected"),
        ("sources: [{path: x.jsonl, dev_fraction: 1.5}]", r"sources\[0\].dev_fraction=1.5 must be in \[0, 1\)"),
    ],
)
def test_recipe_mistakes_name_the_field(tmp_path, yaml_text, message):
    path = tmp_path / "r.yaml"
    path.write_text(yaml_text)
    with pytest.raises(ConfigError, match=message):
        load_recipe(str(path))


def test_readers_for_each_format(tmp_path):
    (tmp_path / "a.csv").write_text("language,sentence\ndk,jeg ved det ikke\nnn,eg veit ikkje\n")
    (tmp_path / "b.conllu").write_text("# sent_id = 1\n# text = Eg veit.\n1\tEg\n2\tveit\n3\t.\n\n")
    (tmp_path / "c.conll").write_text("Hvor\tO\nkommer\tO\nhan\tO\nfra\tO\n?\tO\n\t\nJa\tO\n.\tO\n")
    assert [(u.language, u.text) for u in read_units(str(tmp_path / "a.csv"))] == [
        ("dan", "jeg ved det ikke"),
        ("nno", "eg veit ikkje"),
    ]
    assert [u.text for u in read_units(str(tmp_path / "b.conllu"), language="nno")] == ["Eg veit."]
    assert [u.text for u in read_units(str(tmp_path / "c.conll"), language="dan")] == ["Hvor kommer han fra?", "Ja."]


def test_detokenize_attaches_punctuation_and_pairs_ascii_quotes():
    tokens = ["Han", "sa", '"', "eg", "veit", "ikkje", '"', "(", "i", "går", ")", ",", "og", "gjekk", "."]
    assert detokenize(tokens) == 'Han sa "eg veit ikkje" (i går), og gjekk.'


def test_norne_doc_comments_group_sentences_by_document(tmp_path):
    sentence = "Eg\tO\nveit\tO\n.\tO\n"
    text = "".join(f"# doc = {doc}\n{sentence}\n" for doc in ["ap001"] * 3 + ["db002"] * 2)
    (tmp_path / "x.bio").write_text(text)
    units = list(read_units(str(tmp_path / "x.bio"), language="nno"))
    assert [u.text for u in units] == ["Eg veit."] * 5
    assert [u.group for u in units] == ["x.bio:ap001:0"] * 3 + ["x.bio:db002:0"] * 2


def test_a_text_held_out_in_one_source_is_never_trained_on_from_another(tmp_path):
    """A sentence that two sources share (a treebank and its UD release) is held out if either copy is; training
    pieces that equal a held-out text (up to casing, punctuation and digits) are dropped."""
    words = "en to tre fire fem seks sju åtte ni ti elleve tolv tretten fjorten femten seksten sytten atten".split()
    sentences = [f"Dette er setning {a} av {b}." for a in words for b in words]
    a = [{"text": s, "lang": "nb", "id": str(i // 20)} for i, s in enumerate(sentences)]
    b = [{"text": s.upper(), "lang": "nb", "id": f"b{i // 7}"} for i, s in enumerate(reversed(sentences))]
    for name, records in (("a.jsonl", a), ("b.jsonl", b)):
        (tmp_path / name).write_text("".join(json.dumps(r) + "\n" for r in records))
    recipe = recipe_for_files(["a.jsonl", "b.jsonl"], dev_fraction=0.3)
    held = {_key(r["text"]) for name, rs in (("a.jsonl", a), ("b.jsonl", b)) for r in rs
            if held_out(f"{name}:{r['id']}", 0.3)}  # fmt: skip
    assert 0 < len(held) < len(sentences)
    pools = collect(recipe, str(tmp_path))
    trained = [t for texts in pools.train["nob"].values() for t in texts]
    assert trained and not {_key(t) for t in trained} & held
    assert {_key(t) for t in pools.dev["nob"]} == held
    assert len(trained) + len(pools.dev["nob"]) == len(set(map(_key, sentences)))


def _mo(entries: dict[str, str]) -> bytes:
    """A little-endian GNU .mo catalog (the layout msgfmt writes)."""
    keys = sorted(entries)
    ids = b"".join(k.encode() + b"\0" for k in keys)
    strs = b"".join(entries[k].encode() + b"\0" for k in keys)
    n, table = len(keys), 28
    start = table + 16 * n
    o, t, pos = [], [], 0
    for k in keys:
        o.append((len(k.encode()), start + pos))
        pos += len(k.encode()) + 1
    pos = 0
    for k in keys:
        t.append((len(entries[k].encode()), start + len(ids) + pos))
        pos += len(entries[k].encode()) + 1
    header = struct.pack("<7I", 0x950412DE, 0, n, table, table + 8 * n, 0, 0)
    return header + b"".join(struct.pack("<2I", *x) for x in o + t) + ids + strs


def test_gettext_catalogs_give_translations_labelled_by_locale(tmp_path):
    folder = tmp_path / "locale" / "de" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "app.mo").write_bytes(
        _mo({"": "Content-Type: text/plain; charset=UTF-8\n", "Open file": "Datei öffnen", "OK": "OK"})
    )
    (tmp_path / "locale" / "de" / "LC_MESSAGES" / "broken.mo").write_bytes(b"\x00" * 40)
    units = list(read_units(str(tmp_path / "locale/*/LC_MESSAGES/*.mo"), "gettext", "other"))
    assert [(u.language, u.text, u.source, u.group) for u in units] == [("other", "Datei öffnen", "de", "de/app.mo")]


def test_length_calibration_round_trips_and_picks_bins():
    from nordic_pile.lang_id.calibration import Calibration, LengthCalibration, fit_by_length

    fitted = fit_by_length([0.9, 0.9, 0.95, 0.99] * 10, [False, True, True, True] * 10, [2, 2, 12, 80] * 10)
    again = LengthCalibration.from_dict(json.loads(json.dumps(fitted.to_dict())))
    assert again == fitted and again.bin(5) == 0 and again.bin(6) == 1 and again.bin(500) == 2
    assert fitted(0.9, 2) == 0.5 and fitted(0.99, 80) == 1.0
    assert LengthCalibration.from_dict({"xs": [0.0, 1.0], "ys": [0.0, 0.5]}).maps == (
        Calibration((0.0, 1.0), (0.0, 0.5)),
    )


def _wordlist(path, bins):
    import gzip

    import msgpack

    path.write_bytes(gzip.compress(msgpack.packb([{"format": "cB", "version": 1}, *bins])))
    return path


def test_wordfreq_lists_give_word_samples_drawn_with_their_frequencies(tmp_path):
    """bin i holds the words of frequency 10^(-i/100): `og` (bin 0) is 100 times as frequent as `hund` (bin 200)."""
    from nordic_pile.lang_id.corpus import SAMPLES_PER_WORDLIST

    bins = [["og"], *[[] for _ in range(199)], ["hund", "3d", "it's"]]
    units = list(read_units(str(_wordlist(tmp_path / "small_da.msgpack.gz", bins))))
    assert len(units) == SAMPLES_PER_WORDLIST
    assert {u.language for u in units} == {"dan"} and {u.source for u in units} == {"wordfreq:da"}
    words = [w for u in units for w in u.text.split()]
    assert set(words) == {"og", "hund"}  # entries with digits or apostrophes are never drawn
    assert 70 < words.count("og") / words.count("hund") < 140
    assert all(3 <= len(u.text.split()) <= 15 for u in units)
    (tmp_path / "elsewhere").mkdir()
    moved = _wordlist(tmp_path / "elsewhere" / "small_da.msgpack.gz", bins)
    assert [u.text for u in read_units(str(moved))] == [u.text for u in units]  # seeded by the name, not the folder


def test_a_file_that_is_not_a_wordfreq_list_is_named(tmp_path):
    import gzip

    import msgpack

    bad = tmp_path / "large_sv.msgpack.gz"
    bad.write_bytes(gzip.compress(msgpack.packb([["ord"]])))
    with pytest.raises(InputError, match=r"large_sv.msgpack.gz: not a wordfreq list"):
        list(read_units(str(bad)))


def test_word_samples_are_never_held_out(tmp_path):
    """`dev_fraction: 0.0`: generated text is all training text, so held-out figures and calibration are real text."""
    words = ["".join(letters) for letters in itertools.product("abcdeå", repeat=3)]
    _wordlist(tmp_path / "small_sv.msgpack.gz", [words[:100], words[100:]])
    (tmp_path / "r.yaml").write_text(
        "dev_fraction: 0.5\nsources:\n"
        f"  - {{path: {SENTENCES}}}\n"
        "  - {path: small_sv.msgpack.gz, max_per_source: 500, dev_fraction: 0.0}\n"
    )
    pools = collect(load_recipe(str(tmp_path / "r.yaml")), str(tmp_path))
    samples = {u.text for u in read_units(str(tmp_path / "small_sv.msgpack.gz"))}
    assert not samples & set(pools.dev["swe"])
    assert len(samples & set(pools.train["swe"]["general"])) == 500
    assert pools.dev["swe"]  # the real sentences are still split


def test_a_source_in_a_package_that_is_not_installed_says_what_to_install(tmp_path):
    (tmp_path / "r.yaml").write_text("sources:\n  - {package: no_such_wordlists, path: data/small_da.msgpack.gz}\n")
    with pytest.raises(
        ConfigError, match="package 'no_such_wordlists' is not installed; pip install no_such_wordlists"
    ):
        collect(load_recipe(str(tmp_path / "r.yaml")), str(tmp_path))


def test_hunspell_dictionaries_give_samples_of_their_lower_case_stems(tmp_path):
    """Stems before `/` or a morphology field; names, abbreviations and entries with digits are left out."""
    (tmp_path / "index.dic").write_text(
        "6\nbygd/AB\nFøroyar/C\nhvussu\nAOK\n3d/X\ngandakent\tpo:adj\n", encoding="utf-8"
    )
    units = list(read_units(str(tmp_path / "index.dic"), language="fao"))
    assert {w for u in units for w in u.text.split()} == {"bygd", "hvussu", "gandakent"}
    assert {u.language for u in units} == {"fao"} and {u.source for u in units} == {"hunspell:fao"}
    other = list(read_units(str(tmp_path / "index.dic"), language="nno"))
    assert [u.text for u in other] != [u.text for u in units]  # each language its own draws from its own file
    with pytest.raises(InputError, match="a hunspell source needs `language`"):
        list(read_units(str(tmp_path / "index.dic")))
    (tmp_path / "empty.dic").write_text("0\nABC\n")
    with pytest.raises(InputError, match="empty.dic: no lower-case stems"):
        list(read_units(str(tmp_path / "empty.dic"), language="fao"))


def test_relative_paths_are_looked_up_in_each_data_folder_in_turn(tmp_path):
    first, second = tmp_path / "shared", tmp_path / "extra"
    for folder, text in ((first, "Eg veit ikkje kva du meiner."), (second, "Jeg ved ikke hvad du mener.")):
        folder.mkdir()
        (folder / "both.jsonl").write_text(
            json.dumps({"text": text, "lang": "nn" if folder == first else "da"}) + "\n"
        )
    (second / "only.dic").write_text("2\nhus\nbil\n")
    (tmp_path / "r.yaml").write_text(
        "dev_fraction: 0.0\nsources:\n  - {path: both.jsonl}\n  - {path: only.dic, language: dan, max_per_source: 3}\n"
    )
    pools = collect(load_recipe(str(tmp_path / "r.yaml")), (str(first), str(second)))
    assert pools.train["nno"]["general"] == ["Eg veit ikkje kva du meiner."]  # the first folder that holds it
    assert "dan" in pools.train and "nob" not in pools.train
    (tmp_path / "r.yaml").write_text("sources:\n  - {path: missing.jsonl}\n")
    with pytest.raises(InputError, match=r"missing.jsonl: no such file in the data folder\(s\) .*shared, .*extra"):
        collect(load_recipe(str(tmp_path / "r.yaml")), (str(first), str(second)))


def test_a_diverging_training_names_the_setting_to_change(tmp_path):
    recipe = recipe_for_files([str(SENTENCES)], lr=100.0, dim=8, epoch=3)
    with pytest.raises(ConfigError, match=r"diverged .*NaN.*lower fasttext.lr \(now 100\) in the recipe, e.g. to 50"):
        train(recipe, ".", str(tmp_path / "model.ftz"), log=lambda *_: None)


@pytest.mark.parametrize("name", ["cut.jsonl.gz", "cut.jsonl.zst", "small_da.msgpack.gz"])
def test_a_truncated_or_misnamed_compressed_file_is_named(tmp_path, name):
    """One InputError naming the file (and for JSONL the line where reading stopped); a cut .zst is not read
    as a shorter file."""
    import gzip

    import zstandard

    lines = "".join(json.dumps({"text": f"hei {i}", "lang": "nb"}) + "\n" for i in range(3000)).encode()
    packed = zstandard.ZstdCompressor().compress(lines) if name.endswith(".zst") else gzip.compress(lines)
    (tmp_path / name).write_bytes(packed[: len(packed) // 2] if name.startswith("cut") else b"plain text")
    with pytest.raises(InputError, match=rf"{name}(:\d+)?: cannot be decompressed .*truncated"):
        list(read_units(str(tmp_path / name)))
