"""The report as a reader meets it: the short answer first, every section and claim
linkable, navigation, figures with their data, and — in a real headless Chromium —
no page wider than a 390-pixel phone or a 1400-pixel desktop, no console error,
every link resolving."""

from __future__ import annotations

import csv
import html
import io
import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pytest

from deepfaq import catalogue
from deepfaq.core import figures
from deepfaq.core.claims import AtLeast, Claim, Exact, Greater
from deepfaq.core.question import Anchor, Profile, Question, Registry
from deepfaq.core.runner import Runner, make_plan
from deepfaq.core.store import Store
from deepfaq.report import answer, site


@dataclass(frozen=True)
class Config:
    n: int = 50  # points per seed


def trial(cfg: Config, seed: int, ctx) -> dict:
    rng = np.random.default_rng(seed)
    a = rng.normal(0.9, 0.01, cfg.n)
    b = rng.normal(0.5, 0.01, cfg.n)
    return {
        "acc_a": float(a.mean()),
        "acc_b": float(b.mean()),
        "zero": 0.0,
        "curve_a": list(np.linspace(0.5, a.mean(), 10)),
    }


def draw(result, new_figure) -> None:
    _, axes = new_figure("accuracy", 1, 2)
    left, right = axes[0]
    means = [np.mean(result.metrics[m]) for m in ("acc_a", "acc_b")]
    right.bar(
        ["GRU", "LSTM"],
        means,
        yerr=[0.01, 0.02],
        color=[figures.color("GRU"), figures.color("LSTM")],
    )
    right.set_title("final accuracy")
    left.plot(result.series["curve_a"][0], label="GRU", color=figures.color("GRU"))
    left.set_xlabel("step")
    left.set_ylabel("accuracy")
    left.legend()


def toy(qid: str, title: str, **kw) -> Question:
    return Question(
        id=qid,
        title=title,
        asked=f"{title}?",
        config=Config,
        profiles={p: Profile(Config(), seeds=3) for p in ("smoke", "quick", "full")},
        trial=trial,
        figures=draw,
        claims=(
            Claim(
                "a-beats-b",
                "A beats B by more than 10 points.",
                Greater("acc_a", "acc_b", margin=0.1),
                "supported",
                "Toy 2024",
                kind="empirical",
                unit="points",
            ),
            Claim(
                "b-high",
                "B reaches 90%.",
                AtLeast("acc_b", 0.9),
                "supported",
                "Toy 2024",
                kind="empirical",
                unit="%",
            ),
            Claim(
                "zero",
                "Zero is zero.",
                Exact("zero", 0.0),
                "supported",
                "maths",
                kind="identity",
                unit="",
            ),
        ),
        answer="A reached {{ pct(m.acc_a) }}. {% if v['b-high'] == 'refuted' %}B fell short."
        "{% else %}B did not.{% endif %}\n\n| arm | acc |\n|---|---|\n| A |"
        " {{ pct(m.acc_a) }} |",
        anchors=(
            Anchor(
                "A's accuracy",
                "88.0",
                "Toy 2024, Table 1",
                metric="acc_a",
                key="toy-a",
                value=0.88,
                unit="%",
            ),
            Anchor(
                "B on ImageNet",
                "76.1",
                "Toy 2024, Table 2",
                key="toy-b",
                value=0.761,
                unit="%",
                note="not comparable: ImageNet, not toy data",
            ),
        ),
        references=(
            "Toy, A. (2024). A toy paper. Journal of Toys. doi:10.1234/toy.5678",
            "Cho, K. et al. (2014). On the properties of neural machine translation."
            " arXiv:1409.1259",
        ),
        **kw,
    )


