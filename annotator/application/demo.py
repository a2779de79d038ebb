"""The bundled demo: the X-community interview excerpts with the paper's own codes."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from annotator.application.projects import create_project, remove_project_file
from annotator.application.transcripts import import_transcripts
from annotator.config import resource_path
from annotator.errors import ImportFormatError
from annotator.model import segment_id
from annotator.plural import plural
from annotator.storage.codebook_store import load_codebook
from annotator.storage.coding import tag
from annotator.storage.db import open_project
from annotator.storage.documents import count_segments

PAPER_CODER = "paper"


def corpus_dir() -> Path:
    return resource_path("corpora") / "x-community"


def _read_csv(path: Path) -> list[dict[str, str]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            return list(csv.DictReader(f))
    except FileNotFoundError:
        raise ImportFormatError("demo corpus file missing", path=path) from None


def build_demo(path: Path, corpus: Path | None = None) -> str:
    """Build the demo project at ``path`` (kept as it is if it already exists); a summary line."""
    corpus = corpus or corpus_dir()
    if path.exists():
        with open_project(path) as project:
            n = count_segments(project)
        return f"demo project: {path} ({plural(n, 'segment')}; kept as it was)"
    docs = _read_csv(corpus / "documents.csv")
    attributes: dict[str, dict[str, Any]] = {
        d["id"]: {k: v for k, v in d.items() if k != "id" and v} for d in docs
    }
    create_project(path)
    try:
        with open_project(path) as project:
            with project.write():
                for d in docs:
                    import_transcripts(
                        project, [corpus / f"{d['id']}.zh.txt"],
                        translation=corpus / f"{d['id']}.en.txt", lang="zh", document=d["id"],
                        attributes=attributes,
                    )
                codebook = load_codebook(project)
                for row in _read_csv(corpus / "paper.csv"):
                    seg = segment_id(row["document"], int(row["position"]))
                    codes = [row["dimension"], *[c for c in row.get("burden", "").split(";") if c]]
                    tag(project, codebook, PAPER_CODER, seg, codes, session="demo")
            n = count_segments(project)
    except BaseException:
        remove_project_file(path)
        raise
    return (f"demo project: {path} ({plural(len(docs), 'interview')}, {plural(n, 'segment')},"
            f" coded by '{PAPER_CODER}')")
