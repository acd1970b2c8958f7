"""Question metadata and the explicit registry."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from deepfaq.core.claims import Claim
from deepfaq.core.errors import BadConfig, UnknownQuestion
from deepfaq.core.outputs import Output, Outputs

#: ``smoke``: seconds, for the tests; ``quick``: the main job, minutes on two CPU cores;
#: ``full``: the shipped answer, 10 seeds, the catalogue in about two hours on two CPU
#: cores; ``paper``: the published scale, for a GPU or a Ray cluster.
PROFILE_NAMES = ("smoke", "quick", "full", "paper")
#: Profiles every question must define (``paper`` falls back to ``full`` until given).
REQUIRED_PROFILES = ("smoke", "quick", "full")


@dataclass(frozen=True)
class Profile:
    """A budget: the config to run, how many seeds, and — for a question with a
    batched trial — how many seeds train side by side as one ensemble."""

    config: Any
    seeds: int
    seed_batch: int = 1
    #: A pre-registered sequential design: the seed counts at which the claims are
    #: looked at, starting with ``seeds``, e.g. ``(5, 10)``. After each look the run
    #: adds seeds only while a claim's interval straddles its boundary, and every
    #: interval is widened for the number of looks (Pocock 1977), so the error rate
    #: stays at 5% however early it stops. Empty: one look at ``seeds``.
    looks: tuple[int, ...] = ()

    def __post_init__(self):
        if self.looks and (
            self.looks[0] != self.seeds or list(self.looks) != sorted(set(self.looks))
        ):
            raise ValueError(f"looks {self.looks} must start at seeds={self.seeds} and grow")

    @property
    def max_seeds(self) -> int:
        return self.looks[-1] if self.looks else self.seeds


@dataclass(frozen=True)
class Anchor:
    """A published result beside ours, defined once per question as data.

    ``published`` is the result as the source states it; ``value`` the number
    itself in ``unit`` (None for an ordering or a qualitative finding);
    ``metric`` names our comparable measurement in the same unit, or is None
    when none of ours is comparable, and then ``note`` says why. ``key`` is the
    name by which the answer text (``a["key"].value``) and figures quote it.
    """

    quantity: str
    published: str
    source: str
    metric: str | None = None
    note: str = ""
    key: str = ""
    value: float | None = None
    unit: str = ""

    @property
    def comparable(self) -> bool:
        return self.metric is not None


@dataclass(frozen=True)
class Question:
    """Everything deepfaq knows about one question; built at the bottom of its
    experiment file."""

    id: str
    title: str
    asked: str
    config: type
    profiles: Mapping[str, Profile]
    trial: Callable[..., dict] | None
    claims: tuple[Claim, ...]
    figures: Callable[..., None]
    answer: str
    anchors: tuple[Anchor, ...] = ()
    references: tuple[str, ...] = field(default=())
    #: Metrics measured with a clock. They vary from run to run, so they are
    #: exempt from the same-seed-same-numbers contract, and pages flag them.
    timings: tuple[str, ...] = ()
    #: ``batched_trial(cfg, seeds, ctx) -> list[dict]``: trains every seed of a batch
    #: as one ensemble (each seed still its own model, initialisation and data
    #: order) and returns one trial output per seed. Used instead of ``trial``.
    batched_trial: Callable[..., list[dict]] | None = None
    #: The default grid of ``deepfaq sweep ID`` (a :class:`deepfaq.core.sweep.Sweep`).
    sweep: Any = None
    #: Optional short answer, two or three sentences, a template rendered like
    #: ``answer``; without it the page and card build one from the verdicts.
    short: str = ""
    #: Every metric and series the trial returns, declared (see
    #: :mod:`deepfaq.core.outputs`): checked when a trial returns and, here, against
    #: everything that reads them.
    outputs: tuple[Output, ...] = ()
    #: The report's section this question belongs to (its topic navigation).
    topic: str = "Other questions"
    #: Ways a person might ask it, canonical wording first: ``deepfaq ask`` matches them.
    paraphrases: tuple[str, ...] = ()
    #: The report-wide colour of each method the figures draw (label → colour from
    #: :data:`deepfaq.core.figures.PALETTE`); one label keeps one colour everywhere.
    colors: Mapping[str, str] = field(default_factory=dict)
    #: The claims the answer rests on, in the order a reader needs them: the short
    #: answer's evidence bullets.
    key_claims: tuple[str, ...] = ()
    #: One sentence answering the question as asked, a template rendered like the
    #: answer, so that its wording is chosen by the key claims' verdicts.
    one_line: str = ""
    #: Reference kinds not built yet (a new question lands before its overnight run):
    #: shown as pending wherever its reference would be.
    pending_references: tuple[str, ...] = ()

    def __post_init__(self):
        if self.trial is None and self.batched_trial is None:
            raise ValueError(f"question {self.id!r} needs a trial or a batched_trial")
        missing = [p for p in REQUIRED_PROFILES if p not in self.profiles]
        if missing:
            raise ValueError(f"question {self.id!r} lacks profiles {missing}")
        if "paper" not in self.profiles:  # the published scale defaults to full's
            object.__setattr__(self, "profiles", {**self.profiles, "paper": self.profiles["full"]})
        unknown = [k for k in self.key_claims if k not in {c.id for c in self.claims}]
        if unknown:
            raise ValueError(f"question {self.id!r}: key claims {unknown} are not its claims")
        ids = [c.id for c in self.claims]
        if len(set(ids)) != len(ids):
            raise ValueError(f"question {self.id!r} has duplicate claim ids")
        keys = [a.key for a in self.anchors if a.key]
        if len(set(keys)) != len(keys):
            raise ValueError(f"question {self.id!r} has duplicate anchor keys")
        if self.outputs:
            problems = undeclared_reads(self)
            if problems:
                raise ValueError(
                    f"question {self.id!r} reads undeclared outputs: " + "; ".join(problems)
                )

    @property
    def declared(self) -> Outputs:
        """The declared outputs by name."""
        return Outputs(self.outputs)

    def words(self, name: str) -> str:
        """An output in plain words (its declared description), for reasons and alt text."""
        return self.declared.describe(name)

    def anchor(self, key: str) -> Anchor:
        for a in self.anchors:
            if a.key == key:
                return a
        raise KeyError(f"question {self.id!r} has no anchor {key!r}")

    def profile(self, name: str) -> Profile:
        try:
            return self.profiles[name]
        except KeyError:
            raise BadConfig(
                f"unknown profile {name!r}; choose one of {', '.join(self.profiles)}"
            ) from None


class Registry:
    """An explicit, ordered mapping from question id to :class:`Question` (or to
    any record with an ``id``, such as the catalogue's light entries)."""

    def __init__(self, questions: Iterable[Question]):
        self._by_id: dict[str, Question] = {}
        for q in questions:
            if q.id in self._by_id:
                raise ValueError(f"question id {q.id!r} registered twice")
            self._by_id[q.id] = q

    def get(self, question_id: str) -> Question:
        try:
            return self._by_id[question_id]
        except KeyError:
            raise UnknownQuestion(
                f"unknown question {question_id!r}; valid ids: {', '.join(self._by_id)}"
            ) from None

    def ids(self) -> list[str]:
        return list(self._by_id)

    def __iter__(self) -> Iterator[Question]:
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)


