"""Help text in the usual shape: ``PROJECT``, ``FILES...``, ``--coder NAME``.

Typer's own help shows Python types (``files... <list[Path]>``, ``--facet <list[str]>``) and
marks required arguments as ``{project}``; these classes show names a reader knows instead.
"""

from __future__ import annotations

from typing import Any

import typer
from typer import _click as click  # the click that typer bundles and calls these methods with
from typer.core import TyperArgument, TyperCommand, TyperOption

#: The value an option takes, by option name (the type decides for the others).
OPTION_VALUES = {
    "coder": "NAME", "coders": "NAMES", "facet": "FACET", "code": "CODE", "document": "ID",
    "fmt": "FORMAT", "lang": "LANG", "ui": "LANG", "prefer": "SIDE", "keep": "N", "top": "N",
    "bootstrap": "N", "seed": "N",
}


def _value_name(param: TyperOption) -> str:
    if param.name in OPTION_VALUES:
        return OPTION_VALUES[param.name]
    desc = param.type_descriptor
    if desc.is_path:
        return "FILE"
    annotation = desc.annotation
    inner = getattr(annotation, "__args__", (annotation,))[0] if desc.is_list else annotation
    return "N" if inner in (int, float) else "TEXT"


def _argument_name(param: TyperArgument) -> str:
    name = (param.metavar or param.name or "value").upper()
    return f"{name}..." if param.nargs != 1 else name


class HelpCommand(TyperCommand):
    """A command whose help and usage line name values instead of Python types."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:
            if isinstance(param, TyperOption) and param.metavar is None and not param.is_flag:
                param.metavar = _value_name(param)

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if isinstance(param, TyperArgument):
                name = _argument_name(param)
                pieces.append(name if param.required else f"[{name}]")
        return pieces

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        args, opts = [], []
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is None:
                continue
            if isinstance(param, TyperArgument):
                args.append((_argument_name(param), record[1]))
            else:
                opts.append(record)
        for title, rows in (("Arguments", args), ("Options", opts)):
            if rows:
                with formatter.section(title):
                    formatter.write_dl(rows)


class App(typer.Typer):
    """A Typer app whose commands use :class:`HelpCommand`."""

    def command(self, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("cls", HelpCommand)
        return super().command(*args, **kwargs)
