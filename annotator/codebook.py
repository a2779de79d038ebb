"""Read and validate codebook YAML files.

The format (documented in the README)::

    facets:
      - id: dimension
        multiple: false
        label: {zh: 维度, en: Dimension}
        codes:
          - id: adaptation
            key: "1"
            label: {zh: 环境适应, en: Adaptation}

Only a facet's ``id`` and ``codes`` and a code's ``id`` and ``label`` are required. Loading is
safe (no YAML tags that construct objects) and every problem names the file, the line and,
where there is one, the code id.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from annotator.codebook_examples import code_problems, shape_problems
from annotator.errors import CodebookError
from annotator.model import RESERVED_KEYS, Bilingual, Code, Codebook, Facet
from annotator.safe_text import bad_char, codebook_problem
from annotator.special_files import regular_file_problem

SCREEN_KEYS = "its own keys: j k n p u g x m q ? / f R"

TOP_FIELDS = {"facets", "name", "description", "version", "language", "languages"}
FACET_FIELDS = {"id", "multiple", "label", "description", "codes", "color"}
CODE_FIELDS = {
    "id", "key", "label", "definition", "description", "when_to_use", "when_not_to_use",
    "keywords", "color", "examples", "notes", "implies",
}
TEXT_FIELDS = {"zh", "en"}
ID_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.\-]{0,63}$")
COLOR_RE = re.compile(r"^#(?:[0-9A-Fa-f]{3}|[0-9A-Fa-f]{6})$")
MAX_DEPTH = 12
MAX_BYTES = 5_000_000
_STANDARD_TAGS = {
    "tag:yaml.org,2002:" + t
    for t in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a codebook."""

    line: int
    message: str
    code: str | None = None

    def format(self, path: str) -> str:
        where = f" (code {self.code})" if self.code else ""
        return " ".join(f"{path}:{self.line}: {self.message}{where}".split())


class _Map(dict[str, Any]):
    line: int = 0
    key_lines: dict[str, int]


class _Seq(list[Any]):
    line: int = 0


def _key_line(obj: Any, key: str, default: int) -> int:
    """The line of ``key`` in a parsed mapping."""
    return int(getattr(obj, "key_lines", {}).get(key, default))


def _line(obj: Any, default: int = 1) -> int:
    return getattr(obj, "line", default) or default


def _parse_yaml(text: str, problems: list[Problem]) -> Any:
    import yaml

    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except RecursionError:
        problems.append(Problem(1, "the YAML is nested too deeply"))
        return None
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 1
        problems.append(Problem(line, f"not valid YAML: {exc.problem or exc}"))
        return None
    except yaml.YAMLError as exc:
        problems.append(Problem(1, f"not valid YAML: {exc}"))
        return None
    if node is None:
        return None
    constructor = yaml.SafeLoader("")
    seen: set[int] = set()

    def convert(n: Any, depth: int) -> Any:
        line = n.start_mark.line + 1
        if id(n) in seen and not isinstance(n, yaml.ScalarNode):
            # an alias: expanding them without limit is the "billion laughs" attack
            raise CodebookError("YAML aliases (*name) are not allowed in a codebook", line=line)
        seen.add(id(n))
        if depth > MAX_DEPTH:
            raise CodebookError("the YAML is nested too deeply", line=line)
        if n.tag not in _STANDARD_TAGS:
            raise CodebookError(f"YAML tag {n.tag!r} is not allowed", line=line)
        if isinstance(n, yaml.MappingNode):
            out = _Map()
            out.line = line
            out.key_lines = {}
            for knode, vnode in n.value:
                key = convert(knode, depth + 1)
                if not isinstance(key, str | int | float | bool) or key is None:
                    raise CodebookError("mapping keys must be plain words", line=knode.start_mark.line + 1)
                key = str(key)
                if key in out:
                    raise CodebookError(f"duplicate key {key!r}", line=knode.start_mark.line + 1)
                out.key_lines[key] = knode.start_mark.line + 1
                out[key] = convert(vnode, depth + 1)
            return out
        if isinstance(n, yaml.SequenceNode):
            seq = _Seq(convert(v, depth + 1) for v in n.value)
            seq.line = line
            return seq
        value = constructor.construct_object(n, deep=True)
        if isinstance(value, str) and (problem := bad_char(value, multiline=True)):
            raise CodebookError(f"{problem} is not allowed in a codebook", line=line)
        return value

    try:
        return convert(node, 0)
    except CodebookError as exc:
        problems.append(Problem(exc.line or 1, exc.message))
    except (RecursionError, yaml.YAMLError, ValueError) as exc:
        problems.append(Problem(1, f"not valid YAML: {exc}"))
    return None


