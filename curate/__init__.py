"""curate: a toolkit for the data steward of a systematic review."""

__version__ = "0.1.0"
