"""Help text in the usual shape: ``PROJECT``, ``FILES...``, ``--coder NAME``.

Typer's own help shows Python types (``files... <list[Path]>``, ``--facet <list[str]>``) and
marks required arguments as ``{project}``; these classes show names a reader knows instead.
"""

from __future__ import annotations

from typing import Any

import typer
from typer import _click as click  # the click that typer bundles and calls these methods with
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

from annotator.cli._plain_values import use_plain_values

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


def _plain_help(option: Any) -> Any:
    """The --help option (made when the command line is read) without pydantic either."""
    if option is not None:
        use_plain_values([option])
    return option


class HelpCommand(TyperCommand):
    """A command whose help and usage line name values instead of Python types."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:
            if isinstance(param, TyperOption) and param.metavar is None and not param.is_flag:
                param.metavar = _value_name(param)
        use_plain_values(self.params)

    def get_help_option(self, ctx: click.Context) -> Any:
        return _plain_help(super().get_help_option(ctx))

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


class PlainGroup(TyperGroup):
    """A group of commands whose own options skip typer's pydantic adapters too."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        use_plain_values(self.params)  # typer adds its completion options after __init__
        return super().parse_args(ctx, args)

    def get_help_option(self, ctx: click.Context) -> Any:
        return _plain_help(super().get_help_option(ctx))


class App(typer.Typer):
    """A Typer app whose commands use :class:`HelpCommand` (and groups :class:`PlainGroup`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("cls", PlainGroup)
        super().__init__(*args, **kwargs)

    def command(self, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("cls", HelpCommand)
        return super().command(*args, **kwargs)
