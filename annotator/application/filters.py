"""The segments the coding screen's filters keep: those with a code, those of the
double-coding sample assigned to a coder, and those whose coders disagree (the lead's filter
and the adjudication queue)."""

from __future__ import annotations

from annotator.storage.db import Project
from annotator.storage.study import has_assignments, segments_assigned
from annotator.storage.training import segments_with_code

__all__ = ["disagreeing", "has_assignments", "segments_assigned", "segments_with_code"]


def disagreeing(project: Project, *, exclude: str | None = None) -> set[str]:
    """Segments done by at least two coders (other than ``exclude``) whose code sets differ:
    from the done marks and codes read as integer arrays (as ``agree`` reads them), each
    coder's set of codes on a segment numbered, then compared across coders with numpy."""
    import numpy as np

    from annotator.agreement.facet_matrices import differing
    from annotator.agreement.patterns import distinct_rows
    from annotator.application.agreement import current_table

    with project.snapshot():
        table = current_table(project, None, None)
    table = table.select([c for c in table.coders if c != exclude])
    n_coders, n_units, n_codes = table.present.shape
    code_set, _first = distinct_rows(table.present.reshape(n_coders * n_units, n_codes))
    differs = differing(code_set.reshape(n_coders, n_units)[table.done], table.done)
    return {table.units[u] for u in np.flatnonzero(differs).tolist()}

