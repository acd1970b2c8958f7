"""deepfaq ask: matching paraphrases to the catalogue, and its command line."""

import pytest
from typer.testing import CliRunner

from deepfaq import ask
from deepfaq.ask import Matcher
from deepfaq.cli import app
from deepfaq.data import minilm
from deepfaq.data.search_queries import FAQ
from deepfaq.experiments import REGISTRY

PARAPHRASES = [(qid, p) for qid, (_, ps) in FAQ.items() if qid in REGISTRY.ids() for p in ps]
needs_minilm = pytest.mark.skipif(not minilm.available(), reason=minilm.INSTALL)


def test_paraphrase_set_is_large_enough():
    assert len(PARAPHRASES) >= 30
    assert all(len(ps) >= 3 for _, ps in FAQ.values())


@needs_minilm
def test_minilm_matches_most_paraphrases():
    matcher = Matcher(REGISTRY, "minilm")
    hits = [matcher.rank(p)[0].id == qid for qid, p in PARAPHRASES]
    assert sum(hits) / len(hits) >= 0.75  # measured here: 39 of 48 (81%)


def test_tfidf_fallback_finds_questions_by_their_own_words():
    matcher = Matcher(REGISTRY, "tfidf")
    for q in REGISTRY:
        assert matcher.rank(q.title)[0].id == q.id


def test_rank_lists_every_question_once():
    ranked = Matcher(REGISTRY, "tfidf").rank("batch normalisation")
    assert sorted(m.id for m in ranked) == sorted(REGISTRY.ids())
    assert ranked[0].id == "batch-norm"
    assert [m.score for m in ranked] == sorted((m.score for m in ranked), reverse=True)


def test_cli_ask_shows_card_and_runner_ups(tmp_path):
    result = CliRunner().invoke(
        app,
        [
            "ask",
            "what does batch normalization do",
            "--backend",
            "tfidf",
            "--top",
            "3",
            "--out",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "best match: batch-norm" in result.output
    assert "also:" in result.output and "Not run yet" in result.output


def test_cli_ask_falls_back_and_says_so(tmp_path, monkeypatch):
    monkeypatch.setattr(ask, "minilm_available", lambda: False)
    result = CliRunner().invoke(app, ["ask", "zero initialisation", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "matching with tf-idf" in result.output
    assert "matched with tfidf" in result.output


def test_install_hint_matches_the_encoder_module():
    assert ask.MINILM_INSTALL == minilm.INSTALL


def test_tfidf_ignores_stop_words():
    """'why do my …' no longer outweighs the topic's own word."""
    assert Matcher(REGISTRY, "tfidf").rank("why do my relu units die")[0].id == "activations"


def test_cli_ask_prints_the_match_first_and_warns_when_it_is_weak(tmp_path):
    result = CliRunner().invoke(
        app,
        [
            "ask",
            "how do I deploy a model to production",
            "--backend",
            "tfidf",
            "--top",
            "3",
            "--out",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("best match: ") and "similarity" in result.output.split("also:")[0]
    assert "warning: a weak match (similarity below 0.28 with tfidf)" in " ".join(
        result.output.split()
    )
    also = result.output.index("also:")
    assert result.output.index("warning") < also < result.output.index("Not run yet")
    strong = CliRunner().invoke(
        app,
        ["ask", "What does batch normalization do?", "--backend", "tfidf", "--out", str(tmp_path)],
    )
    assert "warning" not in strong.output
