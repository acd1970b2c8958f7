"""Why do residual connections let us train deep networks?

Stacking more layers should never make a network fit its training set worse: the extra
layers could learn the identity and leave the shallower network's solution untouched.
Yet He, Zhang, Ren & Sun (2016) found that plain networks do get worse — on the
*training* set, so it is not overfitting — as they grow deeper (their 34-layer plain
net had a higher training error than their 18-layer one), even with batch
normalisation. They called it the degradation problem and fixed it with identity
shortcuts: each block computes x + F(x), so that doing nothing is the default and a
block only has to learn a correction. The same shortcut carries the gradient from the
loss straight back to the early layers (He et al. 2016b, eq. 5).

We repeat the comparison with multilayer perceptrons on scikit-learn's 8×8 digits:
He et al.'s basic block (two linear layers, each followed by batch normalisation, ReLU
after the addition) stacked to depths from 4 to 64, with and without the shortcut — the
same weights, so the same number of parameters — and we measure the first layer's
gradient at initialisation against depth.

Sections, each prose → code → claims → answer: 1. the networks and the training loop;
2. degradation without shortcuts; 3. no degradation with them; 4. the gradient at the
first layer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Annotated

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from deepfaq.core.claims import AtMost, Beats, Claim, Converged, Greater
from deepfaq.core.config import Range
from deepfaq.core.errors import BadConfig
from deepfaq.core.figures import PALETTE
from deepfaq.core.outputs import curve, metric, series
from deepfaq.core.question import Anchor, Profile, Question
from deepfaq.data import sklearn_digits
from deepfaq.experiments import kit


@dataclass(frozen=True)
class Config:
    # numbers of weight layers: an input layer, two per block, an output layer (even, ≥ 4)
    depths: tuple[int, ...] = (4, 8, 16, 32, 64)
    width: int = 32  # units of every hidden layer
    steps: int = 400  # Adam steps at every depth
    lr: float = 3e-3  # Adam's learning rate
    batch_size: int = 128
    eval_every: Annotated[int, Range(1, 1000)] = 10  # steps between accuracy checkpoints

    def __post_init__(self):
        if len(self.depths) < 2 or any(d < 4 or d % 2 for d in self.depths):
            raise BadConfig(f"depths must be at least two even numbers ≥ 4, got {self.depths}")
        if list(self.depths) != sorted(set(self.depths)):
            raise BadConfig(f"depths must grow, got {self.depths}")


PROFILES = {
    "smoke": Profile(Config(depths=(4, 8), steps=40, eval_every=2), seeds=2, seed_batch=2),
    "quick": Profile(Config(), seeds=5, seed_batch=5),
    "full": Profile(Config(steps=800), seeds=10, seed_batch=10),
}

# %% 1. The networks and the training loop
# A net of depth D: a linear layer from the 64 pixels to `width` units, (D − 2)/2 basic
# blocks, and a linear layer to the ten classes; every hidden linear layer is followed by
# batch normalisation (He et al.'s nets have it too, so the plain nets' trouble cannot be
# badly scaled signals). A block computes
#     plain:    h ← ReLU(BN(W₂ ReLU(BN(W₁ h))))
#     residual: h ← ReLU(h + BN(W₂ ReLU(BN(W₁ h))))
# The shortcut has no weights: within a seed the plain and the residual net of a depth
# start from the same weights and see the same minibatches, so the shortcut is the only
# difference. Both train in one ensemble (member m adds s_m·h, s_m = 0 or 1).

ARMS = {"plain": "plain", "res": "residual"}


class BlockNet(nn.Module):
    """M networks of one depth on ``[M, batch, 64]``, member m with shortcut ``skip[m]``.

    Every weight has a leading member dimension. Batch normalisation is torch's fused
    ``F.batch_norm`` on ``[batch, M·width]``: each member's units are separate channels,
    so each member normalises over its own batch with its own statistics (what
    :class:`deepfaq.nn.ensemble.EnsembleBatchNorm` computes, in one operation)."""

    def __init__(self, depth: int, width: int, skip: torch.Tensor, gens, n_in: int = 64):
        super().__init__()
        M, L = len(skip), depth - 1  # L hidden linear layers, each followed by BN
        self.M, self.width = M, width
        self.register_buffer("skip", skip.reshape(M, 1, 1).float())

        def he(shape, fan_in: int, part: str) -> torch.Tensor:  # He normal, per member
            w = torch.empty(M, *shape)
            for m, g in enumerate(gens(part)):
                w[m].normal_(0.0, math.sqrt(2.0 / fan_in), generator=g)
            return w

        self.w_in = nn.Parameter(he((width, n_in), n_in, "in"))  # [M, width, 64]
        self.w_hidden = nn.Parameter(he((L - 1, width, width), width, "hidden"))
        self.gamma = nn.Parameter(torch.ones(L, M * width))
        self.beta = nn.Parameter(torch.zeros(L, M * width))
        self.register_buffer("running_mean", torch.zeros(L, M * width))
        self.register_buffer("running_var", torch.ones(L, M * width))
        self.w_out = nn.Parameter(he((10, width), 2 * width, "out"))  # Xavier-scaled
        self.b_out = nn.Parameter(torch.zeros(M, 10))

    def bn(self, z: torch.Tensor, i: int, gamma, beta) -> torch.Tensor:
        B = z.shape[1]  # z: [M, batch, width] → channels member-major: [batch, M·width]
        flat = z.transpose(0, 1).reshape(B, self.M * self.width)
        out = F.batch_norm(
            flat, self.running_mean[i], self.running_var[i], gamma[i], beta[i], self.training
        )
        return out.reshape(B, self.M, self.width).transpose(0, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        gamma, beta = self.gamma.unbind(0), self.beta.unbind(0)  # one backward for all
        ws = self.w_hidden.unbind(1)
        h = torch.relu(self.bn(torch.bmm(x, self.w_in.transpose(1, 2)), 0, gamma, beta))
        for i in range(0, len(ws), 2):
            z = torch.relu(self.bn(torch.bmm(h, ws[i].transpose(1, 2)), i + 1, gamma, beta))
            z = self.bn(torch.bmm(z, ws[i + 1].transpose(1, 2)), i + 2, gamma, beta)
            h = torch.relu(torch.addcmul(z, self.skip, h))  # z + s·h
        return torch.baddbmm(self.b_out.unsqueeze(1), h, self.w_out.transpose(1, 2))

    def n_params(self) -> int:
        """Parameters of one member (every tensor has the member dimension first)."""
        return sum(p.numel() for p in self.parameters()) // self.M


def train_depth(depth: int, cfg: Config, seeds: list[int], data) -> dict:
    """Plain and residual nets of one depth for every seed (member a·K + k: arm a,
    seed k), trained by Adam as one ensemble. Returns per member the first layer's
    gradient norm on the first minibatch (at initialisation), the training accuracy
    every ``eval_every`` steps and the final test accuracy."""
    K = len(seeds)
    X, y, X_test, y_test = (t.repeat(2, *[1] * (t.dim() - 1)) for t in data)  # [2K, ...]
    net = BlockNet(
        depth,
        cfg.width,
        torch.tensor([0] * K + [1] * K),
        lambda part: [kit.generator(seeds[m % K], f"init/{depth}/{part}") for m in range(2 * K)],
    ).to(X.device)
    order = (
        torch.stack(  # every step's batch, drawn up front, the same for both arms
            [
                torch.randint(0, X.shape[1], (cfg.steps, cfg.batch_size), generator=g)
                for g in kit.generators(seeds, f"batches/{depth}")
            ]
        )
        .to(X.device)
        .repeat(2, 1, 1)
    )
    rows = torch.arange(2 * K, device=X.device)[:, None]
    opt = torch.optim.Adam(net.parameters(), lr=cfg.lr, foreach=True)
    train_curve, grad0 = [], None
    for step in range(cfg.steps + 1):
        if step % cfg.eval_every == 0:
            train_curve.append(kit.accuracy(net, X, y))
        if step == cfg.steps:
            break
        idx = order[:, step]
        opt.zero_grad()
        logits = net(X[rows, idx])
        F.cross_entropy(logits.transpose(1, 2), y[rows, idx], reduction="none").mean(
            1
        ).sum().backward()
        if grad0 is None:
            grad0 = net.w_in.grad.flatten(1).norm(dim=1)  # [2K]
        opt.step()
    return {
        "train": torch.stack(train_curve, 1),
        "test": kit.accuracy(net, X_test, y_test),
        "grad0": grad0,
        "params": net.n_params(),
    }


def batched_trial(cfg: Config, seeds: list[int], ctx) -> list[dict]:
    """Every depth in turn, the seeds of a batch and both arms side by side as one
    ensemble; returns one trial output per seed."""
    K, dev = len(seeds), ctx.device
    splits = [sklearn_digits(seed) for seed in seeds]
    names = ("X_train", "y_train", "X_test", "y_test")
    data = tuple(kit.stacked([getattr(d, n) for d in splits], dev) for n in names)
    outs = [
        {
            "acc_chance": kit.majority_share(d.y_train),
            "depth_axis": list(cfg.depths),
            "steps_axis": list(range(0, cfg.steps + 1, cfg.eval_every)),
            **{
                f"{what}_by_depth_{arm}": []
                for what in ("train_acc", "test_acc", "grad")
                for arm in ARMS
            },
        }
        for d in splits
    ]
    stages = kit.Stages(ctx, **{f"depth{d}": d for d in cfg.depths})
    for depth in cfg.depths:
        res = train_depth(depth, cfg, seeds, data)
        for k, out in enumerate(outs):
            for a, arm in enumerate(ARMS):
                m = a * K + k
                out[f"train_acc_by_depth_{arm}"].append(float(res["train"][m, -1]))
                out[f"test_acc_by_depth_{arm}"].append(float(res["test"][m]))
                out[f"grad_by_depth_{arm}"].append(float(res["grad0"][m]))
                if depth in (cfg.depths[0], cfg.depths[-1]):
                    end = "shallow" if depth == cfg.depths[0] else "deep"
                    out[f"curve_train_acc_{arm}_{end}"] = kit.per_seed(res["train"][m])
            out["params_deep"] = float(res["params"])
        stages.done(f"depth{depth}")
    for out in outs:
        depth_facts(out)
    return outs


def depth_facts(out: dict) -> None:
    """The claims' numbers: the shallowest and the deepest net of each arm."""
    for arm in ARMS:
        acc = out[f"train_acc_by_depth_{arm}"]
        out[f"train_acc_{arm}_shallow"], out[f"train_acc_{arm}_deep"] = acc[0], acc[-1]
        out[f"drop_{arm}"] = acc[0] - acc[-1]
        g = out[f"grad_by_depth_{arm}"]
        out[f"grad_decades_{arm}"] = abs(math.log10(g[-1] / g[0])) if g[0] > 0 < g[-1] else math.nan
    out["test_acc_plain_deep"] = out["test_acc_by_depth_plain"][-1]
    out["test_acc_res_deep"] = out["test_acc_by_depth_res"][-1]