@pytest.fixture(scope="module")
def site_dir(tmp_path_factory):
    """A report over three toy questions: one quick run, one smoke run, one not run."""
    root = tmp_path_factory.mktemp("report")
    store = Store(root / "runs")
    first, second = toy("toy-first", "First toy"), toy("toy-second", "Second toy")
    runner = Runner(store)
    runner.run(make_plan(first, "quick"))
    runner.run(make_plan(second, "smoke"))
    registry = Registry([first, second, toy("toy-third", "Third toy")])
    index = site.build(store, catalogue.snapshot(registry), root / "site")
    return index.parent, store


def _page(site_dir, name):
    return (site_dir[0] / name).read_text(encoding="utf-8")


def test_short_answer_comes_first(site_dir):
    """Without a one-sentence answer of its own, a page opens with the counts, then
    the key findings, each with its verdict in one word and its estimate in its unit."""
    page = _page(site_dir, "toy-first.html")
    short = page.index('id="short-answer"')
    assert short < page.index('id="answer"') < page.index('id="claims"')
    block = page[short : page.index('id="answer"')]
    assert "2 findings: 1 supported, 1 refuted; the check of the code passes." in block
    assert "<strong>supported</strong> — A beats B by more than 10 points" in block
    assert "95% interval [" in block and "points, 3 seeds" in block  # in its unit


def test_one_sentence_then_key_claims_in_order(tmp_path):
    """A question's own one-sentence answer comes first, chosen by its key claims'
    verdicts; then its key claims in the order it gives, then the counts."""
    q = toy(
        "toy-keys",
        "Keys",
        key_claims=("b-high", "a-beats-b"),
        one_line='{{ by_verdict(v["a-beats-b"], "A wins, so use A.", "B wins.", "Undecided.") }}',
    )
    r = Runner(Store(tmp_path)).run(make_plan(q, "quick"))
    text = answer.short_answer(q, r)
    assert text.startswith("A wins, so use A.")
    assert text.index("B reaches 90%") < text.index("A beats B") < text.index("2 findings")
    assert answer.one_line(q, r) == "A wins, so use A."
    index = site.build(Store(tmp_path), catalogue.snapshot(Registry([q])), tmp_path / "site")
    page = (index.parent / "toy-keys.html").read_text(encoding="utf-8")
    short = page[page.index('id="short-answer"') : page.index('id="answer"')]
    assert short.index("A wins, so use A.") < short.index("B reaches 90%")
    assert "A wins, so use A." in index.read_text(encoding="utf-8")


def test_every_claim_and_section_has_an_id_and_the_contents_link_them(site_dir):
    page = _page(site_dir, "toy-first.html")
    ids = set(re.findall(r'id="([^"]+)"', page))
    for cid in ("a-beats-b", "b-high", "zero"):
        assert f"claim-{cid}" in ids
    toc = re.search(r'<nav class="toc".*?</nav>', page, re.S).group(0)
    targets = re.findall(r'href="#([^"]+)"', toc)
    assert {"short-answer", "answer", "claims", "anchors", "figures", "references"} <= set(targets)
    assert all(t in ids for t in targets)


def test_navigation_previous_next_related_and_references(site_dir):
    first, second = _page(site_dir, "toy-first.html"), _page(site_dir, "toy-second.html")
    assert 'rel="next" href="toy-second.html"' in first and 'rel="prev"' not in first
    assert 'rel="prev" href="toy-first.html"' in second
    assert 'rel="next" href="toy-third.html"' in second
    assert 'id="related"' in first and 'href="toy-third.html"' in first
    assert '<li id="ref-1">Toy, A. (2024). A toy paper. Journal of Toys.' in first
    assert 'href="https://doi.org/10.1234/toy.5678"' in first  # a DOI in the text is a link
    assert 'href="https://arxiv.org/abs/1409.1259"' in first


def test_profile_is_labelled_and_smoke_is_warned(site_dir):
    first, second = _page(site_dir, "toy-first.html"), _page(site_dir, "toy-second.html")
    assert "quick run · 3 seeds" in first and "smoke</strong> run" not in first
    assert "smoke run · 3 seeds" in second and "they answer nothing" in second
    index = _page(site_dir, "index.html")
    assert "quick run · 3 seeds" in index and "smoke run · 3 seeds" in index


