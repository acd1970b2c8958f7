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


def test_fit_keeps_the_best_dev_checkpoint():
    """Early stopping: the network ends at the state of its best dev score (the first of
    ties), whatever came after it."""
    from deepfaq.experiments.text_cnn import Config, fit

    torch.manual_seed(0)
    cnn = KimCNN(vocab=30, dim=8, filters=4, classes=2, dropout=0.0)
    X = torch.randint(2, 30, (40, 7))
    y = np.arange(40) % 2
    scores = iter([0.5, 0.9, 0.9, 0.7])
    kept = []

    def score(model):
        kept.append({k: v.clone() for k, v in model.state_dict().items()})
        return next(scores)

    curve = fit(
        cnn, X, y, Config(batch_size=10, evals=4), 1, torch.Generator().manual_seed(0), score
    )
    assert curve == [0.5, 0.9, 0.9, 0.7]
    for k, v in cnn.state_dict().items():
        torch.testing.assert_close(v, kept[1][k])


def test_lazy_adam_moves_only_the_words_of_a_batch():
    """The word vectors get sparse gradients: a word that never occurs keeps its vector."""
    from deepfaq.experiments.text_cnn import Config, fit

    torch.manual_seed(0)
    cnn = KimCNN(vocab=30, dim=8, filters=4, classes=2, dropout=0.0)
    before = cnn.embed.weight.detach().clone()
    X = torch.randint(2, 20, (40, 7))  # words 20..29 never occur
    fit(
        cnn,
        X,
        np.arange(40) % 2,
        Config(batch_size=10, evals=2),
        2,
        torch.Generator().manual_seed(0),
        lambda m: 0.5,
        keep_best=False,
    )
    after = cnn.embed.weight.detach()
    torch.testing.assert_close(after[20:], before[20:])
    assert not torch.allclose(after[2:20], before[2:20])


def test_filter_heat_map_is_sorted_by_the_effect_of_not():
    """The figure orders filters by how much inserting "not" raises their response, so
    the negation detectors stand together at its left end."""
    from deepfaq.core.figures import FigureFactory
    from deepfaq.experiments.text_cnn import probe_figures

    rng = np.random.default_rng(0)
    acts = rng.uniform(0, 1, (4, 10))
    acts[1, 7] += 5  # filter 7 fires on "not good"
    acts[3, 7] += 5  # … and on "not bad"

    class Result:
        series = {
            "probe_filter_max_w3": [acts.tolist()],
            "probe_phrases": [["a", "b", "c", "d"]],
            **{f"probe_{n}_by_form": [[0.5] * 8] * 2 for n in ("cnn", "cnn_rand", "bow")},
        }

    factory = FigureFactory()
    probe_figures(Result(), factory)
    image = factory.figures["filters-on-phrases"].axes[0].images[0].get_array()
    np.testing.assert_allclose(image[:, 0], acts[:, 7])
    import matplotlib.pyplot as plt

    for fig in factory.figures.values():
        plt.close(fig)


def test_cloze_windows_hide_a_word_in_the_vocabulary():
    from deepfaq.experiments.bert import UNK, Config, middle_windows

    cfg = Config(window=5)
    vocab = {w: k + 3 for k, w in enumerate(["a", "b", "c"])}
    arts = [["a", "x", "b", "c", "a", "y", "b"], ["c", "c"]]
    w = middle_windows(arts, vocab, cfg, 100, np.random.default_rng(0))
    # the first article's three windows have middles b, c and a; the second is too short
    assert w.shape == (3, 5) and (w[:, 2] != UNK).all()
    # every kept window is a real slice of the first article
    ids = [vocab.get(t, UNK) for t in arts[0]]
    slices = {tuple(ids[i : i + 5]) for i in range(len(ids) - 4)}
    assert {tuple(r.tolist()) for r in w} <= slices


def test_training_windows_stay_inside_one_article():
    from deepfaq.experiments.bert import ClozeData, sample_windows

    stream = torch.arange(22)  # two articles: tokens 0–11 and 12–21
    starts = torch.tensor([0, 1, 2, 3, 12, 13])  # where a window of 9 fits in one article
    data = ClozeData({}, [], stream, starts, torch.zeros(1, 9), torch.zeros(1, 9))
    x = sample_windows(data, 200, 9, torch.Generator().manual_seed(0))
    assert x.shape == (200, 9)
    assert set(x[:, 0].tolist()) == set(starts.tolist())
    assert (x[:, 1:] - x[:, :-1] == 1).all()


def test_encoder_starts_with_small_tied_embeddings_and_a_bias():
    cfg = Config(vocab=50, window=8, dim=16, heads=2)
    torch.manual_seed(0)
    model = TinyEncoder(cfg, "bidirectional")
    assert model.tok.weight.std() < 0.05 and model.pos.weight.std() < 0.05
    h = torch.randn(3, 16)
    with torch.no_grad():
        torch.testing.assert_close(model.logits(h), h @ model.tok.weight.T + model.bias)


def test_eval_steps_end_at_the_last_step():
    from deepfaq.experiments.bert import eval_steps

    steps = eval_steps(800, 25)
    assert len(steps) == 25 and steps[-1] == 800 and steps == sorted(set(steps))
