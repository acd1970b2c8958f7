"""Errors a user can cause and fix. The CLI prints them as one line and exits 2."""


class DeepfaqError(Exception):
    """A problem with the user's input or environment, explained in one line."""


class UnknownQuestion(DeepfaqError):
    pass


class BadConfig(DeepfaqError):
    pass


class DamagedFile(DeepfaqError):
    pass


class WriteFailed(DeepfaqError):
    """A results file could not be written (a full disk, a read-only folder): every
    later write would fail too, so a run stops here instead of going on."""


class WorkerLost(DeepfaqError):
    """A process running trials died (killed, out of memory). Finished trials are kept."""

    exit_code = 1