def test_the_badge_explains_itself_and_the_glossary_has_every_term(site_dir):
    """Hover (title) and tap (a link to the glossary's entry) explain the profile."""
    first = _page(site_dir, "toy-first.html")
    badge = re.search(r'<a class="badge quick" href="([^"]+)" title="([^"]+)">', first)
    assert badge and badge.group(1) == "glossary.html#profile-quick"
    assert "quick run: the default budget" in html.unescape(badge.group(2))
    glossary = _page(site_dir, "glossary.html")
    for anchor in (
        "profile-smoke",
        "profile-quick",
        "profile-full",
        "reference",
        "verdict",
        "demonstration",
        "pre-registered",
        "sequential",
    ):
        assert f'id="{anchor}"' in glossary, anchor
    index = _page(site_dir, "index.html")
    assert 'href="glossary.html#profile-smoke" title="smoke run: seconds' in index


def test_one_word_per_verdict_everywhere(site_dir):
    """ "inconclusive", never "Not decided" or "undecided", on every page."""
    for page in site_dir[0].glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "Not decided" not in text and "not decided" not in text, page.name


def test_not_run_page_keeps_the_results_folder(site_dir):
    page = _page(site_dir, "toy-third.html")
    assert "not run" in page and f"deepfaq run toy-third --out {site_dir[1].root}" in page
    assert 'id="claim-a-beats-b"' in page


def test_anchors_sit_beside_claims_in_their_unit(site_dir):
    page = _page(site_dir, "toy-first.html")
    anchors = page[page.index('id="anchors"') : page.index('id="figures"')]
    assert "88%" in anchors and "quick run · 3 seeds" in anchors
    assert "not comparable" in anchors and "ImageNet, not toy data" in anchors
    assert page.index('id="claims"') < page.index('id="anchors"') < page.index('id="figures"')


def test_index_groups_by_topic_with_one_line_answers_and_a_search_index(site_dir):
    index = _page(site_dir, "index.html")
    assert 'id="topic-other-questions"' in index
    assert index.count('<article class="question"') == 3
    assert "Supported: A beats B by more than 10 points" in index
    assert index.count('type="search"') == 1  # one search box
    data = json.loads(
        html.unescape(
            re.search(
                r'<script type="application/json" id="search-data">(.*?)</script>', index, re.S
            ).group(1)
        )
    )
    assert [d["id"] for d in data] == ["toy-first", "toy-second", "toy-third"]
    assert "B reaches 90%" in data[0]["fields"]["claims"]
    assert "A reached" in data[0]["fields"]["answer"]  # the answer's words, searchable


def test_figures_have_alt_text_tidy_csv_and_twice_the_pixels(site_dir):
    root = site_dir[0]
    page = _page(site_dir, "toy-first.html")
    img = re.search(r'<img src="toy-first/accuracy.png" alt="([^"]+)" width="(\d+)"', page)
    assert img and "Accuracy against step for GRU" in html.unescape(img.group(1))
    assert 'class="panels"' in page and "2 panels: swipe sideways" in page  # a phone layout
    from PIL import Image

    with Image.open(root / "toy-first" / "accuracy.png") as im:
        assert round(im.info["dpi"][0]) == figures.DPI
        assert int(img.group(2)) == round(im.size[0] * figures.SCREEN_DPI / figures.DPI)
    rows = list(csv.DictReader(io.StringIO((root / "toy-first" / "accuracy.csv").read_text())))
    assert tuple(rows[0]) == figures.CSV_COLUMNS
    bars = [r for r in rows if r["kind"] == "bar"]
    assert [b["x_name"] for b in bars] == ["GRU", "LSTM"]
    assert all(float(b["y_lo"]) < float(b["y"]) < float(b["y_hi"]) for b in bars)
    assert {r["series"] for r in rows if r["kind"] == "line"} == {"GRU"}
    metrics = list(csv.DictReader(io.StringIO((root / "toy-first" / "metrics.csv").read_text())))
    assert len(metrics) == 3 * 3  # 3 seeds × 3 metrics
    assert {m["metric"] for m in metrics} == {"acc_a", "acc_b", "zero"}


