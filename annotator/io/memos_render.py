"""Every memo of a project rendered as a plain table, Markdown or JSON lines (rows from the caller)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from annotator.io.read_common import clean_text

KEYS = ("kind", "target", "document", "coder", "text", "updated_at")


def render_json_lines(memos: Sequence[dict[str, Any]]) -> str:
    return "".join(json.dumps({k: m.get(k) for k in KEYS}, ensure_ascii=False) + "\n" for m in memos)


def render_table(memos: Sequence[dict[str, Any]]) -> str:
    lines = []
    for m in memos:
        text = " ".join(clean_text(m["text"]).split())
        lines.append(f"{m['kind']}\t{clean_text(m['target'])}\t{clean_text(m['coder'])}\t{text}")
    return "".join(line + "\n" for line in lines)


def render_markdown(memos: Sequence[dict[str, Any]], *, title: str = "Memos") -> str:
    lines = [f"# {title}", ""]
    heading = {"document": "Documents", "code": "Codes", "segment": "Segments"}
    current = None
    for m in memos:
        if m["kind"] != current:
            current = m["kind"]
            if lines[-1]:
                lines.append("")
            lines += [f"## {heading.get(current, current)}", ""]
        text = clean_text(m["text"]).replace("<", "&lt;")
        where = m["target"] if m["kind"] != "segment" else f"{m['target']} ({m['document']})"
        lines.append(f"- **{clean_text(where).replace('<', '&lt;')}** — {clean_text(m['coder']).replace('<', '&lt;')}:"
                     f" {'  '.join(text.splitlines())}")
    return "\n".join(lines) + "\n"
