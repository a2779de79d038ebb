"""Coded segments as training data for spaCy text classifiers.

One ``Doc`` per segment the chosen coder marked done, in one language (``lang``, Chinese by
default, tokenised with spaCy's Chinese tokenizer and jieba; English with ``spacy.blank("en")``);
segments with no text in that language are skipped. ``doc.cats`` holds every code of the
codebook, 1.0 when the coder applied it and 0.0 otherwise; ``doc.user_data`` keeps the segment
id, document and coder. Written as a ``DocBin`` (``.spacy``) and, next to it, the same records as
JSON Lines ``{"text", "cats", "meta"}`` in ``OUT.jsonl`` (``train.spacy`` → ``train.spacy.jsonl``:
the full name plus ``.jsonl``, so that it never replaces a project export such as ``train.jsonl``).
Use the adjudicated consensus by naming its coder.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from annotator.errors import UsageError
from annotator.io.interchange import atomic_binary, atomic_output
from annotator.storage.db import Project


def _pipeline(lang: str) -> Any:
    import spacy

    if lang == "zh":
        from annotator.nlp.tokenize import load

        load(["zh"])  # jieba initialised quietly, with its cache in annotator's data folder
        return spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})

    return spacy.blank("en")


def export_spacy(project: Project, out: Path, *, coder: str | None = None,
                 lang: str = "zh") -> tuple[int, Path]:
    """Write ``out`` (.spacy) and ``out`` + ".jsonl"; (number of docs, jsonl path)."""
    from annotator.storage.codebook_store import load_codebook
    from annotator.storage.coding import coder_states, list_coders
    from annotator.storage.documents import iter_segments

    if lang not in ("zh", "en"):
        raise UsageError(f"--lang must be zh or en, not {lang!r}")
    from annotator.special_files import is_special

    if is_special(out):  # its companion <out>.jsonl would be made beside a device
        raise UsageError("a spacy export writes two files (OUT and OUT.jsonl); name a regular"
                         " file, not a device or FIFO", path=out)
    known = list_coders(project)
    if coder is None:
        if len(known) != 1:
            raise UsageError("name the coder whose codes to export with --coder NAME"
                             f" (coders: {', '.join(known) or 'none'})")
        coder = known[0]
    if coder not in known:
        raise UsageError(f"no coder {coder!r} in the project (coders: {', '.join(known) or 'none'})")
    from spacy.tokens import DocBin

    nlp = _pipeline(lang)
    codes = [c.id for c in load_codebook(project).codes]
    states = coder_states(project, [coder])
    docbin = DocBin(store_user_data=True)
    records: list[dict[str, Any]] = []
    for seg in iter_segments(project):
        st = states.get(seg.id, {}).get(coder)
        text = seg.text(lang)
        if st is None or not st.done or not text:
            continue
        doc = nlp.make_doc(text)
        doc.cats = {c: 1.0 if c in st.codes else 0.0 for c in codes}
        meta = {"segment": seg.id, "document": seg.document, "coder": coder, "lang": lang}
        doc.user_data.update(meta)
        docbin.add(doc)
        records.append({"text": text, "cats": doc.cats, "meta": meta})
    jsonl = out.with_name(out.name + ".jsonl")
    data = docbin.to_bytes()
    with atomic_output(jsonl, newline="\n") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    with atomic_binary(out) as fb:
        fb.write(data)
    return len(records), jsonl
