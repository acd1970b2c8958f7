"""Our readable skip-gram (deepfaq.nn.embeddings) against gensim's, on the same corpus.

    python benchmarks/sgns_vs_gensim.py                # wiki, 3 epochs, 50-d, seeds 1 2
    python benchmarks/sgns_vs_gensim.py --epochs 5 --dim 100 --seeds 1 2 3

Both train skip-gram with negative sampling (5 negatives, window 5, min count 5,
subsampling 1e-3) with one thread. Reports WordSim-353 Spearman ρ and words per
second for each, and the speed ratio. Writes `benchmarks/results/sgns-vs-gensim.json`.
This measures; it asserts nothing (tests/test_nn_embeddings.py checks the quality).
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from pathlib import Path

import numpy as np
import torch

from deepfaq.data import text
from deepfaq.nn.embeddings import read_word_pairs, train_skipgram, word_pair_spearman


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default="wiki")
    ap.add_argument("--dim", type=int, default=50)
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2])
    args = ap.parse_args()
    torch.set_num_threads(1)
    from gensim.models import Word2Vec

    sentences = text.load_corpus(args.corpus)
    tokens = sum(map(len, sentences))
    pairs = read_word_pairs(text.benchmark_path(text.WORDSIM353))
    rows = []
    for seed in args.seeds:
        t = time.perf_counter()
        words, vectors = train_skipgram(sentences, dim=args.dim, epochs=args.epochs, seed=seed)
        ours_s = time.perf_counter() - t
        model = Word2Vec(
            vector_size=args.dim, window=5, min_count=5, sg=1, negative=5, seed=seed, workers=1
        )
        model.build_vocab(sentences)
        t = time.perf_counter()
        model.train(sentences, total_examples=model.corpus_count, epochs=args.epochs)
        gensim_s = time.perf_counter() - t
        kv = model.wv
        rows.append(
            {
                "seed": seed,
                "ours_rho": word_pair_spearman(words, vectors, pairs)[0],
                "gensim_rho": word_pair_spearman(list(kv.index_to_key), kv.vectors, pairs)[0],
                "ours_words_per_s": tokens * args.epochs / ours_s,
                "gensim_words_per_s": tokens * args.epochs / gensim_s,
            }
        )
        print(rows[-1], flush=True)
    summary = {k: float(np.mean([r[k] for r in rows])) for k in rows[0] if k != "seed"}
    summary["speed_ratio_gensim_over_ours"] = (
        summary["gensim_words_per_s"] / summary["ours_words_per_s"]
    )
    out = {
        "args": vars(args),
        "tokens": tokens,
        "machine": platform.processor() or platform.machine(),
        "torch_threads": 1,
        "rows": rows,
        "mean": summary,
    }
    path = Path(__file__).parent / "results" / "sgns-vs-gensim.json"
    path.write_text(json.dumps(out, indent=2) + "\n")
    print(json.dumps(summary, indent=2))
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
