"""Command-line values turned into Python values without importing pydantic.

Typer checks every option's value with a pydantic ``TypeAdapter``; importing pydantic and building
the adapters costs every command about a tenth of a second before it starts its work. The values
this program takes are plain (text, whole numbers, paths, and lists of those): for them the result
is computed here, the same as typer's adapter gives. Anything else (a number written in a way
other than plain digits, a value of another type) goes to typer's own adapter, with its messages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from typer import _click as click
from typer._coercion import RuntimeParam, TypeDescriptor, build_runtime_param
from typer._param_types import coerce_cli_path

_INTEGER = re.compile(r"[+-]?[0-9]{1,18}")
_UNSURE = object()  # typer's adapter decides


def _leaf(annotation: Any, info: Any, value: Any, param: Any, ctx: Any) -> Any:
    if annotation is str:
        return value if isinstance(value, str) else _UNSURE
    if annotation is bool:
        return value if isinstance(value, bool) else _UNSURE
    if annotation is int:
        if type(value) is int:
            return value
        return int(value) if isinstance(value, str) and _INTEGER.fullmatch(value) else _UNSURE
    if annotation is Path and isinstance(value, str) and value:
        return coerce_cli_path(Path(value), info, path_type=Path, param=param, ctx=ctx)
    return _UNSURE


def _inner(annotation: Any) -> Any:
    args = getattr(annotation, "__args__", None)
    if getattr(annotation, "__origin__", None) is list and args and len(args) == 1:
        return args[0]
    return None


def plain_value(descriptor: TypeDescriptor, value: Any, param: Any, ctx: Any) -> Any:
    """``value`` as typer's adapter would give it, or ``_UNSURE``."""
    annotation, info = descriptor.annotation, descriptor.parameter_info
    inner = _inner(annotation)
    if inner is None:
        return _leaf(annotation, info, value, param, ctx)
    if not isinstance(value, (list, tuple)):
        return _UNSURE
    out = [_leaf(inner, info, item, param, ctx) for item in value]
    return _UNSURE if any(item is _UNSURE for item in out) else out


@dataclass(frozen=True)
class PlainRuntimeParam(RuntimeParam):
    """Typer's coercion of one parameter, computed here for plain values."""

    descriptor: TypeDescriptor

    def _coerce_value(self, value: Any, param: Any, ctx: click.Context) -> Any:
        out = plain_value(self.descriptor, value, param, ctx)
        if out is _UNSURE:
            return build_runtime_param(self.descriptor)._coerce_value(value, param=param, ctx=ctx)
        return out


def _is_plain(descriptor: TypeDescriptor) -> bool:
    info = descriptor.parameter_info
    if info.parser is not None or info.min is not None or info.max is not None:
        return False
    if descriptor.file_annotation is not None or getattr(info, "path_type", None) is not None:
        return False
    annotation = _inner(descriptor.annotation) or descriptor.annotation
    return annotation in (str, int, bool, Path)


def use_plain_values(params: list[Any]) -> None:
    """Let these parameters' plain values skip typer's pydantic adapters."""
    for param in params:
        descriptor = getattr(param, "type_descriptor", None)
        if descriptor is not None and getattr(param, "_runtime_param", False) is None and _is_plain(descriptor):
            param._runtime_param = PlainRuntimeParam(
                parameter_info=descriptor.parameter_info, annotation=descriptor.annotation,
                descriptor=descriptor)
