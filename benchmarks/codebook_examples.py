"""Write coded examples (``examples:``) into a codebook YAML from gold sets of the benchmark.

Each segment of the sets (JSON lines: ``zh``, ``en``, ``dimension``, ``burden``) becomes an
example of its first (main) burden type, with ``also:`` naming its dimension and its other
burden types. The codes' other fields and the file's comments are kept; examples the file has
already are replaced.

    python benchmarks/codebook_examples.py OUT.yaml SET.jsonl [SET.jsonl ...] [--codebook IN.yaml]

The bundled ``codebook.yaml`` was written so from the development sets and held-out sets 1
to 4 (``benchmarks/data/README.md``).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CODE_LINE = re.compile(r"^      - id: (\S+)\s*$")
BOUNDARY = re.compile(r"^(      - id: |  - id: |\S)")
HEADER = "        examples:  # coded examples: benchmarks/data/README.md"


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def example_lines(rows: list[dict[str, object]]) -> list[str]:
    out = [HEADER]
    for r in rows:
        burden = list(r["burden"])  # type: ignore[call-overload]
        out += [f"          - zh: {_quoted(str(r['zh']))}", f"            en: {_quoted(str(r['en']))}",
                f"            also: [{', '.join([str(r['dimension']), *burden[1:]])}]"]
    return out


def without_examples(lines: list[str]) -> list[str]:
    """``lines`` with every code's ``examples:`` block removed."""
    out: list[str] = []
    skipping = False
    for line in lines:
        if line.startswith("        examples:"):
            skipping = True
            continue
        if skipping and (line.startswith("          ") or not line.strip()):
            continue
        skipping = False
        out.append(line)
    return out


def with_examples(text: str, rows: list[dict[str, object]]) -> str:
    by_code: dict[str, list[dict[str, object]]] = {}
    for r in rows:
        by_code.setdefault(str(r["burden"][0]), []).append(r)  # type: ignore[index]
    lines = without_examples(text.splitlines())
    out: list[str] = []
    current: str | None = None

    def close() -> None:
        if current in by_code:
            while out and not out[-1].strip():
                out.pop()
            out.extend(example_lines(by_code.pop(current)))

    for line in lines:
        if BOUNDARY.match(line) and not line.startswith("        "):
            close()
            found = CODE_LINE.match(line)
            current = found.group(1) if found else None
        out.append(line)
    close()
    if by_code:
        raise SystemExit(f"no code {', '.join(sorted(by_code))} in the codebook")
    return "\n".join(out) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("sets", nargs="+", type=Path)
    parser.add_argument("--codebook", type=Path, default=ROOT / "codebook.yaml")
    args = parser.parse_args()
    rows = [json.loads(line) for path in args.sets
            for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    args.out.write_text(with_examples(args.codebook.read_text(encoding="utf-8"), rows), encoding="utf-8")
    print(f"{args.out}: {len(rows)} examples", file=sys.stderr)


if __name__ == "__main__":
    main()
