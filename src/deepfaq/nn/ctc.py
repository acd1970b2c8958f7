"""Decoding connectionist temporal classification (Graves et al. 2006) outputs.

A CTC network emits, for every time step (image column), a distribution over the
labels plus a *blank*. A path is one label per step; it spells a transcription
after merging repeated labels and dropping blanks ("-aa-b-" → "ab"). The
probability of a transcription is the sum over all paths that spell it.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict

import numpy as np


def collapse(path, blank: int = 0) -> tuple[int, ...]:
    """Merge repeats, then drop blanks."""
    out, prev = [], None
    for k in path:
        if k != prev and k != blank:
            out.append(int(k))
        prev = k
    return tuple(out)


def greedy_decode(log_probs: np.ndarray, blank: int = 0) -> tuple[int, ...]:
    """Best path decoding: the most likely label at every step, collapsed.
    ``log_probs`` [time, classes]."""
    return collapse(np.asarray(log_probs).argmax(1), blank)


def _logsumexp(a: float, b: float) -> float:
    if a == -math.inf:
        return b
    if b == -math.inf:
        return a
    m = max(a, b)
    return m + math.log(math.exp(a - m) + math.exp(b - m))


def prefix_beam_search(
    log_probs: np.ndarray, beam_width: int = 8, blank: int = 0, prune: float | None = None
) -> tuple[int, ...]:
    """CTC prefix beam search without a language model.

    Keeps the ``beam_width`` most probable *transcription prefixes*, each with two
    scores: the probability of all paths so far that spell it and end in a blank,
    and of those that end in its last label (needed because "a" followed by "a"
    extends the prefix only after a blank in between).

    ``prune``: a probability below which a label is not tried at a step (the blank
    always is), the cut-off of Hannun et al. (2014)'s decoder. A trained CTC model
    puts nearly all of a step's mass on one or two labels, so this skips most of the
    work while changing a result only when the skipped labels' paths would have
    ranked in the beam. None tries every label (exact within the beam).
    """
    lp = np.asarray(log_probs, dtype=float)
    labels = [range(lp.shape[1])] * lp.shape[0]
    if prune is not None:
        cut = math.log(prune)
        labels = [[k for k in range(lp.shape[1]) if k == blank or row[k] >= cut] for row in lp]
    beams = {(): (0.0, -math.inf)}  # prefix -> (log P ending in blank, log P ending in label)
    for t in range(lp.shape[0]):
        nxt: dict = defaultdict(lambda: (-math.inf, -math.inf))
        for prefix, (p_b, p_nb) in beams.items():
            p_total = _logsumexp(p_b, p_nb)
            for k in labels[t]:
                p = lp[t, k]
                if k == blank:
                    b, nb = nxt[prefix]
                    nxt[prefix] = (_logsumexp(b, p_total + p), nb)
                    continue
                extended = prefix + (k,)
                b, nb = nxt[extended]
                if prefix and prefix[-1] == k:
                    # Repeating the last label extends only paths that ended in a blank…
                    nxt[extended] = (b, _logsumexp(nb, p_b + p))
                    # …otherwise it merges into the same prefix.
                    b0, nb0 = nxt[prefix]
                    nxt[prefix] = (b0, _logsumexp(nb0, p_nb + p))
                else:
                    nxt[extended] = (b, _logsumexp(nb, p_total + p))
        beams = dict(sorted(nxt.items(), key=lambda kv: -_logsumexp(*kv[1]))[:beam_width])
    return max(beams.items(), key=lambda kv: _logsumexp(*kv[1]))[0]


def exhaustive_decode(log_probs: np.ndarray, blank: int = 0) -> tuple[tuple[int, ...], float]:
    """The most probable transcription by summing over *every* path (K^T of them):
    the exact answer that beam search approximates, for tiny inputs only."""
    lp = np.asarray(log_probs, dtype=float)
    totals: dict = defaultdict(lambda: -math.inf)
    for path in itertools.product(range(lp.shape[1]), repeat=lp.shape[0]):
        score = float(sum(lp[t, k] for t, k in enumerate(path)))
        label = collapse(path, blank)
        totals[label] = _logsumexp(totals[label], score)
    best = max(totals.items(), key=lambda kv: kv[1])
    return best[0], best[1]


def edit_distance(a, b) -> int:
    """Levenshtein distance: insertions, deletions and substitutions, cost 1 each."""
    prev = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        cur = [i]
        for j, y in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x != y)))
        prev = cur
    return prev[-1]


def character_error_rate(predictions, targets) -> float:
    """Total edit distance over total reference length."""
    errors = sum(edit_distance(p, t) for p, t in zip(predictions, targets, strict=True))
    return errors / max(1, sum(len(t) for t in targets))
