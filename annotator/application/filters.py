"""The segments the coding screen's filters keep: those with a code, those of the
double-coding sample assigned to a coder, and those whose coders disagree (the lead's filter
and the adjudication queue)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotator.storage.db import Project
from annotator.storage.study import has_assignments, segments_assigned
from annotator.storage.training import segments_with_code

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = ["disagreeing_keys", "has_assignments", "segments_assigned", "segments_with_code"]


#: Up to this many codes a coder's set of codes on a segment is packed into one integer (its
#: bits); beyond, the sets are numbered by :func:`~annotator.agreement.patterns.distinct_rows`.
PACKED_CODES = 62


def disagreeing_keys(project: Project, *, exclude: str | None = None) -> npt.NDArray[np.int64]:
    """Segments done by at least two coders (other than ``exclude``) whose code sets differ, as
    their row ids, ascending (placed in the reading order without looking up each id:
    :func:`annotator.storage.reading_order.positions_of_keys`). From the done marks and codes
    read as integer arrays (as ``agree`` reads them), each coder's set of codes on a segment
    made one integer, then compared across coders with numpy."""
    import numpy as np

    from annotator.agreement.facet_matrices import differing
    from annotator.application.agreement import keyed_table

    with project.snapshot():
        table, keys, _named = keyed_table(project, None, None)
    kept = [i for i, coder in enumerate(table.coders) if coder != exclude]
    done = table.done[kept]
    return np.sort(keys[differing(_code_sets(table.present[kept])[done], done)])


def _code_sets(present: npt.NDArray[np.bool_]) -> npt.NDArray[np.int64]:
    """(coder, unit) → an integer naming the set of codes ``present[coder, unit]`` holds (equal
    sets, equal integers): the bits of the set, or the sets numbered when there are too many
    codes for 62 bits. The bits take a short array pass per code; numbering sorts, in a single
    numpy call that holds the interpreter for tens of milliseconds on a million rows (keys on
    the coding screen wait meanwhile)."""
    import numpy as np

    from annotator.agreement.patterns import distinct_rows

    n_coders, n_units, n_codes = present.shape
    if n_codes > PACKED_CODES:
        numbered, _first = distinct_rows(present.reshape(n_coders * n_units, n_codes))
        out: npt.NDArray[np.int64] = numbered.reshape(n_coders, n_units)
        return out
    bits = np.zeros((n_coders, n_units), dtype=np.int64)
    for k in range(n_codes):  # a pass per code: none holds the interpreter for long
        bits |= present[..., k].astype(np.int64) << k
    return bits
