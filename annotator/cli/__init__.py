"""The ``annotator`` command line: thin commands over the domain modules.

Each command module registers its commands on the shared Typer app; none imports spaCy,
jieba or Textual at module level, so ``annotator --help`` stays fast.
"""

from __future__ import annotations

import sys

# importing a command module registers its commands on the app, in the order --help lists them
from annotator.cli import project  # noqa: F401
from annotator.cli import code, suggest, agree, interchange, maintenance  # noqa: F401
from annotator.cli._common import app, err
from annotator.errors import AnnotatorError


def main() -> None:
    try:
        app()
    except AnnotatorError as exc:  # commands report their own; this is the last net
        err(f"error: {exc}")
        sys.exit(1)


__all__ = ["app", "main"]
