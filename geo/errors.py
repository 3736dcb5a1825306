"""Exceptions of ``geo``, each carrying a one-line message for the user."""

from __future__ import annotations

__all__ = ["InputError", "OutputError"]


class InputError(Exception):
    """An input the user named cannot be used: the message names the path and what to do."""


class OutputError(Exception):
    """An output cannot be written: the directory cannot be created or a file cannot be replaced.

    The message is one line that names the path and the problem; no partial file is left behind.
    """
