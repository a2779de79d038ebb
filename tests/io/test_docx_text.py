"""Text put in a Word document's XML: control characters dropped as everywhere (tab and line
break kept), and what XML 1.0 cannot hold (lone surrogates, U+FFFE, U+FFFF) left out."""

from __future__ import annotations

import xml.dom.minidom

from hypothesis import given
from hypothesis import strategies as st

from annotator.io.clean_text import clean_text
from annotator.io.docx_quotes import docx_text

_HOSTILE = st.text(alphabet=st.one_of(
    st.characters(min_codepoint=0, max_codepoint=0x3F),
    st.sampled_from("\x7f\x85\xa0\ufeff\ufffe\uffff\ud800\udfff社区减负é"),
), max_size=40)


@given(_HOSTILE)
def test_only_what_xml_holds_is_kept(text: str) -> None:
    kept = docx_text(text)
    expected = "".join(ch for ch in clean_text(text) if (ch in "\t\n" or ord(ch) >= 0x20)
                       and not 0xD800 <= ord(ch) <= 0xDFFF and ch not in "\ufffe\uffff")
    assert kept == expected
    escaped = kept.replace("&", "&amp;").replace("<", "&lt;")
    xml.dom.minidom.parseString(f"<t>{escaped}</t>".encode("utf-8", "surrogatepass"))


def test_clean_text_is_left_as_it_is() -> None:
    assert docx_text("社区\t减负\nwork & <rest>") == "社区\t减负\nwork & <rest>"
    assert docx_text("a\x00b\x1fc\rd\x0be") == "abc\nd e"
