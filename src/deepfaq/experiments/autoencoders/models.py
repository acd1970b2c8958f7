"""The networks of the autoencoders question and the loop that trains them.

* :func:`dense_ae` — encoder and mirrored decoder of fully connected layers;
* :class:`ConvAE` — convolutional, with resize-convolution up-sampling;
* :class:`VAE` — the variational autoencoder of Kingma & Welling (2014);
* :func:`fit` — Adam on minibatches, recording the held-out curves that the
  claims' ``Converged`` preconditions read (:data:`EVALS` evaluations each).

Every network draws its initial weights from the section's own generator
(:func:`init_params`), never from torch's global one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from deepfaq.data import mnist_digits
from deepfaq.nn import init
from deepfaq.nn.autoencoder import gaussian_kl

#: Evaluations in each stored curve: the last fifth, which ``Converged`` judges, holds 6.
EVALS = 30


@dataclass(frozen=True)
class Digits:
    """The 5,000 MNIST digits every section shares, split by the trial's seed:
    pixels in [0, 1], flattened to 784, on the trial's device."""

    X: torch.Tensor  # [4000, 784] training digits
    Xt: torch.Tensor  # [1000, 784] held-out digits
    y: np.ndarray  # their labels, 0–9
    yt: np.ndarray

    @classmethod
    def load(cls, seed: int, device: str) -> Digits:
        d = mnist_digits(seed)
        return cls(
            torch.tensor(d.X_train, device=device),
            torch.tensor(d.X_test, device=device),
            d.y_train,
            d.y_test,
        )


def init_params(model: nn.Module, g: torch.Generator) -> nn.Module:
    """torch's default initialisation of every linear and convolutional layer —
    weight and bias from U[−1/√fan_in, 1/√fan_in] — drawn from ``g``."""
    for m in model.modules():
        if isinstance(m, nn.Linear | nn.Conv2d):
            init.standard_uniform_(m.weight, g)
            if m.bias is not None:
                init.uniform_(m.bias, 1 / math.sqrt(init.fans(m.weight)[0]), g)
    return model


def evaluation_steps(steps: int, evals: int = EVALS) -> list[int]:
    """The steps (1-based) after which a curve is measured: ``evals`` evenly spaced,
    the last one at the end of training."""
    return sorted(set(np.linspace(steps / evals, steps, evals).round().astype(int).tolist()))


def fit(
    model: nn.Module,
    loss_fn,
    X: torch.Tensor,
    steps: int,
    lr: float,
    g: torch.Generator,
    batch_size: int,
    weight_decay: float = 0.0,
    evaluate=None,
    evals: int = EVALS,
) -> tuple[nn.Module, dict[str, list[float]]]:
    """``steps`` Adam steps on ``loss_fn(model, batch)``, the batches of rows of X
    drawn with ``g``; returns the model (in eval mode) and its curves.

    ``weight_decay`` adds (weight_decay / 2)·‖w‖² over the weights (not the biases)
    to the loss, through Adam's own L2 term. ``evaluate(model)`` returns a dict of
    numbers measured on held-out data; it is called without gradients, in eval mode,
    after each of ``evals`` equal blocks of steps, and each number becomes one point
    of the curve of that name. It must draw nothing from ``g``, so that evaluating
    more or less often never changes the training."""
    named = list(model.named_parameters())
    opt = torch.optim.Adam(
        [
            {"params": [p for n, p in named if "weight" in n], "weight_decay": weight_decay},
            {"params": [p for n, p in named if "weight" not in n]},
        ],
        lr=lr,
        foreach=True,
    )
    at = set(evaluation_steps(steps, evals)) if evaluate else set()
    curves: dict[str, list[float]] = {}
    for step in range(1, steps + 1):
        batch = X[torch.randint(0, len(X), (batch_size,), generator=g).to(X.device)]
        opt.zero_grad()
        loss_fn(model, batch).backward()
        opt.step()
        if step in at:
            model.eval()
            with torch.no_grad():
                for name, value in evaluate(model).items():
                    curves.setdefault(name, []).append(float(value))
            model.train()
    return model.eval(), curves


def principal_components(Xc: torch.Tensor) -> torch.Tensor:
    """PCA's directions for centred rows Xc, by decreasing variance: [784, 784], one
    per row (the eigenvectors of the pixel covariance, computed in float64)."""
    C = (Xc.T.double() @ Xc.double()) / len(Xc)
    _, vectors = torch.linalg.eigh(C)  # ascending eigenvalues
    return vectors.flip(1).T.to(Xc.dtype).contiguous()