def test_every_local_link_resolves_and_nothing_loads_from_elsewhere(site_dir):
    problems = broken_links(site_dir[0])
    assert not problems, problems[:5]


def broken_links(root: Path) -> list[str]:
    """Every href/src of every page: an existing file, and an existing id for a
    fragment. Nothing loads from another host: only a link a reader follows (a DOI
    or arXiv reference, marked rel="external") leads out."""
    ids = {
        p.name: set(re.findall(r'id="([^"]+)"', p.read_text(encoding="utf-8")))
        for p in root.rglob("*.html")
    }
    problems = []
    for page in root.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        outside = re.sub(r'<a href="https?://[^"]+" rel="external">', "", text)
        if re.search(r'(?:src|href|action)="(?:https?:)?//|//cdn', outside):
            problems.append(f"{page.name}: loads or links another host")
        for ref in re.findall(r'(?:src|href|action)="([^"]*)"', outside):
            ref = html.unescape(ref)
            path, _, frag = ref.partition("#")
            target = path or page.name
            if not (root / target).exists():
                problems.append(f"{page.name}: {ref} does not exist")
            elif (
                frag and target.endswith(".html") and frag not in ids.get(Path(target).name, set())
            ):
                problems.append(f"{page.name}: {ref} has no such id")
    return problems


def test_own_short_answer_is_preferred(tmp_path):
    """A question with an older ``short`` template and no ``one_line``: its first
    sentence is the one-sentence answer."""
    q = toy(
        "toy-own", "Own", short="A wins by {{ num(100 * (m.acc_a - m.acc_b)) }} points. More text."
    )
    store = Store(tmp_path)
    r = Runner(store).run(make_plan(q, "quick"))
    text = answer.short_answer(q, r)
    assert text.startswith("A wins by 40") and "More text" not in text
    assert answer.one_line(q, r).startswith("A wins by 40") and "More text" not in answer.one_line(
        q, r
    )


def test_counts_sentence_counts_checks_apart():
    from deepfaq.core.claims import ClaimResult

    def c(kind, verdict):
        return ClaimResult(
            "x", "s", "r", verdict, 0.0, (0.0, 0.0), 3, "supported", "src", kind=kind
        )

    claims = [
        c("empirical", "supported"),
        c("empirical", "inconclusive"),
        c("identity", "supported"),
        c("identity", "refuted"),
    ]
    assert answer.counts_sentence(claims) == (
        "2 findings: 1 supported, 1 inconclusive; 1 of 2 checks of the code pass."
    )
    assert answer.counts_sentence(claims[:1]) == "1 finding: 1 supported."


def test_method_colours_are_fixed_and_colour_blind_safe():
    assert figures.color("GRU") == figures.color(" gru ") == figures.METHOD_COLORS["gru"]
    assert figures.color("sigmoid") != figures.color("tanh")
    assert figures.color("some new method") in figures.PALETTE[:7]  # never faint yellow
    assert figures.color("some new method") == figures.color("Some  new method")


def test_tidy_csv_reads_old_figure_data():
    """Figures drawn before the CSV existed: matplotlib's placeholder labels are
    dropped and bars keep their positions."""
    data = {
        "axes": [
            {
                "title": "t",
                "xlabel": "",
                "ylabel": "y",
                "lines": [{"label": "_child0", "x": [0, 1], "y": [1, 2]}],
                "bars": [{"label": "_nolegend_", "heights": [3.0, 4.0]}],
                "images": [[[1, 2], [3, 4]]],
            }
        ]
    }
    rows = figures.tidy_rows(data)
    assert [r["series"] for r in rows] == ["line 1"] * 2 + ["bars 1"] * 2 + ["image 1"] * 4
    assert "_child0" not in figures.describe("old", data)


