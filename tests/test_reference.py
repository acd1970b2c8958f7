"""The reference results shipped with deepfaq: every file loads, matches the claims
lock and today's profiles, and re-judges to its stored verdicts; the build is
deterministic and refuses a smoke run; show, list, diff and the report answer from
the reference, labelled as such."""

from __future__ import annotations

import gzip
import json
import math
from dataclasses import replace
from pathlib import Path

import pytest

from cli_helpers import deepfaq
from deepfaq import catalogue, cli, reference
from deepfaq.core import lock
from deepfaq.core.config import config_dict
from deepfaq.core.store import RunResult, Store
from deepfaq.reference import build
from deepfaq.report import answer, site

IDS = reference.ids()
REBUILD = ("rebuild the reference from a fresh run: deepfaq run {q} --profile {p} --out DIR,"
           " then python -m deepfaq.reference build --from DIR --questions {q}")


def rebuild(qid: str, profile: str = "quick") -> str:
    return REBUILD.format(q=qid, p=profile)


@pytest.fixture(scope="module")
def refs():
    return {qid: reference.load(qid) for qid in IDS}


# -- the files -----------------------------------------------------------------------------


def test_every_question_has_a_reference(registry):
    missing = sorted(set(registry.ids()) - set(IDS))
    assert not missing, f"no reference for {missing}: " + rebuild(" ".join(missing))
    assert not set(IDS) - set(registry.ids()), "a reference of a question no longer registered"


@pytest.mark.parametrize("qid", IDS)
def test_reference_file_loads_and_says_how_it_was_made(qid, refs):
    r = refs[qid]
    assert isinstance(r, RunResult) and r.question == qid
    assert r.profile != "smoke" and r.figures == []  # no images ship
    block = r.reference
    for key in ("profile", "device", "seeds", "seconds", "date", "deepfaq_version",
                "torch_version", "machine", "reductions"):
        assert block.get(key) not in (None, ""), f"{qid}: reference block lacks {key}"
    assert block["profile"] == r.profile and block["seeds"] == len(r.seeds)
    assert reference.info(qid) == block
    assert r.metrics and all(len(v) == len(r.seeds) for v in r.metrics.values())


@pytest.mark.parametrize("qid", IDS)
def test_reference_file_is_deterministic_gzip(qid):
    raw = reference.path(qid).read_bytes()
    assert raw[:2] == b"\x1f\x8b" and raw[4:8] == b"\0\0\0\0", "gzip header carries a time"
    assert not raw[3] & 0x08, "gzip header carries a file name"
    text = gzip.decompress(raw).decode()
    data = json.loads(text)
    assert text == json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


@pytest.mark.parametrize("qid", IDS)
def test_reference_carries_the_claims_of_the_lock(qid, refs):
    locked = lock.load()["questions"][qid]["claims"]
    stored = [c.id for c in refs[qid].claims]
    assert sorted(stored) == sorted(locked), (
        f"{qid}: reference claims {sorted(set(stored) ^ set(locked))} differ from"
        f" claims.lock.json; " + rebuild(qid, refs[qid].profile))


@pytest.mark.parametrize("qid", IDS)
def test_todays_claims_rejudge_the_stored_numbers_to_the_stored_verdicts(qid, refs, registry):
    r = refs[qid]
    stored = {c.id: c for c in r.claims}
    wrong = []
    for claim in registry.get(qid).claims:
        try:
            now = claim.check(r.metrics, r.series)
        except Exception as e:  # a metric the stored run lacks: the code moved on
            wrong.append(f"{claim.id}: cannot be judged ({type(e).__name__}: {e})")
            continue
        was = stored.get(claim.id)
        if was is None or now.verdict != was.verdict:
            wrong.append(f"{claim.id}: {was and was.verdict} stored, {now.verdict} today")
        elif not (math.isnan(now.estimate) and math.isnan(was.estimate)):
            assert now.estimate == pytest.approx(was.estimate, rel=1e-9, abs=1e-12), claim.id
    assert not wrong, f"{qid}: " + "; ".join(wrong) + "; " + rebuild(qid, r.profile)


@pytest.mark.parametrize("qid", IDS)
def test_reference_config_is_todays_profile(qid, refs, registry):
    """A change to a profile's budget fails here until the reference is rebuilt."""
    from deepfaq.core.runner import make_plan

    r = refs[qid]
    q = registry.get(qid)
    prof = q.profile(r.profile)
    today = config_dict(prof.config)
    keys = sorted(k for k in today.keys() | r.config.keys() if today.get(k) != r.config.get(k))
    assert not keys, (f"{qid}: the reference's config differs from today's {r.profile}"
                      f" profile in {keys}; " + rebuild(qid, r.profile))
    assert len(r.seeds) == prof.seeds, (
        f"{qid}: the reference has {len(r.seeds)} seeds, today's {r.profile} profile"
        f" {prof.seeds}; " + rebuild(qid, r.profile))
    plan = make_plan(q, r.profile)
    assert plan.config_hash == r.config_hash, (
        f"{qid}: the reference's config hash differs from today's (a changed seed batch:"
        f" the reference ran `{r.command}`, today's profile runs `{plan.command}`); "
        + rebuild(qid, r.profile))