def _text2(value: Any, line: int, what: str, problems: list[Problem], code: str | None) -> Bilingual:
    if value is None:
        return Bilingual()
    if isinstance(value, str):
        if what == "label" and (problem := bad_char(value)):
            problems.append(Problem(line, f"label contains {problem}", code))
        return Bilingual(zh=value, en=value) if what == "label" else _guess_lang(value)
    if isinstance(value, dict):
        for k in value:
            if k not in TEXT_FIELDS:
                problems.append(
                    Problem(_line(value, line), f"unknown language {k!r} in {what} (use zh, en)", code)
                )
        zh, en = value.get("zh"), value.get("en")
        for v in (zh, en):
            if v is not None and not isinstance(v, str | int | float):
                problems.append(Problem(_line(value, line), f"{what} must be text", code))
                return Bilingual()
        text = Bilingual(zh="" if zh is None else str(zh).strip(), en="" if en is None else str(en).strip())
        if what == "label" and (problem := bad_char(text.zh + text.en)):
            problems.append(Problem(_line(value, line), f"label contains {problem}", code))
        return text
    problems.append(Problem(line, f"{what} must be text or {{zh: ..., en: ...}}", code))
    return Bilingual()


def _guess_lang(text: str) -> Bilingual:
    cjk = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    return Bilingual(zh=text) if cjk else Bilingual(en=text)