OUTPUTS_TRAINING = (
    metric(
        "acc_chance",
        "the training accuracy of always answering the most common digit",
        "%",
        better="higher",
        bounds=(0, 1),
        data="train",
    ),
    metric(
        "params_deep",
        "the parameters of one deepest network (the same with or without shortcuts)",
        bounds=(0, math.inf),
    ),
    series("depth_axis", "the depths trained (weight layers)"),
    series("steps_axis", "the training steps at which the accuracies were measured"),
    *(
        o
        for arm, name in ARMS.items()
        for o in (
            series(
                f"train_acc_by_depth_{arm}",
                f"the final training accuracy of the {name} net at each depth",
                "%",
                bounds=(0, 1),
            ),
            series(
                f"test_acc_by_depth_{arm}",
                f"the final test accuracy of the {name} net at each depth",
                "%",
                bounds=(0, 1),
            ),
            series(
                f"grad_by_depth_{arm}",
                f"the norm of the first layer's gradient at initialisation in the {name} net,"
                " at each depth",
                bounds=(0, math.inf),
            ),
            *(
                metric(
                    f"train_acc_{arm}_{end}",
                    f"the final training accuracy of the {where} {name} net",
                    "%",
                    better="higher",
                    bounds=(0, 1),
                    data="train",
                )
                for end, where in (("shallow", "shallowest"), ("deep", "deepest"))
            ),
            *(
                curve(
                    f"curve_train_acc_{arm}_{end}",
                    f"the training accuracy during training of the {where} {name} net",
                    "%",
                    x="Adam step",
                    better="higher",
                    bounds=(0, 1),
                    data="train",
                )
                for end, where in (("shallow", "shallowest"), ("deep", "deepest"))
            ),
            metric(
                f"test_acc_{arm}_deep",
                f"the final test accuracy of the deepest {name} net",
                "%",
                better="higher",
                bounds=(0, 1),
                data="held-out",
            ),
        )
    ),
)

