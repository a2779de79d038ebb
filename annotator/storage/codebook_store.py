"""The codebook inside a project file: save (with safe changes) and load."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from annotator.errors import CodebookError
from annotator.model import Bilingual, Code, Codebook, CoderState, Facet
from annotator.storage.db import Project, now


@dataclass(frozen=True)
class CodebookChange:
    """What saving a codebook into a project did."""

    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    archived: tuple[str, ...] = ()
    archived_annotations: int = 0
    #: codes back in the codebook after an archive, and their annotations brought back
    restored: tuple[str, ...] = ()
    restored_annotations: int = 0
    #: archived annotations left archived: the coder has another code in that single-choice facet
    left_archived: int = 0
    #: (facet id, segment id, coder) where a now single-choice facet holds several codes
    single_choice_conflicts: tuple[tuple[str, str, str], ...] = ()


def _extra(code: Code) -> dict[str, object]:
    """The code's extra fields, with its ``implies`` (kept in the same JSON column)."""
    if not code.implies:
        return code.extra
    return {**code.extra, "implies": dict(code.implies)}


def _implies(extra: dict[str, object]) -> tuple[tuple[str, str], ...]:
    found = extra.pop("implies", None)
    if not isinstance(found, dict):
        return ()
    return tuple((str(f), str(c)) for f, c in found.items())


def _code_row(code: Code, position: int) -> dict[str, object]:
    return {
        "id": code.id,
        "facet": code.facet,
        "position": position,
        "key": code.key,
        "label_zh": code.label.zh,
        "label_en": code.label.en,
        "definition_zh": code.definition.zh,
        "definition_en": code.definition.en,
        "when_to_use_zh": code.when_to_use.zh,
        "when_to_use_en": code.when_to_use.en,
        "when_not_to_use_zh": code.when_not_to_use.zh,
        "when_not_to_use_en": code.when_not_to_use.en,
        "keywords_zh": json.dumps(list(code.keywords_zh), ensure_ascii=False),
        "keywords_en": json.dumps(list(code.keywords_en), ensure_ascii=False),
        "color": code.color,
        "extra": json.dumps(_extra(code), ensure_ascii=False, default=str),
        "archived": 0,
    }


