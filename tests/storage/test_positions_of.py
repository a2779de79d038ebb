"""The positions of a set of segment ids, per document, whatever the batches they are read in:
the same as each segment's own row."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.storage import reading_order
from annotator.storage.db import open_project


@pytest.mark.parametrize("batch", [1, 2, 7, 20_000])
def test_positions_per_document_are_each_segments_own(
        demo_project: Path, batch: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reading_order, "POSITIONS_BATCH", batch)
    with open_project(demo_project) as p:
        rows = p.execute("SELECT id, document, position FROM segments").fetchall()
        chosen = [r[0] for r in rows[::2]] + ["no such segment"]
        found = {doc: sorted(positions.tolist()) for doc, positions in
                 reading_order.positions_of(p, iter(chosen))}
    expected: dict[str, list[int]] = {}
    for _seg, doc, position in rows[::2]:
        expected.setdefault(doc, []).append(position)
    assert found == {doc: sorted(ps) for doc, ps in expected.items()}
    assert len(found) > 1


def test_no_ids_no_documents(demo_project: Path) -> None:
    with open_project(demo_project) as p:
        assert list(reading_order.positions_of(p, [])) == []
