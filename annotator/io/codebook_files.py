"""A codebook written as YAML (annotator's own format, readable by ``annotator codebook check``),
as the CSV Taguette imports (``tag``, ``description``), and read from a REFI-QDA ``.qdc``.

A ``.qdc`` that annotator wrote (or another tool wrote again, keeping the names) gives back the
facets and codes by id; any other tool's code tree becomes one multi-choice facet whose codes keep
their names as labels, in whatever script, and get ids from them (``code_<n>`` when a name has no
letters an id can hold). An empty ``<Sets/>`` (Taguette) and anything else the schema would refuse
but that does not hide codes is let through.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import yaml

from annotator.errors import ImportFormatError
from annotator.files import atomic_binary
from annotator.io.refi_import import ImportTarget, build_codebook, collect_codes, own_code_tree, parse_xml
from annotator.model import Bilingual, Code, Codebook, ImportSummary

MAX_QDC_BYTES = 50_000_000


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(el: Any, name: str) -> Any:
    return next((c for c in el if _local(c.tag) == name), None)


def _text(value: Bilingual) -> dict[str, str] | None:
    d = value.as_dict()
    return d or None


def _code_dict(code: Code) -> dict[str, Any]:
    out: dict[str, Any] = {"id": code.id, "label": code.label.as_dict() or {"en": code.id}}
    if code.key:
        out["key"] = code.key
    for name in ("definition", "when_to_use", "when_not_to_use"):
        text = _text(getattr(code, name))
        if text:
            out[name] = text
    if code.keywords_zh or code.keywords_en:
        out["keywords"] = {k: list(v) for k, v in (("zh", code.keywords_zh), ("en", code.keywords_en)) if v}
    if code.color:
        out["color"] = code.color
    if code.implies:
        out["implies"] = dict(code.implies)
    out.update({k: v for k, v in code.extra.items() if k in ("examples", "notes")})
    return out


def codebook_yaml(codebook: Codebook) -> str:
    """The codebook as YAML that ``annotator init --codebook`` reads back unchanged."""
    facets = []
    for facet in codebook.facets:
        f: dict[str, Any] = {"id": facet.id, "multiple": facet.multiple}
        if facet.label.as_dict():
            f["label"] = facet.label.as_dict()
        if facet.description.as_dict():
            f["description"] = facet.description.as_dict()
        f["codes"] = [_code_dict(c) for c in facet.codes]
        facets.append(f)
    return yaml.safe_dump({"facets": facets}, allow_unicode=True, sort_keys=False, width=100)


def taguette_description(code: Code) -> str:
    """A code's labels and definition in one line of text, for tools with one description."""
    label = " / ".join(x for x in (code.label.zh, code.label.en) if x)
    definition = " / ".join(x for x in (code.definition.zh, code.definition.en) if x)
    return " — ".join(x for x in (label, definition) if x)


def codebook_csv(codebook: Codebook) -> str:
    """The codebook as the CSV Taguette imports: ``tag`` (the code id) and ``description``."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["tag", "description"])
    for code in codebook.codes:
        writer.writerow([code.id, taguette_description(code)])
    return buf.getvalue()


def write_text(out: Path, text: str) -> None:
    with atomic_binary(out) as f:
        f.write(text.encode("utf-8"))


def read_qdc(path: Path) -> tuple[Codebook, ImportSummary]:
    """A REFI-QDA ``.qdc`` codebook (or the code tree of a ``.qde``) as annotator's codebook."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFormatError(f"cannot read the codebook: {exc.strerror}", path=path) from None
    if len(data) > MAX_QDC_BYTES:
        raise ImportFormatError("refused: the codebook is larger than 50 MB", path=path)
    root = parse_xml(data, path)
    if _local(root.tag) not in ("CodeBook", "Project"):
        raise ImportFormatError(f"not a REFI-QDA codebook (root <{_local(root.tag)}>)", path=path)
    book = root if _local(root.tag) == "CodeBook" else _child(root, "CodeBook")
    codes = collect_codes(_child(book, "Codes") if book is not None else None)
    if not any(c.codable for c in codes):
        raise ImportFormatError("the codebook holds no codable code", path=path)
    summary = ImportSummary()
    empty = Codebook(facets=())
    own = (root.get("origin") or "").startswith("annotator") or own_code_tree(codes)
    codebook, _ids = build_codebook(ImportTarget(empty, empty, set(), lambda d: []), codes, own,
                                     root.get("origin") or path.stem, set(), summary)
    return codebook, summary


