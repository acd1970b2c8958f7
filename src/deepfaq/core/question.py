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
    """A budget: the config to run and how many seeds."""

    config: Any
    seeds: int


@dataclass(frozen=True)
class Anchor:
    """A published result set beside ours.

    ``published`` is quoted from the source; ``metric`` (optional) names our
    measured counterpart, shown as mean and interval next to it.
    """

    quantity: str
    published: str
    source: str
    metric: str | None = None
    note: str = ""


@dataclass(frozen=True)
class Question:
    """Everything deepfaq knows about one question; built at the bottom of its
    experiment file."""

    id: str
    title: str
    asked: str
    config: type
    profiles: Mapping[str, Profile]
    trial: Callable[..., dict]
    claims: tuple[Claim, ...]
    figures: Callable[..., None]
    answer: str
    anchors: tuple[Anchor, ...] = ()
    references: tuple[str, ...] = field(default=())
    #: Metrics measured with a clock. They vary from run to run, so they are
    #: exempt from the same-seed-same-numbers contract, and pages flag them.
    timings: tuple[str, ...] = ()

    def __post_init__(self):
        missing = [p for p in PROFILE_NAMES if p not in self.profiles]
        if missing:
            raise ValueError(f"question {self.id!r} lacks profiles {missing}")
        ids = [c.id for c in self.claims]
        if len(set(ids)) != len(ids):
            raise ValueError(f"question {self.id!r} has duplicate claim ids")

    def profile(self, name: str) -> Profile:
        try:
            return self.profiles[name]
        except KeyError:
            raise BadConfig(
                f"unknown profile {name!r}; choose one of {', '.join(self.profiles)}"
            ) from None


class Registry:
    """An explicit, ordered mapping from question id to :class:`Question`."""

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
