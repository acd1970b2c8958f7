"""The report's colours: the Okabe–Ito palette, and one colour per method across the
report (each question declares its methods' colours; see :func:`register_colors`)."""

from __future__ import annotations

import hashlib

#: Okabe & Ito (2008), "Color universal design": black first, yellow last (it is
#: faint on white, so it is drawn only when seven colours are not enough).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000", "#F0E442")

#: One colour per method, the same in every figure that draws it. Methods that
#: appear together in one question get different colours; a name not listed
#: gets a colour from its hash (stable from run to run).
METHOD_COLORS = {
    # activations
    "sigmoid": PALETTE[0],
    "tanh": PALETTE[1],
    "relu": PALETTE[2],
    "leaky relu": PALETTE[3],
    "softmax": PALETTE[4],
    "elu": PALETTE[5],
    # normalisation
    "with bn": PALETTE[0],
    "without bn": PALETTE[1],
    # recurrent cells, text models
    "lstm": PALETTE[0],
    "gru": PALETTE[1],
    "cnn": PALETTE[2],
    "mlp": PALETTE[3],
    "logistic regression": PALETTE[6],
    "logistic": PALETTE[6],
    "gru (=params)": PALETTE[5],
    "lstm, forget bias 0": PALETTE[0],
    "lstm, forget bias 1": PALETTE[4],
    "bag of words": PALETTE[6],
    "bag of words + lr": PALETTE[6],
    "nb bag of 1–2-grams + lr": PALETTE[6],
    "unigram bow": PALETTE[6],
    "tf-idf": PALETTE[6],
    "tf-idf + logistic regression": PALETTE[6],
    "minilm": PALETTE[5],
    "minilm + logistic regression": PALETTE[5],
    "cnn-rand": PALETTE[2],
    "cnn-static": PALETTE[3],
    "cnn-non-static": PALETTE[4],
    "cnn + bilstm + ctc": PALETTE[0],
    "cnn only + ctc": PALETTE[2],
    # word vectors
    "cbow": PALETTE[0],
    "skip-gram": PALETTE[1],
    "fasttext": PALETTE[2],
    "glove": PALETTE[3],
    # language-model objectives
    "masked lm (bert)": PALETTE[0],
    "left-to-right (gpt)": PALETTE[1],
    "right-to-left": PALETTE[5],
    "l2r ⊕ r2l (elmo-style)": PALETTE[3],
    # initialisations
    "xavier normal": PALETTE[0],
    "xavier uniform": PALETTE[1],
    "he normal": PALETTE[2],
    "standard u[−1/√n, 1/√n]": PALETTE[6],
    "u[-1/√d,1/√d] (standard)": PALETTE[6],
    "n(0,1/d)": PALETTE[0],
    "n(0,1)": PALETTE[3],
    "std 0.1": PALETTE[1],
    "too small: n(0,1/(4d))": PALETTE[5],
    "tanh gain: n(0,(5/3)²/d)": PALETTE[4],
    "all zeros": PALETTE[6],
    "constant": PALETTE[3],
    "small random": PALETTE[2],
    "one hidden unit": PALETTE[4],
    # topic models
    "lda": PALETTE[0],
    "nmf (frobenius, tf-idf)": PALETTE[1],
    "nmf (kl, counts)": PALETTE[2],
    "k-means (tf-idf)": PALETTE[3],
    # upsampling
    "transposed conv k3 s2": PALETTE[3],
    "transposed conv k2 s2": PALETTE[1],
    "transposed conv k4 s2": PALETTE[4],
    "nearest ×2 + conv 3×3": PALETTE[0],
    # autoencoders and what they are compared with
    "autoencoder": PALETTE[0],
    "deep ae": PALETTE[0],
    "stacked ae-64": PALETTE[0],
    "pca": PALETTE[3],
    "pca-30": PALETTE[3],
    "pca-64": PALETTE[3],
    "raw pixels": PALETTE[6],
    "jpeg": PALETTE[1],
}

#: Colour of baselines and reference values (chance, a paper's number): not a method.
REFERENCE = "0.55"


def _key(name: str) -> str:
    return " ".join(name.lower().replace("_", " ").replace("-", " ").split())


_COLOR_KEYS = {_key(k): v for k, v in METHOD_COLORS.items()}


#: Colours the questions declare (``Question.colors``), by normalised label, with the
#: question that declared each: filled by :func:`register_colors` when the registry
#: is built.
_DECLARED: dict[str, tuple[str, str]] = {}


def register_colors(owner: str, colors: dict[str, str]) -> None:
    """Take a question's method colours into the report-wide palette. One label keeps
    one colour across the report: a label two questions colour differently is an
    error, raised when the registry is built."""
    for name, value in colors.items():
        key = _key(name)
        have = _DECLARED.get(key)
        if have is not None and have[0].lower() != value.lower():
            raise ValueError(
                f"{owner} colours {name!r} {value}, but {have[1]} colours it"
                f" {have[0]}: one method keeps one colour across the report"
            )
        _DECLARED[key] = (value, have[1] if have else owner)


def color(name: str) -> str:
    """The report-wide colour of a method (case, spacing, ``-`` and ``_`` ignored)."""
    key = _key(name)
    if key in _DECLARED:
        return _DECLARED[key][0]
    if key in _COLOR_KEYS:
        return _COLOR_KEYS[key]
    digest = hashlib.sha256(key.encode()).digest()
    return PALETTE[digest[0] % (len(PALETTE) - 1)]  # never the faint yellow
