"""deepfaq ask: matching questions typed in plain words to the catalogue, and its
command line.

The questions' own paraphrases (``Question.paraphrases``, which include the frozen
set of ``deepfaq.data.search_queries``) are what the matcher sees, so matching is
tested here on a held-out set written for this test only: other wordings of each
question that appear in no matching text.
"""

import pytest
from typer.testing import CliRunner

from deepfaq import ask
from deepfaq.ask import Matcher
from deepfaq.cli import app
from deepfaq.data import minilm
from deepfaq.experiments import REGISTRY

#: Held out: how a student might ask, worded unlike any of the question's texts.
HELD_OUT = {
    "lstm-vs-gru": [
        "for sequence models should I pick gated recurrent units or long short-term memory",
        "are GRUs cheaper than LSTMs",
        "which recurrent architecture wins on long sequences",
    ],
    "zero-init": [
        "what's wrong with setting all the weights to zero before training",
        "why do identical hidden units stay identical",
        "initial weights all equal",
    ],
    "init-scale": [
        "why do we use a variance of one over the fan-in when initialising",
        "my deep network's activations vanish at initialisation",
        "how big should random initial weights be",
    ],
    "xavier": [
        "Glorot init: should I sample from a normal or a uniform distribution",
        "difference between xavier_normal and xavier_uniform",
        "is He initialisation better than Xavier for ReLU",
    ],
    "activations": [
        "why is ReLU preferred to sigmoid",
        "what does a nonlinearity add to a neural net",
        "what is leaky relu for",
    ],
    "conv-vs-dense": [
        "why do convolutional nets beat multilayer perceptrons on images",
        "what does weight sharing buy a convnet",
        "CNN versus fully connected network for image classification",
    ],
    "batch-norm": [
        "how does batchnorm help a network train",
        "normalising activations across the mini-batch",
        "does batch norm allow bigger learning rates",
    ],
    "handwriting": [
        "how is an OCR model trained with CTC",
        "reading handwritten lines with a recurrent network",
        "what is the target when training handwriting recognition",
    ],
    "topics": [
        "is latent dirichlet allocation a clustering method",
        "LDA compared with NMF for topic models",
        "how do topic models assign documents to topics",
    ],
    "nlp-use-cases": [
        "practical applications of NLP",
        "what is natural language processing used for day to day",
        "examples of text classification and semantic search",
    ],
    "word-embeddings": [
        "how do word2vec and glove differ",
        "skip-gram versus continuous bag of words",
        "what makes fasttext robust to typos",
    ],
    "embedding-limits": [
        "what do word2vec vectors fail to capture",
        "why can't a single vector per word handle polysemy",
        "limitations of averaging word embeddings for sentences",
    ],
    "text-cnn": [
        "convolutional neural networks for sentence classification",
        "can a CNN understand negation in a sentence",
        "using 1D convolutions on text",
    ],
    "bert": [
        "what is new about BERT's pretraining",
        "bidirectional versus left-to-right language models",
        "how does masked language modelling work",
    ],
    "autoencoders": [
        "what is an autoencoder good for",
        "are autoencoders better than PCA for compression",
        "denoising with an encoder-decoder network",
    ],
    "upsampling": [
        "why do my GAN images have a grid pattern",
        "checkerboard artifacts from deconvolution layers",
        "should I use resize-convolution instead of transposed conv",
    ],
}
#: Questions the catalogue does not hold.
OFF_TOPIC = [
    "what is the capital of France",
    "how do I bake sourdough bread",
    "how do I deploy a model to production",
]
HELD = [(qid, p) for qid, ps in HELD_OUT.items() if qid in REGISTRY.ids() for p in ps]
needs_minilm = pytest.mark.skipif(not minilm.available(), reason=minilm.INSTALL)


def test_held_out_set_is_held_out():
    """No held-out wording is one of the matcher's own texts."""
    texts = {t.lower().strip(" ?") for q in REGISTRY for t in ask.question_texts(q)}
    assert len(HELD) >= 45
    leaked = [p for _, p in HELD if p.lower().strip(" ?") in texts]
    assert not leaked, leaked


