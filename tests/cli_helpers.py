"""Helpers the CLI tests share."""

from __future__ import annotations

import sys

from deepfaq import cli


def deepfaq(capsys, *args):
    """Run the CLI in-process; return (exit code, stdout, stderr)."""
    old = sys.argv
    sys.argv = ["deepfaq", *map(str, args)]
    code = 0
    try:
        cli.main()
    except SystemExit as e:
        code = e.code or 0
    finally:
        sys.argv = old
    out, err = capsys.readouterr()
    return code, out, err
