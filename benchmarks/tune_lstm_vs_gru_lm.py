"""lstm-vs-gru's character language models: the step budget of the full profile.

The three LM arms (LSTM, GRU, GRU with the LSTM's parameter count) train at their
chosen rates (LSTM 3e-2, GRU 1e-2: benchmarks/tuning/lstm-vs-gru.md) on the tuning
seeds 100-104 for MAX steps; Adam has no schedule, so the first n steps of the long run
are an n-step run, and the curves are re-sampled at each candidate budget.

Rule, fixed before the run: the full profile's budget is the smallest candidate at which
every arm's *mean* change of validation bits per character over the last fifth — as the
claims' own ``Converged`` measures it, a line fitted to each seed's last fifth — is within
the claims' tolerance, 0.025 (the point estimate, not only its interval: at 1,500 steps
the interval reached inside the tolerance on the tuning seeds, and the GRU then failed
the claims' own test on the answer seeds).

    .venv/bin/python benchmarks/tune_lstm_vs_gru_lm.py [MAX]   # prints one row per arm and budget
"""

import sys
import time
from dataclasses import replace

import torch

from deepfaq.core.claims import Converged
from deepfaq.core.context import derive_seed
from deepfaq.experiments import lstm_vs_gru as L

torch.set_num_threads(1)  # as every trial runs

MAX = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
BUDGETS = (1500, 2000, 2500, 3000)


class Stages:  # lm_facts reports progress through this; nothing to show here
    def part(self, *a):
        pass


cfg = replace(L.PROFILES["full"].config, lm_steps=MAX)
seeds = [derive_seed(L.QUESTION.id, 100 + k) for k in range(5)]
t = time.process_time()
outs = L.lm_facts(cfg, seeds, "cpu", Stages())
cpu = time.process_time() - t
steps = L.curve_steps(MAX)
for b in BUDGETS:
    if b > MAX:
        continue
    keep = [i for i, s in enumerate(steps) if s <= b]
    for name in ("lstm", "gru", "gru_eqparams"):
        key = f"curve_val_bpc_{name}"
        curves = {key: [[o[key][i] for i in keep] for o in outs]}
        # improvement over the last fifth, exactly as the claims' precondition measures it
        change, _ = Converged(key, tol=0.025, higher_is_better=False).changes(curves)
        last2 = sum(sum(c[-2:]) / 2 for c in curves[key]) / len(outs)
        print(
            f"{b:>5} {name:13} bpc {last2:.3f}  mean change {change.mean():+.3f}"
            f"  per seed {[round(float(x), 3) for x in change]}",
            flush=True,
        )
print("cpu", round(cpu))
