"""Command-line values read without pydantic come out as typer's own adapters make them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer import _click as click
from typer._click.exceptions import BadParameter
from typer._coercion import build_runtime_param

from annotator.cli import app
from annotator.cli._plain_values import PlainRuntimeParam


def _params() -> list[tuple[str, object]]:
    group = typer.main.get_command(app)
    found: list[tuple[str, object]] = []

    def walk(cmd: object, name: str) -> None:
        found.extend((f"{name} {p.name}", p) for p in getattr(cmd, "params", []))
        for sub, child in getattr(cmd, "commands", {}).items():
            walk(child, f"{name} {sub}".strip())

    walk(group, "")
    return found


def _typer_value(param: object, value: object, ctx: click.Context) -> object:
    try:
        return build_runtime_param(param.type_descriptor)._coerce_value(value, param=param, ctx=ctx)
    except BadParameter as exc:
        return ("error", exc.format_message())


def _our_value(param: object, value: object, ctx: click.Context) -> object:
    try:
        return param._runtime_param._coerce_value(value, param=param, ctx=ctx)
    except BadParameter as exc:
        return ("error", exc.format_message())


VALUES = ["12", "-3", "+7", "007", "0", "1_000", " 5", "5 ", "1.0", "1e3", "abc", "", "٣",
          "99999999999999999999999", "a b", "中文", "-", "./x.db", "/tmp"]


def test_every_plain_parameter_is_read_without_pydantic() -> None:
    params = _params()
    plain = [name for name, p in params if isinstance(getattr(p, "_runtime_param", None), PlainRuntimeParam)]
    assert len(plain) > 100  # every command's options, not a few


@pytest.mark.parametrize("value", VALUES)
def test_values_match_typers_adapters(value: str) -> None:
    ctx = click.Context(typer.main.get_command(app))
    for name, param in _params():
        if not isinstance(getattr(param, "_runtime_param", None), PlainRuntimeParam):
            continue
        item: object = [value, value] if param.type_descriptor.is_list else value
        assert _our_value(param, item, ctx) == _typer_value(param, item, ctx), name


def test_defaults_match_typers_adapters() -> None:
    ctx = click.Context(typer.main.get_command(app))
    for name, param in _params():
        if isinstance(getattr(param, "_runtime_param", None), PlainRuntimeParam) and param.default is not None:
            assert _our_value(param, param.default, ctx) == _typer_value(param, param.default, ctx), name


def test_a_command_runs_without_importing_pydantic(tmp_path: Path) -> None:
    probe = (
        "import sys\nfrom annotator.cli import main\n"
        f"sys.argv = ['annotator', 'stats', {str(tmp_path / 'none.db')!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('PYDANTIC:', 'pydantic' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "PYDANTIC: False"
    assert "no such project file" in out.stderr


def test_a_bad_number_keeps_typers_message(tmp_path: Path) -> None:
    out = subprocess.run([sys.executable, "-m", "annotator", "agree", str(tmp_path / "p.db"),
                          "--bootstrap", "many"], capture_output=True, text=True)
    assert out.returncode == 1
    assert "'--bootstrap'" in out.stderr and "integer" in out.stderr
