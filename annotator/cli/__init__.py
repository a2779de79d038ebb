"""The ``annotator`` command line: thin commands over the domain modules.

Each command module registers its commands on the shared Typer app; none imports spaCy,
jieba or Textual at module level, so ``annotator --help`` stays fast.
"""

from __future__ import annotations

import sys

from annotator.cli import project as _project  # noqa: F401  (registers commands)
from annotator.cli._common import app, err
from annotator.errors import AnnotatorError

for _name in ("agree", "suggest", "interchange", "code", "maintenance"):
    try:
        __import__(f"annotator.cli.{_name}")
    except ModuleNotFoundError as _exc:  # a command group not built yet
        if _exc.name != f"annotator.cli.{_name}":
            raise


def main() -> None:
    try:
        app()
    except AnnotatorError as exc:  # commands report their own; this is the last net
        err(f"error: {exc}")
        sys.exit(1)


__all__ = ["app", "main"]
