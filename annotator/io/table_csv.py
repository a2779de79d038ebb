"""A table given by the caller written as CSV: the text as written for R, SPSS and pandas, or
made safe for a spreadsheet (``excel``: a UTF-8 BOM, and text starting like a formula gets a
leading ``'``)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from annotator.files import atomic_output
from annotator.io.csv_export import neutralise


def write_table_csv(out: Path, header: Sequence[str], rows: Iterable[Sequence[Any]], *,
                    excel: bool = False) -> int:
    """Write the CSV atomically (``-`` is standard output); the number of data rows."""
    n = 0
    with atomic_output(out, encoding="utf-8-sig" if excel else "utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        for row in rows:
            cells = ["" if v is None else v for v in row]
            w.writerow([neutralise(v) for v in cells] if excel else cells)
            n += 1
    return n
