"""English text that ships inside installed packages (no downloads)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path


def _gensim_test_file(name: str) -> Path:
    try:
        from gensim.test.utils import datapath
    except ImportError as e:
        raise ImportError("this text ships with gensim: pip install gensim") from e
    return Path(datapath(name))


@lru_cache(maxsize=1)
def lee_background() -> str:
    """Lee's background corpus (Lee, Pincombe & Welsh 2005): 300 short news
    articles, one per line, about 250 KB of plain English, shipped with gensim."""
    return _gensim_test_file("lee_background.cor").read_text(encoding="utf-8")
