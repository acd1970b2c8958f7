"""deepfaq: answers deep-learning interview questions by seeded experiments.

In Python (see :mod:`deepfaq.api` and docs/api.md)::

    import deepfaq

    deepfaq.questions()                               # the catalogue, a pandas DataFrame
    mine = deepfaq.run("zero-init", profile="smoke")  # a Result: .claims, .metrics, .figure()
    ref = deepfaq.load("zero-init", "reference")      # the run shipped with deepfaq

The API loads on first use (module ``__getattr__``), so ``import deepfaq`` imports
neither pandas nor torch and the command line starts fast.
"""

from deepfaq.core.errors import DeepfaqError

__version__ = "0.1.0"

#: What ``deepfaq.<name>`` gives, loaded from :mod:`deepfaq.api` on first use.
_API = ("questions", "run", "run_iter", "load", "notebook", "Result", "Results", "RunFailed")

__all__ = ["DeepfaqError", "__version__", *_API]


def __getattr__(name: str):
    if name in _API:
        from deepfaq import api

        return getattr(api, name)
    raise AttributeError(f"module 'deepfaq' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_API})
