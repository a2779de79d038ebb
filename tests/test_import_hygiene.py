"""Start-up stays fast: the CLI and the domain modules import no spaCy, jieba or Textual.

(That the domain never imports the user interface at all is a contract: tests/test_layers.py.)
"""

from __future__ import annotations

import subprocess
import sys

import pytest

HEAVY = ("spacy", "jieba", "textual")


@pytest.mark.parametrize(
    "code",
    [
        "import sys, runpy; sys.argv=['annotator','--help']\n"
        "try:\n    runpy.run_module('annotator', run_name='__main__')\nexcept SystemExit:\n    pass",
        "import annotator.agreement, annotator.storage.db, annotator.storage.coding, annotator.codebook",
    ],
)
def test_no_heavy_imports(code: str) -> None:
    probe = code + f"\nimport sys\nprint('HEAVY:' + ' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "HEAVY:", out.stdout