# -- the build -----------------------------------------------------------------------------


def _store_of(ref, root: Path, **changes) -> Store:
    """A results folder whose latest run of the question is ``ref`` (as a plain run)."""
    store = Store(root)
    base = RunResult(**{f: getattr(ref, f) for f in RunResult.__dataclass_fields__})
    store.save_result(replace(base, **changes))
    return store


def test_build_round_trips_byte_for_byte(refs, registry, tmp_path):
    """A folder holding the reference's run builds the very same file."""
    qid = "bert" if "bert" in refs else IDS[0]
    ref = refs[qid]
    _store_of(ref, tmp_path / "runs")
    lines = []
    written = build.build(tmp_path / "runs", [qid], ref.reference["reductions"],
                          tmp_path / "out", registry=registry, echo=lines.append)
    assert written == [tmp_path / "out" / f"{qid}.json.gz"]
    assert written[0].read_bytes() == reference.path(qid).read_bytes()
    again = build.build(tmp_path / "runs", [qid], ref.reference["reductions"],
                        tmp_path / "again", registry=registry, echo=lines.append)
    assert again[0].read_bytes() == written[0].read_bytes()
    assert lines[0].startswith(f"{qid}: {reference.label(ref.reference)} → ")
    assert reference.load(qid, tmp_path / "out").reference == ref.reference


def test_build_writes_a_default_note(refs, registry, tmp_path):
    qid = IDS[0]
    _store_of(refs[qid], tmp_path / "runs")
    build.build(tmp_path / "runs", [qid], None, tmp_path / "out", registry=registry,
                echo=lambda _: None)
    note = reference.info(qid, tmp_path / "out")["reductions"]
    assert "not `full`" in note or "full profile" in note