def test_paraphrases_are_matching_texts():
    q = REGISTRY.get("activations")
    texts = ask.question_texts(q)
    assert texts[:2] == [q.title, q.asked]
    assert all(p in texts for p in q.paraphrases if not p.startswith("TODO"))
    assert len(texts) == len(set(texts))


@needs_minilm
def test_minilm_matches_held_out_wordings():
    matcher = Matcher(REGISTRY, "minilm")
    ranked = [(qid, matcher.rank(p)) for qid, p in HELD]
    top1 = sum(r[0].id == qid for qid, r in ranked) / len(ranked)
    top3 = sum(qid in [m.id for m in r[:3]] for qid, r in ranked) / len(ranked)
    assert top1 >= 0.85 and top3 >= 0.95, (top1, top3)
    floor = sum(r[0].score >= matcher.threshold for _, r in ranked) / len(ranked)
    assert floor >= 0.9, floor  # the floor rarely hides a question the catalogue holds
    for query in OFF_TOPIC:
        assert matcher.rank(query)[0].score < matcher.threshold, query


def test_tfidf_matches_most_held_out_wordings():
    matcher = Matcher(REGISTRY, "tfidf")
    ranked = [(qid, matcher.rank(p)) for qid, p in HELD]
    top3 = sum(qid in [m.id for m in r[:3]] for qid, r in ranked) / len(ranked)
    assert top3 >= 0.7, top3


def test_tfidf_fallback_finds_questions_by_their_own_words():
    matcher = Matcher(REGISTRY, "tfidf")
    for q in REGISTRY:
        assert matcher.rank(q.title)[0].id == q.id


def test_rank_lists_every_question_once():
    ranked = Matcher(REGISTRY, "tfidf").rank("batch normalisation")
    assert sorted(m.id for m in ranked) == sorted(REGISTRY.ids())
    assert ranked[0].id == "batch-norm"
    assert [m.score for m in ranked] == sorted((m.score for m in ranked), reverse=True)


def _ask(tmp_path, *args):
    return CliRunner().invoke(app, ["ask", *args, "--out", str(tmp_path)])


def test_cli_ask_shows_card_and_runner_ups(tmp_path):
    result = _ask(tmp_path, "what does batch normalization do", "--backend", "tfidf", "--top", "3")
    assert result.exit_code == 0, result.output
    assert "best match: batch-norm" in result.output
    assert "also:" in result.output and "Short answer" in result.output


def test_cli_ask_falls_back_and_says_so(tmp_path, monkeypatch):
    monkeypatch.setattr(ask, "minilm_available", lambda: False)
    result = _ask(tmp_path, "zero initialisation")
    assert result.exit_code == 0, result.output
    assert "matching with tf-idf" in result.output
    assert "matched with tfidf" in result.output


def test_install_hint_matches_the_encoder_module():
    assert ask.MINILM_INSTALL == minilm.INSTALL


def test_tfidf_ignores_stop_words():
    """'why do my …' no longer outweighs the topic's own word."""
    assert Matcher(REGISTRY, "tfidf").rank("why do my relu units die")[0].id == "activations"


@pytest.mark.parametrize("backend", ["tfidf", pytest.param("minilm", marks=needs_minilm)])
def test_off_topic_prints_the_closest_questions_and_no_card(tmp_path, backend):
    """Below the similarity floor: a warning and the closest questions only, no card;
    exit 0, or 1 with --strict."""
    result = _ask(tmp_path, "what is the capital of France", "--backend", backend, "--top", "3")
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "No question in the catalogue matches yours closely" in text
    assert "so no answer is shown" in text and "The closest questions:" in text
    assert "best match" not in text
    for absent in ("Short answer", "Answer", "Findings", "Reproduce", "Not run yet"):
        assert absent not in result.output, absent
    assert len(result.output.splitlines()) <= 8
    strict = _ask(tmp_path, "what is the capital of France", "--backend", backend, "--strict")
    assert strict.exit_code == 1, strict.output
    assert "No question in the catalogue matches" in " ".join(strict.output.split())


def test_a_strong_match_prints_its_card_and_strict_changes_nothing(tmp_path):
    result = _ask(tmp_path, "What does batch normalization do?", "--backend", "tfidf", "--strict")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("best match: batch-norm") and "similarity" in lines[0]
    assert "No question in the catalogue matches" not in result.output
    assert "Short answer" in result.output
