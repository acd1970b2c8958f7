"""English text and word benchmarks that ship inside installed packages (no downloads).

Every source here comes with gensim's test data:

* :func:`wiki_articles` — a shortened dump of English Wikipedia, the first 106 articles
  of ``enwiki-latest-pages-articles1`` (Anarchism, Autism, …): about 453,000 lowercase,
  unstemmed tokens once markup is stripped. (Its sibling ``head500.noblanks.cor`` is
  stemmed — "anarch", "societi" — and useless for word similarity.)
* :func:`lee_background` — Lee, Pincombe & Welsh's 300 short news articles (2005),
  about 60,000 tokens.
* :func:`polarity` — 200 movie-review sentences from Pang & Lee's sentence polarity
  data (100 positive, 100 negative), latin-1 encoded.
* :func:`newsgroups` — 200 posts from 20 Newsgroups (alt.atheism and sci.space, 100
  each), an old scikit-learn pickle read with a restricted unpickler.
* :data:`WORDSIM353`, :data:`SIMLEX999`, :data:`ANALOGIES` — paths of WordSim-353
  (Finkelstein et al. 2002), SimLex-999 (Hill et al. 2015) and Mikolov et al.'s
  questions-words analogies (2013), in the format gensim's evaluators read.

:func:`load_corpus` turns a name (``wiki``, ``lee``) or a path to a user's own plain
text file into tokenised sentences.
"""

from __future__ import annotations

import bz2
import copyreg
import io
import pickle
import zlib
from functools import lru_cache
from pathlib import Path

import numpy as np

from deepfaq.core.errors import DeepfaqError

WIKI_FILE = "enwiki-latest-pages-articles1.xml-p000000010p000030302-shortened.bz2"


def _gensim_test_file(name: str) -> Path:
    try:
        from gensim.test.utils import datapath
    except ImportError as e:
        raise ImportError("this text ships with gensim: pip install gensim") from e
    return Path(datapath(name))


def benchmark_path(name: str) -> str:
    """Path of one of gensim's bundled word benchmarks, as a string."""
    return str(_gensim_test_file(name))


WORDSIM353 = "wordsim353.tsv"
SIMLEX999 = "simlex999.txt"
ANALOGIES = "questions-words.txt"


def tokenize(text: str) -> list[str]:
    """Lowercase word tokens, as gensim's ``simple_preprocess`` makes them
    (letters only, 2–15 characters, accents removed)."""
    from gensim.utils import simple_preprocess

    return simple_preprocess(text, deacc=True)


@lru_cache(maxsize=1)
def wiki_articles() -> tuple[tuple[str, ...], ...]:
    """The bundled Wikipedia articles as token tuples (markup stripped with gensim's
    ``filter_wiki``; redirects, stubs under 50 tokens and non-article pages dropped)."""
    from gensim.corpora.wikicorpus import extract_pages, filter_wiki

    articles = []
    with bz2.open(_gensim_test_file(WIKI_FILE), "rb") as f:
        for title, text, _ in extract_pages(f, filter_namespaces=("0",)):
            if text.lstrip().lower().startswith("#redirect"):
                continue
            tokens = tokenize(filter_wiki(text))
            if len(tokens) >= 50 and ":" not in title:
                articles.append(tuple(tokens))
    return tuple(articles)


@lru_cache(maxsize=1)
def lee_background() -> str:
    """Lee's background corpus (Lee, Pincombe & Welsh 2005): 300 short news
    articles, one per line, about 250 KB of plain English, shipped with gensim."""
    return _gensim_test_file("lee_background.cor").read_text(encoding="utf-8")


def chunk(docs, length: int = 1000) -> list[list[str]]:
    """Cut documents into pieces of at most ``length`` tokens (gensim's Word2Vec
    silently truncates longer sentences at 10,000)."""
    return [list(d[i:i + length]) for d in docs for i in range(0, len(d), length)]