def _answer_names(template: str) -> tuple[set[str], set[str]]:
    """The metric names (``m.name``) and claim ids (``c["id"]``, ``v["id"]``) an
    answer template reads, found in its parsed syntax tree."""
    from jinja2 import Environment, nodes

    tree = Environment().parse(template)
    metrics = {
        n.attr
        for n in tree.find_all(nodes.Getattr)
        if isinstance(n.node, nodes.Name) and n.node.name == "m"
    }
    metrics |= {
        n.arg.value
        for n in tree.find_all(nodes.Getitem)
        if isinstance(n.node, nodes.Name) and n.node.name == "m" and isinstance(n.arg, nodes.Const)
    }
    claims = {
        n.arg.value
        for n in tree.find_all(nodes.Getitem)
        if isinstance(n.node, nodes.Name)
        and n.node.name in ("c", "v")
        and isinstance(n.arg, nodes.Const)
        and isinstance(n.arg.value, str)
    }
    return metrics, claims


def undeclared_reads(q: Question) -> list[str]:
    """What the claims, preconditions, anchors and answer of ``q`` read that its
    declared outputs do not provide (or provide as the wrong kind)."""
    from deepfaq.core.claims import Beats, Converged, EnoughItems

    out = Outputs(q.outputs)
    metrics = out.of_kind("metric")
    problems = []

    for c in q.claims:
        rule_kinds = metrics if c.replication == "seeds" else out.of_kind("items")
        for m in c.rule.metrics:
            if m not in out:
                problems.append(f"claim {c.id} reads {m!r}, which is not declared")
            elif m not in rule_kinds:
                problems.append(
                    f"claim {c.id} reads {m!r} over {c.replication} but it is"
                    f" declared a {out[m].kind}"
                )
        for p in c.preconditions:
            if isinstance(p, Converged):
                if p.series not in out:
                    problems.append(
                        f"claim {c.id}: a convergence check reads {p.series!r},"
                        " which is not declared"
                    )
                elif out[p.series].kind != "curve":
                    problems.append(
                        f"claim {c.id}: {p.series!r} is judged for convergence"
                        f" but declared a {out[p.series].kind}, not a curve"
                    )
            elif isinstance(p, Beats):
                for n in p.names:
                    if n not in metrics:
                        problems.append(
                            f"claim {c.id}: a baseline check reads {n!r}, which is"
                            " not a declared metric"
                        )
            elif isinstance(p, EnoughItems) and p.name not in out:
                problems.append(
                    f"claim {c.id}: an item guard reads {p.name!r}, which is not declared"
                )
    for a in q.anchors:
        if a.metric is not None and a.metric not in out:
            problems.append(
                f"anchor {a.key or a.quantity!r} compares with {a.metric!r}, which is not declared"
            )
    ids = {c.id for c in q.claims}
    for template, where in (
        (q.answer, "the answer"),
        (q.short, "the short answer"),
        (q.one_line, "the one-line answer"),
    ):
        if not template:
            continue
        m_names, c_ids = _answer_names(template)
        problems += [
            f"{where} quotes m.{n}, which is not a declared metric"
            for n in sorted(m_names - metrics)
        ]
        problems += [
            f"{where} reads claim {i!r}, which does not exist" for i in sorted(c_ids - ids)
        ]
    return problems
