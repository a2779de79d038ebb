"""Done marks in a ``.qdpx``, which REFI-QDA has no element for.

A coding in REFI-QDA means "this code applies"; annotator also records that a coder finished a
segment with no code ("done, no code applies") and that work on a segment is not finished yet.
Agreement depends on both, so the export writes them as one ``Note`` per coder, named
``annotator done marks: <coder>`` and created by that coder, whose text lists one mark a line:

    done <segment id>      the coder marked the segment done with no code
    open <segment id>      the coder has codes or a memo there but has not marked it done

The note's text is a file of the archive (``plainTextPath``), which QualCoder imports as a
journal and writes back under the same name.

Every other segment a coding of the coder covers is done; a selection with only a memo does
not mark its segment done. Other tools show the note as an
ordinary note (harmless); annotator's importer reads it back and does not count it as a journal.
"""

from __future__ import annotations

import re

NAME_PREFIX = "annotator done marks: "
DESCRIPTION = ("Which segments this coder marked done with no code ('done') and which hold work"
               " not yet marked done ('open'); written and read by annotator.")
_LINE = re.compile(r"^(done|open)\s+(\S+)\s*$")


def marks_name(coder: str) -> str:
    return f"{NAME_PREFIX}{coder}"


def marks_text(done: list[str], open_: list[str]) -> str:
    return "\n".join([*(f"done {s}" for s in done), *(f"open {s}" for s in open_)])


def is_marks_note(name: str) -> bool:
    return name.startswith(NAME_PREFIX)


def parse_marks(text: str) -> tuple[list[str], list[str]]:
    """(segments done with no code, segments open) from a marks note's text."""
    done: list[str] = []
    open_: list[str] = []
    for line in text.splitlines():
        m = _LINE.match(line.strip())
        if m:
            (done if m.group(1) == "done" else open_).append(m.group(2))
    return done, open_
