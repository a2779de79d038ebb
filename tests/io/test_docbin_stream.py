"""The streamed .spacy writer gives spaCy's own message, byte for byte, and spaCy reads it back."""

from __future__ import annotations

import io
import zlib
from pathlib import Path

import pytest
import spacy
from spacy.attrs import ORTH
from spacy.tokens import DocBin

from annotator.io.docbin_stream import DocBinWriter

TEXTS = ["社区干部说台账太多，台账要反复填写。", "网格员每天要填很多表格。", "",
         "A: I stay up  late\n every day, and the inspection comes twice.", "   "]


@pytest.mark.parametrize("copies", [0, 1, 700])  # 700: parts past 64 KB (the longest headers)
def test_the_message_is_docbins_byte_for_byte(tmp_path: Path, copies: int) -> None:
    pipes = [spacy.blank("zh"), spacy.blank("en")]
    ref = DocBin(attrs=["ORTH"], store_user_data=True)
    writer = DocBinWriter(tmp_path)
    for i in range(copies):
        for n, text in enumerate(TEXTS):
            doc = pipes[n % 2].make_doc(text)
            doc.cats = {"a": 1.0, "b": float(i % 2)}
            doc.user_data.update({"segment": f"s{i}-{n}", "lang": "zh" if n % 2 == 0 else "en"})
            ref.add(doc)
            writer.add(doc)
    out = io.BytesIO()
    writer.write(out)
    assert zlib.decompress(out.getvalue()) == zlib.decompress(ref.to_bytes())
    back = list(DocBin().from_bytes(out.getvalue()).get_docs(pipes[0].vocab))
    assert len(back) == copies * len(TEXTS) == writer.docs
    if copies:
        assert [t.text for t in back[3]] == [t.text for t in pipes[1].make_doc(TEXTS[3])]
        assert back[3].text == TEXTS[3] and back[1].user_data["segment"] == "s0-1"
    assert list(tmp_path.iterdir()) == []  # the spools are gone
    assert ORTH in DocBin().from_bytes(out.getvalue()).attrs
