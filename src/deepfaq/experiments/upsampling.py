"""Transposed convolution vs upsample + convolution: where do checkerboards come from?

A stride-2 transposed convolution ("deconvolution") paints each input pixel's
kernel onto the output, moving 2 pixels per input pixel. With a 3×3 kernel the
painted patches overlap unevenly: some output pixels receive one contribution,
some two, some four — a checkerboard is built into the operation (Odena,
Dumoulin & Olah 2016). A kernel size divisible by the stride makes the overlap
even, and nearest-neighbour resizing followed by an ordinary convolution avoids
the problem by construction.

We measure the pattern directly: the **checkerboard energy** of an image is the
share of its variance carried by the 2×2-periodic pattern — the four "phase"
means of pixels (i mod 2, j mod 2). This equals the power at the three Nyquist
frequencies of the 2-D Fourier transform divided by all non-constant power: 1.0
is a pure checkerboard, 0 none at all. On a flat input it is 1 for *every* stride-2
transposed convolution (each output phase is one sum of weights), so at
initialisation we also measure the **per-phase output variance** on random inputs:
in expectation it follows the overlap counts, 4:1 between phases for k3 s2 and 1:1
for k2 s2 and k4 s2.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from deepfaq.core.claims import Beats, Claim, Converged, Exact, Greater
from deepfaq.core.context import reseed_torch, sub_seed
from deepfaq.core.question import Anchor, Profile, Question
from deepfaq.data import mnist_digits

DECODERS = ("deconv_k3s2", "deconv_k2s2", "deconv_k4s2", "resize_conv")
LABELS = {
    "deconv_k3s2": "transposed conv k3 s2",
    "deconv_k2s2": "transposed conv k2 s2",
    "deconv_k4s2": "transposed conv k4 s2",
    "resize_conv": "nearest ×2 + conv 3×3",
}


@dataclass(frozen=True)
class Config:
    channels: int = 16  # channels of the up-sampling layer in the init experiments
    size: int = 16  # input side for the init experiments (output: 2·size)
    init_draws: int = 8  # random initialisations averaged per seed
    steps: int = 400  # Adam steps for each autoencoder
    batch_size: int = 64
    lr: float = 2e-3
    eval_every: int = 50


PROFILES = {
    "smoke": Profile(Config(steps=20, eval_every=10, init_draws=2), seeds=2),
    "quick": Profile(Config(), seeds=5),
    "full": Profile(Config(steps=6000, eval_every=250, init_draws=32), seeds=10),
}


def upsample(kind: str, c_in: int, c_out: int) -> nn.Module:
    """One ×2 up-sampling layer built the way ``kind`` says."""
    if kind == "deconv_k3s2":
        return nn.ConvTranspose2d(c_in, c_out, 3, stride=2, padding=1, output_padding=1)
    if kind == "deconv_k2s2":
        return nn.ConvTranspose2d(c_in, c_out, 2, stride=2)
    if kind == "deconv_k4s2":
        return nn.ConvTranspose2d(c_in, c_out, 4, stride=2, padding=1)
    return nn.Sequential(
        nn.Upsample(scale_factor=2, mode="nearest"), nn.Conv2d(c_in, c_out, 3, padding=1)
    )


def checkerboard_energy(img: torch.Tensor, border: int = 2) -> torch.Tensor:
    """Share of the variance of ``img`` [..., H, W] in its 2×2-periodic pattern,
    measured away from the borders (where zero padding differs). 0 for a flat image."""
    x = img[..., border:-border, border:-border]
    x = x - x.mean((-2, -1), keepdim=True)
    phases = torch.stack([x[..., a::2, b::2].mean((-2, -1)) for a in (0, 1) for b in (0, 1)])
    pattern_var = (phases**2).mean(0)  # the 4 phases cover equal numbers of pixels
    total_var = (x**2).mean((-2, -1))
    return torch.where(
        total_var > 1e-12, pattern_var / total_var.clamp_min(1e-12), torch.zeros_like(total_var)
    )


def overlap_ratio(kind: str) -> tuple[float, list]:
    """All-ones weights on an all-ones input: how many kernel taps reach each
    output pixel. Returns max/min over the interior, and the map itself."""
    layer = upsample(kind, 1, 1)
    with torch.no_grad():
        for p in layer.parameters():
            p.fill_(1.0 if p.dim() > 1 else 0.0)
        counts = layer(torch.ones(1, 1, 8, 8))[0, 0, 2:-2, 2:-2]
    return (counts.max() / counts.min()).item(), counts.tolist()


PHASE_OUT_CHANNELS = 64  # output channels per random layer: each one an independent draw
N_RANDOM_INPUTS = 32  # random inputs per layer for the per-pixel output variance


def phase_variances(kind: str, cfg: Config, g: torch.Generator) -> np.ndarray:
    """Output variance of a randomly initialised ``kind`` layer over random inputs,
    per output phase (i mod 2, j mod 2), away from the border: a [2, 2] array.

    The input pixels are independent with unit variance and torch draws every
    weight independently from one zero-mean distribution, so the variance at an
    output pixel is, in expectation over the weights, proportional to the number of
    kernel taps that reach it (variances of independent terms add): 1, 2, 2 and 4
    for k3 s2; the same count for every phase for k2 s2 (one tap), k4 s2 (four) and
    resize + conv (nine taps, grouped onto the copies). A per-seed Monte Carlo
    estimate over ``cfg.init_draws`` layers of ``PHASE_OUT_CHANNELS`` channels."""
    total = torch.zeros(2, 2, dtype=torch.float64)
    for _ in range(cfg.init_draws):
        reseed_torch(g)
        layer = upsample(kind, cfg.channels, PHASE_OUT_CHANNELS)
        x = torch.randn(N_RANDOM_INPUTS, cfg.channels, cfg.size, cfg.size, generator=g)
        with torch.no_grad():
            y = layer(x).double()  # [inputs, channels, 2·size, 2·size]
        var = y.var(0)[:, 2:-2, 2:-2]  # over inputs, per channel and pixel; the bias drops out
        total += torch.tensor(
            [[var[:, a::2, b::2].mean().item() for b in (0, 1)] for a in (0, 1)],
            dtype=torch.float64,
        )
    return (total / cfg.init_draws).numpy()


class AutoEncoder(nn.Module):
    """28×28 → 7×7×32 code → 28×28, the decoder's two ×2 steps built by ``kind``."""

    def __init__(self, kind: str):
        super().__init__()
        self.encoder = nn.Sequential(
            nn.Conv2d(1, 16, 3, stride=2, padding=1),
            nn.ReLU(),  # [16, 14, 14]
            nn.Conv2d(16, 32, 3, stride=2, padding=1),
            nn.ReLU(),  # [32, 7, 7]
        )
        self.decoder = nn.Sequential(
            upsample(kind, 32, 16),
            nn.ReLU(),  # [16, 14, 14]
            upsample(kind, 16, 1),
        )  # [1, 28, 28]

    def forward(self, x):
        return torch.sigmoid(self.decoder(self.encoder(x)))


