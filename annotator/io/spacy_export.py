"""Coded segments as training data for spaCy text classifiers.

One ``Doc`` per segment the chosen coder marked done and language asked for (``zh``, ``en`` or
both: Chinese tokenised with spaCy's Chinese tokenizer and jieba, English with
``spacy.blank("en")``); segments with no text in a language are skipped there. ``doc.cats``
holds the labels:

* of one facet (``--facet``): a single-choice facet gives one-hot cats (exactly one 1.0), ready
  for spaCy's exclusive ``textcat``; segments the coder finished with no code of that facet have
  no label to learn and are left out (counted). A multi-choice facet gives its codes, 1.0 or 0.0,
  for ``textcat_multilabel``;
* with no facet, every code of the codebook, for ``textcat_multilabel``.

``doc.user_data`` keeps the segment id, document, coder and language. Written as a ``DocBin``
(``.spacy``) and, next to it, the same records as JSON Lines ``{"text", "cats", "meta"}`` in
``OUT.jsonl`` (``train.spacy`` → ``train.spacy.jsonl``: the full name plus ``.jsonl``, so that it
never replaces a project export such as ``train.jsonl``). Use the adjudicated consensus by naming
its coder.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from annotator.files import atomic_binary, atomic_output
from annotator.model import Segment


@dataclass
class SpacyStats:
    docs: int
    jsonl: Path
    #: the spaCy component these cats are for: textcat (exclusive) or textcat_multilabel
    component: str
    #: done segments left out of an exclusive facet's data: no code of the facet to learn
    unlabelled: int = 0


@dataclass(frozen=True)
class Labels:
    """The codes that become ``doc.cats`` and whether exactly one applies per segment."""

    codes: tuple[str, ...]
    exclusive: bool = False

    @property
    def component(self) -> str:
        return "textcat" if self.exclusive else "textcat_multilabel"


def write_spacy(out: Path, pipelines: dict[str, Any], labels: Labels,
                done: Iterable[tuple[Segment, frozenset[str]]], coder: str) -> SpacyStats:
    """Write ``out`` (.spacy) and ``out`` + ".jsonl" from the segments ``coder`` marked done
    (``done``: each with the codes ``coder`` applied), one doc per language of ``pipelines``
    (language → blank spaCy pipeline). The JSON lines are written as the docs are made, and the
    docs go to a :class:`~annotator.io.docbin_stream.DocBinWriter` (each doc's words and
    spaces, spooled beside ``out``: a blank pipeline sets no tag, parse or entity), so memory
    does not grow with the export. Both files appear together, or neither."""
    from annotator.io.docbin_stream import DocBinWriter

    docbin = DocBinWriter(out.parent)
    docs = unlabelled = 0
    jsonl = out.with_name(out.name + ".jsonl")
    try:
        with atomic_output(jsonl, newline="\n") as f:
            shared: dict[frozenset[str], dict[str, float]] = {}  # docs with the same codes share their cats
            for seg, codes in done:
                cats = shared.get(codes)
                if cats is None:
                    cats = shared[codes] = {c: 1.0 if c in codes else 0.0 for c in labels.codes}
                if labels.exclusive and sum(cats.values()) != 1.0:
                    unlabelled += 1
                    continue
                for lang, nlp in pipelines.items():
                    text = seg.text(lang)
                    if not text:
                        continue
                    doc = nlp.make_doc(text)
                    doc.cats = cats
                    meta = {"segment": seg.id, "document": seg.document, "coder": coder, "lang": lang}
                    doc.user_data.update(meta)
                    docbin.add(doc)
                    f.write(json.dumps({"text": text, "cats": doc.cats, "meta": meta}, ensure_ascii=False) + "\n")
                    docs += 1
            with atomic_binary(out) as fb:
                docbin.write(fb)
    finally:
        docbin.close()
    return SpacyStats(docs, jsonl, labels.component, unlabelled)