# -- the catalogue -------------------------------------------------------------------------


def test_every_question_has_one_topic(registry):
    for q in registry:
        assert q.topic in catalogue.TOPIC_ORDER, f"{q.id}: topic {q.topic!r} is not in TOPIC_ORDER"


def test_catalogue_snapshot_round_trips(registry, tmp_path, monkeypatch):
    monkeypatch.setenv("DEEPFAQ_CACHE", str(tmp_path))
    snap = catalogue.snapshot(registry)
    catalogue._save(tmp_path / "catalogue-x.json", catalogue._to_json(snap, "x"))
    back = catalogue._from_json(json.loads((tmp_path / "catalogue-x.json").read_text()))
    assert list(back) == list(snap)


def test_list_and_show_read_the_catalogue_without_importing_the_experiments(tmp_path):
    """The first command builds the cache (importing the registry once); later ones
    read it: no torch, no scikit-learn, no experiment module. (A source file edited
    while a command runs changes the cache key; such a run is repeated.)"""
    env = {**os.environ, "DEEPFAQ_CACHE": str(tmp_path / "cache"), "COLUMNS": "80"}
    probe = (
        "import sys; from deepfaq import catalogue, cli; key = catalogue.source_key()"
        "\nsys.argv = ['deepfaq', *sys.argv[1:]]"
        "\ntry: cli.main()\nexcept SystemExit: pass\n"
        "heavy = [m for m in ('torch', 'sklearn', 'deepfaq.experiments', 'matplotlib')"
        " if m in sys.modules]\n"
        "print('HEAVY', heavy, key == catalogue.source_key(), file=sys.stderr)"
    )

    def heavy_modules(args):
        for _ in range(5):
            proc = subprocess.run(
                [sys.executable, "-c", probe, *args, "--out", str(tmp_path)],
                capture_output=True,
                text=True,
                env=env,
                timeout=300,
            )
            assert proc.returncode == 0, proc.stderr
            line = proc.stderr.strip().splitlines()[-1]
            if line.endswith("True"):
                return line.removesuffix(" True")
        pytest.skip("the package's source kept changing during the test")

    heavy_modules(["list"])
    for args in (["list"], ["show", "zero-init"]):
        assert heavy_modules(args) == "HEAVY []", args


# -- in a real browser ---------------------------------------------------------------------

#: Injected at the top of a copy of each page: records script errors and console
#: errors, and on load reports the page's width and any element wider than it.
PROBE = """<script>
(function () {
  var errors = [];
  window.addEventListener("error", function (e) { errors.push(String(e.message)); });
  var orig = console.error;
  console.error = function () {
    errors.push(Array.prototype.join.call(arguments, " ")); return orig.apply(console, arguments);
  };
  function scrolled(el) {  /* inside a box that scrolls sideways and itself fits */
    for (var p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      var o = getComputedStyle(p).overflowX;
      if (o === "auto" || o === "scroll") { return true; }
    }
    return false;
  }
  window.addEventListener("load", function () {
    var d = document.documentElement, w = d.clientWidth, wide = [], figs = [];
    document.querySelectorAll("body *").forEach(function (el) {
      var r = el.getBoundingClientRect();
      if (r.width && r.right > w + 1 && wide.length < 5 && !scrolled(el)) {
        wide.push(el.tagName.toLowerCase() + (el.className ? "." + el.className : "")
                  + " to " + Math.round(r.right) + " px");
      }
    });
    document.querySelectorAll("figure img").forEach(function (img) {
      var f = img.closest("figure");
      figs.push({id: f.id, alt: img.alt, shown: Math.round(img.getBoundingClientRect().width),
                 panels: f.classList.contains("panels"),
                 wanted: parseInt(getComputedStyle(f).getPropertyValue("--phone-width")) || 0});
    });
    parent.postMessage({page: location.pathname.split("/").pop(), width: w,
                        scrollWidth: d.scrollWidth, errors: errors, wide: wide, figs: figs}, "*");
  });
})();
</script>"""

