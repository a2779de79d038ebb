"""The codebook's text tokenised in a short-lived process of its own.

An engine starts from the codebook's text split into terms as the segments were (jieba for
Chinese, spaCy for English). The terms are kept in the project once tokenised
(:func:`~annotator.application.suggesting.keep_codebook_terms`), so later starts load neither
tokeniser; the first start after an import or a codebook change must tokenise. Done in the
coding screen's engine process, jieba's dictionary and spaCy's tables would stay in its memory
for the whole session (some 150 MB) for a few hundred words; done here, in a process that ends,
they are given back at once.

Run as ``python -m annotator.application.codebook_terms PROJECT``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from annotator.storage.codebook_store import load_codebook
from annotator.storage.db import Project, open_project

#: Seconds the tokenising process is given (jieba's dictionary and spaCy load in a few).
TIMEOUT_S = 300.0


def tokenise_codebook(project: Project) -> None:
    """Tokenise ``project``'s codebook text in this process and keep the terms in the project."""
    from annotator.application.suggesting import keep_codebook_terms, recall_codebook_terms
    from annotator.nlp.lexicon import Lexicon, code_description_terms

    recall_codebook_terms(project)
    codebook = load_codebook(project)
    Lexicon.build(codebook)  # the English keywords' lemmas
    code_description_terms(codebook)
    keep_codebook_terms(project)


def tokenise_codebook_apart(project: Project, path: Path, *, coder: str | None,
                            lead: bool) -> Callable[[], None]:
    """When the engine for ``coder`` (or the lead) would have to tokenise ``project``'s codebook
    (at ``path``), start doing it in another process; returns what waits for it and takes its
    terms (call it before the engine needs them; meanwhile this process may read the corpus).
    This process then loads neither tokeniser; a failure there only leaves the tokenising to
    this process, as before."""
    from annotator.application.suggesting import needs_tokeniser, recall_codebook_terms

    recall_codebook_terms(project)
    if not needs_tokeniser(project, coder=coder, lead=lead):
        return _nothing
    try:
        child = subprocess.Popen(
            [sys.executable, "-m", __name__, str(path)], stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    except OSError:
        return _nothing

    def taken() -> None:
        try:
            child.wait(TIMEOUT_S)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
        recall_codebook_terms(project)

    return taken


def _nothing() -> None:
    """Nothing to wait for."""


def _main(path: str) -> int:
    import logging

    logging.getLogger("jieba").setLevel(logging.CRITICAL)
    with open_project(Path(path)) as project:
        tokenise_codebook(project)
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1]))