N_VAL = 500  # training digits held out for the validation curves


def trial(cfg: Config, seed: int, ctx) -> dict:
    g = torch.Generator().manual_seed(seed)
    # The per-phase measure draws from its own stream, so it leaves every other number as is.
    g_phase = torch.Generator().manual_seed(sub_seed(seed, "phase-variance"))
    dev = ctx.device
    out: dict = {}
    for kind in DECODERS:
        out[f"overlap_ratio_{kind}"], out[f"overlap_map_{kind}"] = overlap_ratio(kind)

        # Random initialisation (torch's default), constant input.
        flat = torch.ones(1, cfg.channels, cfg.size, cfg.size)
        energies, example = [], None
        for _ in range(cfg.init_draws):
            reseed_torch(g)
            layer = upsample(kind, cfg.channels, 1)
            with torch.no_grad():
                y = layer(flat)[0, 0]
            energies.append(checkerboard_energy(y).item())
            example = y if example is None else example
        out[f"checker_init_{kind}"] = float(np.mean(energies))
        out[f"init_output_{kind}"] = np.round(example.numpy(), 4)

        # Random initialisation, random inputs: output variance per phase.
        phase_var = phase_variances(kind, cfg, g_phase)
        out[f"phase_var_ratio_{kind}"] = float(phase_var.max() / phase_var.min())
        out[f"phase_var_{kind}"] = np.round(phase_var / phase_var.min(), 4)
    ctx.progress(0.1)

    data = mnist_digits(seed)
    X = torch.tensor(data.X_train, device=dev).view(-1, 1, 28, 28)
    X_val, X = X[:N_VAL], X[N_VAL:]  # held out of training for the validation curves
    Xt = torch.tensor(data.X_test, device=dev).view(-1, 1, 28, 28)
    target_energy = checkerboard_energy(Xt[:, 0]).mean().item()
    out["checker_digits"] = target_energy
    # Trivial baseline: every digit reconstructed as the mean training digit.
    mean_image = X.mean(0, keepdim=True)
    out["mse_mean_image"] = nn.functional.mse_loss(mean_image.expand_as(Xt), Xt).item()
    mse_val_mean = nn.functional.mse_loss(mean_image.expand_as(X_val), X_val).item()
    for i, kind in enumerate(("deconv_k3s2", "deconv_k2s2", "resize_conv")):
        reseed_torch(g)
        model = AutoEncoder(kind).to(dev)
        opt = torch.optim.Adam(model.parameters(), lr=cfg.lr, foreach=True)
        curve, val_curve = [], []
        for step in range(cfg.steps + 1):
            if step % cfg.eval_every == 0:
                with torch.no_grad():
                    curve.append(
                        checkerboard_energy(model(Xt[:500])[:, 0]).mean().item() - target_energy
                    )
                    val_curve.append(
                        nn.functional.mse_loss(model(X_val), X_val).item() / mse_val_mean
                    )
            if step == cfg.steps:
                break
            idx = torch.randint(0, len(X), (cfg.batch_size,), generator=g).to(dev)
            opt.zero_grad()
            nn.functional.mse_loss(model(X[idx]), X[idx]).backward()
            opt.step()
        with torch.no_grad():
            recon = model(Xt)
            out[f"mse_{kind}"] = nn.functional.mse_loss(recon, Xt).item()
        out[f"mse_over_mean_image_{kind}"] = out[f"mse_{kind}"] / out["mse_mean_image"]
        out[f"curve_val_mse_over_mean_image_{kind}"] = val_curve
        out[f"excess_checker_{kind}"] = curve[-1]
        out[f"excess_curve_{kind}"] = curve
        out[f"recon_example_{kind}"] = np.round(recon[0, 0].cpu().numpy(), 3)
        ctx.progress(0.1 + 0.3 * (i + 1))
    out["digit_example"] = np.round(Xt[0, 0].cpu().numpy(), 3)
    return out


