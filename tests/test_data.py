import numpy as np
import pytest

from deepfaq.data import mnist1d, mnist_digits, sklearn_digits


@pytest.mark.parametrize(
    "loader, n_features, n_total",
    [
        (mnist1d, 40, 5000),
        (mnist_digits, 784, 5000),
        (sklearn_digits, 64, 1797),
    ],
)
def test_loaders_are_offline_seeded_and_stratified(loader, n_features, n_total):
    a, b, c = loader(0), loader(0), loader(1)
    assert a.n_features == n_features and a.n_classes == 10
    assert len(a.X_train) + len(a.X_test) == n_total
    assert a.X_train.dtype == np.float32 and a.y_train.dtype == np.int64
    np.testing.assert_array_equal(a.X_test, b.X_test)
    assert not np.array_equal(a.y_test, c.y_test)
    counts = np.bincount(a.y_test, minlength=10)
    assert counts.max() - counts.min() <= 2


def test_mnist1d_leaves_global_numpy_state_alone():
    np.random.seed(123)
    expected = np.random.rand()
    np.random.seed(123)
    mnist1d(99, num_samples=1000)
    assert np.random.rand() == expected


def test_mnist1d_shuffle_applies_one_permutation():
    plain, shuffled = mnist1d(3, num_samples=1000), mnist1d(3, num_samples=1000, shuffle_seq=True)
    assert not np.array_equal(plain.X_train, shuffled.X_train)
    np.testing.assert_allclose(np.sort(plain.X_train[0]), np.sort(shuffled.X_train[0]), atol=1e-5)


def test_mnist1d_is_cached_on_disk_and_a_damaged_cache_is_regenerated(tmp_path, monkeypatch):
    import numpy as np

    from deepfaq.data import loaders

    monkeypatch.setenv("DEEPFAQ_CACHE", str(tmp_path))
    loaders._mnist1d_arrays.cache_clear()
    first = loaders._mnist1d_arrays(300, 11)
    [cached] = list((tmp_path / "data").glob("mnist1d-*.npz"))
    loaders._mnist1d_arrays.cache_clear()
    again = loaders._mnist1d_arrays(300, 11)  # read back from disk
    assert all(np.array_equal(a, b) for a, b in zip(first, again, strict=True))
    cached.write_bytes(b"not a zip file")
    loaders._mnist1d_arrays.cache_clear()
    regenerated = loaders._mnist1d_arrays(300, 11)
    assert all(np.array_equal(a, b) for a, b in zip(first, regenerated, strict=True))
    loaders._mnist1d_arrays.cache_clear()
