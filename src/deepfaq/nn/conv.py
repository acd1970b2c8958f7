"""2-D convolution written out, and the classic image kernels.

Like every deep-learning library, "convolution" here is cross-correlation: the
kernel is not flipped. The output at (i, j) is the sum over input channels and
kernel offsets (u, v) of ``weight[o, c, u, v] · x[c, i·stride + u, j·stride + v]``
on the zero-padded input.
"""

from __future__ import annotations

import torch
from torch import Tensor


def _pair(v: int | tuple[int, int]) -> tuple[int, int]:
    return (v, v) if isinstance(v, int) else tuple(v)


def conv2d(
    x: Tensor,
    weight: Tensor,
    bias: Tensor | None = None,
    stride: int | tuple[int, int] = 1,
    padding: int | tuple[int, int] = 0,
) -> Tensor:
    """``x`` [batch, in_channels, H, W], ``weight`` [out_channels, in_channels, kH, kW]
    → [batch, out_channels, H_out, W_out], as ``torch.nn.functional.conv2d``."""
    (s_h, s_w), (p_h, p_w) = _pair(stride), _pair(padding)
    n, c_in, h, w = x.shape
    c_out, c_w, k_h, k_w = weight.shape
    if c_w != c_in:
        raise ValueError(f"weight expects {c_w} input channels, input has {c_in}")
    padded = x.new_zeros(n, c_in, h + 2 * p_h, w + 2 * p_w)
    padded[:, :, p_h : p_h + h, p_w : p_w + w] = x
    h_out = (h + 2 * p_h - k_h) // s_h + 1
    w_out = (w + 2 * p_w - k_w) // s_w + 1
    out = x.new_zeros(n, c_out, h_out, w_out)
    # One kernel offset at a time: every output pixel reads the input pixel at
    # that offset from its window's corner, so the whole offset is one slice.
    for u in range(k_h):
        for v in range(k_w):
            patch = padded[
                :, :, u : u + s_h * (h_out - 1) + 1 : s_h, v : v + s_w * (w_out - 1) + 1 : s_w
            ]  # [batch, c_in, h_out, w_out]
            out = out + torch.einsum("nchw,oc->nohw", patch, weight[:, :, u, v])
    if bias is not None:
        out = out + bias.view(1, -1, 1, 1)
    return out


#: Classic 3×3 kernels for a single grey channel.
KERNELS: dict[str, Tensor] = {
    "identity": torch.tensor([[0.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 0.0]]),
    "blur": torch.full((3, 3), 1 / 9),
    "gaussian blur": torch.tensor([[1.0, 2.0, 1.0], [2.0, 4.0, 2.0], [1.0, 2.0, 1.0]]) / 16,
    "sharpen": torch.tensor([[0.0, -1.0, 0.0], [-1.0, 5.0, -1.0], [0.0, -1.0, 0.0]]),
    "edges (Laplacian)": torch.tensor([[0.0, 1.0, 0.0], [1.0, -4.0, 1.0], [0.0, 1.0, 0.0]]),
    "vertical edges (Sobel)": torch.tensor([[1.0, 0.0, -1.0], [2.0, 0.0, -2.0], [1.0, 0.0, -1.0]]),
}