# %% 2. Degradation without shortcuts
# The claims compare the shallowest and the deepest net after the same number of steps,
# on the training set (as He et al. do: degradation is a failure to fit, not to
# generalise). Margin: 2 points of training accuracy, the smallest drop we would call
# worse (on 1,437 training digits one accuracy moves by well under a point from seed to
# seed). The shallow net must have learned; the deep plain net must have stopped improving
# within half the margin (more training could close the gap), while the shallow one,
# still improving, could only widen it (favours).

CLAIMS_PLAIN = (
    Claim(
        "plain-degrades",
        "Without shortcuts, of the nets with {cfg.depths} weight layers the deepest fits the"
        " training set worse than the shallowest: its training accuracy after {cfg.steps}"
        " Adam steps is more than 2 points lower.",
        Greater("train_acc_plain_shallow", "train_acc_plain_deep", margin=0.02),
        expected="supported",
        source="He et al. 2016a, Fig. 1 and Table 2 (34-layer plain above 18-layer plain in"
        " training error)",
        kind="empirical",
        unit="points",
        preconditions=(
            Beats("train_acc_plain_shallow", "acc_chance", margin=0.5, baseline_name="chance"),
            Converged("curve_train_acc_plain_shallow", tol=0.01, favours="supported"),
            Converged("curve_train_acc_plain_deep", tol=0.01),
        ),
    ),
)

