"""``python -m curate``: the same command line as ``curate``."""

from curate.cli import run

run()
