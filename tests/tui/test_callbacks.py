"""The steps the coding screen schedules at every key run without Textual inspecting their
signature again (``inspect.signature``, about 23 µs each, two dozen times per key)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import textual._callback as textual_callback

from .conftest import app_for, drive


def test_keys_schedule_the_screens_steps_without_inspecting_them(
        demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    inspected: list[str] = []
    count = textual_callback._count_parameters

    def counting(func: Any) -> int:
        inspected.append(f"{getattr(func, '__module__', '')}.{getattr(func, '__qualname__', '')}")
        return count(func)

    async def steps(app: Any, pilot: Any) -> None:
        monkeypatch.setattr(textual_callback, "_count_parameters", counting)
        for key in ("j", "j", "k", "r", "r", "j"):
            await pilot.press(key)
        await pilot.pause(0.2)

    drive(app_for(demo_db), steps)
    ours = [name for name in inspected if name.startswith("annotator")]
    assert len(ours) == len(set(ours))  # a bound method's count is kept after its first use