def sse(a: torch.Tensor, b: torch.Tensor) -> float:
    """Squared error summed over pixels, averaged over images: Hinton &
    Salakhutdinov's unit."""
    return (a - b).pow(2).flatten(1).sum(1).mean().item()


def sse_loss(model: nn.Module, x: torch.Tensor) -> torch.Tensor:
    """The reconstruction loss of the dense autoencoders, in squared error per image."""
    return (model(x) - x).pow(2).sum(1).mean()


def dense_ae(
    sizes: list[int], g: torch.Generator, linear: bool = False, sigmoid_code: bool = False
) -> nn.Sequential:
    """Encoder sizes[0]→…→sizes[-1] and its mirror image as decoder, returned as
    ``Sequential(encoder, decoder)``. ReLU between hidden layers, a linear code
    (as in Hinton & Salakhutdinov) unless ``sigmoid_code``, and a sigmoid on the
    reconstructed pixels; ``linear`` drops every non-linearity."""

    def stack(path, last):
        layers: list[nn.Module] = []
        for i, (a, b) in enumerate(zip(path, path[1:], strict=False)):
            layers.append(nn.Linear(a, b))
            if linear:
                continue
            if i < len(path) - 2:
                layers.append(nn.ReLU())
            elif last is not None:
                layers.append(last)
        return nn.Sequential(*layers)

    return init_params(
        nn.Sequential(
            stack(sizes, nn.Sigmoid() if sigmoid_code else None), stack(sizes[::-1], nn.Sigmoid())
        ),
        g,
    )


class ConvAE(nn.Module):
    """28×28 → 7×7×(2·width) → 28×28 with resize-convolution up-sampling (see the
    upsampling question for why not transposed convolutions). ``bottleneck`` adds two
    more halvings, so that every output pixel depends on the whole image."""

    def __init__(
        self,
        g: torch.Generator,
        c_in: int = 1,
        c_out: int = 1,
        width: int = 16,
        bottleneck: bool = False,
    ):
        super().__init__()
        w, w2 = width, 2 * width
        enc = [
            nn.Conv2d(c_in, w, 3, stride=2, padding=1),
            nn.ReLU(),
            nn.Conv2d(w, w2, 3, stride=2, padding=1),
            nn.ReLU(),
        ]
        dec = []
        if bottleneck:
            enc += [
                nn.Conv2d(w2, w2, 3, stride=2, padding=1),
                nn.ReLU(),
                nn.Conv2d(w2, w2, 3, stride=2, padding=1),
                nn.ReLU(),
            ]
            dec += [
                nn.Upsample(scale_factor=2),
                nn.Conv2d(w2, w2, 3, padding=1),
                nn.ReLU(),
                nn.Upsample(scale_factor=2),
                nn.Conv2d(w2, w2, 3, padding=1),
                nn.ReLU(),
            ]
        dec += [
            nn.Upsample(scale_factor=2),
            nn.Conv2d(w2, w, 3, padding=1),
            nn.ReLU(),
            nn.Upsample(scale_factor=2),
            nn.Conv2d(w, c_out, 3, padding=1),
        ]
        self.encoder, self.decoder = nn.Sequential(*enc), nn.Sequential(*dec)
        init_params(self, g)

    def forward(self, x):
        return torch.sigmoid(self.decoder(self.encoder(x)))


class VAE(nn.Module):
    """784 → 256 → (μ, log σ²) in ``latent`` dimensions → 256 → 784 Bernoulli logits."""

    def __init__(self, latent: int, g: torch.Generator):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(784, 256), nn.ReLU())
        self.mu, self.logvar = nn.Linear(256, latent), nn.Linear(256, latent)
        self.decoder = nn.Sequential(nn.Linear(latent, 256), nn.ReLU(), nn.Linear(256, 784))
        init_params(self, g)

    def encode(self, x):
        h = self.body(x)
        return self.mu(h), self.logvar(h)

    def neg_elbo(self, x, noise):
        """Per image: reconstruction (Bernoulli) negative log-likelihood and KL, in
        nats, with the reparameterised code μ + σ·noise."""
        mu, logvar = self.encode(x)
        logits = self.decoder(mu + noise * (0.5 * logvar).exp())
        rec = F.binary_cross_entropy_with_logits(logits, x, reduction="none").sum(1)
        return rec, gaussian_kl(mu, logvar)
