"""Worker processes for the crash and concurrency tests (run as ``python workers.py MODE ...``).

``ack``: tag burden codes on (segment, code) pairs in a loop through ``storage.coding.tag``
and print each pair on stdout, flushed, only after the call has returned (acknowledged).

``cli``: one coder's 1,000 ``annotator tag`` commands, each through the command's own function
(``annotator.cli.project.tag_cmd``: opens the project, loads the codebook, one transaction).
"""

from __future__ import annotations

import sys
from pathlib import Path

BURDENS = [
    "rights_mismatch", "unfixed_matters", "activity_intensity", "smart_governance",
    "trace_formalism", "inspection_pressure", "staffing_mismatch", "incentive_deficit",
    "feedback_gap",
]
DIMENSIONS = ["adaptation", "goal_attainment", "integration", "latency"]


def cli_plan(coder_index: int, segments: list[str], n: int) -> list[tuple[str, list[str]]]:
    """The tags one coder applies: every visit to a segment changes its dimension code."""
    plan = []
    s = len(segments)
    for k in range(n):
        seg = segments[(k + coder_index * (s // 4)) % s]
        visit = k // s
        plan.append((seg, [DIMENSIONS[visit % 4], BURDENS[(visit + coder_index) % 9]]))
    return plan


def _segments(project: Path) -> list[str]:
    from annotator.storage.db import open_project
    from annotator.storage.documents import segment_order

    with open_project(project) as p:
        return [s for s, _ in segment_order(p)]


def ack(project: Path, coder: str, start: int) -> None:
    from annotator.storage.codebook_store import load_codebook
    from annotator.storage.coding import tag
    from annotator.storage.db import open_project

    segments = _segments(project)
    pairs = [(s, b) for s in segments for b in BURDENS]
    with open_project(project) as p:
        codebook = load_codebook(p)
        print("ready", flush=True)
        i = start
        while True:
            seg, code = pairs[i % len(pairs)]
            tag(p, codebook, coder, seg, [code])
            sys.stdout.write(f"{seg} {code}\n")
            sys.stdout.flush()
            i += 1


def cli(project: Path, coder: str, index: int, n: int) -> None:
    import contextlib
    import io

    from annotator.cli.project import tag_cmd

    segments = _segments(project)
    print("ready", flush=True)
    sys.stdin.readline()  # start together
    sink = io.StringIO()
    for seg, codes in cli_plan(index, segments, n):
        with contextlib.redirect_stdout(sink):
            tag_cmd(project, seg, codes, coder=coder, remove=False, none=False)
    print(f"done {n}", flush=True)


if __name__ == "__main__":
    mode, path, name = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
    if mode == "ack":
        ack(path, name, int(sys.argv[4]))
    else:
        cli(path, name, int(sys.argv[4]), int(sys.argv[5]))