def save_codebook(project: Project, codebook: Codebook, *, force: bool = False) -> CodebookChange:
    """Make the project's codebook ``codebook``, keeping every annotation.

    New codes and facets are added, existing ones updated (labels, keys, colours, facet moves).
    A code that is no longer in the codebook but has annotations is refused unless ``force``;
    with ``force`` its annotations move to ``archived_annotations`` (recoverable) and the code is
    kept, marked archived. An archived code that comes back gets those annotations back (each a
    logged change), except where the coder has meanwhile chosen another code of a single-choice
    facet. A facet switched to single choice reports the segments that break it.
    """
    from annotator.safe_text import codebook_problem
    from annotator.storage.coding import get_state, set_state

    if problem := codebook_problem(codebook):
        raise CodebookError(f"codebook refused: {problem}")
    with project.write() as conn:
        old_codes = {r[0]: r[1] for r in conn.execute("SELECT id, archived FROM codes")}
        new_ids = {c.id for c in codebook.codes}
        removed = [cid for cid in old_codes if cid not in new_ids and not old_codes[cid]]
        used = {
            r[0]: r[1]
            for r in conn.execute(
                "SELECT code, count(*) FROM annotations GROUP BY code"
            )
        }
        in_use = [cid for cid in removed if used.get(cid)]
        if in_use and not force:
            detail = ", ".join(f"{cid} ({used[cid]} annotations)" for cid in in_use)
            raise CodebookError(
                f"the new codebook drops codes that have annotations: {detail};"
                " use --force to archive those annotations"
            )
        # keys must be free before the update (a code may take another's old key)
        conn.execute("UPDATE codes SET key = NULL")
        for fpos, facet in enumerate(codebook.facets):
            conn.execute(
                "INSERT INTO facets (id, position, multiple, label_zh, label_en, description_zh,"
                " description_en) VALUES (?,?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET"
                " position=excluded.position, multiple=excluded.multiple,"
                " label_zh=excluded.label_zh, label_en=excluded.label_en,"
                " description_zh=excluded.description_zh, description_en=excluded.description_en",
                (facet.id, fpos, int(facet.multiple), facet.label.zh, facet.label.en,
                 facet.description.zh, facet.description.en),
            )
        position = 0
        for facet in codebook.facets:
            for code in facet.codes:
                row = _code_row(code, position)
                cols = ", ".join(row)
                marks = ", ".join("?" for _ in row)
                updates = ", ".join(f"{c}=excluded.{c}" for c in row if c != "id")
                conn.execute(
                    f"INSERT INTO codes ({cols}) VALUES ({marks})"
                    f" ON CONFLICT(id) DO UPDATE SET {updates}",
                    tuple(row.values()),
                )
                position += 1
        archived_count = 0
        stamp = now()
        back = [cid for cid, was_archived in old_codes.items() if was_archived and cid in new_ids]
        restored_count = left = 0
        if back:
            facet_of = {c.id: c.facet for c in codebook.codes}
            single = {f.id for f in codebook.facets if not f.multiple}
            marks = ", ".join("?" for _ in back)
            rows = conn.execute(
                "SELECT a.id, a.coder, a.segment, a.code FROM archived_annotations a"
                " JOIN segments s ON s.id = a.segment"
                f" WHERE a.reason = 'code removed from codebook' AND a.code IN ({marks})"
                " ORDER BY a.id", back,
            ).fetchall()
            for row_id, coder, seg, cid in rows:
                state = get_state(project, coder, seg)
                fid = facet_of[cid]
                if fid in single and any(facet_of.get(c) == fid for c in state.codes - {cid}):
                    left += 1
                    continue
                set_state(project, coder, seg, CoderState(state.codes | {cid}, state.done, state.memo),
                          action="restore", detail={"code": cid})
                conn.execute("DELETE FROM archived_annotations WHERE id = ?", (row_id,))
                restored_count += 1
        for cid in removed:
            if used.get(cid):
                cur = conn.execute(
                    "INSERT INTO archived_annotations (coder, segment, code, facet, created_at,"
                    " archived_at, reason) SELECT a.coder, a.segment, a.code, c.facet, a.created_at,"
                    " ?, 'code removed from codebook' FROM annotations a JOIN codes c ON c.id = a.code"
                    " WHERE a.code = ?",
                    (stamp, cid),
                )
                archived_count += cur.rowcount
                conn.execute("DELETE FROM annotations WHERE code = ?", (cid,))
            conn.execute(
                "UPDATE codes SET archived = 1, position = position + 100000 WHERE id = ?", (cid,)
            )
        # facets no longer in the codebook stay only while archived codes point at them
        keep = {f.id for f in codebook.facets}
        for (fid,) in conn.execute("SELECT id FROM facets").fetchall():
            if fid not in keep:
                has_codes = conn.execute("SELECT 1 FROM codes WHERE facet = ?", (fid,)).fetchone()
                if not has_codes:
                    conn.execute("DELETE FROM facets WHERE id = ?", (fid,))
        conflicts: list[tuple[str, str, str]] = []
        for facet in codebook.facets:
            if facet.multiple:
                continue
            for seg, coder in conn.execute(
                "SELECT a.segment, a.coder FROM annotations a JOIN codes c ON c.id = a.code"
                " WHERE c.facet = ? GROUP BY a.segment, a.coder HAVING count(*) > 1"
                " ORDER BY a.segment, a.coder",
                (facet.id,),
            ):
                conflicts.append((facet.id, seg, coder))
        conn.execute(
            "INSERT INTO events (at, action, detail) VALUES (?, 'codebook', ?)",
            (stamp, json.dumps({"codes": sorted(new_ids), "archived": removed}, ensure_ascii=False)),
        )
    return CodebookChange(
        added=tuple(sorted(new_ids - set(old_codes))),
        updated=tuple(sorted(new_ids & set(old_codes))),
        archived=tuple(removed),
        archived_annotations=archived_count,
        restored=tuple(sorted(back)),
        restored_annotations=restored_count,
        left_archived=left,
        single_choice_conflicts=tuple(conflicts),
    )


def _dict_rows(project: Project, sql: str, params: Any = ()) -> Iterator[dict[str, Any]]:
    cursor = project.execute(sql, params)
    names = [d[0] for d in cursor.description]
    for row in cursor:
        yield dict(zip(names, row, strict=True))


def load_codebook(project: Project, *, include_archived: bool = False) -> Codebook:
    """The project's codebook (archived codes left out unless asked for)."""
    cached = project._cache.get(("codebook", include_archived))
    if isinstance(cached, Codebook):
        return cached
    facets = []
    for f in _dict_rows(project, "SELECT * FROM facets ORDER BY position"):
        codes = []
        where = "" if include_archived else " AND archived = 0"
        for c in _dict_rows(
            project, f"SELECT * FROM codes WHERE facet = ?{where} ORDER BY position", [f["id"]]
        ):
            extra = json.loads(c["extra"] or "{}")
            codes.append(
                Code(
                    id=c["id"],
                    facet=c["facet"],
                    label=Bilingual(c["label_zh"], c["label_en"]),
                    key=c["key"],
                    definition=Bilingual(c["definition_zh"], c["definition_en"]),
                    when_to_use=Bilingual(c["when_to_use_zh"], c["when_to_use_en"]),
                    when_not_to_use=Bilingual(c["when_not_to_use_zh"], c["when_not_to_use_en"]),
                    keywords_zh=tuple(json.loads(c["keywords_zh"])),
                    keywords_en=tuple(json.loads(c["keywords_en"])),
                    color=c["color"],
                    extra=extra,
                    implies=_implies(extra),
                )
            )
        if not codes and not include_archived:
            continue
        facets.append(
            Facet(
                id=f["id"],
                codes=tuple(codes),
                multiple=bool(f["multiple"]),
                label=Bilingual(f["label_zh"], f["label_en"]),
                description=Bilingual(f["description_zh"], f["description_en"]),
            )
        )
    codebook = Codebook(facets=tuple(facets))
    project._cache[("codebook", include_archived)] = codebook
    return codebook