def test_build_refuses_a_smoke_run_in_one_line(refs, tmp_path, capsys):
    qid = IDS[0]
    _store_of(refs[qid], tmp_path / "runs", profile="smoke")
    code = build.main(["build", "--from", str(tmp_path / "runs"), "--questions", qid,
                       "--to", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 2 and "smoke run" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_build_refuses_overrides_and_missing_runs(refs, tmp_path, capsys):
    qid = IDS[0]
    _store_of(refs[qid], tmp_path / "runs",
              command=f"deepfaq run {qid} --profile quick --set steps=3")
    assert build.main(["build", "--from", str(tmp_path / "runs"), "--questions", qid,
                       "--to", str(tmp_path / "out")]) == 2
    assert "--set" in capsys.readouterr().err
    other = IDS[1]
    assert build.main(["build", "--from", str(tmp_path / "runs"), "--questions", other,
                       "--to", str(tmp_path / "out")]) == 2
    assert f"no run of {other}" in capsys.readouterr().err


# -- show, list, diff ----------------------------------------------------------------------


def test_show_without_a_run_answers_from_the_reference(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(cli.out_console, "_width", 80)
    code, text, err = deepfaq(capsys, "show", "zero-init", "--out", tmp_path / "empty")
    assert code == 0, err
    info = reference.info("zero-init")
    flat = " ".join(text.split())
    assert f"Reference result shipped with deepfaq: {reference.label(info)}" in flat
    assert "not your run. To measure it on your machine, run:" in flat
    command = flat[flat.index("run: ") + 5:].split(" How it differs")[0]
    assert command.replace(" \\", "") == f"deepfaq run zero-init --out {tmp_path / 'empty'}"
    assert any(ln.startswith("reference · quick run") for ln in text.splitlines()[:6])
    assert "Short answer" in text and "Findings" in text and "Reproduce" in text
    assert max(map(len, text.splitlines())) <= 80
    assert not (tmp_path / "empty").exists()  # nothing written


def test_show_beside_the_reference_marks_a_changed_verdict(refs, tmp_path, capsys,
                                                         monkeypatch):
    monkeypatch.setattr(cli.out_console, "_width", 80)
    ref = refs["zero-init"]
    flipped = ref.claims[0]
    other = "refuted" if flipped.verdict != "refuted" else "supported"
    claims = [replace(flipped, verdict=other), *ref.claims[1:]]
    _store_of(ref, tmp_path / "runs", claims=claims)
    code, text, _ = deepfaq(capsys, "show", "zero-init", "--out", tmp_path / "runs")
    assert code == 0
    assert "Reference result shipped" not in text
    beside = text[text.index("Beside the reference"):]
    assert f"1 of {len(ref.claims)} verdicts differ" in " ".join(beside.split())
    assert f"{flipped.id}  ≠" in beside
    assert f"yours: {other}" in beside and f"reference: {flipped.verdict}" in beside


def test_list_marks_reference_verdicts(tmp_path, capsys):
    code, text, _ = deepfaq(capsys, "list", "--out", tmp_path / "empty")
    assert code == 0
    assert text.count("not run yet · reference · ") == len(IDS)


def test_diff_reference_against_itself(capsys):
    code, text, err = deepfaq(capsys, "diff", "zero-init", "reference", "reference")
    assert code == 0, err
    n = len(reference.load("zero-init").claims)
    assert f"0 of {n} claims differ in verdict" in text
    assert "A: reference — reference · quick run" in text and "B: reference" in text
    code, text, _ = deepfaq(capsys, "diff", "zero-init", "reference", "reference", "--json")
    obj = json.loads(text)
    assert set(obj) == {"question", "a", "b", "claims"} and obj["question"] == "zero-init"
    assert obj["a"]["profile"] == "quick" and obj["a"]["device"] == "cpu"
    for c in obj["claims"]:
        assert {"id", "a", "b", "changed"} <= set(c) and c["changed"] is False
        assert set(c["a"]) == {"verdict", "estimate", "ci"} and len(c["a"]["ci"]) == 2


def test_diff_of_a_run_against_the_reference(refs, tmp_path, capsys):
    ref = refs["zero-init"]
    claims = [replace(ref.claims[0], verdict="inconclusive"), *ref.claims[1:]]
    store = _store_of(ref, tmp_path / "runs", claims=claims)
    path = store.latest_path("zero-init")
    for spec in ("latest", "quick", f"quick/{ref.config_hash}", path):
        code, text, err = deepfaq(capsys, "diff", "zero-init", spec, "reference", "--json",
                                  "--out", tmp_path / "runs")
        assert code == 0, (spec, err)
        obj = json.loads(text)
        assert [c["changed"] for c in obj["claims"]] == [True] + [False] * (len(claims) - 1)
        assert obj["claims"][0]["a"]["verdict"] == "inconclusive"
    code, text, _ = deepfaq(capsys, "diff", "zero-init", "latest", "reference",
                            "--out", tmp_path / "runs")
    assert code == 0 and f"≠ {ref.claims[0].id}" in text and "1 of" in text


BAD_DIFFS = [
    (["diff", "nope", "reference", "reference"], "unknown question 'nope'"),
    (["diff", "zero-init", "bogus", "reference"], "unknown run 'bogus'"),
    (["diff", "zero-init", "latest", "reference"], "no stored run of zero-init"),
    (["diff", "zero-init", "full", "reference"], "no stored full run of zero-init"),
    (["diff", "zero-init", "quick/0123456789ab", "reference"], "no stored run quick/"),
    (["diff", "zero-init", "reference"], "Missing argument"),
]


@pytest.mark.parametrize("args, message", BAD_DIFFS)
def test_diff_bad_input_is_one_line(args, message, tmp_path, capsys):
    code, _, err = deepfaq(capsys, *args, "--out", tmp_path / "runs")
    assert code == 2 and message in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_diff_damaged_or_foreign_file_is_one_line(tmp_path, capsys):
    bad = tmp_path / "result.json"
    bad.write_text('{"schema": "deepfaq.result/2", "question"')
    code, _, err = deepfaq(capsys, "diff", "zero-init", bad, "reference")
    assert code == 2 and "damaged results file" in err and len(err.strip().splitlines()) == 1
    code, _, err = deepfaq(capsys, "diff", "zero-init", reference.path("bert"), "reference")
    assert code == 2 and "a run of 'bert', not 'zero-init'" in err


# -- the report ----------------------------------------------------------------------------


def test_report_pages_from_the_reference_and_beside_it(refs, registry, tmp_path,
                                                      monkeypatch):
    """bert not run: its page is the labelled reference, figures drawn from its stored
    series; zero-init run: its page has the beside-the-reference table."""
    monkeypatch.setenv("DEEPFAQ_CACHE", str(tmp_path / "cache"))
    store = _store_of(refs["zero-init"], tmp_path / "runs")
    cat = catalogue.snapshot(type(registry)([registry.get("zero-init"), registry.get("bert")]))
    index = site.build(store, cat, tmp_path / "site")
    bert = (index.parent / "bert.html").read_text(encoding="utf-8")
    assert "Reference result shipped with deepfaq" in bert
    assert reference.label(refs["bert"].reference) in bert
    assert "reference · quick run" in bert and "of the reference run" in bert
    assert 'id="beside-reference"' not in bert
    assert list((index.parent / "bert").glob("*.png")) or "run it yourself" in bert
    run_page = (index.parent / "zero-init.html").read_text(encoding="utf-8")
    assert 'id="beside-reference"' in run_page and "Reference result shipped" not in run_page
    assert 'href="#beside-reference"' in run_page
    text = (index.parent / "index.html").read_text(encoding="utf-8")
    assert "not run here" in text and "1 of them are not run here yet" in text
    from test_report import broken_links

    assert not broken_links(index.parent)


def test_profile_label_says_reference(refs):
    r = refs[IDS[0]]
    assert answer.profile_label(r).startswith("reference · ")
    base = RunResult(**{f: getattr(r, f) for f in RunResult.__dataclass_fields__})
    assert not answer.profile_label(base).startswith("reference")
