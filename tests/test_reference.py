"""The reference results shipped with deepfaq (a ``full`` one, the shipped answer, and a
``quick`` one per question): every file loads, is a plain run of today's profile from a
clean commit, carries the claims of the lock and re-judges to its stored verdicts; the
build is deterministic and refuses overrides, tuning seeds, a dirty tree and a smoke
run; show, list, diff and the report answer from the reference, labelled as such."""

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

IDS = reference.ids(kind="quick")
FILES = [(kind, qid) for kind in reference.KINDS for qid in reference.ids(kind=kind)]
REBUILD = (
    "rebuild the reference from a fresh run of a clean commit: deepfaq run {q} --profile {p}"
    " --out DIR, then python -m deepfaq.reference build --from DIR --questions {q}"
)


def rebuild(qid: str, profile: str = "quick") -> str:
    return REBUILD.format(q=qid, p=profile)


@pytest.fixture(scope="module")
def refs():
    """The quick reference of each question (what README's main job reproduces)."""
    return {qid: reference.load(qid, kind="quick") for qid in IDS}


@pytest.fixture(scope="module")
def all_refs():
    return {(kind, qid): reference.load(qid, kind=kind) for kind, qid in FILES}


# -- the files -----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", reference.REQUIRED)
def test_every_question_has_a_reference_of_each_kind(kind, registry):
    have = reference.ids(kind=kind)
    pending = {q.id for q in registry if kind in q.pending_references}
    missing = sorted(set(registry.ids()) - set(have) - pending)
    assert not missing, f"no {kind} reference for {missing}: " + rebuild(" ".join(missing), kind)
    assert not set(have) - set(registry.ids()), "a reference of a question no longer registered"


def test_the_full_reference_is_preferred(registry):
    for qid in [q.id for q in registry if not q.pending_references]:
        assert reference.kinds(qid)[:2] == ["full", "quick"]
        assert reference.load(qid).profile == "full"
        assert [r.profile for r in reference.load_all(qid)][:2] == ["full", "quick"]


@pytest.mark.parametrize("kind, qid", FILES)
def test_reference_file_loads_and_says_how_it_was_made(kind, qid, all_refs):
    r = all_refs[kind, qid]
    assert isinstance(r, RunResult) and r.question == qid and r.profile == kind
    assert r.figures == []  # no images ship
    block = r.reference
    for key in (
        "profile",
        "device",
        "seeds",
        "seconds",
        "date",
        "deepfaq_version",
        "torch_version",
        "machine",
        "made",
    ):
        assert block.get(key) not in (None, ""), f"{qid}: reference block lacks {key}"
    assert block["profile"] == r.profile and block["seeds"] == len(r.seeds)
    assert reference.info(qid, kind=kind) == block
    assert reference.file_of(r) == reference.path(qid, kind=kind)
    assert r.metrics and all(len(v) == len(r.seeds) for v in r.metrics.values())


@pytest.mark.parametrize("kind, qid", FILES)
def test_reference_is_an_uncut_run_of_a_clean_commit(kind, qid, all_refs, registry):
    """A shipped answer is a plain run of its profile that anyone can repeat: no --set,
    no tuning seeds, the profile's seeds (a full one: at least 10), from a commit with no
    uncommitted changes."""
    r = all_refs[kind, qid]
    assert not reference.plan_args(r.command)["overrides"], f"{qid}: --set in {r.command}"
    assert "--seed-offset" not in r.command
    assert not build.cuts(r, registry)
    prof = registry.get(qid).profile(kind)
    assert len(r.seeds) in (set(prof.looks) or {prof.seeds})
    if kind == "full":
        assert len(r.seeds) >= 10
    commit = r.reference.get("git_commit") or ""
    assert commit and not commit.endswith("-dirty"), f"{qid}: built from {commit or 'no commit'}"


@pytest.mark.parametrize("kind, qid", FILES)
def test_reference_file_is_deterministic_gzip(kind, qid):
    raw = reference.path(qid, kind=kind).read_bytes()
    assert raw[:2] == b"\x1f\x8b" and raw[4:8] == b"\0\0\0\0", "gzip header carries a time"
    assert not raw[3] & 0x08, "gzip header carries a file name"
    text = gzip.decompress(raw).decode()
    data = json.loads(text)
    assert text == json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


@pytest.mark.parametrize("kind, qid", FILES)
def test_reference_carries_the_claims_of_the_lock(kind, qid, all_refs):
    locked = lock.load()["questions"][qid]["claims"]
    stored = [c.id for c in all_refs[kind, qid].claims]
    assert sorted(stored) == sorted(locked), (
        f"{qid}: {kind} reference claims {sorted(set(stored) ^ set(locked))} differ from"
        f" claims.lock.json; " + rebuild(qid, kind)
    )


