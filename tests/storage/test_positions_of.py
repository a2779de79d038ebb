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


@pytest.mark.parametrize("batch", [1, 3, 20_000])
def test_by_row_id_the_positions_are_those_by_id(
        demo_project: Path, batch: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reading_order, "POSITIONS_BATCH", batch)
    with open_project(demo_project) as p:
        rows = p.execute("SELECT rowid, id FROM segments").fetchall()[1::3]
        by_id = {d: sorted(ps.tolist()) for d, ps in reading_order.positions_of(p, [r[1] for r in rows])}
        keys = [r[0] for r in rows] + [10**9]  # a row id no segment has
        by_key = {d: sorted(ps.tolist()) for d, ps in reading_order.positions_of_keys(p, keys)}
        assert sorted(reading_order.places_of_keys(p, keys)) == sorted(
            reading_order.places_of(p, [r[1] for r in rows]))
    assert by_key == by_id and by_id
