"""The `pii` step inside a real `nordic-pile run` (2 tasks), and the `pii scan` command."""

import glob
import gzip
import json

import pytest
import zstandard

from nordic_pile.cli import main
from nordic_pile.errors import ConfigError
from nordic_pile.pii.step import PiiScanner

DOCS = [
    {"id": "sv1", "lang": "sv", "text": "Kontakta Anna på anna.berg@firma.se eller 070-123 45 67. Pnr 811218-9876."},
    {"id": "sv2", "lang": "sv", "text": "Ordernummer 811218-9875 levererades 2023-05-12 till 114 55 Stockholm."},
    {"id": "nb1", "lang": "nb", "text": "Fødselsnummer 01010750160 og kontonummer NO9386011117947 ble oppgitt."},
    {"id": "da1", "lang": "da", "text": "CPR-nummer 070761-4285 og telefon +45 33 12 34 56 står på blanketten."},
    {"id": "is1", "lang": "is", "text": "Kennitala 120174-3399 og netfang jon@simnet.is eru skráð hér í dag."},
    {"id": "en1", "lang": "en", "text": "Requests from 81.2.69.160 and 192.168.1.1 were logged by the server."},
]


def _write_input(folder):
    folder.mkdir()
    for i, part in enumerate((DOCS[:3], DOCS[3:])):
        with open(folder / f"part{i}.jsonl", "w", encoding="utf-8") as f:
            for doc in part:
                f.write(json.dumps(doc, ensure_ascii=False) + "\n")


def _run(tmp_path, step: str):
    recipe = tmp_path / f"recipe_{len(step)}.yaml"
    recipe.write_text(
        f"input: {{format: jsonl}}\noutput: {{format: jsonl}}\nsteps:\n  - normalize_unicode:\n  - {step}\n"
    )
    out = tmp_path / f"out_{len(step)}"
    assert main(["run", str(recipe), "--input", str(tmp_path / "in"), "--output", str(out), "--tasks", "2"]) == 0
    kept = {}
    for path in glob.glob(str(out / "data" / "**" / "*.jsonl.gz"), recursive=True):
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for line in f:
                record = json.loads(line)
                kept[record["id"]] = record
    return json.loads((out / "summary.json").read_text()), kept


def test_step_counts_in_metadata_and_summary(tmp_path):
    _write_input(tmp_path / "in")
    summary, kept = _run(tmp_path, "pii:")
    assert summary["balanced"] and summary["read"] == summary["kept"] == len(DOCS) and summary["removed"] == 0
    assert kept["sv1"]["metadata"]["pii"] == {"se_personnummer": 1, "email": 1, "phone": 1}
    assert kept["sv2"]["metadata"]["pii"] == {}
    assert kept["nb1"]["metadata"]["pii"] == {"no_fodselsnummer": 1, "iban": 1}
    assert kept["da1"]["metadata"]["pii"] == {"dk_cpr": 1, "phone": 1}
    assert kept["is1"]["metadata"]["pii"] == {"is_kennitala": 1, "email": 1}
    assert kept["en1"]["metadata"]["pii"] == {"ip": 1}
    assert "anna.berg@firma.se" in kept["sv1"]["text"]  # no redaction by default
    stats = next(v for k, v in summary["step_stats"].items() if k.endswith(": pii"))
    totals = {k: v["total"] for k, v in stats.items() if k.startswith("pii_") or k == "docs_with_pii"}
    assert totals == {
        "docs_with_pii": 5,
        "pii_se_personnummer": 1,
        "pii_email": 2,
        "pii_phone": 2,
        "pii_no_fodselsnummer": 1,
        "pii_iban": 1,
        "pii_dk_cpr": 1,
        "pii_is_kennitala": 1,
        "pii_ip": 1,
    }


def test_step_redacts_with_typed_placeholders(tmp_path):
    _write_input(tmp_path / "in")
    summary, kept = _run(tmp_path, "pii: {redact: true}")
    assert summary["balanced"] and summary["kept"] == len(DOCS)
    assert kept["sv1"]["text"] == "Kontakta Anna på <EMAIL> eller <PHONE>. Pnr <SE_PERSONNUMMER>."
    assert kept["nb1"]["text"] == "Fødselsnummer <NO_FODSELSNUMMER> og kontonummer <IBAN> ble oppgitt."
    assert kept["en1"]["text"] == "Requests from <IP> and 192.168.1.1 were logged by the server."
    assert kept["sv2"]["text"] == DOCS[1]["text"]


def test_step_rejects_unknown_types():
    with pytest.raises(ConfigError, match="unknown passport"):
        PiiScanner(types=["email", "passport"])
    with pytest.raises(ConfigError, match="placeholder"):
        PiiScanner(placeholder="XXX")


def test_pii_scan_copies_every_record_with_spans(tmp_path, capsys):
    source = tmp_path / "in.jsonl.zst"
    lines = [json.dumps(d, ensure_ascii=False) for d in DOCS] + ["not json", '{"id": "x", "body": "no text"}']
    source.write_bytes(zstandard.ZstdCompressor().compress(("\n".join(lines) + "\n").encode()))
    out = tmp_path / "out.jsonl.gz"
    assert main(["pii", "scan", str(source), str(out)]) == 0
    with gzip.open(out, "rt", encoding="utf-8") as f:
        records = [json.loads(line) for line in f]
    assert [r["id"] for r in records] == [d["id"] for d in DOCS]
    first = records[0]
    spans = [(s["type"], first["text"][s["start"] : s["end"]]) for s in first["pii"]]
    assert spans == [("email", "anna.berg@firma.se"), ("phone", "070-123 45 67"), ("se_personnummer", "811218-9876")]
    assert records[1]["pii"] == [] and records[0]["text"] == DOCS[0]["text"]
    rejected = [json.loads(line) for line in open(tmp_path / "out.rejected.jsonl", encoding="utf-8")]
    assert [r["line"] for r in rejected] == [7, 8]
    assert "7 unreadable" not in capsys.readouterr().err  # 2 lines, named in the message
    assert main(["pii", "scan", str(source), str(out)]) == 2  # exists: no silent overwrite
    assert main(["pii", "scan", str(source), str(tmp_path / "r.jsonl"), "--redact", "--types", "email"]) == 0
    redacted = [json.loads(line) for line in open(tmp_path / "r.jsonl", encoding="utf-8")]
    assert redacted[0]["text"].startswith("Kontakta Anna på <EMAIL> eller 070-123 45 67.")


def test_step_types_and_private_ips():
    from datatrove.data import Document

    doc = Document(text="Mejla anna@firma.se från 192.168.1.20 eller 81.2.69.160.", id="x", metadata={})
    assert PiiScanner(types=["ip"]).filter(doc) is True and doc.metadata["pii"] == {"ip": 1}
    assert PiiScanner(private_ips=True).filter(doc) and doc.metadata["pii"] == {"email": 1, "ip": 2}
    scanner = PiiScanner(redact=True, placeholder="[{type}]", types=["email"])
    assert scanner.filter(doc) and doc.text == "Mejla [email] från 192.168.1.20 eller 81.2.69.160."