ODENA = "Odena, Dumoulin & Olah 2016"
# Our own reasoning, kept apart from what Odena et al. wrote (their expectation is an anchor).
FLAT_PHASES = "construction: on a flat input each output pixel depends only on its phase"
COUNTS = "follows from the overlap counts: variances of independent terms add"


def trained(kind: str) -> tuple:
    """The autoencoder reconstructs (test MSE at most half the mean digit's) and its
    validation error has levelled off."""
    return (
        Beats(
            f"mse_over_mean_image_{kind}",
            1.0,
            margin=0.5,
            higher_is_better=False,
            baseline_name="the mean training digit",
        ),
        Converged(f"curve_val_mse_over_mean_image_{kind}", tol=0.02, higher_is_better=False),
    )


CLAIMS = (
    Claim(
        "uneven-overlap-k3s2",
        "With kernel 3 and stride 2 the overlap is uneven: with all-ones weights and input,"
        " output pixels receive 1, 2 or 4 contributions (max/min = 4).",
        Exact("overlap_ratio_deconv_k3s2", 4.0),
        expected="supported",
        source=ODENA,
        kind="identity",
        unit="",
    ),
    Claim(
        "even-overlap-k2s2",
        "Kernel = stride = 2 makes the overlap even (max/min = 1).",
        Exact("overlap_ratio_deconv_k2s2", 1.0),
        expected="supported",
        source=ODENA,
        kind="identity",
        unit="",
    ),
    Claim(
        "even-overlap-k4s2",
        "Kernel 4, stride 2 — divisible — also makes it even (max/min = 1).",
        Exact("overlap_ratio_deconv_k4s2", 1.0),
        expected="supported",
        source=ODENA,
        kind="identity",
        unit="",
    ),
    Claim(
        "checkerboard-at-init-k3s2",
        "A k3 s2 transposed convolution paints a checkerboard even at random initialisation:"
        " on a flat input, all of its output's variance away from the border is in the 2×2"
        " pattern (energy 1).",
        Exact("checker_init_deconv_k3s2", 1.0, tol=1e-5),
        expected="supported",
        source=FLAT_PHASES,
        kind="identity",
        unit="fraction of variance",
    ),
    Claim(
        "checkerboard-at-init-k2s2",
        "Even overlap does not prevent it: a k2 s2 transposed convolution at random"
        " initialisation also puts all of a flat input's output variance (away from the"
        " border) in the 2×2 pattern (energy 1), each output phase being painted by a"
        " different kernel weight.",
        Exact("checker_init_deconv_k2s2", 1.0, tol=1e-5),
        expected="supported",
        source=FLAT_PHASES,
        kind="identity",
        unit="fraction of variance",
    ),
    Claim(
        "resize-conv-flat",
        "Nearest-neighbour resize + convolution turns a flat input into a flat output: no"
        " checkerboard at all.",
        Exact("checker_init_resize_conv", 0.0, tol=1e-9),
        expected="supported",
        source="construction: every output pixel sees the same neighbourhood of copies",
        kind="identity",
        unit="fraction of variance",
    ),
    # Random inputs at random initialisations: the measure that tells k3 s2 from k2 s2. The
    # ratio in expectation is the overlap count, so these are checks; the tolerance (a tenth
    # of the expected ratio) covers the Monte Carlo error of init_draws × 64 random channels.
    Claim(
        "phase-variance-uneven-k3s2",
        "Over random initialisations and random inputs, a k3 s2 transposed convolution's"
        " output varies as its overlap counts say: 4 times as much on its most-overlapped"
        " phase as on its least (max/min of the per-phase variance = 4, within the Monte Carlo"
        " tolerance of a tenth).",
        Exact("phase_var_ratio_deconv_k3s2", 4.0, tol=0.4),
        expected="supported",
        source=COUNTS,
        kind="identity",
        unit="",
    ),
    Claim(
        "phase-variance-even-k2s2",
        "Over random initialisations and random inputs, a k2 s2 transposed convolution's"
        " output varies equally on all four phases (max/min = 1, within a tenth): this"
        " separates it from k3 s2 at initialisation, which the flat-input energy cannot.",
        Exact("phase_var_ratio_deconv_k2s2", 1.0, tol=0.1),
        expected="supported",
        source=COUNTS,
        kind="identity",
        unit="",
    ),
    Claim(
        "phase-variance-even-k4s2",
        "Likewise k4 s2: equal output variance on all four phases at random initialisation"
        " (max/min = 1, within a tenth).",
        Exact("phase_var_ratio_deconv_k4s2", 1.0, tol=0.1),
        expected="supported",
        source=COUNTS,
        kind="identity",
        unit="",
    ),
    Claim(
        "phase-variance-even-resize-conv",
        "Likewise nearest resize + 3×3 convolution: equal output variance on all four phases"
        " at random initialisation (max/min = 1, within a tenth).",
        Exact("phase_var_ratio_resize_conv", 1.0, tol=0.1),
        expected="supported",
        source=COUNTS,
        kind="identity",
        unit="",
    ),
    Claim(
        "trained-resize-beats-k3s2",
        "Trained as an autoencoder's decoder, resize + conv leaves less excess checkerboard"
        " energy in its reconstructions than the k3 s2 transposed convolution, by more than"
        " 0.01 of the variance.",
        Greater("excess_checker_deconv_k3s2", "excess_checker_resize_conv", margin=0.01),
        expected="supported",
        source=ODENA,
        kind="empirical",
        unit="fraction of variance",
        preconditions=trained("deconv_k3s2") + trained("resize_conv"),
    ),
)


