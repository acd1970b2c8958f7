"""Question metadata and the explicit registry."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from deepfaq.core.claims import Claim
from deepfaq.core.errors import BadConfig, UnknownQuestion

PROFILE_NAMES = ("smoke", "quick", "full")


@dataclass(frozen=True)
class Profile:
    """A budget: the config to run, how many seeds, and — for a question with a
    batched trial — how many seeds train side by side as one ensemble."""

    config: Any
    seeds: int
    seed_batch: int = 1


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

    def __post_init__(self):
        if self.trial is None and self.batched_trial is None:
            raise ValueError(f"question {self.id!r} needs a trial or a batched_trial")
        missing = [p for p in PROFILE_NAMES if p not in self.profiles]
        if missing:
            raise ValueError(f"question {self.id!r} lacks profiles {missing}")
        ids = [c.id for c in self.claims]
        if len(set(ids)) != len(ids):
            raise ValueError(f"question {self.id!r} has duplicate claim ids")
        keys = [a.key for a in self.anchors if a.key]
        if len(set(keys)) != len(keys):
            raise ValueError(f"question {self.id!r} has duplicate anchor keys")

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
