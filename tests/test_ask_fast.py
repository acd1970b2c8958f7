"""ask's fast path: the lightweight MiniLM encoder and the cached catalogue vectors."""

import os
import subprocess
import sys

import numpy as np
import pytest

from deepfaq import ask, catalogue
from deepfaq.ask import Matcher
from deepfaq.data import minilm, minilm_fast

needs_both = pytest.mark.skipif(
    not (minilm.available() and minilm_fast.available()), reason=minilm.INSTALL
)

LONG = " ".join(
    f"sentence {k}: the weights of a deep network start small and random,"
    " so that units differ and gradients neither vanish nor explode."
    for k in range(40)
)
SENTENCES = [
    "Why not start every weight at zero?",
    "why not zero init?",
    "  what does batch normalization do  ",
    "",
    "Ünïcödé naïve café — 東京",
    LONG,
]


@needs_both
def test_fast_encoder_gives_sentence_transformers_vectors():
    tokenizer, _ = minilm_fast.load()
    max_len = minilm_fast.pipeline(minilm_fast.model_path())
    assert max_len == minilm.load().max_seq_length == 256
    tokenizer.no_truncation()  # LONG really is longer than the model reads
    try:
        assert len(tokenizer.encode(LONG).ids) > max_len
    finally:
        tokenizer.enable_truncation(max_length=max_len, strategy="longest_first")
    expected = minilm.encode(SENTENCES)
    got = minilm_fast.encode(SENTENCES)
    assert got.shape == expected.shape == (len(SENTENCES), 384)
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-5)
    # One at a time (as ask encodes a query) and with torch's own thread count.
    np.testing.assert_allclose(minilm_fast.encode([LONG]), expected[-1:], rtol=0, atol=1e-5)
    np.testing.assert_allclose(
        minilm_fast.encode(SENTENCES[:2], threads=None), expected[:2], rtol=0, atol=1e-5
    )


@needs_both
def test_matcher_ranks_as_with_sentence_transformers(registry, tmp_path, monkeypatch):
    monkeypatch.setenv("DEEPFAQ_CACHE", str(tmp_path))
    questions = list(registry)
    texts = [t for q in questions for t in ask.question_texts(q)]
    docs = minilm.encode(texts)
    owner = np.repeat(np.arange(len(questions)), [len(ask.question_texts(q)) for q in questions])
    for _ in range(2):  # encoding the texts, then from the cache
        matcher = Matcher(questions, "minilm")
        assert any(tmp_path.glob("ask-vectors-*.npz"))
        for query in (
            "why not zero init?",
            "what does batch normalization do",
            "how do I deploy a model to production",
        ):
            sims = docs @ minilm.encode([query])[0]
            best = np.full(len(questions), -np.inf)
            np.maximum.at(best, owner, sims)
            ranked = matcher.rank(query)
            assert [m.id for m in ranked[:3]] == [
                questions[k].id for k in np.argsort(-best, kind="stable")[:3]
            ]
            np.testing.assert_allclose(sorted(m.score for m in ranked), np.sort(best), atol=1e-5)


def test_fast_encoder_loads_without_the_data_package():
    """ask imports the encoder without deepfaq.data's loaders (torch, scikit-learn)."""
    code = (
        "import sys\n"
        "from deepfaq import ask\n"
        "m = ask.fast_encoder()\n"
        "assert 'deepfaq.data' not in sys.modules and 'torch' not in sys.modules\n"
        "from deepfaq.data import minilm_fast\n"
        "assert minilm_fast is m is ask.fast_encoder()\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, env=os.environ.copy())


class FakeEncoder:
    """Stands in for minilm_fast: unit vectors from the texts' lengths, counted."""

    def __init__(self):
        self.calls = []

    def encode(self, texts):
        self.calls.append(list(texts))
        v = np.stack([np.array([1.0, len(t), 2.0], dtype=np.float32) for t in texts])
        return v / np.linalg.norm(v, axis=1, keepdims=True)

    def load(self):
        pass


@pytest.fixture
def fake(tmp_path, monkeypatch):
    enc = FakeEncoder()
    monkeypatch.setenv("DEEPFAQ_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(ask, "fast_encoder", lambda: enc)
    monkeypatch.setattr(ask, "_model_stamp", lambda: "fake-model")
    return enc


TEXTS = ["why not zero init", "batch norm", "lstm or gru"]


def test_vectors_are_cached_and_reused(fake, tmp_path):
    first = ask.text_vectors(TEXTS)
    [path] = (tmp_path / "cache").glob("ask-vectors-*.npz")
    assert path == ask.vectors_path(ask.vectors_key(TEXTS))
    assert not list((tmp_path / "cache").glob(".*.tmp"))  # written atomically
    again = ask.text_vectors(TEXTS)
    assert fake.calls == [TEXTS]  # the second call read the cache
    np.testing.assert_array_equal(first, again)


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty", "nan", "shape", "folder"])
def test_damaged_vector_cache_is_ignored_and_rewritten(fake, damage):
    good = ask.text_vectors(TEXTS)
    key = ask.vectors_key(TEXTS)
    path = ask.vectors_path(key)
    if damage == "garbage":
        path.write_bytes(b"not a zip file at all")
    elif damage == "truncated":
        path.write_bytes(path.read_bytes()[:200])
    elif damage == "empty":
        path.write_bytes(b"")
    elif damage == "nan":
        np.savez(
            path,
            schema=np.str_(ask.VECTORS_SCHEMA),
            key=np.str_(key),
            vectors=np.full_like(good, np.nan),
        )
    elif damage == "shape":
        np.savez(path, schema=np.str_(ask.VECTORS_SCHEMA), key=np.str_(key), vectors=good[:2])
    else:
        path.unlink()
        path.mkdir()
    assert ask.text_vectors(TEXTS) == pytest.approx(good)
    assert len(fake.calls) == 2  # encoded again
    if damage != "folder":  # rewritten: the next call reads it
        assert ask.text_vectors(TEXTS) == pytest.approx(good)
        assert len(fake.calls) == 2
    else:  # a folder cannot be replaced by a file: encoded every time, no error
        assert ask.text_vectors(TEXTS) == pytest.approx(good)


def test_stale_vectors_are_not_used(fake, monkeypatch):
    ask.text_vectors(TEXTS)
    old = ask.vectors_path(ask.vectors_key(TEXTS))
    # The package's source changed: a new key, encoded again, the old file removed.
    monkeypatch.setattr(catalogue, "source_key", lambda: "edited-source")
    new = ask.vectors_path(ask.vectors_key(TEXTS))
    assert new != old
    ask.text_vectors(TEXTS)
    assert len(fake.calls) == 2 and new.exists() and not old.exists()
    # Other texts (an edited title) have their own key.
    ask.text_vectors([*TEXTS[:2], "lstm versus gru"])
    assert len(fake.calls) == 3
    # A file at the right name whose own key is another one is not trusted.
    key = ask.vectors_key(TEXTS)
    wrong = FakeEncoder().encode(["x", "yy", "zzz"])
    np.savez(
        ask.vectors_path(key),
        schema=np.str_(ask.VECTORS_SCHEMA),
        key=np.str_("another-key"),
        vectors=wrong,
    )
    got = ask.text_vectors(TEXTS)
    assert len(fake.calls) == 4
    np.testing.assert_allclose(got, FakeEncoder().encode(TEXTS))


def test_unwritable_cache_only_costs_the_encoding(fake, tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("DEEPFAQ_CACHE", str(blocker / "cache"))
    for _ in range(2):
        ask.text_vectors(TEXTS)
    assert len(fake.calls) == 2
