"""The one exception every command reports as one line with exit status 2 (no Pulumi import, so
``connect`` stays fast)."""

from __future__ import annotations


class InputError(Exception):
    """Bad input that is not a program's config (a file, an argument): one line, exit status 2."""
