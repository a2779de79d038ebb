"""Whole-project operations the CLI and the TUI share: create, import anything, statistics."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path
from typing import Any

from annotator.errors import ProjectError, UsageError
from annotator.model import Codebook
from annotator.storage.db import Project, open_project


def create_project(path: Path, codebook_path: Path | None = None, *, empty: bool = False) -> Codebook:
    """A new project file holding the codebook (the bundled one when ``codebook_path`` is None;
    none at all with ``empty``, for imports that bring their own codebook).

    The codebook is checked before any file is written.
    """
    from annotator.codebook import bundled_codebook_path, load_codebook
    from annotator.storage.codebook_store import save_codebook

    codebook = (
        Codebook(facets=())
        if empty
        else load_codebook(codebook_path or bundled_codebook_path())
    )
    if path.exists():
        raise ProjectError("already exists", path=path)
    try:
        with open_project(path, create=True) as project:
            save_codebook(project, codebook)
            with project.write() as conn:
                conn.execute(
                    "INSERT OR REPLACE INTO project (key, value) VALUES ('created_at', ?)",
                    (time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),),
                )
    except BaseException:
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        raise
    return codebook


def _is_project_export(path: Path) -> bool:
    try:
        from annotator.io.jsonl_export import is_project_export
    except ModuleNotFoundError:
        return False
    return is_project_export(path)


def import_any(
    path: Path,
    files: list[Path],
    *,
    translation: Path | None = None,
    lang: str | None = None,
    document: str | None = None,
    fmt: str = "auto",
    replace: bool = False,
    mapping: Path | None = None,
) -> list[str]:
    """Import transcripts, a REFI-QDA project or an annotator JSONL export; lines to show.

    A project file that does not exist yet is created with the bundled codebook; if the import
    fails, nothing of it is kept (not even the new file).
    """
    created = False
    if not path.exists():
        # a .qdpx brings its code tree, unless --map maps it onto the (bundled) codebook
        brings_codebook = len(files) == 1 and (
            (files[0].suffix.lower() == ".qdpx" and mapping is None) or _is_project_export(files[0])
        )
        create_project(path, empty=brings_codebook)
        created = True
    try:
        with open_project(path) as project:
            return _import_into(project, files, translation=translation, lang=lang,
                                document=document, fmt=fmt, replace=replace, mapping=mapping)
    except BaseException:
        if created:
            for suffix in ("", "-wal", "-shm"):
                Path(str(path) + suffix).unlink(missing_ok=True)
        raise


def _import_into(project: Project, files: list[Path], **kw: Any) -> list[str]:
    qdpx = [f for f in files if f.suffix.lower() == ".qdpx"]
    if kw.get("mapping") is not None and not qdpx:
        raise UsageError("--map maps the codes of a .qdpx onto the project's; it applies to nothing else")
    if qdpx:
        from annotator.io.refi_import import import_qdpx

        if len(files) != 1:
            raise ProjectError("import one .qdpx file at a time", path=qdpx[0])
        return list(import_qdpx(project, qdpx[0], mapping=kw.get("mapping")).lines())
    if len(files) == 1 and files[0].suffix.lower() in (".jsonl", ".ndjson") and _is_project_export(files[0]):
        from annotator.io.jsonl_export import restore_jsonl

        return list(restore_jsonl(project, files[0]).lines())
    from annotator.storage.importing import import_transcripts

    kw.pop("mapping", None)
    total = sum(f.stat().st_size for f in files if f.exists())
    progress = _progress_bar(total) if total > 2_000_000 else None
    try:
        summary = import_transcripts(project, files, progress=progress, **kw)
    finally:
        if progress is not None:
            progress.close()
    docs = summary.documents
    if summary.translation_added and len(docs) == 1 and not files:
        language = "English" if summary.translation_added == "en" else "Chinese"
        lines = [f"added the {language} translation to {docs[0]} ({_n(summary.segments, 'segment')})"]
    else:
        lines = [f"imported {_n(summary.segments, 'segment')} in {_n(len(docs), 'document')}"
                 f" ({', '.join(docs[:8])}{', ...' if len(docs) > 8 else ''})"]
    if summary.replaced:
        lines.append(f"replaced: {', '.join(summary.replaced)}")
    if summary.archived_annotations:
        lines.append(f"{summary.archived_annotations} annotations on removed segments archived")
    changed = summary.changed_with_work
    if changed:
        lines.append(f"warning: {len(changed)} segment(s) with coders' work now hold different text;"
                     f" the work was kept, check it: {', '.join(changed[:8])}"
                     f"{', ...' if len(changed) > 8 else ''}")
    return lines


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


class _progress_bar:
    """A progress bar on stderr for long imports (counts characters, roughly bytes)."""

    def __init__(self, total: int) -> None:
        from rich.progress import Progress

        self._progress = Progress(transient=True)
        self._task = self._progress.add_task("importing", total=total)
        self._progress.start()

    def __call__(self, n: int) -> None:
        self._progress.advance(self._task, n * 2)

    def close(self) -> None:
        self._progress.stop()


STATS_CODES = 10
"""``annotator stats`` lists each coder's most used codes, this many at most."""


def project_stats(project: Project, coder: str | None = None) -> list[str]:
    """Lines of text: segments per document, work per coder, one coder's dimension × burden table."""
    table_coder = coder  # the loop below reuses the name
    from annotator.storage.codebook_store import load_codebook
    from annotator.storage.coding import coder_states
    from annotator.storage.documents import list_documents

    codebook = load_codebook(project)
    lines = ["Documents"]
    counts = dict(project.execute("SELECT document, count(*) FROM segments GROUP BY document").fetchall())
    for doc in list_documents(project):
        lines.append(f"  {doc.id:<24} {counts.get(doc.id, 0):>6} segments")
    total = sum(counts.values())
    lines.append(f"  {'total':<24} {total:>6} segments")
    states = coder_states(project)
    per_coder: dict[str, Counter[str]] = {}
    done: Counter[str] = Counter()
    for per in states.values():
        for coder, st in per.items():
            c = per_coder.setdefault(coder, Counter())
            done[coder] += st.done
            for code in st.codes:
                c[code] += 1
    lines.append("")
    lines.append("Coders")
    for coder, c in sorted(per_coder.items()):
        order = {code.id: i for i, code in enumerate(codebook.codes)}
        common = sorted(c.items(), key=lambda kv: (-kv[1], order.get(kv[0], len(order)), kv[0]))
        codes = ", ".join(f"{k} {v}" for k, v in common[:STATS_CODES])
        if len(common) > STATS_CODES:
            codes += f", ... ({len(common) - STATS_CODES} more codes)"
        lines.append(f"  {coder:<16} {done[coder]:>5}/{total} done   {codes}")
    from annotator.application_findings import stats_table_lines

    lines += stats_table_lines(project, table_coder)  # one coder's work, never summed over coders
    return lines