@pytest.mark.parametrize("kind, qid", FILES)
def test_todays_claims_rejudge_the_stored_numbers_to_the_stored_verdicts(
    kind, qid, all_refs, registry
):
    r = all_refs[kind, qid]
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


@pytest.mark.parametrize("kind, qid", FILES)
def test_figures_redraw_from_the_reference(kind, qid, all_refs, registry, tmp_path):
    """Every figure of every question, drawn from the shipped reference's stored
    numbers by today's figure code and saved: what the main job draws, at a few
    seconds per question (the main job once crashed on a figure, after 35 minutes)."""
    from deepfaq.core import figures

    r = all_refs[kind, qid]
    paths = figures.render(registry.get(qid).figures, r, tmp_path)
    assert paths, f"{qid}: no figure drawn"
    for p in paths:
        assert p.stat().st_size > 0 and p.with_suffix(".csv").exists()


@pytest.mark.parametrize("kind, qid", FILES)
def test_reference_config_is_todays_profile(kind, qid, all_refs, registry):
    """A change to a profile's budget fails here until the reference is rebuilt."""
    from deepfaq.core.runner import make_plan

    r = all_refs[kind, qid]
    q = registry.get(qid)
    prof = q.profile(r.profile)
    today = config_dict(prof.config)
    keys = sorted(k for k in today.keys() | r.config.keys() if today.get(k) != r.config.get(k))
    assert not keys, (
        f"{qid}: the {kind} reference's config differs from today's"
        f" {r.profile} profile in {keys}; " + rebuild(qid, r.profile)
    )
    plan = make_plan(q, r.profile)
    assert plan.config_hash == r.config_hash, (
        f"{qid}: the reference's config hash differs from today's (a changed seed batch:"
        f" the reference ran `{r.command}`, today's profile runs `{plan.command}`); "
        + rebuild(qid, r.profile)
    )


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
    note, wall = ref.reference.get("note") or None, ref.reference.get("wall_seconds")
    written = build.build(
        tmp_path / "runs",
        [qid],
        note,
        tmp_path / "out",
        registry=registry,
        echo=lines.append,
        wall=wall,
    )
    assert written == [tmp_path / "out" / "quick" / f"{qid}.json.gz"]
    assert written[0].read_bytes() == reference.path(qid, kind="quick").read_bytes()
    again = build.build(
        tmp_path / "runs",
        [qid],
        note,
        tmp_path / "again",
        registry=registry,
        echo=lines.append,
        wall=wall,
    )
    assert again[0].read_bytes() == written[0].read_bytes()
    assert lines[0].startswith(f"{qid}: {reference.label(ref.reference)} → ")
    assert reference.load(qid, tmp_path / "out").reference == ref.reference


def test_build_writes_a_default_note(refs, registry, tmp_path):
    qid = IDS[0]
    env = {**refs[qid].environment, "git_commit": "0123456789abcdef"}
    _store_of(refs[qid], tmp_path / "runs", environment=env)
    build.build(
        tmp_path / "runs",
        [qid],
        None,
        tmp_path / "out",
        registry=registry,
        echo=lambda _: None,
        wall=123.4,
    )
    block = reference.info(qid, tmp_path / "out")
    assert block["made"].startswith("quick profile (the main job), ")
    assert block["made"].endswith(", uncut") and block["wall_seconds"] == 123.4
    assert f"commit {block['git_commit'][:10]}" in reference.label(block)


@pytest.mark.parametrize(
    "change, message",
    [
        ({"command_extra": " --set steps=500"}, "plain run of its profile"),
        ({"command_extra": " --seed-offset 100"}, "tuning seeds are not answers"),
        ({"seeds": 2}, "seeds; the full profile runs"),
        ({"commit": "abc123-dirty"}, "uncommitted changes"),
        ({"commit": None}, "outside a git checkout"),
        ({"config": {"steps": 500}}, "differs from today's full profile"),
    ],
)
def test_build_refuses_anything_but_a_plain_run_of_a_clean_commit(
    change, message, refs, registry, tmp_path, capsys
):
    from deepfaq.core.runner import make_plan

    qid = "zero-init"
    plan = make_plan(registry.get(qid), "full")
    ref = refs[qid]
    n = change.get("seeds", plan.n_seeds)
    seeds = plan.seeds[:n] if n <= plan.n_seeds else plan.seeds
    metrics = {k: (v * 4)[:n] for k, v in ref.metrics.items()}
    series = {k: (v * 4)[:n] for k, v in ref.series.items()}
    env = {**ref.environment, "git_commit": change.get("commit", "0123456789abcdef")}
    _store_of(
        ref,
        tmp_path / "runs",
        profile="full",
        command=plan.command + change.get("command_extra", ""),
        config={**config_dict(plan.config), **change.get("config", {})},
        config_hash=plan.config_hash,
        seeds=seeds,
        metrics=metrics,
        series=series,
        environment=env,
    )
    args = [
        "build",
        "--from",
        str(tmp_path / "runs"),
        "--questions",
        qid,
        "--to",
        str(tmp_path / "out"),
    ]
    assert build.main(args) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert not (tmp_path / "out").exists()


