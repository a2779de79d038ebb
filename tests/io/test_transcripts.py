"""Transcript readers: every format, every encoding, every error names the file and line."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.errors import ImportFormatError
from annotator.io.encoding import MAX_LINE_CHARS, open_text
from annotator.io.read_common import parse_header
from annotator.io.transcripts import FORMATS, Turn, detect_format, detect_lang, read_turns

DATA = Path(__file__).resolve().parents[1] / "data" / "transcripts"


def turns(path: Path, **kwargs: str | None) -> list[Turn]:
    return list(read_turns(path, **kwargs))  # type: ignore[arg-type]


def error_of(path: Path, **kwargs: str | None) -> str:
    with pytest.raises(ImportFormatError) as info:
        turns(path, **kwargs)
    message = str(info.value)
    assert "\n" not in message
    assert str(path) in message
    return message


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


# --- formats and languages -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("a.txt", "txt"),
        ("a.TEXT", "txt"),
        ("a.md", "md"),
        ("a.markdown", "md"),
        ("a.csv", "csv"),
        ("a.tsv", "tsv"),
        ("a.tab", "tsv"),
        ("a.jsonl", "jsonl"),
        ("a.ndjson", "jsonl"),
        ("a.DOCX", "docx"),
        ("a.srt", "srt"),
        ("a.vtt", "vtt"),
    ],
)
def test_detect_format_by_extension(name: str, fmt: str) -> None:
    assert detect_format(Path(name)) == fmt
    assert fmt in FORMATS


@pytest.mark.parametrize("name", ["notes.pdf", "notes", "notes.doc"])
def test_unknown_extension_names_the_file(name: str) -> None:
    with pytest.raises(ImportFormatError) as info:
        detect_format(Path(name))
    assert str(info.value).startswith(f"{name}: unknown transcript format")
    with pytest.raises(ImportFormatError):
        read_turns(Path(name))  # raised at once, not on iteration


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("我们街道现在最大的问题还是权责不匹配。", "zh"),
        ("比如说KPI考核，层层加码。", "zh"),
        ("The mismatch between authority and responsibility.", "en"),
        ("The term 痕迹主义 means trace-ism in local government.", "en"),
        ("", "en"),
        ("12:30 — 45", "en"),
    ],
)
def test_detect_lang(text: str, lang: str) -> None:
    assert detect_lang(text) == lang


# --- speaker prefixes and timestamps -------------------------------------------------------

# fmt: off
HEADERS = [
    # line, speaker, start, rest
    ("A：你好", "A", None, "你好"),
    ("A: hello", "A", None, "hello"),
    ("[A] hello", "A", None, "hello"),
    ("**A**: hello", "A", None, "hello"),
    ("**A：** 你好", "A", None, "你好"),
    ("**A:** hello", "A", None, "hello"),
    ("采访者：您好", "采访者", None, "您好"),
    ("Interviewer: hello", "Interviewer", None, "hello"),
    ("Respondent 2: hello", "Respondent 2", None, "hello"),
    ("Village Party Secretary Wang: yes", "Village Party Secretary Wang", None, "yes"),
    ("Dr. Wang: yes", "Dr. Wang", None, "yes"),
    ("[00:01:02] A: hello", "A", 62.0, "hello"),
    ("[01:02] A：你好", "A", 62.0, "你好"),
    ("(00:01:02) hello", None, 62.0, "hello"),
    ("00:01:02 A: hello", "A", 62.0, "hello"),
    ("A: [00:01:02] hello", "A", 62.0, "hello"),
    ("Interviewer (00:01:10): hello", "Interviewer", 70.0, "hello"),
    ("Speaker 1  0:03", "Speaker 1", 3.0, ""),
    ("[00:00:01.500] hi", None, 1.5, "hi"),
    ("A:", "A", None, ""),
]
NOT_HEADERS = [
    "The main point is this: nothing changed.",
    "他说，这个事情：很难办",
    "See http://example.com for details",
    "We met at 12:30 and talked.",
    "12: twelve",
    "This sentence, with a comma: is not a speaker.",
    "一句很长很长很长很长很长的中文句子没有标点符号但是有冒号：后面的内容",
    "他说：“我们街道现在最大的问题还是权责不匹配。”",
]
# fmt: on


@pytest.mark.parametrize(("line", "speaker", "start", "rest"), HEADERS)
def test_speaker_prefixes_and_timestamps(
    line: str, speaker: str | None, start: float | None, rest: str
) -> None:
    header = parse_header(line)
    assert header is not None
    assert (header.speaker, header.start, header.rest) == (speaker, start, rest)


@pytest.mark.parametrize("line", NOT_HEADERS)
def test_ordinary_sentences_are_not_speaker_prefixes(line: str) -> None:
    assert parse_header(line) is None


# --- plain text ----------------------------------------------------------------------------

ZH_TURNS = [
    Turn(1, zh="您好，感谢您接受访谈。请先介绍一下您在街道的工作。", speaker="采访者"),
    Turn(4, zh="我在街道办工作了八年，主要负责网格管理和党建引领方面的工作。", speaker="受访者A"),
    Turn(7, zh="现在基层最大的问题是什么？", speaker="采访者", start=62.0),
    Turn(
        8,
        zh="我们街道现在最大的问题还是权责不匹配，痕迹主义并没有根本改变。",
        speaker="受访者A",
        start=70.0,
    ),
    Turn(9, zh="能举个例子吗？", speaker="采访者"),
    Turn(10, zh="比如说KPI考核，层层加码，一票否决。", speaker="受访者A"),
]


@pytest.mark.parametrize("name", ["interview_zh.txt", "interview_zh_gbk.txt", "interview_zh_utf16.txt"])
def test_chinese_txt_in_every_encoding(name: str) -> None:
    assert turns(DATA / name) == ZH_TURNS


def test_encodings_are_detected() -> None:
    expected = {
        "interview_zh.txt": "utf-8",
        "interview_zh_gbk.txt": "gb18030",
        "interview_zh_utf16.txt": "utf-16-le",
        "interview_bom.csv": "utf-8",
    }
    for name, encoding in expected.items():
        with open_text(DATA / name) as lines:
            assert lines.encoding == encoding
            assert not next(lines).startswith("\ufeff")


def test_english_txt_joins_lines_with_spaces() -> None:
    assert turns(DATA / "interview_en.txt") == [
        Turn(
            1,
            en="Thank you for agreeing to talk with us. Could you start by describing your "
            "work in the sub-district?",
            speaker="Interviewer",
        ),
        Turn(
            4,
            en="I have worked in the sub-district office for eight years, mostly on grid "
            "management and Party-building.",
            speaker="Respondent 2",
        ),
        Turn(7, en="What is the biggest problem at the grassroots now?", speaker="Interviewer", start=62.0),
        Turn(
            8,
            en="The biggest problem is still the mismatch between authority and "
            "responsibility; trace-ism has not fundamentally changed.",
            speaker="Respondent 2",
            start=70.0,
        ),
    ]


def test_language_is_decided_once_per_file_and_can_be_forced(tmp_path: Path) -> None:
    chinese = "我们街道现在最大的问题还是权责不匹配，痕迹主义并没有根本改变。" * 3
    path = write(tmp_path, "mixed.txt", f"A：{chinese}\n\nB: OK, I see.\n\nA：{chinese}\n")
    detected = turns(path)
    assert [t.en for t in detected] == ["", "", ""]
    assert detected[1].zh == "OK, I see."
    forced = turns(path, lang="en")
    assert [t.zh for t in forced] == ["", "", ""]
    assert forced[0].en == chinese


def test_paragraphs_timestamp_and_speaker_lines_and_crlf(tmp_path: Path) -> None:
    text = (
        "[00:00:05]\r\n"
        "Interviewer:\r\n"
        "Hello there,\r\n"
        "how are you?\r\n"
        "\r\n\r\n"
        "A plain paragraph\rwith old Mac line ends.\r\n"
        "B: 好的\r\n"
        "谢谢\r\n"
    )
    assert turns(write(tmp_path, "t.txt", text), lang="en") == [
        Turn(1, en="Hello there, how are you?", speaker="Interviewer", start=5.0),
        Turn(7, en="A plain paragraph with old Mac line ends."),
        Turn(9, en="好的谢谢", speaker="B"),
    ]


def test_control_characters_are_stripped(tmp_path: Path) -> None:
    path = write(tmp_path, "c.txt", "A: he\x07llo\x0bworld\x1b \u00a0ok\tfine\n")
    assert turns(path) == [Turn(1, en="hello world  ok\tfine", speaker="A")]


def test_lines_are_read_lazily(tmp_path: Path) -> None:
    filler = b"B: second\n\n" * 10_000  # more than the 64 KB looked at to detect the encoding
    path = write(tmp_path, "lazy.txt", b"A: first turn\n\n" + filler + b"\xff\xff\xff\n")
    iterator = read_turns(path)
    assert next(iterator) == Turn(1, en="first turn", speaker="A")
    with pytest.raises(ImportFormatError, match=r"lazy\.txt:20003: cannot decode"):
        list(iterator)


# --- Markdown ------------------------------------------------------------------------------


def test_markdown_front_matter_headings_rules_and_bold_speakers() -> None:
    assert turns(DATA / "interview.md") == [
        Turn(8, zh="您好，请介绍一下您的工作。", speaker="采访者"),
        Turn(10, zh="我在街道办工作了八年，主要负责网格管理。", speaker="受访者A"),
        Turn(17, zh="现在基层最大的问题是什么？", speaker="采访者"),
        Turn(18, zh="权责不匹配，痕迹主义并没有根本改变。", speaker="受访者A"),
    ]


# --- CSV / TSV / JSONL ---------------------------------------------------------------------


def test_csv_with_bom_aliases_times_and_attributes() -> None:
    assert turns(DATA / "interview_bom.csv") == [
        Turn(
            2,
            zh="您好，请介绍一下您的工作。",
            en="Hello, please describe your work.",
            speaker="采访者",
            start=0.0,
            end=4.5,
            document="S01",
            attributes={"role": "interviewer"},
        ),
        Turn(
            3,
            zh="我在街道办工作了八年，\n主要负责网格管理。",
            en="I have worked in the sub-district office for eight years,\nmostly on grid management.",
            speaker="受访者A",
            start=5.0,
            end=12.25,
            document="S01",
            attributes={"role": "respondent"},
        ),
        Turn(
            7,
            zh="现在基层最大的问题是什么？",
            en="What is the biggest problem at the grassroots now?",
            speaker="采访者",
            start=62.0,
            end=69.0,
            document="S02",
            attributes={"role": "interviewer"},
        ),
    ]


def test_tsv_text_column_goes_to_the_detected_or_given_language() -> None:
    detected = turns(DATA / "interview_en.tsv")
    assert detected == [
        Turn(2, en="What is the biggest problem at the grassroots now?", speaker="Interviewer", start=62.0),
        Turn(
            3,
            en="The biggest problem is still the mismatch between authority and responsibility.",
            speaker="Respondent 2",
            start=70.5,
        ),
    ]
    assert [t.zh for t in turns(DATA / "interview_en.tsv", lang="zh")] == [t.en for t in detected]


def test_csv_text_beside_a_translation_column_is_chinese(tmp_path: Path) -> None:
    path = write(tmp_path, "t.csv", " Text ,Translation\n你好,Hello\n")
    assert turns(path) == [Turn(2, zh="你好", en="Hello")]


def test_jsonl_fields_aliases_and_attributes() -> None:
    assert turns(DATA / "interview.jsonl") == [
        Turn(
            1,
            zh="您好，请介绍一下您的工作。",
            en="Hello, please describe your work.",
            speaker="采访者",
            start=0.0,
            end=4.5,
            document="S01",
            attributes={"site": "Beijing"},
        ),
        Turn(
            3,
            zh="我在街道办工作了八年。",
            en="I have worked in the sub-district office for eight years.",
            speaker="受访者A",
            start=5.0,
            end=12.0,
            document="S01",
            attributes={"tags": json.dumps(["grid", "party"])},
        ),
        Turn(
            4,
            en="What is the biggest problem?",
            speaker="Interviewer",
            document="S02",
            attributes={"age": "47"},
        ),
    ]


# --- subtitles -----------------------------------------------------------------------------


def test_srt_cues_with_speakers_and_multiline_text() -> None:
    assert turns(DATA / "interview_zh.srt") == [
        Turn(1, zh="您好，请介绍一下您的工作。", speaker="采访者", start=1.0, end=4.0),
        Turn(6, zh="我在街道办工作了八年，主要负责网格管理。", speaker="受访者A", start=5.0, end=12.25),
        Turn(11, zh="现在基层最大的问题是什么？", speaker="采访者", start=62.0, end=69.5),
        Turn(14, zh="权责不匹配。", speaker="受访者A", start=62.0, end=69.5),
    ]


def test_vtt_voices_tags_entities_and_skipped_blocks() -> None:
    assert turns(DATA / "interview_en.vtt") == [
        Turn(
            11, en="Hello, please describe your work & your role.", speaker="Interviewer", start=1.0, end=4.0
        ),
        Turn(
            15,
            en="I have worked in the sub-district office for eight years, mostly on "
            "grid management <and> Party-building.",
            speaker="Respondent 2",
            start=5.0,
            end=12.25,
        ),
        Turn(19, en="What is the biggest problem?", speaker="Interviewer", start=62.0, end=69.5),
        Turn(
            22,
            en="The mismatch between authority and responsibility.",
            speaker="Respondent 2",
            start=62.0,
            end=69.5,
        ),
    ]


# --- docx ----------------------------------------------------------------------------------


def make_docx(path: Path, paragraphs: list[str]) -> Path:
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    document.save(str(path))
    return path


def test_docx_paragraphs_speakers_and_paragraph_numbers(tmp_path: Path) -> None:
    path = make_docx(
        tmp_path / "interview.docx",
        [
            "访谈记录",  # a title before the first turn: the document's header, not a turn
            "",
            "采访者：您好，请介绍一下您的工作。",
            "受访者A：",  # speaker alone; the text follows in the next paragraph
            "我在街道办工作了八年。",
            "主要负责网格管理。",
            "[00:01:02] 采访者：现在基层最大的问题是什么？",
        ],
    )
    assert turns(path) == [
        Turn(3, zh="您好，请介绍一下您的工作。", speaker="采访者",
             attributes={"title": "访谈记录", "header": "访谈记录"}),
        Turn(4, zh="我在街道办工作了八年。", speaker="受访者A"),
        Turn(6, zh="主要负责网格管理。"),
        Turn(7, zh="现在基层最大的问题是什么？", speaker="采访者", start=62.0),
    ]


# --- errors: each names the file and, where there is one, the line --------------------------


def test_undecodable_bytes_name_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.txt", "A: 你好\n\nB: ok\n".encode() + b"\xff\xff\xff\n")
    assert error_of(path).startswith(f"{path}:4: cannot decode the text")


def test_undecodable_bytes_after_the_sniffed_prefix(tmp_path: Path) -> None:
    body = ("A: 你好\n" * 20_000).encode()  # > 64 KB of valid UTF-8
    path = write(tmp_path, "late.txt", body + "B: 坏\n".encode("gbk"))
    assert error_of(path).startswith(f"{path}:20001: cannot decode the text as UTF-8")


def test_nul_bytes_mean_a_binary_file(tmp_path: Path) -> None:
    path = write(tmp_path, "nul.txt", b"A: hi\nB: \x00\x01\x02\n")
    message = error_of(path)
    assert message.startswith(f"{path}:2: ")
    assert "binary file?" in message


def test_empty_file_has_no_turns(tmp_path: Path) -> None:
    path = write(tmp_path, "empty.txt", b"")
    assert error_of(path) == f"{path}: no turns found"
    blank = write(tmp_path, "blank.md", "---\ntitle: x\n---\n# Heading only\n\n")
    assert error_of(blank) == f"{blank}: no turns found"


def test_bad_jsonl_line_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.jsonl", '{"zh": "你好"}\n\n{"zh": "坏", \n')
    assert error_of(path).startswith(f"{path}:3: invalid JSON")


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ('["zh", "x"]\n', "expected a JSON object, found list"),
        ('{"speaker": "A"}\n', "no text key"),
        ('{"zh": 5}\n', "'zh' must be a string"),
        ('{"zh": "x", "start": "soon"}\n', "'start': not a time"),
        ('{"zh": "x", "start": 5, "end": 2}\n', "end time 2s is before start time 5s"),
        ("[" * 100_000 + "\n", "invalid JSON"),
        ('{"zh": "x", "start": NaN}\n', "not a time"),
    ],
)
def test_jsonl_rejects_invalid_objects(tmp_path: Path, content: str, reason: str) -> None:
    path = write(tmp_path, "bad.jsonl", content)
    message = error_of(path)
    assert message.startswith(f"{path}:1: ")
    assert reason in message


def test_csv_without_a_text_column_names_the_header_line(tmp_path: Path) -> None:
    path = write(tmp_path, "no_text.csv", "\nspeaker,start,notes\nA,0,x\n")
    message = error_of(path)
    assert message.startswith(f"{path}:2: no text column")
    assert "'speaker', 'start', 'notes'" in message


@pytest.mark.parametrize(
    ("content", "line", "reason"),
    [
        ('zh,en\n你好,hello\n"unterminated,x\nmore\n', 3, "unterminated quoted field"),
        ('zh,en\n"a"b,c\n', 2, "malformed row"),
        ("zh,start\n你好,1:2:3:4\n", 2, "'start': not a time"),
        ("zh,en\n你好,hello,extra\n", 2, "row has 3 fields but the header has 2"),
        ("zh,chinese\n你好,你好\n", 1, "both mean 'zh'"),
        ("zh,en,text\n你,y,z\n", 1, "cannot be combined"),
    ],
)
def test_malformed_csv_names_the_line(tmp_path: Path, content: str, line: int, reason: str) -> None:
    path = write(tmp_path, "bad.csv", content)
    message = error_of(path)
    assert message.startswith(f"{path}:{line}: ")
    assert reason in message


def test_truncated_docx_is_a_clean_error(tmp_path: Path) -> None:
    good = make_docx(tmp_path / "good.docx", ["A: hello"])
    path = write(tmp_path, "truncated.docx", good.read_bytes()[:2000])
    assert error_of(path).startswith(f"{path}: not a valid .docx file")
    text = write(tmp_path, "text.docx", "A: not a zip at all\n")
    assert error_of(text).startswith(f"{text}: not a valid .docx file")


def test_vtt_without_header(tmp_path: Path) -> None:
    path = write(tmp_path, "nohead.vtt", "00:00:01.000 --> 00:00:02.000\nhello\n")
    assert error_of(path) == f"{path}:1: not a WebVTT file: the first line must be 'WEBVTT'"


@pytest.mark.parametrize(
    ("name", "content", "line", "reason"),
    [
        ("a.srt", "hello\nworld\n", 1, "expected a subtitle number or a timing line"),
        ("b.srt", "1\n00:00:05,000 --> 00:00:01,000\nhi\n", 2, "end time 1s is before"),
        ("c.vtt", "WEBVTT\n\nid\nnot a timing\n", 3, "expected a cue timing line"),
    ],
)
def test_malformed_subtitles(tmp_path: Path, name: str, content: str, line: int, reason: str) -> None:
    path = write(tmp_path, name, content)
    message = error_of(path)
    assert message.startswith(f"{path}:{line}: ")
    assert reason in message


def test_srt_text_block_without_timing_continues_the_previous_cue(tmp_path: Path) -> None:
    content = (
        "1\n00:00:01,000 --> 00:00:02,000\nA: hello\n\nagain\n\n2\n00:00:03,000 --> 00:00:04,000\nB: bye\n"
    )
    assert turns(write(tmp_path, "gap.srt", content)) == [
        Turn(1, en="hello again", speaker="A", start=1.0, end=2.0),
        Turn(7, en="bye", speaker="B", start=3.0, end=4.0),
    ]


def test_absurdly_long_line_is_an_error_not_a_crash(tmp_path: Path) -> None:
    path = write(tmp_path, "long.txt", "A: " + "x" * (MAX_LINE_CHARS + 10))
    assert error_of(path).startswith(f"{path}:1: line longer than")


def test_missing_file_and_bad_arguments(tmp_path: Path) -> None:
    missing = tmp_path / "missing.txt"
    with pytest.raises(ImportFormatError, match=r"missing\.txt: no such file"):
        read_turns(missing)
    real = write(tmp_path, "real.txt", "A: hi\n")
    with pytest.raises(ImportFormatError, match="unknown format 'pdf'"):
        read_turns(real, fmt="pdf")
    with pytest.raises(ImportFormatError, match="unknown language 'fr'"):
        read_turns(real, lang="fr")
    assert turns(real, fmt="md") == [Turn(1, en="hi", speaker="A")]


# --- never anything but Turns or ImportFormatError -----------------------------------------

FRAGMENTS = st.sampled_from(
    [
        "WEBVTT",
        "00:00:01,000 --> 00:00:02,000",
        "00:01.000 --> 00:00.500",
        "1",
        "",
        "A: ",
        "[00:01]",
        "<v A>",
        "</v>",
        "&amp;",
        '{"zh": "你好"}',
        '{"en": 1}',
        "zh,en",
        "text",
        '"',
        "\t",
        "**A**:",
        "---",
        "# h",
        "NOTE",
        "采访者：",
        "你好",
        "\x00",
        "\r",
        "\ufeff",
    ]
)
LINES = st.lists(st.one_of(FRAGMENTS, st.text(max_size=30)), max_size=12)
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "gb18030"])
PROPERTY_SETTINGS = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _only_turns_or_import_errors(path: Path) -> None:
    try:
        for turn in read_turns(path):
            assert isinstance(turn, Turn)
            assert turn.zh or turn.en
            assert turn.line >= 1
    except ImportFormatError as exc:
        assert str(path) in str(exc)


@pytest.mark.parametrize("fmt", FORMATS)
@PROPERTY_SETTINGS
@given(data=st.binary(max_size=300))
def test_random_bytes_never_crash(fmt: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"random.{fmt}"
        path.write_bytes(data)
        _only_turns_or_import_errors(path)


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f != "docx"])
@PROPERTY_SETTINGS
@given(lines=LINES, encoding=ENCODINGS, newline=st.sampled_from(["\n", "\r\n"]))
def test_random_text_never_crashes(fmt: str, lines: list[str], encoding: str, newline: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"random.{fmt}"
        path.write_bytes(newline.join(lines).encode(encoding, "surrogatepass"))
        _only_turns_or_import_errors(path)


@pytest.mark.slow  # fuzzing: 25 Word files
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(paragraphs=st.lists(st.one_of(FRAGMENTS, st.text(max_size=30)), max_size=8))
def test_random_docx_text_never_crashes(paragraphs: list[str]) -> None:
    import docx

    document = docx.Document()
    for text in paragraphs:
        try:
            document.add_paragraph(text)
        except ValueError:  # XML cannot hold some control characters; nor can a .docx
            continue
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "random.docx"
        document.save(str(path))
        _only_turns_or_import_errors(path)


# --- bounded memory ------------------------------------------------------------------------


def test_a_large_file_is_streamed_with_bounded_memory(tmp_path: Path) -> None:
    turn = "受访者A：" + "我们街道现在最大的问题还是权责不匹配，痕迹主义并没有根本改变。" * 300
    block = (turn + "\n\nInterviewer: " + "What is the biggest problem? " * 400 + "\n\n").encode()
    copies = 50_000_000 // len(block)
    path = tmp_path / "big.txt"
    with path.open("wb") as out:
        for _ in range(copies):
            out.write(block)
    size = path.stat().st_size
    assert size > 45_000_000

    tracemalloc.start()
    try:
        count = 0
        for item in read_turns(path):
            count += 1
            assert item.zh or item.en
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 2 * copies
    assert peak < 5_000_000, f"peak {peak:,} bytes for a {size:,}-byte file"


def test_importing_the_readers_loads_no_heavy_libraries() -> None:
    code = (
        "import sys, annotator.io.transcripts\n"
        "heavy = {'docx', 'lxml', 'spacy', 'jieba', 'textual'} & set(sys.modules)\n"
        "print(sorted(heavy))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