def figures(result, new_figure) -> None:
    from deepfaq.core.figures import REFERENCE, band, bars, color, heatmap

    fig, axes = new_figure("flat-input-at-init", ncols=4, figsize=(12, 3.2))
    for ax, kind in zip(axes[0], DECODERS, strict=True):
        heatmap(
            ax,
            np.asarray(result.series[f"init_output_{kind}"][0]),
            cmap="gray",
            label="output value",
        )
        ax.set_title(f"{LABELS[kind]} (seed 0)", fontsize=8)
        ax.set_axis_off()

    fig, axes = new_figure("overlap-counts", ncols=4, figsize=(12, 3.4))
    maps = [np.asarray(result.series[f"overlap_map_{kind}"][0]) for kind in DECODERS]
    top = max(float(m.max()) for m in maps)
    for k, (ax, kind, m) in enumerate(zip(axes[0], DECODERS, maps, strict=True)):
        last = k == len(DECODERS) - 1
        heatmap(
            ax,
            m,
            cmap="viridis",
            vmin=0,
            vmax=top,
            beside=list(axes[0]),
            label="kernel taps reaching the output pixel" if last else None,
        )
        ratio = np.mean(result.metrics[f"overlap_ratio_{kind}"])
        ax.set_title(f"{LABELS[kind]}\nmax/min = {ratio:g}", fontsize=8)
        ax.set_axis_off()

    fig, ax = new_figure("phase-variance-at-init")
    phases = ["(even, even)", "(even, odd)", "(odd, even)", "(odd, odd)"]
    for i, kind in enumerate(DECODERS):
        per_seed = np.array(
            [np.asarray(s, float).ravel() for s in result.series[f"phase_var_{kind}"]]
        )  # [seed, phase]
        bars(ax, phases, per_seed.T, label=LABELS[kind], group=i, groups=len(DECODERS))
    ax.tick_params(axis="x", labelsize=8)
    ax.set_xlabel("output phase (row, column)")
    ax.set_ylabel("output variance over random inputs\n(÷ the smallest phase's)")
    ax.legend(fontsize=8)

    fig, ax = new_figure("checkerboard-during-training")
    every = result.config["eval_every"]
    for kind in ("deconv_k3s2", "deconv_k2s2", "resize_conv"):
        c = np.asarray(result.series[f"excess_curve_{kind}"])
        band(ax, np.arange(c.shape[1]) * every, c, label=LABELS[kind], color=color(LABELS[kind]))
    ax.axhline(0, color=REFERENCE, ls=":")
    ax.set_xlabel("training step (autoencoder on MNIST digits)")
    ax.set_ylabel("excess checkerboard energy\nvs the digits")
    ax.legend(fontsize=8)

    fig, axes = new_figure("reconstructions", ncols=4, figsize=(9, 2.6))
    panels = [("digit_example", "original")] + [
        (f"recon_example_{k}", LABELS[k]) for k in ("deconv_k3s2", "deconv_k2s2", "resize_conv")
    ]
    for ax, (key, title) in zip(axes[0], panels, strict=True):
        ax.imshow(np.asarray(result.series[key][0]), cmap="gray_r")
        ax.set_title(title, fontsize=8)
        ax.set_axis_off()


