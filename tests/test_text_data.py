"""The bundled text sources and the corpus loader."""

import io
import pickle

import numpy as np
import pytest

from deepfaq.core.errors import DeepfaqError
from deepfaq.data import text


def test_wiki_is_lowercase_unstemmed_and_about_450k_tokens():
    articles = text.wiki_articles()
    tokens = [t for a in articles for t in a]
    assert 400_000 < len(tokens) < 500_000
    assert all(t == t.lower() for t in tokens[:10_000])
    assert "philosophy" in set(tokens) and "societies" in set(tokens)  # not "societi"


def test_load_corpus_chunks_long_articles():
    sentences = text.load_corpus("wiki")
    assert max(map(len, sentences)) <= 1000
    assert sum(map(len, sentences)) == sum(map(len, text.wiki_articles()))


def test_polarity_is_balanced_and_decoded():
    texts, labels = text.polarity()
    assert len(texts) == 200 and labels.sum() == 100
    assert not any(t.startswith("__label__") for t in texts)


def test_newsgroups_loads_without_headers():
    texts, labels, names = text.newsgroups()
    assert len(texts) == 200 and np.bincount(labels).tolist() == [100, 100]
    assert names == ["alt.atheism", "sci.space"]
    # the header block naming the group is gone; one post quotes a forwarded header
    assert sum("Newsgroups:" in t for t in texts) <= 2


def test_restricted_unpickler_refuses_other_names():
    evil = pickle.dumps(print, protocol=0)  # any global outside the allow-list
    with pytest.raises(pickle.UnpicklingError, match="not allowed"):
        text._RestrictedUnpickler(io.BytesIO(evil)).load()


def test_benchmarks_are_present():
    for name in (text.WORDSIM353, text.SIMLEX999, text.ANALOGIES):
        with open(text.benchmark_path(name), encoding="utf-8") as f:
            assert f.readline()


def test_user_corpus(tmp_path):
    path = tmp_path / "mine.txt"
    path.write_text("the cat sat on the mat and looked around\n" * 200)
    sentences = text.load_corpus(str(path))
    assert sentences[0][:3] == ["the", "cat", "sat"]


@pytest.mark.parametrize("name, message", [
    ("/no/such/file.txt", "neither"),
    ("__tiny__", "under 1,000 tokens"),
])
def test_bad_corpus_is_a_clear_error(tmp_path, name, message):
    if name == "__tiny__":
        name = str(tmp_path / "tiny.txt")
        (tmp_path / "tiny.txt").write_text("too short\n")
    with pytest.raises(DeepfaqError, match=message):
        text.load_corpus(name)


def test_sentiment_file_reads_mr_folders_and_fasttext_files(tmp_path):
    (tmp_path / "rt-polarity.pos").write_text("a gripping film .\n" * 15, encoding="latin-1")
    (tmp_path / "rt-polarity.neg").write_text("a dull caf\xe9 film .\n" * 12,
                                               encoding="latin-1")
    texts, labels = text.sentiment_file(str(tmp_path))
    assert len(texts) == 27 and labels.sum() == 15 and "café" in texts[-1]
    f = tmp_path / "mine.txt"
    f.write_text("__label__pos good\n__label__neg bad\n" * 10)
    texts, labels = text.sentiment_file(str(f))
    assert texts[:2] == ["good", "bad"] and labels.tolist()[:2] == [1, 0]


def test_sentiment_file_errors(tmp_path):
    with pytest.raises(DeepfaqError, match="cannot read"):
        text.sentiment_file(str(tmp_path / "missing.txt"))
    one_label = tmp_path / "pos.txt"
    one_label.write_text("__label__pos good\n" * 30)
    with pytest.raises(DeepfaqError, match="both labels"):
        text.sentiment_file(str(one_label))
