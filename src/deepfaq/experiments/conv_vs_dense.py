"""Why convolutions for images instead of fully connected layers?

A fully connected layer gives every input pixel its own weight to every unit: it
has to learn a stroke at each position separately, and it does not know which
pixels are neighbours. A convolution slides one small kernel over the image, so
the same detector is used at every position (weight sharing, hence few
parameters) and a shifted input gives a shifted output (translation
equivariance). Pooling then makes the response tolerant of small shifts
(Goodfellow, Bengio & Courville 2016, §9.3).

We apply classic kernels with our own 2-D convolution, then train CNNs and MLPs
on MNIST-1D (Greydanus 2020, the paper's own models) and on 5,000 real MNIST
digits; we shift test digits, and we shuffle MNIST-1D's positions with one fixed
permutation — which takes neighbourhoods away from the CNN and nothing from the MLP.

Sections, each prose → code → claims → answer: 1. classic kernels and equivariance;
2. MNIST-1D: a CNN against an MLP; 3. shuffled positions; 4. real digits and shifts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import numpy as np
import torch
from torch import nn

from deepfaq.core.claims import AtMost, Claim, Exact, Greater
from deepfaq.core.config import Range
from deepfaq.core.context import sub_seed
from deepfaq.core.figures import PALETTE
from deepfaq.core.outputs import curve, metric, series
from deepfaq.core.question import Anchor, Profile, Question
from deepfaq.core.sweep import Sweep
from deepfaq.data import mnist1d, mnist1d_validation, mnist_digits, sample_photo
from deepfaq.experiments import kit
from deepfaq.nn.conv import KERNELS, conv2d
from deepfaq.nn.ensemble import EnsembleLinear, ensemble_of


@dataclass(frozen=True)
class Config:
    steps: int = 1000  # Adam steps on MNIST-1D (the paper: 6,000)
    batch_size: int = 100
    lr: float = 1e-2  # Adam, as in the MNIST-1D paper
    digit_steps: int = 1400  # Adam steps on the 28×28 digits
    digit_batch_size: int = 64
    digit_lr: float = 1e-3
    max_shift: Annotated[int, Range(1, 14)] = 4  # test digits shifted by 0…max_shift pixels
    claim_shift: Annotated[int, Range(1, "max_shift")] = 3  # where the claim compares drops
    photo_size: Annotated[int, Range(16, 512)] = 64


PROFILES = {
    "smoke": Profile(
        Config(steps=100, digit_steps=40, max_shift=3, photo_size=32), seeds=2, seed_batch=2
    ),
    "quick": Profile(Config(), seeds=5, seed_batch=5),
    "full": Profile(Config(steps=2000, digit_steps=2800), seeds=10, seed_batch=10),
    # The full profile before 2026-12 (sized for a GPU): the paper's 6,000 MNIST-1D steps.
    "paper": Profile(Config(steps=6000, digit_steps=3000, photo_size=96), seeds=10, seed_batch=10),
}

MNIST1D = "Greydanus 2020 (MNIST-1D)"
CURVE_POINTS = 30  # checkpoints per training curve: 7 of 31 in the judged last fifth

# %% 1. Classic kernels and equivariance
# Our convolution (deepfaq.nn.conv, tested equal to torch's) applied to a photograph with
# designed kernels; and the check that shifting then convolving equals convolving then
# shifting.

#: Output names of the classic kernels (their display names have spaces and brackets).
KERNEL_KEYS = {
    "identity": "identity",
    "blur": "blur",
    "gaussian blur": "gaussian_blur",
    "sharpen": "sharpen",
    "edges (Laplacian)": "laplacian",
    "vertical edges (Sobel)": "sobel",
}


def kernel_facts(cfg: Config) -> dict:
    """The sample photograph through each classic kernel (the same for every seed)."""
    photo = torch.tensor(sample_photo(cfg.photo_size)).view(1, 1, cfg.photo_size, -1)
    return {
        f"photo_{KERNEL_KEYS[name]}": np.round(
            conv2d(photo, kernel.view(1, 1, 3, 3), padding=1)[0, 0].numpy(), 3
        )
        for name, kernel in KERNELS.items()
    }


def equivariance_error(g: torch.Generator, shift: tuple[int, int] = (2, 3)) -> float:
    """max |conv(shift(x)) − shift(conv(x))| away from the borders."""
    x = torch.randn(1, 1, 32, 32, generator=g)
    k = torch.randn(1, 1, 3, 3, generator=g)
    dy, dx = shift
    a = conv2d(torch.roll(x, (dy, dx), (2, 3)), k)
    b = torch.roll(conv2d(x, k), (dy, dx), (2, 3))
    m = 3 + max(dy, dx)  # rows/columns touched by the wrap-around or the kernel's edge
    return (a - b)[..., m:-m, m:-m].abs().max().item()


CLAIMS_KERNELS = (
    Claim(
        "equivariance",
        "A convolution is translation-equivariant: shifting the input shifts the output,"
        " exactly, away from the borders.",
        Exact("equivariance_error", 0.0, tol=1e-6),
        expected="supported",
        source="Goodfellow et al. 2016 §9.2",
        kind="identity",
        unit="",
    ),
)

OUTPUTS_KERNELS = (
    *(
        series(f"photo_{key}", f"the sample photograph through the {name} kernel")
        for name, key in KERNEL_KEYS.items()
    ),
    metric(
        "equivariance_error",
        "the largest difference between convolving a shifted input and shifting the"
        " convolved one, away from the borders",
        bounds=(0, np.inf),
    ),
)

ANSWER_KERNELS = """
**Equivariance.** Shifting a 32×32 input and then convolving gave the same numbers as
convolving and then shifting: largest difference {{ num(m.equivariance_error) }} away from the
borders (where the zero padding and the wrap-around differ){% if v["equivariance"] !=
"supported" %} — **not** within the claim's tolerance: {{ v["equivariance"] }}{% endif %}.

