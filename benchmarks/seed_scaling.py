"""What does a seed cost when K seeds train side by side as one ensemble?

    python benchmarks/seed_scaling.py                # cpu, and cuda when present
    python benchmarks/seed_scaling.py --json         # one JSON object per device and line
    python benchmarks/seed_scaling.py --device cpu --steps 100

For each model — ``mlp`` (MNIST-1D, 40→100→100→10), ``cnn`` (conv-vs-dense's
MNIST-1D CNN) and ``lstm`` (MNIST-1D read one value per step, hidden 64) — it
trains K = 1, 5 and 10 seeds as one ensemble (``deepfaq.nn.ensemble``) for 300
Adam steps at batch 100 with one torch thread, and times only the training steps
(data and models are built before the clock starts). Running the seeds one after
another would cost K times one seed. Results go to
``benchmarks/results/seed-scaling-<device>.json``. It measures; it asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from pathlib import Path

import torch
from torch import nn

from deepfaq.data import mnist1d
from deepfaq.nn.ensemble import EnsembleLinear, EnsembleLSTM, ensemble_of

SEEDS = (1, 5, 10)


def mlp() -> nn.Module:
    return nn.Sequential(
        nn.Linear(40, 100), nn.ReLU(), nn.Linear(100, 100), nn.ReLU(), nn.Linear(100, 10)
    )


def cnn() -> nn.Module:
    return nn.Sequential(
        nn.Conv1d(1, 25, 5, stride=2, padding=1),
        nn.ReLU(),
        nn.Conv1d(25, 25, 3, stride=2, padding=1),
        nn.ReLU(),
        nn.Conv1d(25, 25, 3, stride=2, padding=1),
        nn.ReLU(),
        nn.Flatten(),
        nn.Linear(125, 10),
    )


class SeqEnsemble(nn.Module):
    """K LSTMs reading MNIST-1D one value per step, a linear head on the last state."""

    def __init__(self, k: int, hidden: int = 64):
        super().__init__()
        rnns, heads = [], []
        for i in range(k):
            torch.manual_seed(i)
            rnns.append(nn.LSTM(1, hidden, batch_first=True))
            heads.append(nn.Linear(hidden, 10))
        self.rnn = EnsembleLSTM.from_modules(rnns)
        self.head = EnsembleLinear.from_modules(heads)

    def forward(self, x):  # x: [K, batch, 40]
        return self.head(self.rnn(x.unsqueeze(-1))[:, :, -1])


def build(name: str, k: int) -> tuple[nn.Module, bool]:
    """The ensemble and whether it reads [K, batch, 1, 40] (conv) or [K, batch, 40]."""
    if name == "lstm":
        return SeqEnsemble(k), False
    models = []
    for i in range(k):
        torch.manual_seed(i)  # each member from its own seed
        models.append(mlp() if name == "mlp" else cnn())
    return ensemble_of(models), name == "cnn"


def time_training(name: str, k: int, device: str, steps: int, batch: int) -> float:
    data = mnist1d(0)
    X = torch.tensor(data.X_train, device=device)
    y = torch.tensor(data.y_train, device=device)
    model, conv = build(name, k)
    model.to(device)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, foreach=True)
    gens = [torch.Generator().manual_seed(100 + i) for i in range(k)]  # own data order
    idx = torch.stack(
        [
            torch.stack([torch.randint(0, len(X), (batch,), generator=g) for _ in range(steps)])
            for g in gens
        ]
    )  # [K, steps, B]
    idx = idx.to(device)

    def step(t: int) -> None:
        xb = X[idx[:, t]]  # [K, batch, 40]
        yb = y[idx[:, t]]
        logits = model(xb.unsqueeze(2) if conv else xb)  # [K, batch, 10]
        loss = nn.functional.cross_entropy(logits.flatten(0, 1), yb.flatten(), reduction="none")
        opt.zero_grad()
        loss.view(k, batch).mean(1).sum().backward()  # each member's own mean loss
        opt.step()

    for t in range(3):  # warm-up (allocator, kernels)
        step(t)
    if device == "cuda":
        torch.cuda.synchronize()
    start = time.perf_counter()
    for t in range(steps):
        step(t)
    if device == "cuda":
        torch.cuda.synchronize()
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--device", choices=("auto", "cpu", "cuda"), default="auto")
    ap.add_argument("--steps", type=int, default=300)
    ap.add_argument("--batch", type=int, default=100)
    ap.add_argument("--json", action="store_true", help="one JSON object per device and line")
    args = ap.parse_args()
    torch.set_num_threads(1)
    devices = (
        (["cpu", "cuda"] if torch.cuda.is_available() else ["cpu"])
        if args.device == "auto"
        else [args.device]
    )
    out_dir = Path(__file__).parent / "results"
    for device in devices:
        trials = []
        for name in ("mlp", "cnn", "lstm"):
            seconds = {
                str(k): round(time_training(name, k, device, args.steps, args.batch), 4)
                for k in SEEDS
            }
            trials.append({"name": name, "seconds": seconds})
        obj = {
            "device": device,
            "steps": args.steps,
            "batch": args.batch,
            "torch_threads": 1,
            "device_name": (
                torch.cuda.get_device_name()
                if device == "cuda"
                else platform.processor() or platform.machine()
            ),
            "torch": torch.__version__,
            "trials": trials,
        }
        if args.json:
            print(json.dumps(obj), flush=True)
        else:
            print(f"{device} ({obj['device_name']}), {args.steps} steps, batch {args.batch}:")
            for t in trials:
                one = t["seconds"]["1"]
                ratios = ", ".join(
                    f"{k} seeds {v:.2f} s ({v / one:.1f}×)" for k, v in t["seconds"].items()
                )
                print(f"  {t['name']:5s} {ratios}")
        out_dir.mkdir(exist_ok=True)
        (out_dir / f"seed-scaling-{device}.json").write_text(json.dumps(obj, indent=1) + "\n")


if __name__ == "__main__":
    main()