ANSWER_PLAIN = """
**Deeper plain networks fit worse.** Without shortcuts, after {{ num(cfg.steps) }} Adam steps
the shallowest network ({{ cfg.depths[0] }} weight layers) fitted
{{ pct(m.train_acc_plain_shallow) }} of the training digits and the deepest
({{ cfg.depths[-1] }} layers) {{ pct(m.train_acc_plain_deep) }}, although the deeper network
could represent everything the shallower one can (its extra blocks would only have to pass
their input through).
{% if v["plain-degrades"] == "supported" %}That is more than 2 points worse on the training
set itself: He et al.'s degradation problem, which no amount of regularisation explains.
{% elif v["plain-degrades"] == "refuted" %}That is not 2 points worse here: at this size and
budget the plain networks did not degrade.{% else %}Whether the deepest plain net fits more
than 2 points worse is not decided: {{ c["plain-degrades"].reason }}.{% endif %}
"""

# %% 3. No degradation with shortcuts
# The same comparison with shortcuts, as a bound: the deepest residual net's training
# accuracy at most 2 points below the shallowest's. The deepest net still improving could
# only help (favours); the shallowest must have stopped improving (tolerance half the
# bound's 2 points). And at the deepest depth, at equal parameters, the shortcut itself:
# the residual net beats the plain one by more than 2 points of training accuracy.