**Classic kernels.** The first figure shows our convolution applied to a photograph: a blur
averages a 3×3 neighbourhood, sharpen adds back the difference from the neighbours, and
the Laplacian and Sobel kernels (which sum to zero) answer only where brightness changes.
A CNN learns kernels like these from data instead of having them designed.
"""

# %% 2. MNIST-1D: a CNN against an MLP
# The paper's own models, trained side by side: every seed of a batch is one member of an
# ensemble (deepfaq.nn.ensemble), with its own data, initial weights and batch order.


def mnist1d_cnn() -> nn.Sequential:
    """The MNIST-1D paper's ConvBase: 5,210 parameters."""
    return nn.Sequential(
        nn.Unflatten(1, (1, 40)),  # [batch, 1, 40]
        nn.Conv1d(1, 25, 5, stride=2, padding=1),
        nn.ReLU(),  # [batch, 25, 19]
        nn.Conv1d(25, 25, 3, stride=2, padding=1),
        nn.ReLU(),  # [batch, 25, 10]
        nn.Conv1d(25, 25, 3, stride=2, padding=1),
        nn.ReLU(),  # [batch, 25, 5]
        nn.Flatten(),
        nn.Linear(125, 10),
    )


def mnist1d_mlp() -> nn.Sequential:
    """The MNIST-1D paper's MLP, 40-100-100-10: 15,210 parameters."""
    return nn.Sequential(
        nn.Linear(40, 100), nn.ReLU(), nn.Linear(100, 100), nn.ReLU(), nn.Linear(100, 10)
    )


