"""The search benchmark times the screen's own search and a scan that finds the same segments."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from benchmarks.bench_search import main


def test_each_query_is_answered_by_the_search_and_by_the_scan_alike(
        demo_project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main([str(demo_project), "社区", "检查", "inspection", "--coder", "paper", "--repeats", "2", "--scans", "1"])
    lines = capsys.readouterr().out.splitlines()[1:]
    counts = [re.search(r"(\d+) answers \(the scan: (\d+)\)", line) for line in lines]
    assert len(counts) == 3 and all(counts)
    found = [(int(m.group(1)), int(m.group(2))) for m in counts if m]
    assert all(n > 0 for n, _scan in found), found
    assert found[0][0] == found[0][1] and found[1][0] == found[1][1]  # Chinese: the same segments
    assert found[2][0] <= found[2][1]  # English: the scan also finds the word inside others