CLAIMS_RESIDUAL = (
    Claim(
        "residual-does-not-degrade",
        "With shortcuts the deepest net fits the training set at least as well as the"
        " shallowest, within 2 points, after the same {cfg.steps} Adam steps.",
        AtMost("drop_res", 0.02),
        expected="supported",
        source="He et al. 2016a, Fig. 4 and Table 2 (34-layer ResNet below 18-layer ResNet in"
        " training error)",
        kind="empirical",
        unit="points",
        preconditions=(
            Beats("train_acc_res_shallow", "acc_chance", margin=0.5, baseline_name="chance"),
            Converged("curve_train_acc_res_shallow", tol=0.01),
            Converged("curve_train_acc_res_deep", tol=0.01, favours="supported"),
        ),
    ),
    Claim(
        "shortcut-rescues-depth",
        "At the deepest depth, with the same weights and so the same number of parameters,"
        " the residual net's training accuracy beats the plain net's by more than 2 points.",
        Greater("train_acc_res_deep", "train_acc_plain_deep", margin=0.02),
        expected="supported",
        source="He et al. 2016a, Table 2 and Fig. 4",
        kind="empirical",
        unit="points",
        preconditions=(
            Beats("train_acc_res_deep", "acc_chance", margin=0.5, baseline_name="chance"),
            Converged("curve_train_acc_res_deep", tol=0.01, favours="supported"),
            Converged("curve_train_acc_plain_deep", tol=0.01),
        ),
    ),
)

OUTPUTS_RESIDUAL = tuple(
    metric(
        f"drop_{arm}",
        f"how much lower the deepest {name} net's training accuracy is than the shallowest's",
        "points",
        bounds=(-1, 1),
        data="train",
    )
    for arm, name in ARMS.items()
)

ANSWER_RESIDUAL = """
**With shortcuts they do not.** The residual networks fitted {{ pct(m.train_acc_res_shallow) }}
of the training digits at {{ cfg.depths[0] }} layers and {{ pct(m.train_acc_res_deep) }} at
{{ cfg.depths[-1] }}{% if v["residual-does-not-degrade"] == "supported" %}: no more than 2
points lower, so depth no longer costs fit.{% elif v["residual-does-not-degrade"] == "refuted"
%}: more than 2 points lower, so even with shortcuts depth cost fit here.{% else %}; whether the
deepest is within 2 points of the shallowest is not decided:
{{ c["residual-does-not-degrade"].reason }}.{% endif %}
At {{ cfg.depths[-1] }} layers both networks have the same {{ num(m.params_deep) }} parameters
and start from the same weights; the shortcut alone
{% if v["shortcut-rescues-depth"] == "supported" %}lifted the training accuracy by more than 2
points ({{ pct(m.train_acc_plain_deep) }} → {{ pct(m.train_acc_res_deep) }}; test accuracy
{{ pct(m.test_acc_plain_deep) }} → {{ pct(m.test_acc_res_deep) }}).
{% elif v["shortcut-rescues-depth"] == "refuted" %}did not lift the training accuracy by 2
points ({{ pct(m.train_acc_plain_deep) }} → {{ pct(m.train_acc_res_deep) }}).
{% else %}lifted the training accuracy from {{ pct(m.train_acc_plain_deep) }} to
{{ pct(m.train_acc_res_deep) }}, by a margin not decided: {{ c["shortcut-rescues-depth"].reason }}.
{% endif %}
He et al.'s explanation: with x + F(x), a block that should do nothing only has to drive F
towards zero, which is easy; without the shortcut it has to learn the identity through a
stack of nonlinear layers, which optimisers find hard.
"""

