"""Readers for tabular transcripts: CSV, TSV and JSON Lines, one turn per row."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Mapping
from pathlib import Path

from annotator.errors import ImportFormatError
from annotator.io import safe_json
from annotator.io.encoding import TextLines, open_text
from annotator.io.read_common import RawTurn, check_times, clean_text, parse_seconds

ALIASES: dict[str, tuple[str, ...]] = {
    "document": ("document", "doc", "document_id", "interview", "file"),
    "speaker": ("speaker", "respondent", "who", "name", "说话人", "发言人"),
    "zh": ("zh", "chinese", "text_zh", "中文", "原文"),
    "en": ("en", "english", "text_en", "translation", "英文", "译文"),
    "text": ("text",),
    "start": ("start",),
    "end": ("end",),
}
_CANONICAL = {alias: key for key, aliases in ALIASES.items() for alias in aliases}
_TEXT_FIELDS = ("zh", "en", "text")


def canonical_field(name: str) -> str | None:
    """The meaning of a column or key name (case and surrounding spaces ignored), or None."""
    return _CANONICAL.get(name.strip().lower())


class _Fields:
    """How the names of one header (or one JSON object's keys) map to turn fields."""

    def __init__(self, names: list[str], *, path: Path, line: int, what: str) -> None:
        self.by_field: dict[str, int] = {}
        self.extra: list[tuple[int, str]] = []
        for index, raw_name in enumerate(names):
            name = clean_text(raw_name).strip()
            key = canonical_field(name)
            if key is None:
                self.extra.append((index, name or f"column {index + 1}"))
            elif key in self.by_field:
                first = clean_text(names[self.by_field[key]]).strip()
                # 'speaker' itself wins; an alias beside it (a 'respondent' code, a 'name') is a
                # document attribute like any other column. Two text columns stay an error.
                if key == "speaker" and first.lower() == key:
                    self.extra.append((index, name))
                elif key == "speaker" and name.lower() == key:
                    self.extra.append((self.by_field[key], first))
                    self.by_field[key] = index
                else:
                    raise ImportFormatError(
                        f"{what}s {first!r} and {name!r} both mean {key!r}", path=path, line=line
                    )
            else:
                self.by_field[key] = index
        self.extra.sort()
        lowered = {clean_text(n).strip().lower() for n in names}
        if {"segment", "coder"} <= lowered and ({"done"} <= lowered or {"facet", "code"} <= lowered):
            raise ImportFormatError(
                "this is an annotator CSV export (rows per segment and coder), not a transcript;"
                " to bring coded work into a project import its JSONL export or .qdpx",
                path=path, line=line,
            )
        present = [key for key in _TEXT_FIELDS if key in self.by_field]
        if not present:
            raise ImportFormatError(
                f"no text {what}: expected one of zh, en or text (or an alias such as "
                f"chinese, english, translation, 中文, 译文); found {', '.join(map(repr, names))}",
                path=path,
                line=line,
            )
        if len(present) == 3:
            raise ImportFormatError(
                f"{what} 'text' cannot be combined with both 'zh' and 'en'", path=path, line=line
            )
        # 'text' beside one explicit language is the other language (e.g. text + translation).
        self.text_lang: str | None = None
        if "text" in self.by_field and len(present) == 2:
            self.text_lang = "en" if "zh" in self.by_field else "zh"


def _string(value: object, field: str, *, path: Path, line: int) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return clean_text(value).strip()
    if isinstance(value, int | float) and not isinstance(value, bool) and field == "speaker":
        return str(value)
    raise ImportFormatError(f"{field!r} must be a string, not {type(value).__name__}", path=path, line=line)


def _attribute(value: object) -> str:
    if isinstance(value, str):
        return clean_text(value).strip()
    return json.dumps(value, ensure_ascii=False)


def _make_turn(fields: _Fields, values: list[object], *, path: Path, line: int) -> RawTurn | None:
    def get(key: str) -> object:
        index = fields.by_field.get(key)
        return values[index] if index is not None and index < len(values) else None

    turn = RawTurn(line=line)
    turn.zh = _string(get("zh"), "zh", path=path, line=line)
    turn.en = _string(get("en"), "en", path=path, line=line)
    text = _string(get("text"), "text", path=path, line=line)
    if fields.text_lang == "zh":
        turn.zh = text
    elif fields.text_lang == "en":
        turn.en = text
    elif "text" in fields.by_field:
        turn.text = text
    if turn.is_empty():
        return None
    turn.speaker = _string(get("speaker"), "speaker", path=path, line=line) or None
    turn.document = _string(get("document"), "document", path=path, line=line) or None
    for key in ("start", "end"):
        try:
            seconds = parse_seconds(get(key))
        except ValueError as exc:
            raise ImportFormatError(
                f"{key!r}: {exc} (expected seconds, hh:mm:ss or mm:ss)", path=path, line=line
            ) from None
        setattr(turn, key, seconds)
    check_times(turn.start, turn.end, path=path, line=line)
    for index, name in fields.extra:
        if index < len(values) and values[index] is not None:
            value = _attribute(values[index])
            if value:
                turn.attributes[name] = value
    return turn


def _read_delimited(path: Path, delimiter: str) -> Iterator[RawTurn]:
    with open_text(path) as lines:
        reader = csv.reader(lines, delimiter=delimiter, strict=True)
        fields: _Fields | None = None
        width = 0
        while True:
            first_line = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise _csv_error(lines, reader.line_num, first_line, exc) from None
            if not any(cell.strip() for cell in row):
                continue
            if fields is None:
                fields = _Fields(row, path=path, line=first_line, what="column")
                width = len(row)
                continue
            if len(row) > width and any(cell.strip() for cell in row[width:]):
                raise ImportFormatError(
                    f"row has {len(row)} fields but the header has {width}",
                    path=path,
                    line=first_line,
                )
            turn = _make_turn(fields, list(row), path=path, line=first_line)
            if turn is not None:
                yield turn


def _csv_error(lines: TextLines, line: int, first_line: int, exc: csv.Error) -> ImportFormatError:
    reason = str(exc)
    if "unexpected end of data" in reason:
        return lines.error("unterminated quoted field (its quote is never closed)", first_line)
    return lines.error(f"malformed row: {reason}", line or first_line)


def read_csv(path: Path) -> Iterator[RawTurn]:
    """Comma-separated values with a header row (see ``ALIASES`` for the column names)."""
    return _read_delimited(path, ",")


def read_tsv(path: Path) -> Iterator[RawTurn]:
    """Tab-separated values with a header row (see ``ALIASES`` for the column names)."""
    return _read_delimited(path, "\t")


def read_jsonl(path: Path) -> Iterator[RawTurn]:
    """One JSON object per line, keys as the CSV column names; blank lines are skipped."""
    field_cache: dict[tuple[str, ...], _Fields] = {}
    with open_text(path) as lines:
        for line in lines:
            if not line.strip():
                continue
            number = lines.lineno
            obj = _parse_json(line, path=path, number=number)
            keys = tuple(obj)
            fields = field_cache.get(keys)
            if fields is None:
                fields = _Fields(list(keys), path=path, line=number, what="key")
                if len(field_cache) < 1000:
                    field_cache[keys] = fields
            turn = _make_turn(fields, list(obj.values()), path=path, line=number)
            if turn is not None:
                yield turn


def _parse_json(line: str, *, path: Path, number: int) -> Mapping[str, object]:
    try:
        value = safe_json.loads(line)
    except json.JSONDecodeError as exc:
        raise ImportFormatError(
            f"invalid JSON: {exc.msg} (column {exc.colno})", path=path, line=number
        ) from None
    except ValueError as exc:  # nesting, huge numbers, lone surrogates: see safe_json
        raise ImportFormatError(f"invalid JSON: {exc}", path=path, line=number) from None
    if not isinstance(value, dict):
        raise ImportFormatError(
            f"expected a JSON object, found {type(value).__name__}", path=path, line=number
        )
    return value
