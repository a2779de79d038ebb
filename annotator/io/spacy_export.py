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
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from annotator.files import atomic_binary, atomic_output
from annotator.model import CoderState, Segment


def write_spacy(out: Path, nlp: Any, code_ids: list[str], segments: Iterable[Segment],
                states: dict[str, dict[str, CoderState]], coder: str, lang: str) -> tuple[int, Path]:
    """Write ``out`` (.spacy) and ``out`` + ".jsonl" from the segments ``coder`` marked done,
    made into docs by the blank spaCy pipeline ``nlp``; (number of docs, jsonl path)."""
    from spacy.tokens import DocBin  # spaCy only when exporting to it

    docbin = DocBin(store_user_data=True)
    records: list[dict[str, Any]] = []
    for seg in segments:
        st = states.get(seg.id, {}).get(coder)
        text = seg.text(lang)
        if st is None or not st.done or not text:
            continue
        doc = nlp.make_doc(text)
        doc.cats = {c: 1.0 if c in st.codes else 0.0 for c in code_ids}
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