# %% 4. The gradient at the first layer
# On the first minibatch, before any update, the norm of the loss's gradient with respect
# to the first layer's weights, at every depth. The claim is about how much it changes
# from the shallowest to the deepest net, in decades (orders of magnitude, either way:
# vanishing or exploding): more than one decade more without shortcuts than with them.
# Measured at initialisation, so no arm trains (an exemption, written on the claim).

CLAIMS_GRADIENT = (
    Claim(
        "gradient-kept-in-scale",
        "At initialisation the first layer's gradient changes by more orders of magnitude"
        " between the shallowest and the deepest net without shortcuts than with them, by"
        " more than one order of magnitude.",
        Greater("grad_decades_plain", "grad_decades_res", margin=1.0),
        expected="supported",
        source="He et al. 2016b, eq. 5 (the shortcut carries the gradient to early layers);"
        " Yang et al. 2019 (gradients explode with depth in batch-normalised plain nets)",
        kind="empirical",
        unit="decades",
        exempt={
            "trained-arms": "measured at initialisation, on the first minibatch, before any"
            " training: no arm trains"
        },
    ),
)

OUTPUTS_GRADIENT = tuple(
    metric(
        f"grad_decades_{arm}",
        f"how many orders of magnitude the first layer's gradient at initialisation changes"
        f" between the shallowest and the deepest {name} net",
        "decades",
        bounds=(0, math.inf),
    )
    for arm, name in ARMS.items()
)

ANSWER_GRADIENT = """
**Why: the gradient reaches the first layer on the scale it left the last.** Before any
training, going from {{ cfg.depths[0] }} to {{ cfg.depths[-1] }} layers changed the first
layer's gradient by {{ num(m.grad_decades_plain) }} orders of magnitude without shortcuts and
by {{ num(m.grad_decades_res) }} with them (third figure).
{% if v["gradient-kept-in-scale"] == "supported" %}The shortcut kept it within reach: each
block adds its correction to an identity path, so the gradient arriving at an early layer
always includes the gradient at the top unchanged (He et al. 2016b). Without it, every block
multiplies the gradient by its own Jacobian, and with batch normalisation those products
grow exponentially with depth (Yang et al. 2019): the first layers get steps out of all
proportion to the rest, and the deep plain net cannot settle.
{% elif v["gradient-kept-in-scale"] == "refuted" %}The difference between the two was not an
order of magnitude here: the shortcut's benefit did not show in the gradient's scale at
initialisation.{% else %}Whether the shortcut keeps the gradient's scale by more than an order
of magnitude is not decided: {{ c["gradient-kept-in-scale"].reason }}.{% endif %}
"""

CLAIMS = CLAIMS_PLAIN + CLAIMS_RESIDUAL + CLAIMS_GRADIENT
OUTPUTS = OUTPUTS_TRAINING + OUTPUTS_RESIDUAL + OUTPUTS_GRADIENT
ANSWER = ANSWER_PLAIN + ANSWER_RESIDUAL + ANSWER_GRADIENT

# %% Figures