def n_params(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def train(model, X, y, monitor, steps, batch_size, lr, gens, curve_points=CURVE_POINTS):
    """Adam on every member at once (``X`` [M, n, features]); member m's batches are
    drawn by ``gens[m % len(gens)]``, its seed's generator, so the copies of one seed
    see the same batches. The loss is the sum of the members' mean losses: each member
    gets its own gradient. Returns each member's accuracy on the held-out ``monitor``
    examples at ``curve_points`` + 1 checkpoints, as a tensor [M, points]."""
    opt = torch.optim.Adam(model.parameters(), lr=lr, foreach=True)
    rows = torch.arange(len(X), device=X.device)[:, None]
    copies = len(X) // len(gens)
    every, points = max(1, steps // curve_points), []
    for step in range(steps):
        if step % every == 0:
            points.append(kit.accuracy(model, *monitor))
        idx = (
            torch.stack([torch.randint(0, X.shape[1], (batch_size,), generator=g) for g in gens])
            .repeat(copies, 1)
            .to(X.device)
        )  # [M, batch_size]
        opt.zero_grad()
        logits = model(X[rows, idx])  # [M, batch_size, 10]
        loss = nn.functional.cross_entropy(logits.transpose(1, 2), y[rows, idx], reduction="none")
        loss.mean(1).sum().backward()
        opt.step()
    points.append(kit.accuracy(model, *monitor))
    return torch.stack(points, 1)


MNIST1D_MODELS = (
    ("logistic", lambda: nn.Linear(40, 10)),
    ("mlp", mnist1d_mlp),
    ("cnn", mnist1d_cnn),
)
DENSE = ("logistic", "mlp")  # no notion of neighbouring inputs: a shuffle only relabels them


class OrderFreeLinear(EnsembleLinear):
    """A dense layer (K members) that sums its inputs in an order set by its own weights,
    not by the inputs' labels: columns sorted by their first two weights. Relabelling
    the inputs and the weight columns alike then leaves every float operation as it was,
    so a shuffled twin stays bitwise equal through training. (Float addition is not
    associative: a plain matrix product sums in label order, and training, chaotic in
    the last bits, grows that rounding into a different network within a few hundred
    steps — seen with float32 and, later, float64: benchmarks/tuning/conv-vs-dense.md.)"""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        w = self.weight  # [K, out, in]
        with torch.no_grad():  # two stable sorts: by w[:, 0], ties by w[:, 1]
            order = w[:, 1].argsort(dim=-1, stable=True)
            order = order.gather(-1, w[:, 0].gather(-1, order).argsort(dim=-1, stable=True))
        x = x.gather(-1, order[:, None, :].expand(-1, x.shape[1], -1))
        w = w.gather(-1, order[:, None, :].expand(-1, w.shape[1], -1))
        return torch.baddbmm(self.bias.unsqueeze(1), x, w.transpose(1, 2))


def build_pair(make, name: str, seeds: list[int], perms: list[np.ndarray]) -> nn.Module:
    """Member k: seed k's model for spatial order; member K + k: the same seed's model for
    the shuffled positions, from the same initial weights — for a dense model with its
    first layer's columns permuted alike (input j of the shuffled data is input perm[j] of
    the plain), and that layer order-free (:class:`OrderFreeLinear`), so that the shuffled
    twin computes exactly what the plain model computes."""
    nets = []
    for seed in seeds:
        torch.manual_seed(sub_seed(seed, f"mnist1d/{name}"))
        nets.append(make())
    twins = [make() for _ in seeds]
    for net, twin, perm in zip(nets, twins, perms, strict=True):
        twin.load_state_dict(net.state_dict())
        if name in DENSE:
            first = twin if isinstance(twin, nn.Linear) else twin[0]
            with torch.no_grad():
                first.weight.copy_(first.weight[:, torch.as_tensor(perm)])
    model = ensemble_of(nets + twins)
    if name not in DENSE:
        return model
    if isinstance(model, EnsembleLinear):
        return OrderFreeLinear(model.weight.data, model.bias.data)
    model[0] = OrderFreeLinear(model[0].weight.data, model[0].bias.data)
    return model


def mnist1d_data(seeds: list[int], device):
    """Per member (seed k plain, then seed k shuffled): training, test and validation
    data, stacked; and each seed's position permutation and chance accuracy."""
    plain, shuffled, val_X, val_y, perms = [], [], [], [], []
    for seed in seeds:
        data = mnist1d(seed)
        perm = np.random.default_rng(seed).permutation(40)  # the one mnist1d's shuffle_seq draws
        mixed = mnist1d(seed, shuffle_seq=True)
        if not np.array_equal(mixed.X_train, data.X_train[:, perm]):
            raise RuntimeError("mnist1d's position shuffle changed: shuffle validation alike")
        X, y = mnist1d_validation(seed)  # fresh examples, shuffled like the training data
        plain.append(data)
        shuffled.append(mixed)
        val_X += [X, X[:, perm]]
        val_y.append(y)
        perms.append(perm)
    members = plain + shuffled

    def both(name):
        return kit.stacked([getattr(d, name) for d in members], device)

    X, y, X_test, y_test = (both(n) for n in ("X_train", "y_train", "X_test", "y_test"))
    val = (kit.stacked(val_X[0::2] + val_X[1::2], device), kit.stacked(val_y + val_y, device))
    chance = [kit.majority_share(d.y_test) for d in plain]
    return (X, y, X_test, y_test, val), perms, chance


def mnist1d_facts(cfg: Config, seeds: list[int], device, stages) -> list[dict]:
    """The paper's three models on MNIST-1D, in spatial order and with positions
    shuffled (see :func:`build_pair`): the same initial weights and batches, so the
    shuffle is the only difference."""
    (X, y, X_test, y_test, (X_val, y_val)), perms, chance = mnist1d_data(seeds, device)
    K = len(seeds)
    outs: list[dict] = [{"acc_chance_mnist1d": c} for c in chance]
    for name, make in MNIST1D_MODELS:
        model = build_pair(make, name, seeds, perms).to(device)
        gens = kit.generators(seeds, f"mnist1d/{name}/batches")
        curves = train(model, X, y, (X_val, y_val), cfg.steps, cfg.batch_size, cfg.lr, gens)
        with torch.no_grad():
            predictions = model(X_test).argmax(-1)  # [2K, n_test]
        acc = (predictions == y_test).double().mean(1)
        for k, out in enumerate(outs):
            for tag, m in (("", k), ("_shuffled", K + k)):
                out[f"acc_{name}{tag}"] = float(acc[m])
                out[f"curve_val_acc_{name}{tag}"] = kit.per_seed(curves[m])
            out[f"params_{name}"] = n_params(make())
            if name == "mlp":
                out["mlp_shuffle_changed_predictions"] = float(
                    (predictions[k] != predictions[K + k]).double().mean()
                )
        stages.done(f"mnist1d/{name}")
    for out in outs:
        out["param_ratio_cnn_mlp"] = out["params_cnn"] / out["params_mlp"]
    return outs


# Margins: 2 accuracy points on MNIST-1D, where the models differ by tens of points. The CNN
# is the arm the comparison says wins: its further progress can only widen the gap
# (favours supported); the MLP's could close it and must have levelled off. Tolerance:
# half the margin, on the same held-out accuracy.
CLAIMS_MNIST1D = (
    Claim(
        "cnn-more-accurate-mnist1d",
        "On MNIST-1D the CNN reaches a higher test accuracy than the MLP, by more than 2 points,"
        " after {cfg.steps} Adam steps each.",
        Greater("acc_cnn", "acc_mlp", margin=0.02),
        expected="supported",
        source=MNIST1D,
        kind="empirical",
        unit="points",
        preconditions=(
            *kit.trained(
                "acc_cnn",
                "acc_chance_mnist1d",
                0.2,
                "curve_val_acc_cnn",
                0.01,
                baseline_name="chance (majority class)",
                favours="supported",
            ),
            *kit.trained(
                "acc_mlp",
                "acc_chance_mnist1d",
                0.2,
                "curve_val_acc_mlp",
                0.01,
                baseline_name="chance (majority class)",
            ),
        ),
    ),
    Claim(
        "cnn-fewer-parameters",
        "…with far fewer parameters: the MNIST-1D CNN has at most half the MLP's.",
        AtMost("param_ratio_cnn_mlp", 0.5),
        expected="supported",
        source=MNIST1D,
        kind="identity",
        unit="",
    ),
)


def _acc(name: str, what: str) -> tuple:
    """A model's test accuracy and its validation curve, declared."""
    return (
        metric(
            f"acc_{name}",
            f"the {what}'s test accuracy",
            "%",
            better="higher",
            bounds=(0, 1),
            data="held-out",
        ),
        curve(
            f"curve_val_acc_{name}",
            f"the {what}'s validation accuracy during training",
            "%",
            better="higher",
            bounds=(0, 1),
            data="held-out",
        ),
    )


WHAT = {"logistic": "logistic regression", "mlp": "MLP", "cnn": "CNN"}
OUTPUTS_MNIST1D = (
    metric(
        "acc_chance_mnist1d",
        "the accuracy of always answering MNIST-1D's most common class",
        "%",
        better="higher",
        bounds=(0, 1),
        data="held-out",
    ),
    *(out for name in WHAT for out in _acc(name, f"MNIST-1D {WHAT[name]}")),
    *(
        metric(f"params_{name}", f"the MNIST-1D {WHAT[name]}'s parameter count", bounds=(0, np.inf))
        for name in WHAT
    ),
    metric(
        "param_ratio_cnn_mlp",
        "the MNIST-1D CNN's parameter count over the MLP's",
        bounds=(0, np.inf),
    ),
)

ANSWER_MNIST1D = """
**Parameters and accuracy.** On MNIST-1D the paper's CNN has {{ num(m.params_cnn) }}
parameters and the MLP {{ num(m.params_mlp) }}; after {{ num(cfg.steps) }} Adam steps the CNN
reached {{ pct(m.acc_cnn) }} test accuracy, the MLP {{ pct(m.acc_mlp) }} and logistic
regression {{ pct(m.acc_logistic) }} (the MNIST-1D paper, after 6,000 steps:
{{ pct(a["mnist1d_cnn"].value) }}, {{ pct(a["mnist1d_mlp"].value) }} and
{{ pct(a["mnist1d_logistic"].value) }}).
{% if v["cnn-more-accurate-mnist1d"] == "supported" %}The CNN is ahead by more than 2 points
with fewer parameters{% if c["cnn-more-accurate-mnist1d"].note %} (a conservative verdict: the
CNN was still improving, which can only widen its lead){% endif %}.{% elif
v["cnn-more-accurate-mnist1d"] == "refuted" %}Here the CNN was **not** ahead by more than 2
points.{% else %}Whether the CNN is ahead by more than 2 points is **inconclusive** at this
budget: {{ c["cnn-more-accurate-mnist1d"].reason }}.{% endif %}
A convolution shares one small kernel across all positions, so it learns "a stroke" once
rather than once per position.
"""

# %% 3. Shuffled positions
# One fixed permutation of the 40 positions, training and test alike. For the CNN it
# scatters every neighbourhood. For a dense layer it only relabels its inputs: trained from
# the matching (permuted) initial weights on the same batches, the shuffled MLP *is* the
# plain MLP with its first layer's columns reordered — an identity, checked on every seed by
# the test predictions that changed (none, in exact arithmetic).

CLAIMS_SHUFFLE = (
    Claim(
        "shuffle-hurts-cnn",
        "A fixed shuffle of the input positions costs the CNN more than 5 points of accuracy.",
        Greater("acc_cnn", "acc_cnn_shuffled", margin=0.05),
        expected="supported",
        source=MNIST1D,
        kind="empirical",
        unit="points",
        # the plain CNN wins: its progress can only widen the gap; the shuffled CNN's could
        # close it. Tolerance 1 point, under half the 5-point margin.
        preconditions=(
            *kit.trained(
                "acc_cnn",
                "acc_chance_mnist1d",
                0.2,
                "curve_val_acc_cnn",
                0.01,
                baseline_name="chance (majority class)",
                favours="supported",
            ),
            *kit.trained(
                "acc_cnn_shuffled",
                "acc_chance_mnist1d",
                0.2,
                "curve_val_acc_cnn_shuffled",
                0.01,
                baseline_name="chance (majority class)",
            ),
        ),
    ),
    Claim(
        "shuffle-spares-mlp",
        "The same shuffle changes nothing for the MLP: trained from the correspondingly"
        " permuted initial weights on the same batches, it makes exactly the same test"
        " predictions as the MLP trained on positions in order (on every seed).",
        Exact("mlp_shuffle_changed_predictions", 0.0, tol=0.0),
        expected="supported",
        source=MNIST1D + "; a dense layer is equivariant to permuting its inputs",
        kind="identity",
        unit="%",
    ),
)

OUTPUTS_SHUFFLE = (
    *(
        out
        for name in WHAT
        for out in _acc(f"{name}_shuffled", f"MNIST-1D {WHAT[name]} on shuffled positions")
    ),
    metric(
        "mlp_shuffle_changed_predictions",
        "the share of test examples on which the MLP trained on shuffled positions answers"
        " differently from the one trained on positions in order",
        "%",
        better=None,
        bounds=(0, 1),
        data="held-out",
    ),
)

ANSWER_SHUFFLE = """
**The CNN depends on neighbourhoods.** Shuffling MNIST-1D's 40 positions with one fixed
permutation (train and test alike) took the CNN from {{ pct(m.acc_cnn) }} to
{{ pct(m.acc_cnn_shuffled) }} (the paper: {{ pct(a["mnist1d_cnn_shuffled"].value) }} after
shuffling).
{% if v["shuffle-hurts-cnn"] == "supported" %}The shuffle cost the CNN more than 5
points.{% elif v["shuffle-hurts-cnn"] == "refuted" %}The shuffle did **not** cost the CNN more
than 5 points here.{% else %}Whether the shuffle costs the CNN more than 5 points is
**inconclusive** at this budget: {{ c["shuffle-hurts-cnn"].reason }}.{% endif %}
An MLP never knew which inputs were neighbours, so it has nothing to lose: the shuffle only
relabels its inputs. Trained from the same initial weights with its first layer's columns
permuted alike, on the same batches, the shuffled MLP reached {{ pct(m.acc_mlp_shuffled) }}
against {{ pct(m.acc_mlp) }}, and answered differently on
{{ pct(m.mlp_shuffle_changed_predictions) }} of the test examples
{%- if v["shuffle-spares-mlp"] == "supported" %}: it is the same network, on every seed (the
paper's MLP: {{ pct(a["mnist1d_mlp_shuffled"].value) }} either way). This is the MNIST-1D
paper's test of *spatial inductive bias*.{% else %} — not zero, so the check came out
**{{ v["shuffle-spares-mlp"] }}**: rounding that the relabelling changes grew through training,
or a bug, to find before reading further.{% endif %}
"""

# %% 4. Real digits and shifts
# A small CNN (two 3×3 convolutions, each followed by 2×2 max-pooling) and a 784-100-10 MLP
# per seed on 5,000 real digits; 500 of the training digits are held out for the
# validation curves. Test digits are then moved by up to max_shift pixels.


def digit_cnn() -> nn.Sequential:
    return nn.Sequential(
        nn.Unflatten(1, (1, 28, 28)),
        nn.Conv2d(1, 8, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),  # [batch, 8, 14, 14]
        nn.Conv2d(8, 16, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),  # [batch, 16, 7, 7]
        nn.Flatten(),
        nn.Linear(16 * 7 * 7, 10),
    )


def digit_mlp() -> nn.Sequential:
    return nn.Sequential(nn.Linear(784, 100), nn.ReLU(), nn.Linear(100, 10))


def shift_images(X: torch.Tensor, dy: int, dx: int) -> torch.Tensor:
    """Move 28×28 images ``X`` [..., 784] by (dy, dx) pixels, filling with background (0)."""
    img = X.reshape(-1, 28, 28)
    out = torch.zeros_like(img)
    h, w = 28 - abs(dy), 28 - abs(dx)
    out[:, max(dy, 0) : max(dy, 0) + h, max(dx, 0) : max(dx, 0) + w] = img[
        :, max(-dy, 0) : max(-dy, 0) + h, max(-dx, 0) : max(-dx, 0) + w
    ]
    return out.reshape(X.shape)


N_VAL_DIGITS = 500  # training digits held out for the validation curves


def digit_facts(cfg: Config, seeds: list[int], device, stages) -> list[dict]:
    """An MLP and a small CNN per seed on real digits, tested on the same test digits
    shifted by up to ``max_shift`` pixels (each of four directions, averaged)."""
    splits = [mnist_digits(seed) for seed in seeds]
    X, y, X_test, y_test = (
        kit.stacked([getattr(d, n) for d in splits], device)
        for n in ("X_train", "y_train", "X_test", "y_test")
    )
    val, X, y = (X[:, :N_VAL_DIGITS], y[:, :N_VAL_DIGITS]), X[:, N_VAL_DIGITS:], y[:, N_VAL_DIGITS:]
    outs = [{"acc_chance_digits": kit.majority_share(d.y_test)} for d in splits]
    for name, make in (("mlp", digit_mlp), ("cnn", digit_cnn)):
        nets = []
        for seed in seeds:
            torch.manual_seed(sub_seed(seed, f"digits/{name}"))
            nets.append(make())
        model = ensemble_of(nets).to(device)
        gens = kit.generators(seeds, f"digits/{name}/batches")
        curves = train(model, X, y, val, cfg.digit_steps, cfg.digit_batch_size, cfg.digit_lr, gens)
        shift_curve = []  # [shift][member]
        for d in range(cfg.max_shift + 1):
            moves = [(0, d), (0, -d), (d, 0), (-d, 0)] if d else [(0, 0)]
            accs = [kit.accuracy(model, shift_images(X_test, dy, dx), y_test) for dy, dx in moves]
            shift_curve.append(kit.per_seed(torch.stack(accs).mean(0)))
        for k, out in enumerate(outs):
            shifted = [c[k] for c in shift_curve]
            out[f"curve_val_acc_digits_{name}"] = kit.per_seed(curves[k])
            out[f"digits_shift_curve_{name}"] = shifted
            out[f"acc_digits_{name}"] = shifted[0]
            out[f"shift_drop_{name}"] = shifted[0] - shifted[cfg.claim_shift]
            out[f"params_digits_{name}"] = n_params(make())
        stages.done(f"digits/{name}")
    return outs


def trained_digits(name: str, favours: str | None = None) -> tuple:
    """The digit model learned (20 points above the majority class) and its validation
    accuracy levelled off, to half a point: half the 1-point margin of the accuracy claim."""
    return kit.trained(
        f"acc_digits_{name}",
        "acc_chance_digits",
        0.2,
        f"curve_val_acc_digits_{name}",
        0.005,
        baseline_name="chance (majority class)",
        favours=favours,
    )


# Margins: 1 point on the digits, where errors are a few percent, so one point is a large
# share of them; 2 points for the shift drops (an average over four directions of 1,000
# test digits each). The shift claim's arms could move either way with more training.
CLAIMS_DIGITS = (
    Claim(
        "cnn-more-accurate-digits",
        "On real MNIST digits the CNN reaches a higher test accuracy than the MLP, by more"
        " than 1 point, after {cfg.digit_steps} Adam steps each.",
        Greater("acc_digits_cnn", "acc_digits_mlp", margin=0.01),
        expected="supported",
        source="LeCun et al. 1998",
        kind="empirical",
        unit="points",
        preconditions=(*trained_digits("cnn", "supported"), *trained_digits("mlp")),
    ),
    Claim(
        "pooling-tolerates-shifts",
        "With pooling, the CNN's accuracy falls less than the MLP's when test digits are"
        " shifted by {cfg.claim_shift} pixels, by more than 2 points.",
        Greater("shift_drop_mlp", "shift_drop_cnn", margin=0.02),
        expected="supported",
        source="Goodfellow et al. 2016 §9.3",
        kind="empirical",
        unit="points",
        preconditions=(*trained_digits("cnn"), *trained_digits("mlp")),
    ),
)

OUTPUTS_DIGITS = (
    metric(
        "acc_chance_digits",
        "the accuracy of always answering the digits' most common class",
        "%",
        better="higher",
        bounds=(0, 1),
        data="held-out",
    ),
    *(
        out
        for name, what in (("mlp", "digit MLP"), ("cnn", "digit CNN"))
        for out in (
            metric(
                f"acc_digits_{name}",
                f"the {what}'s test accuracy",
                "%",
                better="higher",
                bounds=(0, 1),
                data="held-out",
            ),
            curve(
                f"curve_val_acc_digits_{name}",
                f"the {what}'s validation accuracy during training",
                "%",
                better="higher",
                bounds=(0, 1),
                data="held-out",
            ),
            series(
                f"digits_shift_curve_{name}",
                f"the {what}'s test accuracy against the shift of the test digits",
                "%",
                bounds=(0, 1),
            ),
            metric(
                f"shift_drop_{name}",
                f"how much the {what}'s test accuracy falls when the test digits are shifted",
                "points",
                better="lower",
                bounds=(-1, 1),
                data="held-out",
            ),
            metric(f"params_digits_{name}", f"the {what}'s parameter count", bounds=(0, np.inf)),
        )
    ),
)

ANSWER_DIGITS = """
**Real digits.** On the 28×28 digits a two-layer CNN ({{ num(m.params_digits_cnn) }}
parameters) reached {{ pct(m.acc_digits_cnn) }} against {{ pct(m.acc_digits_mlp) }} for a
784-100-10 MLP ({{ num(m.params_digits_mlp) }}).
{% if v["cnn-more-accurate-digits"] == "supported" %}The CNN is ahead by more than a
point.{% elif v["cnn-more-accurate-digits"] == "refuted" %}Here the CNN was **not** ahead by
more than a point.{% else %}Whether the CNN is ahead by more than a point is
**inconclusive** at this budget: {{ c["cnn-more-accurate-digits"].reason }}.{% endif %}

**Shifts.** Moving test digits by {{ cfg.claim_shift }} pixels cost the CNN
{{ with_unit(m.shift_drop_cnn, "points") }} of accuracy and the MLP
{{ with_unit(m.shift_drop_mlp, "points") }}. The convolutions move their feature maps along
with the digit; the MLP sees different pixels light up and has never learned them. That
max-pooling then absorbs part of the move is the textbook explanation (Goodfellow et al.
2016, chapter 9, on pooling) — our CNN has no arm without pooling, so we did not measure its share.
{% if v["pooling-tolerates-shifts"] == "supported" %}The CNN's drop is smaller by more than
2 points.{% elif v["pooling-tolerates-shifts"] == "refuted" %}Yet the CNN's drop was **not**
smaller by more than 2 points: pooling gives tolerance only up to its window, and the final
fully connected layer still reads positions — neither network was trained on shifted
digits.{% else %}Whether the CNN's drop is smaller by more than 2 points is
**inconclusive** at this budget: {{ c["pooling-tolerates-shifts"].reason }}.{% endif %}
"""

# %% The trial


def batched_trial(cfg: Config, seeds: list[int], ctx) -> list[dict]:
    """The seeds of a batch trained side by side as ensembles (deepfaq.nn.ensemble):
    each seed keeps its own data, initial weights and batch order, as if trained
    alone. Returns one trial output per seed."""
    stages = kit.Stages(
        ctx,
        **{"mnist1d/logistic": 1, "mnist1d/mlp": 2, "mnist1d/cnn": 6},
        **{"digits/mlp": 2, "digits/cnn": 8},
    )
    photos = kernel_facts(cfg)
    outs = mnist1d_facts(cfg, seeds, ctx.device, stages)
    for out, more in zip(outs, digit_facts(cfg, seeds, ctx.device, stages), strict=True):
        out.update(more)
    for seed, out in zip(seeds, outs, strict=True):
        out["equivariance_error"] = equivariance_error(kit.generator(seed, "equivariance"))
        out.update(photos)
    return outs


CLAIMS = CLAIMS_MNIST1D + CLAIMS_SHUFFLE + CLAIMS_DIGITS + CLAIMS_KERNELS
OUTPUTS = OUTPUTS_KERNELS + OUTPUTS_MNIST1D + OUTPUTS_SHUFFLE + OUTPUTS_DIGITS
ANSWER = ANSWER_MNIST1D + ANSWER_SHUFFLE + ANSWER_DIGITS + ANSWER_KERNELS

# %% Figures


def figures(result, new_figure) -> None:
    from deepfaq.core.figures import band, bars, color

    fig, axes = new_figure("kernels", ncols=len(KERNEL_KEYS), figsize=(2.2 * len(KERNEL_KEYS), 2.6))
    for ax, (name, key) in zip(axes[0], KERNEL_KEYS.items(), strict=True):
        ax.imshow(np.asarray(result.series[f"photo_{key}"][0]), cmap="gray")
        ax.set_title(name, fontsize=8)
        ax.set_axis_off()

    fig, ax = new_figure("shift-robustness")
    for name, label in (("cnn", "CNN (conv + max-pool)"), ("mlp", "MLP")):
        c = 100 * np.asarray(result.series[f"digits_shift_curve_{name}"], dtype=float)
        band(
            ax,
            np.arange(c.shape[1]),
            c,
            marker="o",
            label=label,
            color=color(name),
            bounds=(0, 100),
        )
    ax.set_xlabel("shift of the test digits (pixels)")
    ax.set_ylabel("test accuracy (%)")
    ax.legend(fontsize=8)

    fig, ax = new_figure("mnist1d-accuracy")
    for i, (m, label) in enumerate(WHAT.items()):
        bars(
            ax,
            ["spatial order", "positions shuffled"],
            [100 * np.asarray(result.metrics[f"acc_{m}{tag}"]) for tag in ("", "_shuffled")],
            label=label,
            color=color(m),
            group=i,
            groups=len(WHAT),
            bounds=(0, 100),
        )
    ax.set_ylabel("MNIST-1D test accuracy (%)")
    ax.legend(
        fontsize=8, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=3, frameon=False
    )  # above the axes: bars and error bars reach the top

    fig, axes = new_figure("validation-curves", ncols=2, figsize=(10, 3.6))
    ax = axes[0][0]
    for name, label in (("cnn", "CNN"), ("cnn_shuffled", "CNN, shuffled"), ("mlp", "MLP")):
        c = 100 * np.asarray(result.series[f"curve_val_acc_{name}"], dtype=float)
        x = np.linspace(0, result.config["steps"], c.shape[1])
        style = {"ls": "--"} if "shuffled" in name else {}
        band(ax, x, c, label=label, color=color(name.split("_")[0]), bounds=(0, 100), **style)
    ax.set_title("MNIST-1D", fontsize=9)
    ax.set_xlabel("training step")
    ax.set_ylabel("validation accuracy (%)")
    ax.legend(fontsize=8)
    ax = axes[0][1]
    for name, label in (("cnn", "CNN"), ("mlp", "MLP")):
        c = 100 * np.asarray(result.series[f"curve_val_acc_digits_{name}"], dtype=float)
        x = np.linspace(0, result.config["digit_steps"], c.shape[1])
        band(ax, x, c, label=label, color=color(name), bounds=(0, 100))
    ax.set_title("real digits", fontsize=9)
    ax.set_xlabel("training step")
    ax.legend(fontsize=8)


QUESTION = Question(
    id="conv-vs-dense",
    topic="Architectures for sequences and images",
    paraphrases=(
        "Why use convolutions for images instead of fully connected layers?",
        "what advantage does a CNN have over an MLP on pictures",
        "why are convolutional layers translation equivariant",
        "weight sharing in convolutional neural networks",
    ),
    title="Why convolutions for images instead of fully connected layers?",
    asked="Why use convolutional layers for images rather than fully connected ones?",
    config=Config,
    profiles=PROFILES,
    trial=None,
    batched_trial=batched_trial,
    # Does pooling's tolerance of shifts grow with the shift? One set of models per
    # point (the shift only changes which test drop the claim reads), three seeds.
    sweep=Sweep(
        {"claim_shift": (1, 2, 3, 4)},
        profile="quick",
        seeds=3,
        note="pooling-tolerates-shifts against the test shift in pixels",
        full=Sweep(
            {"claim_shift": (1, 2, 3, 4, 5, 6, 8)},
            profile="full",
            fixed={"max_shift": 8},
            note="pooling-tolerates-shifts against the test shift in pixels, at the full budget",
        ),
    ),
    claims=CLAIMS,
    outputs=OUTPUTS,
    figures=figures,
    answer=ANSWER,
    colors={
        "cnn": PALETTE[2],
        "mlp": PALETTE[3],
        "logistic regression": PALETTE[6],
        "logistic": PALETTE[6],
    },
    key_claims=(
        "cnn-more-accurate-mnist1d",
        "cnn-fewer-parameters",
        "equivariance",
        "shuffle-hurts-cnn",
        "pooling-tolerates-shifts",
    ),
    one_line=(
        '{{ by_verdict(v["cnn-more-accurate-mnist1d"], "Because a convolution reuses one small'
        " kernel at every position and looks only at neighbouring pixels, so a CNN learns"
        " images with far fewer parameters and reaches higher accuracy than a fully connected"
        " network, which must learn every position separately and ignores which pixels are"
        ' neighbours.", "Weight sharing gives a CNN far fewer parameters, but in this run it'
        ' was not more accurate than the fully connected network.", "Weight sharing gives a'
        " CNN far fewer parameters and uses which pixels are neighbours; whether it is also"
        ' more accurate this run could not decide.") }}'
    ),
    anchors=(
        Anchor(
            "MNIST-1D test accuracy, logistic regression",
            "32%",
            MNIST1D,
            metric="acc_logistic",
            key="mnist1d_logistic",
            value=0.32,
            unit="%",
        ),
        Anchor(
            "MNIST-1D test accuracy, MLP",
            "68%",
            MNIST1D,
            metric="acc_mlp",
            key="mnist1d_mlp",
            value=0.68,
            unit="%",
            note="the paper trains 6,000 steps; quick trains fewer (see config)",
        ),
        Anchor(
            "MNIST-1D test accuracy, CNN",
            "94%",
            MNIST1D,
            metric="acc_cnn",
            key="mnist1d_cnn",
            value=0.94,
            unit="%",
            note="the paper trains 6,000 steps; quick trains fewer (see config)",
        ),
        Anchor(
            "…with positions shuffled, logistic",
            "32%",
            MNIST1D,
            metric="acc_logistic_shuffled",
            key="mnist1d_logistic_shuffled",
            value=0.32,
            unit="%",
        ),
        Anchor(
            "…with positions shuffled, MLP",
            "68%",
            MNIST1D,
            metric="acc_mlp_shuffled",
            key="mnist1d_mlp_shuffled",
            value=0.68,
            unit="%",
        ),
        Anchor(
            "…with positions shuffled, CNN",
            "56%",
            MNIST1D,
            metric="acc_cnn_shuffled",
            key="mnist1d_cnn_shuffled",
            value=0.56,
            unit="%",
        ),
        Anchor(
            "parameters: CNN / MLP",
            "5,210 / 15,210",
            MNIST1D,
            metric="param_ratio_cnn_mlp",
            key="param_ratio",
            value=5210 / 15210,
            unit="",
            note="ours: the ratio",
        ),
    ),
    references=(
        "Greydanus & Kobak (2020). Scaling down deep learning with MNIST-1D. arXiv:2011.14439"
        " (ICML 2024).",
        "LeCun, Bottou, Bengio & Haffner (1998). Gradient-based learning applied to document"
        " recognition. Proc. IEEE.",
        "Goodfellow, Bengio & Courville (2016). Deep Learning, ch. 9.",
    ),
)