#: One page holding every probed page in an iframe of each width: an iframe is as
#: wide as a phone even where Chromium's window cannot be narrower than 500 px.
HARNESS = """<!doctype html><html><head><meta charset="utf-8"></head><body><pre id="out"></pre>
<script>
var expected = {n}, got = [];
window.addEventListener("message", function (e) {{
  got.push(e.data);
  if (got.length === expected) {{
    document.getElementById("out").textContent = JSON.stringify(got);
  }}
}});
</script>
{frames}
</body></html>"""

WIDTHS = {"desktop": (1400, 900), "phone": (390, 844)}
CHROMIUM = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]


def chromium() -> str:
    """Debian's chromium; CI (CI=true) installs it, so there a missing one fails."""
    exe = shutil.which("chromium")
    if exe is None:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is missing in CI: .ci/run installs it (apt-get install chromium)")
        pytest.skip("needs Debian's chromium (apt-get install chromium)")
    return exe


def browser_check(exe: str, root: Path, profile: Path) -> list[dict]:
    pages = sorted(p for p in root.glob("*.html"))
    frames = []
    for p in pages:
        probe = root / f".probe-{p.name}"
        probe.write_text(
            p.read_text(encoding="utf-8").replace("<head>", "<head>" + PROBE, 1), encoding="utf-8"
        )
        for w, h in WIDTHS.values():
            frames.append(f'<iframe src="{probe.name}" width="{w}" height="{h}"></iframe>')
    harness = root / ".harness.html"
    harness.write_text(HARNESS.format(n=len(frames), frames="\n".join(frames)))
    try:
        proc = subprocess.run(
            [
                exe,
                *CHROMIUM,
                f"--user-data-dir={profile}",
                "--window-size=1400,900",
                "--virtual-time-budget=30000",
                "--dump-dom",
                harness.as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=600,
        )
    finally:
        for p in root.glob(".probe-*.html"):
            p.unlink()
        harness.unlink()
    found = re.search(r'<pre id="out">(.*?)</pre>', proc.stdout, re.S)
    assert found and found.group(1), f"the harness reported nothing: {proc.stderr[-2000:]}"
    reports = json.loads(html.unescape(found.group(1)))
    for r in reports:
        r["page"] = r["page"].removeprefix(".probe-")
    return reports


def screenshot(exe: str, page: Path, width: int, height: int, dest: Path, profile: Path) -> None:
    """What a screen ``width`` pixels wide shows of ``page`` above the fold."""
    target = page
    if width < 500:  # Chromium's window is at least 500 px wide: frame it, then crop
        target = page.with_name(f".frame-{page.name}")
        target.write_text(
            f'<!doctype html><body style="margin:0"><iframe src="{page.name}"'
            f' width="{width}" height="{height}" style="border:0;display:block">'
            "</iframe></body>"
        )
    subprocess.run(
        [
            exe,
            *CHROMIUM,
            f"--user-data-dir={profile}",
            f"--window-size={max(width, 500)},{height}",
            "--virtual-time-budget=5000",
            f"--screenshot={dest}",
            target.as_uri(),
        ],
        capture_output=True,
        timeout=120,
    )
    if target != page:
        target.unlink()
        from PIL import Image

        with Image.open(dest) as im:
            im.crop((0, 0, width, height)).save(dest)
    assert dest.exists(), f"no screenshot of {page.name} at {width} px"


def check_site(root: Path, tmp: Path, shots: Path | None) -> str:
    exe = chromium()
    reports = browser_check(exe, root, tmp / "chromium")
    pages = sorted(p.name for p in root.glob("*.html"))
    assert len(reports) == len(pages) * len(WIDTHS)
    wide = [
        f"{r['page']} at {r['width']} px is {r['scrollWidth']} px wide: {r['wide']}"
        for r in reports
        if r["scrollWidth"] > r["width"]
    ]
    errors = [f"{r['page']} at {r['width']} px: {r['errors']}" for r in reports if r["errors"]]
    assert not wide, wide
    assert not errors, errors
    links = broken_links(root)
    assert not links, links[:5]
    # Figures: alt text that says each thing once; on a phone, a figure of several
    # panels side by side is shown wide enough to read, scrolled sideways.
    for r in reports:
        for f in r["figs"]:
            assert f["alt"] and not doubled(f["alt"]), (r["page"], f["id"], f["alt"])
            if r["width"] < 500 and f["panels"]:
                assert f["shown"] >= f["wanted"] - 1, (r["page"], f["id"], f)
    if shots is not None:
        shots.mkdir(parents=True, exist_ok=True)
        for name in pages:
            for label, (w, h) in WIDTHS.items():
                screenshot(
                    exe,
                    root / name,
                    w,
                    h,
                    shots / f"{Path(name).stem}-{label}.png",
                    tmp / "chromium",
                )
    return (
        f"browser check: {len(pages)} pages × {len(WIDTHS)} widths (1400, 390 px):"
        " none wider than the screen, no console error, every link resolves"
    )


def doubled(alt: str) -> bool:
    """Alt text that says a phrase twice in a row ("MNIST-1D accuracy for MNIST-1D
    accuracy", "loss: loss against step")."""
    for part in re.split(r"[.;] ", alt):
        part = part.strip().rstrip(".;")
        m = re.match(r"(.+?)(?:: | for | against )(.+?)(?: against | for |$)", part)
        if m and m.group(1).strip().lower() == m.group(2).strip().lower():
            return True
        words = part.lower().split()
        for n in range(2, 6):
            for k in range(len(words) - 2 * n + 1):
                if words[k : k + n] == words[k + n : k + 2 * n]:
                    return True
    return False


def test_doubled_alt_text_is_caught():
    assert doubled("Figure 'x'. MNIST-1D accuracy for MNIST-1D accuracy.")
    assert doubled("Figure 'x'. Loss: loss against step.")
    assert not doubled("Figure 'x', 2 panels. Accuracy against step for GRU; Final accuracy.")


def test_toy_report_in_a_headless_browser(site_dir, tmp_path):
    check_site(site_dir[0], tmp_path, None)


def search(exe: str, index: Path, query: str, profile: Path) -> tuple[str, list[str]]:
    """The index's search status line and its ranked results (page names) for ``query``,
    typed into the page's one box (as ``?q=``, which the box's form submits)."""
    from urllib.parse import quote_plus

    dom = subprocess.run(
        [
            exe,
            *CHROMIUM,
            f"--user-data-dir={profile}",
            "--virtual-time-budget=3000",
            "--dump-dom",
            index.as_uri() + "?q=" + quote_plus(query),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    status = html.unescape(re.search(r'id="search-status"[^>]*>([^<]*)<', dom).group(1))
    results = re.search(r'<ol id="search-results"[^>]*>(.*?)</ol>', dom, re.S).group(1)
    return status, [h.removesuffix(".html") for h in re.findall(r'href="([^"]+)"', results)]


def test_search_box_ranks_stems_and_says_when_nothing_matches(site_dir, tmp_path):
    exe = chromium()
    index = site_dir[0] / "index.html"
    profile = tmp_path / "chromium"
    status, found = search(exe, index, "second toy", profile)
    assert found[0] == "toy-second" and status.startswith("1 of 3 questions match")
    status, found = search(exe, index, "reaching", profile)  # stemmed: "reaches" in a claim
    assert found and status.startswith("3 of 3 questions match")
    status, found = search(exe, index, "zebra", profile)
    assert not found and status.startswith("No question mentions “zebra” yet")
    status, found = search(exe, index, "second zebra", profile)
    assert found == ["toy-second"] and status.startswith("No question has every word")


@pytest.mark.slow
def test_every_page_in_a_headless_browser(smoke_results, registry, tmp_path, capsys):
    """The whole catalogue's smoke runs, reported and opened at both widths, with a
    screenshot of each page (kept in $DEEPFAQ_SCREENSHOTS when set)."""
    chromium()
    store, runs = smoke_results
    done = [runs[qid] for qid in registry.ids()]  # each smoke profile, once per session
    assert len(done) == len(registry)
    index = site.build(store, catalogue.snapshot(registry), tmp_path / "site")
    shots = Path(os.environ.get("DEEPFAQ_SCREENSHOTS") or tmp_path / "screenshots")
    line = check_site(index.parent, tmp_path, shots)
    assert len(list(shots.glob("*.png"))) >= 2 * (len(registry) + 1)
    # The searches a student tries: each finds something, or says so helpfully.
    exe, profile = chromium(), tmp_path / "chromium"
    status, found = search(exe, index, "dying ReLU", profile)
    assert found[0] == "activations", (status, found)
    for query in ("dropout", "overfitting", "attention", "normalisation"):
        status, found = search(exe, index, query, profile)
        assert found or status.startswith(f"No question mentions “{query}” yet"), query
        assert "No question has every word" not in status, (query, status)
    status, found = search(exe, index, "batch normalization", profile)  # US spelling
    assert found[0] == "batch-norm", (status, found)
    with capsys.disabled():
        print(f"\n{line}; screenshots in {shots}")


def test_smoke_result_labels_survive_a_replaced_profile(site_dir):
    """A result relabelled as full (as the scale-out runs will be) drops the warning."""
    store = site_dir[1]
    r = store.load_latest("toy-second")
    assert answer.profile_label(replace(r, profile="full")) == "full run · 3 seeds"
    assert "answer nothing" not in answer.short_answer(
        toy("toy-second", "Second toy"), replace(r, profile="full")
    )


def test_code_sections_pair_each_explanation_with_its_first_lines():
    lines = [
        "import torch",
        "# %% 1. The network",
        "# One hidden layer,",
        "# then a softmax.",
        "",
        "def net():",
        "    return 1",
        "",
        "# %% Figures",
        "def draw(): ...",
        "# %% 2. Training",
        "x = 1",
    ]
    one, two = site.code_sections(lines)
    assert (one["number"], one["title"], one["line"]) == (1, "The network", 2)
    assert one["explanation"] == "One hidden layer, then a softmax."
    assert one["code"] == "def net():\n    return 1" and one["more"] == 0
    assert (two["number"], two["explanation"], two["code"], two["line"]) == (2, "", "x = 1", 11)


def test_every_experiment_reads_as_numbered_sections_linked_to_their_lines():
    """Each question's page shows its module's sections beside their code; the links
    point at the section's own first line on the code page."""
    from deepfaq.experiments import REGISTRY

    for q in REGISTRY:
        files = site._source_files(q)
        for f in files:
            lines = f.read_text(encoding="utf-8").splitlines()
            sections = site.code_sections(lines)
            if len(files) > 1 and not sections:
                # a package: each file is one section, its docstring the explanation
                (s,) = site.file_section(lines)
                assert s["title"] and s["code"].strip(), (q.id, f.name)
                continue
            assert sections, f"{q.id}: {f.name} has no '# %% 1. …' sections"
            for s in sections:
                assert lines[s["line"] - 1].startswith(f"# %% {s['number']}. "), (q.id, s)
                assert s["code"].strip(), (q.id, s["title"])
