"""How a run shows its progress: one bar per question in a terminal, a line per
question in a notebook.

Both reporters follow the runner's ``Reporter`` interface (``add``, ``advance``,
``grow``, ``warn``, ``finish``: see :class:`deepfaq.core.runner.Reporter`),
duck-typed, since importing the runner would load torch. :func:`default` picks one
for :func:`deepfaq.run`; ``deepfaq run`` draws its bars on the terminal's stderr.
"""

from __future__ import annotations

import re
import sys
import time

#: What printed text must not carry: C0 controls (tab aside), DEL and C1 controls,
#: with which a string could move the cursor or set the terminal's title.
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f]")


def one_line(text: str) -> str:
    """``text`` as one printable line: control characters and line breaks become
    spaces, runs of spaces one."""
    return " ".join(_CONTROL.sub(" ", text).split())


class RichReporter:
    """One progress bar per question: trials done / total, elapsed, ETA."""

    def __init__(self, console):
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.progress = Progress(
            TextColumn("[bold]{task.description:<14}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("trials"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=console,
        )
        self.tasks: dict[str, int] = {}

    def add(self, question, total):
        from rich.markup import escape

        if not self.tasks:
            self.progress.start()
        # The label holds the user's --set values: text, never markup.
        self.tasks[question] = self.progress.add_task(escape(one_line(question)), total=total)

    def advance(self, question, amount):
        self.progress.update(self.tasks[question], advance=amount)

    def grow(self, question, total):
        """A sequential design added seeds: the bar's total grows."""
        self.progress.update(self.tasks[question], total=total)

    def warn(self, message):
        from rich.markup import escape

        self.progress.console.print(
            f"[yellow]warning:[/] {escape(one_line(str(message)))}", highlight=False, soft_wrap=True
        )

    def finish(self):
        self.progress.stop()


class LineReporter:
    """Plain lines, for a notebook (where a live bar would need ipywidgets): the
    trials each question will run, then when it is done and how long it took."""

    def __init__(self, file=None):
        self.file = file
        #: per question: [trials done, trials in all, start time, said done]
        self.state: dict[str, list] = {}

    def _say(self, text: str) -> None:
        print(one_line(text), file=self.file or sys.stdout, flush=True)

    def add(self, question, total):
        self.state[question] = [0.0, total, time.perf_counter(), False]
        self._say(f"{question}: {total} trial{'s' * (total != 1)}")

    def advance(self, question, amount):
        s = self.state[question]
        s[0] += amount
        if not s[3] and s[0] >= s[1] - 1e-9:
            s[3] = True
            self._say(f"{question}: done in {time.perf_counter() - s[2]:.1f} s")

    def grow(self, question, total):
        s = self.state[question]
        s[1], s[3] = total, False
        self._say(f"{question}: more seeds, {total} trials in all")

    def warn(self, message):
        self._say(f"warning: {message}")

    def finish(self):
        pass


def in_notebook() -> bool:
    """Whether this process is a Jupyter kernel (IPython is never imported to find out)."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    return shell is not None and "IPKernelApp" in shell.config


def default():
    """Bars on stderr in a terminal or a script, lines in a notebook."""
    if in_notebook():
        return LineReporter()
    from rich.console import Console

    return RichReporter(Console(stderr=True))
