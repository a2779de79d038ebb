"""The dictionary-lookup floor of the suggestion engine's first build.

Run: python -m benchmarks.suggest_floor PROJECT.db [--coder NAME]

What any engine learning from a project's coded segments must do at least, in plain Python (no
numpy, nothing imported beyond ``sqlite3``): read the vocabulary kept in the project (every
counted term, as the engine starts from it) into one dictionary per language, read the
annotations it learns from (every coder's, or ``--coder``'s; each row read once, not kept), read the stored terms of the
segments they code, and look every one of those terms up (the joined terms split once per
chunk, looked up with ``map(dict.get, ...)``). Prints how many lookups found a term. The issue's
"suggestion benchmark compares with a dictionary-lookup floor"; ``bench_scale.py`` times it beside
``annotator suggest PROJECT SEGMENT`` run the first time (a fresh data folder, no engine kept).
"""

from __future__ import annotations

import argparse
import sqlite3
from itertools import repeat

#: Rows read at a time (as the engine reads them).
CHUNK = 5000


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("project")
    ap.add_argument("--coder")
    args = ap.parse_args(argv)
    conn = sqlite3.connect(f"file:{args.project}?mode=ro", uri=True)
    tables: dict[str, dict[str, int]] = {"zh": {}, "en": {}}
    for lang, term in conn.execute("SELECT lang, term FROM term_counts"):
        table = tables.setdefault(lang, {})
        table[term] = len(table)
    where, params = ("", ()) if args.coder is None else (" WHERE coder = ?", (args.coder,))
    annotations = sum(1 for _row in conn.execute(
        f"SELECT coder, segment, code FROM annotations{where}", params))
    cursor = conn.execute(
        "SELECT s.id, s.zh_terms, s.en_terms FROM"
        f" (SELECT DISTINCT segment FROM annotations{where}) a JOIN segments s ON s.id = a.segment",
        params)
    found = 0
    while rows := cursor.fetchmany(CHUNK):
        for column, lang in ((1, "zh"), (2, "en")):
            flat = " ".join(r[column] for r in rows if r[column]).split(" ")
            ids = list(map(tables[lang].get, flat, repeat(-1)))
            found += len(ids) - ids.count(-1)
    print(annotations, found)


if __name__ == "__main__":
    main()