def test_build_refuses_a_smoke_run_in_one_line(refs, tmp_path, capsys):
    qid = IDS[0]
    _store_of(refs[qid], tmp_path / "runs", profile="smoke")
    code = build.main(
        [
            "build",
            "--from",
            str(tmp_path / "runs"),
            "--questions",
            qid,
            "--to",
            str(tmp_path / "out"),
        ]
    )
    err = capsys.readouterr().err
    assert code == 2 and "smoke run" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_build_refuses_overrides_and_missing_runs(refs, tmp_path, capsys):
    qid = IDS[0]
    _store_of(
        refs[qid], tmp_path / "runs", command=f"deepfaq run {qid} --profile quick --set steps=3"
    )
    assert (
        build.main(
            [
                "build",
                "--from",
                str(tmp_path / "runs"),
                "--questions",
                qid,
                "--to",
                str(tmp_path / "out"),
            ]
        )
        == 2
    )
    assert "--set" in capsys.readouterr().err
    other = IDS[1]
    assert (
        build.main(
            [
                "build",
                "--from",
                str(tmp_path / "runs"),
                "--questions",
                other,
                "--to",
                str(tmp_path / "out"),
            ]
        )
        == 2
    )
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
    command = flat[flat.index("run: ") + 5 :].split(" The reference itself ran")[0]
    assert command.replace(" \\", "") == f"deepfaq run zero-init --out {tmp_path / 'empty'}"
    ran = flat.split("The reference itself ran (minutes to hours): ", 1)[1]
    assert ran.replace(" \\", "").startswith(reference.load("zero-init").command)
    assert any(ln.startswith("reference · full run") for ln in text.splitlines()[:6])
    assert "Beside the quick reference" in text  # what the user's own run would give
    assert "Short answer" in text and "Findings" in text and "Reproduce" in text
    assert max(map(len, text.splitlines())) <= 80
    assert not (tmp_path / "empty").exists()  # nothing written


