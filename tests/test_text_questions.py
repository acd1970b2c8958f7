"""Pieces of the text questions: attention masks, the negation probe, MLM corruption."""

import numpy as np
import torch
from torch import nn

from deepfaq.experiments.bert import MASK, Config, TinyEncoder, attention_mask, mlm_batch
from deepfaq.experiments.text_cnn import KimCNN, negation_probe


def test_causal_mask_matches_torch():
    ours = attention_mask("l2r", 7)
    ref = nn.Transformer.generate_square_subsequent_mask(7) == float("-inf")
    assert torch.equal(ours, ref)


def test_masks_hide_what_they_should():
    n = 6
    assert not attention_mask("bidirectional", n).any()
    l2r, r2l = attention_mask("l2r", n), attention_mask("r2l", n)
    for i in range(n):
        for j in range(n):
            assert l2r[i, j] == (j > i) and r2l[i, j] == (j < i)


def test_left_to_right_states_ignore_the_future():
    cfg = Config(vocab=50, window=8, dim=16, heads=2)
    torch.manual_seed(0)
    for kind, changed, unchanged in (("l2r", 5, slice(0, 5)), ("r2l", 2, slice(3, 8))):
        model = TinyEncoder(cfg, kind).eval()
        x = torch.randint(3, 50, (1, 8))
        y = x.clone()
        y[0, changed] = (x[0, changed] + 1 - 3) % 47 + 3
        with torch.no_grad():
            a, b = model.states(x), model.states(y)
        torch.testing.assert_close(a[0, unchanged], b[0, unchanged])
        assert not torch.allclose(a[0, changed], b[0, changed])


def test_mlm_corruption_rates():
    cfg = Config(vocab=100, mask_rate=0.15)
    x = torch.randint(3, 100, (400, 50))
    inp, target = mlm_batch(x, cfg, torch.Generator().manual_seed(0))
    chosen = target != -100
    assert abs(chosen.float().mean().item() - 0.15) < 0.01
    masked = (inp == MASK) & chosen
    assert abs(masked.sum().item() / chosen.sum().item() - 0.8) < 0.03
    assert torch.equal(target[chosen], x[chosen])
    assert torch.equal(inp[~chosen], x[~chosen])


def test_negation_probe_flips_labels_and_holds_out_subjects():
    texts, y, negated, test = negation_probe()
    by_text = dict(zip(texts, y, strict=True))
    assert by_text["the movie was good"] == 1 and by_text["the movie was not good"] == 0
    assert by_text["the movie was bad"] == 0 and by_text["the movie was not bad"] == 1
    train_subjects = {" ".join(t.split()[:2]) for t, te in zip(texts, test, strict=True) if not te}
    test_subjects = {" ".join(t.split()[:2]) for t, te in zip(texts, test, strict=True) if te}
    assert not train_subjects & test_subjects
    assert negated.mean() == 0.5


def test_kim_cnn_pools_over_time():
    torch.manual_seed(0)
    cnn = KimCNN(vocab=20, dim=8, filters=4, classes=2, dropout=0.0).eval()
    ids = torch.randint(2, 20, (3, 9))
    maps = cnn.feature_maps(ids)
    assert [m.shape[-1] for m in maps] == [9 + w - 1 for w in (3, 4, 5)]
    assert cnn(ids).shape == (3, 2)
    # static vectors stay frozen
    V = np.random.default_rng(0).normal(size=(20, 8)).astype(np.float32)
    frozen = KimCNN(20, 8, 4, 2, 0.0, vectors=V, freeze=True)
    assert not frozen.embed.weight.requires_grad
    np.testing.assert_allclose(frozen.embed.weight.detach().numpy(), V)