def load_corpus(name: str) -> list[list[str]]:
    """Tokenised sentences of a corpus: ``wiki``, ``lee``, or a path to a plain text
    file of the user's own (one sentence, paragraph or document per line)."""
    if name == "wiki":
        return chunk(wiki_articles())
    if name == "lee":
        return [tokenize(line) for line in lee_background().splitlines() if line.strip()]
    path = Path(name).expanduser()
    if not path.is_file():
        raise DeepfaqError(f"corpus {name!r} is neither 'wiki', 'lee' nor a readable file")
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise DeepfaqError(f"cannot read corpus {name!r}: {e.strerror}") from e
    except UnicodeDecodeError as e:
        raise DeepfaqError(f"corpus {name!r} is not UTF-8 text (byte {e.object[e.start]:#04x}"
                           f" at offset {e.start}); give a plain text file") from None
    if "\0" in text:
        raise DeepfaqError(f"corpus {name!r} holds NUL bytes: a binary file, not plain text")
    lines = text.splitlines()
    sentences = chunk([t for t in map(tokenize, lines) if t])
    if sum(map(len, sentences)) < 1000:
        raise DeepfaqError(f"corpus {name!r} has under 1,000 tokens; give a larger text")
    return sentences


@lru_cache(maxsize=1)
def polarity() -> tuple[list[str], np.ndarray]:
    """200 movie-review sentences and their labels (1 positive, 0 negative), from Pang
    & Lee (2005) as shipped with gensim (``__label__pos`` fastText format, latin-1)."""
    texts, labels = [], []
    for line in _gensim_test_file("pang_lee_polarity.cor").read_text(
            encoding="latin-1").splitlines():
        label, _, text = line.partition(" ")
        if label in ("__label__pos", "__label__neg"):
            texts.append(text.strip())
            labels.append(int(label == "__label__pos"))
    return texts, np.array(labels)


def sentiment_file(path: str) -> tuple[list[str], np.ndarray]:
    """A user's sentiment data: a folder with Pang & Lee's ``rt-polarity.pos`` and
    ``rt-polarity.neg`` (MR, one sentence per line, latin-1), or one file whose lines
    start with ``__label__pos`` or ``__label__neg``. Labels: 1 positive, 0 negative."""
    p = Path(path).expanduser()
    texts: list[str] = []
    labels: list[int] = []
    try:
        if p.is_dir():
            for name, label in (("rt-polarity.pos", 1), ("rt-polarity.neg", 0)):
                lines = (p / name).read_text(encoding="latin-1").splitlines()
                texts += [t.strip() for t in lines if t.strip()]
                labels += [label] * sum(1 for t in lines if t.strip())
        else:
            for line in p.read_text(encoding="latin-1").splitlines():
                label, _, t = line.partition(" ")
                if label in ("__label__pos", "__label__neg") and t.strip():
                    texts.append(t.strip())
                    labels.append(int(label == "__label__pos"))
    except OSError as e:
        raise DeepfaqError(f"cannot read sentiment data {path!r}: {e.strerror or e}") from e
    if len(set(labels)) < 2 or len(texts) < 20:
        raise DeepfaqError(f"sentiment data {path!r} needs at least 20 lines of both labels")
    return texts, np.array(labels)


class _Bunch(dict):
    """Stands in for scikit-learn's old ``Bunch`` while unpickling."""


def _numpy_reconstruct():
    try:
        from numpy._core.multiarray import _reconstruct
    except ImportError:  # numpy < 2
        from numpy.core.multiarray import _reconstruct
    return _reconstruct


class _RestrictedUnpickler(pickle.Unpickler):
    """Allows only the handful of names the newsgroup pickle needs — never
    arbitrary code."""

    def find_class(self, module, name):
        allowed = {
            ("copy_reg", "_reconstructor"): copyreg._reconstructor,
            ("__builtin__", "dict"): dict,
            ("__builtin__", "object"): object,
            ("sklearn.datasets.base", "Bunch"): _Bunch,
            ("numpy", "ndarray"): np.ndarray,
            ("numpy", "dtype"): np.dtype,
            ("numpy.core.multiarray", "_reconstruct"): _numpy_reconstruct(),
        }
        try:
            return allowed[(module, name)]
        except KeyError:
            raise pickle.UnpicklingError(f"{module}.{name} is not allowed here") from None


def _strip_headers(post: str) -> str:
    """Drop the e-mail headers (everything before the first blank line): they name
    the newsgroup, which would give the label away."""
    _, sep, body = post.partition("\n\n")
    return body if sep else post


@lru_cache(maxsize=1)
def newsgroups() -> tuple[list[str], np.ndarray, list[str]]:
    """200 posts from alt.atheism and sci.space (100 each) with headers removed,
    their labels, and the two group names."""
    raw = zlib.decompress(_gensim_test_file("mini_newsgroup").read_bytes())
    bunch = _RestrictedUnpickler(io.BytesIO(raw), encoding="latin1").load()
    texts = [_strip_headers(t) for t in bunch["data"]]
    return texts, np.asarray(bunch["target"], dtype=np.int64), list(bunch["target_names"])