def test_show_beside_the_reference_marks_a_changed_verdict(refs, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(cli.out_console, "_width", 80)
    ref = refs["zero-init"]
    flipped = ref.claims[0]
    other = "refuted" if flipped.verdict != "refuted" else "supported"
    claims = [replace(flipped, verdict=other), *ref.claims[1:]]
    _store_of(ref, tmp_path / "runs", claims=claims)
    code, text, _ = deepfaq(capsys, "show", "zero-init", "--out", tmp_path / "runs")
    assert code == 0
    assert "Reference result shipped" not in text
    assert text.index("Beside the full reference") < text.index("Beside the quick reference")
    beside = text[text.index("Beside the quick reference") :]
    assert f"1 of {len(ref.claims)} verdicts differ" in " ".join(beside.split())
    assert f"{flipped.id}  ≠" in beside
    assert f"yours: {other}" in beside and f"quick reference: {flipped.verdict}" in beside


def test_list_marks_reference_verdicts(tmp_path, capsys):
    code, text, _ = deepfaq(capsys, "list", "--out", tmp_path / "empty")
    assert code == 0
    assert text.count("not run yet · reference · ") == len(IDS)


def test_diff_reference_against_itself(capsys):
    code, text, err = deepfaq(capsys, "diff", "zero-init", "reference:quick", "reference:quick")
    assert code == 0, err
    n = len(reference.load("zero-init").claims)
    assert f"0 of {n} claims differ in verdict" in text
    assert "A: reference:quick — reference · quick run" in text and "B: reference" in text
    code, text, _ = deepfaq(
        capsys, "diff", "zero-init", "reference:quick", "reference:quick", "--json"
    )
    obj = json.loads(text)
    assert set(obj) == {"question", "a", "b", "claims"} and obj["question"] == "zero-init"
    assert obj["a"]["profile"] == "quick" and obj["a"]["device"] == "cpu"
    code, text, _ = deepfaq(capsys, "diff", "zero-init", "reference", "reference:full", "--json")
    obj = json.loads(text)
    assert code == 0 and obj["a"]["profile"] == obj["b"]["profile"] == "full"
    for c in obj["claims"]:
        assert {"id", "a", "b", "changed"} <= set(c) and c["changed"] is False
        assert set(c["a"]) == {"verdict", "estimate", "ci"} and len(c["a"]["ci"]) == 2


def test_diff_of_a_run_against_the_reference(refs, tmp_path, capsys):
    ref = refs["zero-init"]
    claims = [replace(ref.claims[0], verdict="inconclusive"), *ref.claims[1:]]
    store = _store_of(ref, tmp_path / "runs", claims=claims)
    path = store.latest_path("zero-init")
    for spec in ("latest", "quick", f"quick/{ref.config_hash}", path):
        code, text, err = deepfaq(
            capsys,
            "diff",
            "zero-init",
            spec,
            "reference:quick",
            "--json",
            "--out",
            tmp_path / "runs",
        )
        assert code == 0, (spec, err)
        obj = json.loads(text)
        assert [c["changed"] for c in obj["claims"]] == [True] + [False] * (len(claims) - 1)
        assert obj["claims"][0]["a"]["verdict"] == "inconclusive"
    code, text, _ = deepfaq(
        capsys, "diff", "zero-init", "latest", "reference:quick", "--out", tmp_path / "runs"
    )
    assert code == 0 and f"≠ {ref.claims[0].id}" in text and "1 of" in text


BAD_DIFFS = [
    (["diff", "nope", "reference", "reference"], "unknown question 'nope'"),
    (["diff", "zero-init", "bogus", "reference"], "unknown run 'bogus'"),
    (["diff", "zero-init", "latest", "reference"], "no stored run of zero-init"),
    (["diff", "zero-init", "full", "reference"], "no stored full run of zero-init"),
    (["diff", "zero-init", "quick/0123456789ab", "reference"], "no stored run quick/"),
    (["diff", "zero-init", "reference"], "Missing argument"),
    (["diff", "zero-init", "reference:medium", "reference"], "unknown reference"),
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
    code, _, err = deepfaq(
        capsys, "diff", "zero-init", reference.path("bert", kind="quick"), "reference"
    )
    assert code == 2 and "a run of 'bert', not 'zero-init'" in err


# -- the report ----------------------------------------------------------------------------


def test_report_pages_from_the_reference_and_beside_it(refs, registry, tmp_path, monkeypatch):
    """bert not run: its page is the labelled reference, figures drawn from its stored
    series; zero-init run: its page has the beside-the-reference table."""
    monkeypatch.setenv("DEEPFAQ_CACHE", str(tmp_path / "cache"))
    store = _store_of(refs["zero-init"], tmp_path / "runs")
    cat = catalogue.snapshot(type(registry)([registry.get("zero-init"), registry.get("bert")]))
    index = site.build(store, cat, tmp_path / "site")
    bert = (index.parent / "bert.html").read_text(encoding="utf-8")
    assert "Reference result shipped with deepfaq" in bert
    assert reference.label(reference.info("bert")) in bert
    assert "reference · full run" in bert and "of the reference run" in bert
    assert "the reference itself ran" in bert
    assert 'id="beside-quick"' in bert and 'id="beside-full"' not in bert
    assert list((index.parent / "bert").glob("*.png")) or "run it yourself" in bert
    run_page = (index.parent / "zero-init.html").read_text(encoding="utf-8")
    assert 'id="beside-reference"' in run_page and "Reference result shipped" not in run_page
    assert 'href="#beside-reference"' in run_page
    assert 'id="beside-full"' in run_page and 'id="beside-quick"' in run_page
    text = (index.parent / "index.html").read_text(encoding="utf-8")
    assert "not run here" in text and "1 of them are not run here yet" in text
    from test_report import broken_links

    assert not broken_links(index.parent)


def test_profile_label_says_reference(refs):
    r = refs[IDS[0]]
    assert answer.profile_label(r).startswith("reference · ")
    base = RunResult(**{f: getattr(r, f) for f in RunResult.__dataclass_fields__})
    assert not answer.profile_label(base).startswith("reference")


def test_drift_accepts_a_run_that_stopped_at_a_look(all_refs, registry):
    """A sequential design's run has as many seeds as one of its looks: not drift; a seed
    count that no look has is."""
    from dataclasses import replace

    r = all_refs["quick", "dropout"]
    looks = registry.get("dropout").profile("quick").looks
    assert looks and len(r.seeds) in looks
    assert not build.drift(registry, r)
    odd = replace(r, seeds=r.seeds[:-1])
    assert any("seeds, today's quick profile has" in d for d in build.drift(registry, odd))
