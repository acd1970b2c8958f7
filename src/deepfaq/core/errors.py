"""Errors a user can cause and fix. The CLI prints them as one line and exits 2."""


class DeepfaqError(Exception):
    """A problem with the user's input or environment, explained in one line."""


class UnknownQuestion(DeepfaqError):
    pass


class BadConfig(DeepfaqError):
    pass


class DamagedFile(DeepfaqError):
    pass
