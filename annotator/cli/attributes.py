"""``annotator attributes``: document attributes (respondent, role, date, ...) set, imported, listed."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from annotator.cli._common import ProjectArg, app, open_existing, print_json_line, user_errors
from annotator.errors import UsageError

ACTIONS = ("set", "import", "list")


def parse_assignments(items: list[str]) -> dict[str, str | None]:
    """KEY=VALUE pairs; KEY= (nothing after =) removes the attribute."""
    out: dict[str, str | None] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"attributes are set as KEY=VALUE, not {item!r}")
        out[key.strip()] = value.strip() or None
    return out


@app.command("attributes")
@user_errors
def attributes_cmd(
    project: ProjectArg,
    action: Annotated[str, typer.Argument(help="set DOCUMENT KEY=VALUE ... | import FILE.csv | list", show_default=False)],
    args: Annotated[list[str] | None, typer.Argument(help="set: DOCUMENT KEY=VALUE ... (KEY= removes); import: FILE.csv", show_default=False)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="list: one JSON object per document.")] = False,
) -> None:
    """Document attributes: set them, import them from a CSV (a 'document' column and one column
    per attribute; an empty cell removes the attribute), or list them."""
    from annotator.application.findings import document_attributes, set_attributes

    args = args or []
    if action not in ACTIONS:
        raise UsageError(f"the action must be one of {', '.join(ACTIONS)}, not {action!r}")
    if action == "set":
        if len(args) < 2:
            raise UsageError("set takes DOCUMENT KEY=VALUE ...")
        values = {args[0]: parse_assignments(args[1:])}
    elif action == "import":
        if len(args) != 1:
            raise UsageError("import takes one FILE.csv")
        from annotator.io.attributes_csv import read_attributes_csv

        values = read_attributes_csv(Path(args[0]))
    elif args:
        raise UsageError("list takes no arguments")
    with open_existing(project) as p:
        if action != "list":
            changed = set_attributes(p, values)
            print(f"attributes of {changed} document{'s' if changed != 1 else ''} changed")
            return
        attributes = document_attributes(p)
    _list(attributes, as_json)


def _list(attributes: dict[str, dict[str, object]], as_json: bool) -> None:
    from annotator.io.read_common import clean_text

    for doc, attrs in attributes.items():
        if as_json:
            print_json_line({"document": doc, "attributes": attrs})
        else:
            shown = "; ".join(f"{k}={v}" for k, v in attrs.items())
            print(clean_text(f"{doc}\t{shown}").replace("\n", " "))