ANSWER = """
**The overlap.** Give every weight the value 1 and feed in all ones: each output pixel
then counts the kernel taps that reach it. A 3×3 transposed convolution with stride 2
gives a repeating pattern of 1, 2 and 4 (max/min = {{ num(m.overlap_ratio_deconv_k3s2) }}) —
a checkerboard that no choice of weights is guaranteed to cancel. With kernel 2 or 4
(divisible by the stride) every output pixel receives the same number
(max/min = {{ num(m.overlap_ratio_deconv_k2s2) }} and {{ num(m.overlap_ratio_deconv_k4s2) }}).

**At random initialisation.** On a flat input, {{ pct(m.checker_init_deconv_k3s2) }} of the
k3 s2 layer's output variance sat in the 2×2 pattern (averaged over {{ cfg.init_draws }}
random inits per seed). That is not luck of the draw but construction: with a constant
input, every output pixel of a stride-2 transposed convolution depends only on its phase
(row and column mod 2), so away from the border the output *is* a 2×2 pattern, whatever
the weights. Even overlap does not change that: the k2 s2 layer gave
{{ pct(m.checker_init_deconv_k2s2) }} and k4 s2 {{ pct(m.checker_init_deconv_k4s2) }}.
{% if v["checkerboard-at-init-k2s2"] == "supported" %}The popular claim that kernel = stride
"avoids checkerboards" is therefore false as stated: it removes the *uneven overlap*, but
each output pixel of a 2×2-stride-2 layer is painted by a different one of the kernel's four
weights, so any difference between those weights is itself a perfect 2×2 pattern. Training
can learn to make them equal — or not.
{% else %}The check that it does came out **{{ v["checkerboard-at-init-k2s2"] }}**, which
points at a bug in the measurement to find before reading further.
{% endif %}Nearest-neighbour resize followed by a 3×3 convolution gave exactly
{{ num(m.checker_init_resize_conv) }}: every output pixel sees the same neighbourhood
of copies, so a flat input stays flat.

**Random inputs tell k3 s2 from k2 s2.** A flat input cannot: it gives both a perfect
pattern. Feed random inputs instead and measure, at each output pixel, how much the output
varies from input to input. Every weight is drawn independently, so variances add: in
expectation over the draws, a pixel's variance is proportional to the number of kernel taps
that reach it — 1, 2, 2 and 4 on the four phases of k3 s2, the same on every phase of k2 s2,
k4 s2 and resize + conv. Measured over {{ cfg.init_draws }} random layers per seed, the
k3 s2 layer's most-overlapped phase varied {{ num(m.phase_var_ratio_deconv_k3s2) }} times as
much as its least; k2 s2 {{ num(m.phase_var_ratio_deconv_k2s2) }}, k4 s2
{{ num(m.phase_var_ratio_deconv_k4s2) }} and resize + conv
{{ num(m.phase_var_ratio_resize_conv) }} times.
{% if v["phase-variance-uneven-k3s2"] == "supported" and v["phase-variance-even-k2s2"] ==
"supported" %}As the counts say: at initialisation the uneven overlap is a 4:1 checkerboard
in how strongly the k3 s2 output responds to its input, and the k2 s2 layer has none, on
average over initialisations (any single draw still paints its phases with different
weights, as the flat input showed).
{% else %}The counting argument makes this a check of the code, so a result other than
supported (k3 s2: **{{ v["phase-variance-uneven-k3s2"] }}**, k2 s2:
**{{ v["phase-variance-even-k2s2"] }}**) points at a bug in the measurement, or at Monte
Carlo error larger than the tolerance of a tenth, to find before reading further.
{% endif %}The even overlap of a kernel divisible by its stride is what Odena et al. expect
(for k2 s2, max/min {{ num(a["odena-k2s2-even"].value) }} of the tap counts); the
variance and flat-input arguments above are ours.

**After training.** As the two up-sampling steps of an autoencoder for MNIST digits, the
decoders' reconstructions carried checkerboard energy in excess of the digits' own
({{ num(m.checker_digits) }}) of {{ num(m.excess_checker_deconv_k3s2) }} for k3 s2,
{{ num(m.excess_checker_deconv_k2s2) }} for k2 s2 and {{ num(m.excess_checker_resize_conv) }}
for resize + conv (a negative excess: less than the digits; reconstruction MSE
{{ num(m.mse_deconv_k3s2) }}, {{ num(m.mse_deconv_k2s2) }} and {{ num(m.mse_resize_conv) }};
the mean digit: {{ num(m.mse_mean_image) }}).
{% if v["trained-resize-beats-k3s2"] == "supported" %}Resize + conv left less checkerboard
than the k3 s2 decoder, by more than a hundredth of the variance: the trained weights did
not cancel the pattern the uneven overlap builds in.
{% elif v["trained-resize-beats-k3s2"] == "refuted" %}So once trained, the two decoders did
**not** differ by a practical amount (a hundredth of the variance) in checkerboard energy:
with an MSE loss on digits the weights learn to cancel the pattern. Artifacts survive where
nothing in the loss penalises them — GAN generators, large smooth regions, perceptual
losses — which is where Odena et al. saw them.
{% else %}Whether the trained decoders differ by a practical amount (a hundredth of the
variance) the quick budget could not decide: the claims table says whether a decoder had
not yet learned or levelled off, or the seeds disagreed. `deepfaq run upsampling --profile
full` decides it.
{% endif %}Networks can learn to hide the pattern; the resize-convolution cannot produce it
in the first place, which is why Odena et al. recommend it.
"""

