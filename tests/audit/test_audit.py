"""`nordic-pile audit` on a real run's output, on a plain folder, and in compare mode."""

import json

import pyarrow as pa
import pyarrow.parquet as pq

from nordic_pile.audit.build import run_audit
from nordic_pile.cli import main


def test_audit_of_a_run_matches_its_ledger(runs, tmp_path):
    out = tmp_path / "report"
    assert main(["audit", runs["a"], "--out", str(out)]) == 0
    first = {name: (out / name).read_bytes() for name in ("audit.json", "audit.html")}
    assert main(["audit", runs["a"], "--out", str(out), "--workers", "1"]) == 0
    assert first == {name: (out / name).read_bytes() for name in first}  # same input, same bytes
    audit = json.loads((out / "audit.json").read_text())
    summary = json.loads(open(f"{runs['a']}/summary.json").read())
    assert audit["layout"] == "run" and audit["ledger"]["balanced"]
    assert (
        audit["totals"]["kept"]["docs"] == summary["kept"] and audit["totals"]["removed"]["docs"] == summary["removed"]
    )
    assert sum(s["docs"] for s in audit["slices"]) == summary["kept"]
    assert sum(s["chars"] for s in audit["slices"]) == summary["chars"]["kept"]
    rules = {(r["step"], r["reason"]): r for r in audit["removed"]["rules"]}
    for step, s in summary["steps"].items():
        for reason, v in s["by_reason"].items():
            assert rules[(step, reason)]["docs"] == v["docs"] and rules[(step, reason)]["chars"] == v["chars"]
            assert 1 <= len(rules[(step, reason)]["examples"]) <= 3
    assert set(audit["languages"]) <= {"swe", "nob", "nno", "dan", "isl", "fao", "eng"}
    assert audit["pii"]["docs_scanned_by_audit"] == 0  # the pii step's metadata is used
    assert audit["pii"]["by_type"].get("email", 0) >= 1
    hist = audit["histograms"]
    assert hist["length_chars"] and hist["language_score"] and hist["dup_cluster_size"]["n"] == summary["kept"]
    assert set(hist["statistics"]) == {"quality.mean_word_length", "quality.lines"}
    assert set(hist["statistics"]["quality.lines"]) == {"kept", "removed"}
    assert {d["domain"] for d in audit["domains"]["top"]} <= {
        "nrk.no",
        "dr.dk",
        "svt.se",
        "ruv.is",
        "kvf.fo",
        "example.org",
    }
    assert any(v["mixed"] for v in audit["mixed_language"].values())
    assert all(1 <= len(items) <= 5 and len(items[0]["text"]) <= 601 for items in audit["samples"].values())
    html = (out / "audit.html").read_text()
    assert html.count("<svg") >= 8  # self-contained: nothing to fetch, nothing to run
    assert not any(s in html for s in ("<script", "<link", " src=", "href='http", 'href="http', "url(http"))


def test_plain_folder_jsonl_and_parquet_with_pii_computed(runs, tmp_path):
    folder = tmp_path / "plain"
    folder.mkdir()
    rows = [
        {"id": "p1", "text": "Mejla anna@firma.se, pnr 811218-9876.", "language": "swe", "source": "pq"},
        {"id": "p2", "text": "Ingen känslig uppgift här.", "language": "swe", "source": "pq"},
    ]
    pq.write_table(pa.Table.from_pylist(rows), folder / "docs.parquet")
    (folder / "b.jsonl").write_text('{"id": "j1", "text": "Ring +47 22 33 44 55.", "lang": "nb"}\nbroken\n')
    audit = run_audit(str(folder), workers=1)
    assert audit["layout"] == "folder" and audit["totals"]["kept"]["docs"] == 3
    assert audit["totals"]["unreadable_records"] == 1
    assert audit["pii"]["docs_scanned_by_audit"] == 3
    assert audit["pii"]["by_type"] == {"se_personnummer": 1, "email": 1, "phone": 1}
    assert audit["pii"]["by_language"]["nob"] == {"phone": 1}


def test_parallel_and_serial_audits_agree(runs):
    serial = run_audit(runs["a"], workers=1)
    parallel = run_audit(runs["a"], workers=2)
    assert serial == parallel


def test_compare_two_runs(runs, tmp_path):
    out = tmp_path / "cmp"
    assert main(["audit", runs["a"], "--compare", runs["b"], "--out", str(out), "--workers", "1"]) == 0
    audit = json.loads((out / "audit.json").read_text())
    cmp = audit["compare"]
    a_kept = audit["totals"]["kept"]["docs"]
    b_kept = json.loads(open(f"{runs['b']}/summary.json").read())["kept"]
    assert cmp["totals"]["docs"] == {"a": a_kept, "b": b_kept, "change": b_kept - a_kept, "ratio": b_kept / a_kept}
    assert sum(r["docs"]["change"] for r in cmp["slices"]) == b_kept - a_kept
    first_rule = next(r for r in cmp["rules"] if r["step"] == "RegexFilter")
    assert first_rule["docs"]["b"] > first_rule["docs"]["a"]  # [0-9]{3} removes more than [0-9]{4}
    html = (out / "audit.html").read_text()
    assert "Compared with another run" in html and "data-chart='compare_slices'" in html
    assert main(["audit", runs["a"], "--compare", str(out / "audit.json"), "--out", str(tmp_path / "c2")]) == 0


def test_bad_folder_is_one_line(tmp_path, capsys):
    assert main(["audit", str(tmp_path / "missing")]) == 2
    assert "no such folder" in capsys.readouterr().err