def figures(result, new_figure) -> None:
    from deepfaq.core.figures import REFERENCE, band, color, level

    depths = result.series["depth_axis"][0]
    fig, axes = new_figure("accuracy-against-depth", ncols=2, sharey=True)
    for ax, split in zip(axes[0], ("train", "test"), strict=True):
        for arm, label in ARMS.items():
            acc = 100 * np.asarray(result.series[f"{split}_acc_by_depth_{arm}"], dtype=float)
            band(ax, depths, acc, label=label, marker="o", bounds=(0, 100))
        ax.set_xscale("log", base=2)
        ax.set_xticks(depths, [str(d) for d in depths])
        ax.set_xlabel("weight layers")
        ax.set_title(f"{'training' if split == 'train' else 'test'} digits", fontsize=9)
    level(
        axes[0, 0],
        [100 * v for v in result.metrics["acc_chance"]],
        color=REFERENCE,
        ls=":",
        label="chance",
        bounds=(0, 100),
    )
    axes[0, 0].set_ylabel(f"accuracy after {result.config['steps']} steps, %")
    axes[0, 0].legend(fontsize=8)

    steps = result.series["steps_axis"][0]
    fig, ax = new_figure("training-curves")
    for arm, label in ARMS.items():
        for end, style in (("shallow", ":"), ("deep", "-")):
            depth = depths[0] if end == "shallow" else depths[-1]
            c = 100 * np.asarray(result.series[f"curve_train_acc_{arm}_{end}"], dtype=float)
            band(
                ax,
                steps,
                c,
                label=f"{label}, {depth} layers",
                color=color(label),
                ls=style,
                bounds=(0, 100),
            )
    ax.set_xlabel("Adam step")
    ax.set_ylabel("training accuracy, % (mean over seeds)")
    ax.legend(fontsize=8)

    fig, ax = new_figure("first-layer-gradient")
    for arm, label in ARMS.items():
        g = np.asarray(result.series[f"grad_by_depth_{arm}"], dtype=float)
        band(ax, depths, g, label=label, marker="o", log=True)
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ax.set_xticks(depths, [str(d) for d in depths])
    ax.set_xlabel("weight layers")
    ax.set_ylabel("first layer's gradient norm\nat initialisation")
    ax.legend(fontsize=8)


QUESTION = Question(
    id="residual-connections",
    topic="Architectures for sequences and images",
    paraphrases=(
        "Why do residual connections let us train deep networks?",
        "Why do skip connections make very deep networks trainable?",
        "what is the degradation problem in deep networks",
        "how do ResNet shortcuts help the gradient flow",
        "why does a deeper plain network have higher training error",
    ),
    title="Why do residual connections let us train deep networks?",
    asked="Why do skip connections make very deep networks trainable?",
    config=Config,
    profiles=PROFILES,
    trial=None,
    batched_trial=batched_trial,
    claims=CLAIMS,
    figures=figures,
    answer=ANSWER,
    outputs=OUTPUTS,
    colors={"plain": PALETTE[3], "residual": PALETTE[0]},
    key_claims=(
        "plain-degrades",
        "residual-does-not-degrade",
        "shortcut-rescues-depth",
        "gradient-kept-in-scale",
    ),
    one_line=(
        '{{ by_verdict(v["shortcut-rescues-depth"], "Because each block only adds a'
        " correction to an identity path: at equal parameters the deepest network here fitted"
        ' its training set far better with shortcuts than without" ~'
        ' by_verdict(v["plain-degrades"], ", and without them it fitted worse than a shallow'
        ' one", "", "") ~ ".", "Shortcuts are meant to keep deep networks trainable by adding'
        " each block's correction to an identity path, but here they did not lift the deep"
        " network's training accuracy.\", \"Shortcuts add each block's correction to an"
        " identity path, which is meant to keep deep networks trainable; whether they did"
        ' here is not decided.") }}'
    ),
    anchors=(
        Anchor(
            "ImageNet top-1 error, 34 layers against 18 (plain)",
            "28.54% vs 27.94%: the deeper plain net is worse",
            "He et al. 2016a, Table 2",
            key="he_plain",
            note="validation error on ImageNet; our claims measure training accuracy on the"
            " digits, not comparable in value",
        ),
        Anchor(
            "ImageNet top-1 error, 34 layers against 18 (ResNet)",
            "25.03% vs 27.88%: the deeper ResNet is better",
            "He et al. 2016a, Table 2",
            key="he_resnet",
            note="validation error on ImageNet; our claims measure training accuracy on the"
            " digits, not comparable in value",
        ),
    ),
    references=(
        "He, Zhang, Ren & Sun (2016a). Deep residual learning for image recognition. CVPR.",
        "He, Zhang, Ren & Sun (2016b). Identity mappings in deep residual networks. ECCV.",
        "Yang, Pennington, Rao, Sohl-Dickstein & Schoenholz (2019). A mean field theory of"
        " batch normalization. ICLR.",
    ),
)
