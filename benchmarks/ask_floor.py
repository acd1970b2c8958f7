"""Where should ``deepfaq ask`` stop calling its best match a match?

    python benchmarks/ask_floor.py

Ranks a calibration set — two questions per catalogue question worded unlike any of
its matching texts, and fifteen off-topic questions — with each backend, and prints
the best match's similarity for each: the floor (``deepfaq.ask.THRESHOLDS``) should
sit below nearly every on-topic score and above most off-topic ones. This set is for
choosing the floor only; ``tests/test_ask.py`` checks matching on a held-out set of
its own. Off-topic questions that a later question answers (dropout, Adam,
overfitting) move to the on-topic side when it lands. It measures; it asserts nothing.
"""

from __future__ import annotations

ON = {
    "lstm-vs-gru": [
        "do gated recurrent units train quicker than lstms",
        "choosing a recurrent layer for time series",
    ],
    "zero-init": [
        "what breaks if every parameter starts at the same value",
        "initialising a network with zeros",
    ],
    "init-scale": [
        "why scale random init by one over root n",
        "exploding activations from a large weight init",
    ],
    "xavier": ["glorot uniform vs glorot normal", "which xavier distribution should I pick"],
    "activations": ["why use nonlinear activation functions", "relu versus tanh"],
    "conv-vs-dense": [
        "why do cnns work better than dense nets on images",
        "parameter sharing in convnets",
    ],
    "batch-norm": ["what is batchnorm for", "normalising layer inputs over a mini-batch"],
    "handwriting": [
        "ctc loss for handwritten text",
        "how does an ocr model learn without alignment",
    ],
    "topics": ["lda vs nmf for topic modelling", "is lda a soft clustering method"],
    "nlp-use-cases": ["what can you do with nlp", "applications of natural language processing"],
    "word-embeddings": ["word2vec cbow or skipgram", "how does fasttext handle typos"],
    "embedding-limits": [
        "what are the limitations of word2vec",
        "why static embeddings fail for polysemy",
    ],
    "text-cnn": [
        "convolutional networks for sentence classification",
        "can a cnn do sentiment analysis",
    ],
    "bert": ["how is bert trained", "masked language model compared to gpt"],
    "autoencoders": ["uses of autoencoders", "autoencoder versus pca"],
    "upsampling": [
        "why do transposed convolutions make checkerboard artifacts",
        "deconvolution artifacts in gans",
    ],
}
OFF = [
    "what is the capital of France",
    "how do I deploy a model to production",
    "how do GANs work",
    "what is weight decay",
    "how does reinforcement learning work",
    "what is a support vector machine",
    "how to bake sourdough bread",
    "how does attention work",
    "what is gradient clipping",
    "best GPU for deep learning",
    "what is transfer learning",
    "how do decision trees split",
    "what is a learning rate schedule",
    "explain beam search",
    "who invented the perceptron",
]


def main() -> None:
    from deepfaq import catalogue
    from deepfaq.ask import THRESHOLDS, Matcher, minilm_available

    questions = catalogue.load()
    for backend in ("minilm", "tfidf"):
        if backend == "minilm" and not minilm_available():
            print("minilm: not installed")
            continue
        m = Matcher(questions, backend)
        on = [(q, m.rank(t)[0]) for q, texts in ON.items() if q in questions.ids() for t in texts]
        off = [m.rank(t)[0] for t in OFF]
        floor = THRESHOLDS[backend]
        hits = sum(best.id == q for q, best in on)
        print(f"{backend}: floor {floor}; top-1 {hits} of {len(on)} on-topic")
        print("  on-topic scores, lowest:", sorted(round(b.score, 3) for _, b in on)[:6])
        print(f"  on-topic below the floor: {sum(b.score < floor for _, b in on)} of {len(on)}")
        print("  off-topic scores:", sorted(round(b.score, 3) for b in off))
        print(f"  off-topic above the floor: {sum(b.score >= floor for b in off)} of {len(off)}")


if __name__ == "__main__":
    main()