QUESTION = Question(
    id="upsampling",
    topic="Architectures for sequences and images",
    paraphrases=(
        "Why do transposed convolutions make checkerboard artifacts?",
        "deconvolution produces grid patterns in generated images",
        "resize-convolution instead of conv transpose",
        "how to avoid checkerboard patterns when upsampling in a decoder",
    ),
    title="Transposed convolution vs upsample + convolution",
    asked="Why do transposed convolutions make checkerboard artifacts, and how do you avoid them?",
    config=Config,
    profiles=PROFILES,
    trial=trial,
    claims=CLAIMS,
    figures=figures,
    answer=ANSWER,
    anchors=(
        Anchor(
            "overlap of a transposed convolution whose kernel size is divisible by its"
            " stride (k2 s2)",
            "even: every output pixel receives the same number of"
            " contributions, avoiding the overlap problem (though they note such layers"
            " can still learn artifacts)",
            ODENA + ", 'Better upsampling'",
            metric="overlap_ratio_deconv_k2s2",
            key="odena-k2s2-even",
            value=1.0,
            unit="",
            note="max/min of the tap counts, 1 for even overlap. Our per-phase variance at"
            " initialisation and the flat-input energy are our own reasoning from it,"
            " not theirs.",
        ),
        Anchor(
            "cause of checkerboard artifacts",
            "uneven overlap of the deconvolution when the"
            " kernel size is not divisible by the stride",
            ODENA,
            metric="overlap_ratio_deconv_k3s2",
            note="ours: max/min overlap count",
        ),
        Anchor(
            "recommended fix",
            "resize (nearest or bilinear) then convolve",
            ODENA,
            metric="checker_init_resize_conv",
            note="ours: checkerboard energy at init",
        ),
    ),
    references=(
        "Odena, Dumoulin & Olah (2016). Deconvolution and checkerboard artifacts. Distill."
        " doi:10.23915/distill.00003",
    ),
)