def _keywords(value: Any, line: int, problems: list[Problem], code: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    if value is None:
        return (), ()
    if isinstance(value, list):  # a flat list: split by script
        zh = tuple(str(v) for v in value if _guess_lang(str(v)).zh)
        en = tuple(str(v) for v in value if not _guess_lang(str(v)).zh)
        return zh, en
    if not isinstance(value, dict):
        problems.append(Problem(line, "keywords must be {zh: [...], en: [...]}", code))
        return (), ()
    out: dict[str, tuple[str, ...]] = {"zh": (), "en": ()}
    for lang, words in value.items():
        if lang not in TEXT_FIELDS:
            problems.append(Problem(_line(value, line), f"unknown language {lang!r} in keywords", code))
            continue
        if words is None:
            continue
        if isinstance(words, str):
            words = [words]
        if not isinstance(words, list) or not all(isinstance(w, str | int | float) for w in words):
            problems.append(Problem(_line(value, line), f"keywords.{lang} must be a list of words", code))
            continue
        out[lang] = tuple(dict.fromkeys(str(w).strip() for w in words if str(w).strip()))
    return out["zh"], out["en"]


def _implies(value: Any, line: int, problems: list[Problem], code: str) -> tuple[tuple[str, str], ...]:
    """``implies: {facet: code}`` as (facet, code) pairs; its shape only (targets are checked later)."""
    if value is None:
        return ()
    if not isinstance(value, dict) or not value:
        problems.append(Problem(line, "implies must be a mapping {facet: code}", code))
        return ()
    out: list[tuple[str, str]] = []
    for facet, target in value.items():
        if isinstance(target, int | float) and not isinstance(target, bool):
            target = str(target)
        if not isinstance(target, str) or not ID_RE.match(target):
            problems.append(Problem(_key_line(value, facet, line),
                                    f"implies.{facet} must name one code, not {target!r}", code))
            continue
        out.append((str(facet), target))
    return tuple(out)


def _unknown(obj: dict[str, Any], allowed: set[str], what: str, problems: list[Problem], code: str | None) -> None:
    lines = getattr(obj, "key_lines", {})
    for key in obj:
        if key not in allowed:
            problems.append(
                Problem(lines.get(key, _line(obj)), f"unknown field {key!r} in {what}", code)
            )


def parse_codebook(text: str) -> tuple[Codebook | None, list[Problem]]:
    """Parse codebook YAML text; return the codebook (None if unusable) and every problem."""
    problems: list[Problem] = []
    data = _parse_yaml(text, problems)
    if problems:
        return None, problems
    if not isinstance(data, dict) or "facets" not in data:
        problems.append(Problem(_line(data), "a codebook needs a top-level 'facets:' list"))
        return None, problems
    _unknown(data, TOP_FIELDS, "the codebook", problems, None)
    raw_facets = data["facets"]
    if not isinstance(raw_facets, list) or not raw_facets:
        problems.append(Problem(_key_line(data, "facets", 1), "'facets' must be a non-empty list"))
        return None, problems
    facets: list[Facet] = []
    code_ids: dict[str, int] = {}
    facet_ids: dict[str, int] = {}
    keys: dict[str, tuple[str, int]] = {}
    implies_lines: dict[str, int] = {}
    examples: dict[str, tuple[Any, int]] = {}
    for raw in raw_facets:
        fline = _line(raw)
        if not isinstance(raw, dict):
            problems.append(Problem(fline, "each facet must be a mapping with 'id' and 'codes'"))
            continue
        _unknown(raw, FACET_FIELDS, "a facet", problems, None)
        fid = raw.get("id")
        if not isinstance(fid, str) or not ID_RE.match(fid):
            problems.append(Problem(fline, f"facet id {fid!r} missing or not a plain identifier"))
            continue
        if fid in facet_ids:
            problems.append(Problem(fline, f"duplicate facet id {fid!r} (first on line {facet_ids[fid]})"))
        facet_ids[fid] = fline
        multiple = raw.get("multiple", False)
        if not isinstance(multiple, bool):
            problems.append(Problem(_key_line(raw, "multiple", fline), f"facet {fid}: 'multiple' must be true or false"))
            multiple = False
        raw_codes = raw.get("codes")
        if not isinstance(raw_codes, list) or not raw_codes:
            problems.append(Problem(_key_line(raw, "codes", fline), f"facet {fid} needs a non-empty 'codes' list"))
            continue
        codes: list[Code] = []
        for rc in raw_codes:
            cline = _line(rc)
            if not isinstance(rc, dict):
                problems.append(Problem(cline, f"facet {fid}: each code must be a mapping with 'id' and 'label'"))
                continue
            cid = rc.get("id")
            if isinstance(cid, int | float) and not isinstance(cid, bool):
                cid = str(cid)
            if not isinstance(cid, str) or not ID_RE.match(cid):
                problems.append(Problem(cline, f"code id {cid!r} missing or not a plain identifier"))
                continue
            _unknown(rc, CODE_FIELDS, "a code", problems, cid)
            if cid in code_ids:
                problems.append(Problem(cline, f"duplicate code id (first on line {code_ids[cid]})", cid))
            if cid in facet_ids and cid != fid:
                pass
            code_ids[cid] = cline
            if "implies" in rc:
                implies_lines[cid] = _key_line(rc, "implies", cline)
            if "examples" in rc:
                examples[cid] = (rc["examples"], _key_line(rc, "examples", cline))
                problems.extend(Problem(at, message, cid) for at, message
                                in shape_problems(rc["examples"], examples[cid][1]))
            label = _text2(rc.get("label"), cline, "label", problems, cid)
            if not (label.zh or label.en):
                problems.append(Problem(cline, "missing label (give label: {zh: ..., en: ...})", cid))
            key = rc.get("key")
            kline = _key_line(rc, "key", cline)
            if key is not None:
                key = str(key).lower() if isinstance(key, bool) else str(key)
                if len(key) != 1 or key.isspace() or not key.isprintable():
                    problems.append(Problem(kline, f"key {key!r} must be a single character", cid))
                    key = None
                elif key in RESERVED_KEYS:
                    problems.append(Problem(kline, f"key {key!r} is reserved by the coding screen ({SCREEN_KEYS})", cid))
                    key = None
                elif key in keys:
                    other, oline = keys[key]
                    problems.append(Problem(kline, f"key {key!r} is already used by code {other} (line {oline})", cid))
                    key = None
                else:
                    keys[key] = (cid, kline)
            color = rc.get("color")
            if color is not None and (not isinstance(color, str) or not COLOR_RE.match(color)):
                problems.append(Problem(_key_line(rc, "color", cline), f"color {color!r} must be #RRGGBB", cid))
                color = None
            kzh, ken = _keywords(rc.get("keywords"), _key_line(rc, "keywords", cline), problems, cid)
            definition = rc.get("definition", rc.get("description"))
            codes.append(
                Code(
                    id=cid,
                    facet=fid,
                    label=label,
                    key=key,
                    definition=_text2(definition, cline, "definition", problems, cid),
                    when_to_use=_text2(rc.get("when_to_use"), cline, "when_to_use", problems, cid),
                    when_not_to_use=_text2(rc.get("when_not_to_use"), cline, "when_not_to_use", problems, cid),
                    keywords_zh=kzh,
                    keywords_en=ken,
                    color=color,
                    extra={k: rc[k] for k in ("examples", "notes") if k in rc},
                    implies=_implies(rc.get("implies"), _key_line(rc, "implies", cline), problems, cid),
                )
            )
        facets.append(
            Facet(
                id=fid,
                codes=tuple(codes),
                multiple=multiple,
                label=_text2(raw.get("label"), fline, "label", problems, None) if raw.get("label") is not None else Bilingual(zh=fid, en=fid),
                description=_text2(raw.get("description"), fline, "description", problems, None),
            )
        )
    clash = set(facet_ids) & set(code_ids)
    for cid in sorted(clash):
        problems.append(Problem(code_ids[cid], "a code id may not equal a facet id", cid))
    if not problems:
        from annotator.codebook_relations import check_relations

        problems.extend(Problem(implies_lines.get(cid, code_ids[cid]), message, cid)
                        for cid, message in check_relations(facets))
        problems.extend(Problem(at, message, cid) for cid, (value, line) in examples.items()
                        for at, message in code_problems(cid, value, line, facets))
    if problems:
        return None, problems
    codebook = Codebook(facets=tuple(facets))
    if problem := codebook_problem(codebook):  # what init and 'codebook set' would refuse
        return None, [Problem(1, problem)]
    return codebook, problems


def read_codebook_text(path: Path) -> str:
    if problem := regular_file_problem(path):  # a FIFO would block forever
        raise CodebookError(problem, path=path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise CodebookError("no such file", path=path) from None
    except OSError as exc:
        raise CodebookError(f"cannot read: {exc.strerror}", path=path) from None
    if size > MAX_BYTES:
        raise CodebookError(f"codebook is too large ({size} bytes)", path=path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CodebookError(f"cannot read: {exc.strerror}", path=path) from None
    if b"\x00" in raw:
        raise CodebookError("not a text file (NUL bytes)", path=path)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise CodebookError("not UTF-8 text", path=path, line=line) from None


def check_codebook(path: Path) -> tuple[Codebook | None, list[Problem]]:
    """Validate a codebook file: the codebook if it is valid, and every problem found."""
    return parse_codebook(read_codebook_text(path))


def load_codebook(path: Path) -> Codebook:
    """Load a codebook file or raise ``CodebookError`` naming the first problem."""
    codebook, problems = check_codebook(path)
    if problems or codebook is None:
        first = problems[0] if problems else Problem(1, "empty codebook")
        suffix = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        raise CodebookError(
            first.message + (f" (code {first.code})" if first.code else "") + suffix,
            path=path,
            line=first.line,
        )
    return codebook


def bundled_codebook_path() -> Path:
    """The codebook shipped with annotator (the repository's ``codebook.yaml``)."""
    from annotator.config import resource_path

    return resource_path("codebook.yaml")
