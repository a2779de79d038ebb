"""Two .qdpx files written the way other tools write them, built from the REFI-QDA guide
(../shared/refi-qda/README.md) and what QualCoder's, MAXQDA's and NVivo's exports hold.

* ``qualcoder_style``: a BOM in the source, attributes as ``VariableValue`` on the source, memos
  in selection descriptions, a selection narrower than its paragraph, Chinese category and code
  names, a journal (a note nothing refers to), an audio source.
* ``maxqda_nvivo_style``: upper-case and braced GUIDs, Windows line breaks counted as two
  characters, a deep code tree, a coding with no user, a memo-only selection, a document memo,
  a case with no source, a set, a link, a PDF source and a coding of the whole source.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

NS = "urn:QDA-XML:project:1.0"


def _zip(path: Path, qde: str, files: dict[str, str | bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("project.qde", qde)
        for name, data in files.items():
            z.writestr(name, data)
    return path


QC_TEXT = "访谈者：您在社区工作多久了？\n\n王：差不多十年了，一直在基层。\n\n王：检查太多，负担很重。\n"
QC_SRC = "a2b94468-80a5-412f-92d6-e900d97b55a6"
QC_U1, QC_U2 = "11111111-aaaa-4aaa-8aaa-111111111111", "22222222-bbbb-4bbb-8bbb-222222222222"


def qualcoder_style(folder: Path) -> Path:
    para2 = QC_TEXT.index("王：差")
    para3 = QC_TEXT.index("王：检")
    narrow = QC_TEXT.index("负担很重")
    qde = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="{NS}" name="社区访谈" origin="QualCoder 3.6" creatingUserGUID="{QC_U1}"
 creationDateTime="2024-05-01T10:00:00">
<Users><User guid="{QC_U1}" name="默认"/><User guid="{QC_U2}" name="zhang"/></Users>
<CodeBook><Codes>
<Code guid="c0000000-0000-4000-8000-000000000001" name="社会功能" isCodable="false">
<Description>AGIL</Description>
<Code guid="c0000000-0000-4000-8000-000000000002" name="适应" isCodable="true" color="#E06C75"/>
<Code guid="c0000000-0000-4000-8000-000000000003" name="目标达成" isCodable="true" color="#98C379"/>
</Code>
<Code guid="c0000000-0000-4000-8000-000000000004" name="Trust" isCodable="true" color="#61AFEF"/>
</Codes></CodeBook>
<Variables><Variable guid="b0000000-0000-4000-8000-000000000001" name="region" typeOfVariable="Text"/>
<Variable guid="b0000000-0000-4000-8000-000000000002" name="gender" typeOfVariable="Text"/></Variables>
<Cases><Case guid="e0000000-0000-4000-8000-000000000001" name="王">
<VariableValue><VariableRef targetGUID="b0000000-0000-4000-8000-000000000002"/><TextValue>男</TextValue></VariableValue>
<SourceRef targetGUID="{QC_SRC}"/></Case></Cases>
<Sources>
<TextSource guid="{QC_SRC}" name="访谈01.txt" plainTextPath="internal://{QC_SRC}.txt" creatingUser="{QC_U1}"
 creationDateTime="2024-05-01T10:00:00">
<Description>第一次访谈</Description>
<PlainTextSelection guid="50000000-0000-4000-8000-000000000001" name="差不多十年了" startPosition="{para2}"
 endPosition="{QC_TEXT.index("了", para2) + 1}" creatingUser="{QC_U1}" creationDateTime="2024-05-02T09:30:00">
<Description>工作年限 — years in the job</Description>
<Coding guid="60000000-0000-4000-8000-000000000001" creatingUser="{QC_U1}" creationDateTime="2024-05-02T09:30:00">
<CodeRef targetGUID="c0000000-0000-4000-8000-000000000002"/></Coding>
</PlainTextSelection>
<PlainTextSelection guid="50000000-0000-4000-8000-000000000002" name="负担很重" startPosition="{narrow}"
 endPosition="{narrow + 4}" creatingUser="{QC_U2}" creationDateTime="2024-05-03T11:00:00">
<Coding guid="60000000-0000-4000-8000-000000000002" creatingUser="{QC_U2}" creationDateTime="2024-05-03T11:00:00">
<CodeRef targetGUID="c0000000-0000-4000-8000-000000000003"/></Coding>
<Coding guid="60000000-0000-4000-8000-000000000003" creatingUser="{QC_U2}" creationDateTime="2024-05-03T11:00:00">
<CodeRef targetGUID="c0000000-0000-4000-8000-000000000004"/></Coding>
</PlainTextSelection>
<PlainTextSelection guid="50000000-0000-4000-8000-000000000003" startPosition="{para3}" endPosition="{para3 + 2}"
 creatingUser="{QC_U2}"><Description>讲话人是同一个人</Description></PlainTextSelection>
<VariableValue><VariableRef targetGUID="b0000000-0000-4000-8000-000000000001"/><TextValue>north</TextValue></VariableValue>
</TextSource>
<AudioSource guid="a0000000-0000-4000-8000-000000000001" name="访谈01.m4a" path="internal://a0000000-0000-4000-8000-000000000001.m4a"/>
</Sources>
<Notes><Note guid="f0000000-0000-4000-8000-000000000001" name="研究日志" plainTextPath="internal://f0000000-0000-4000-8000-000000000001.txt"
 creatingUser="{QC_U1}"/></Notes>
</Project>
"""
    return _zip(folder / "qualcoder.qdpx", qde, {
        f"sources/{QC_SRC}.txt": b"\xef\xbb\xbf" + QC_TEXT.encode("utf-8"),
        "sources/f0000000-0000-4000-8000-000000000001.txt": "第一周：联系了居委会。".encode(),
        "sources/a0000000-0000-4000-8000-000000000001.m4a": b"\x00" * 16,
    })


MX_TEXT = "I: How long have you lived here?\r\n\r\nR: Since 2015. The rent kept rising.\r\n\r\nR: Neighbours help.\r\n"
MX_SRC = "{8E7FDDFE-DB36-48DC-B464-80C3A4DECD90}"
MX_U = "B1F4C3A2-0000-4000-8000-00000000000A"


def maxqda_nvivo_style(folder: Path) -> Path:
    # positions count "\r\n" as two characters, as MAXQDA and NVivo do
    rent = MX_TEXT.index("The rent kept rising.")
    para3 = MX_TEXT.index("R: Neighbours")
    qde = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="{NS}" name="Housing" origin="MAXQDA 2022 (Release 22.8.0)" creatingUserGUID="{MX_U}">
<Users><User guid="{MX_U}" name="Anna Berg" id="AB"/></Users>
<CodeBook><Codes>
<Code guid="D0000000-0000-4000-8000-000000000001" name="Housing" isCodable="true">
<Code guid="D0000000-0000-4000-8000-000000000002" name="Costs" isCodable="false">
<Code guid="D0000000-0000-4000-8000-000000000003" name="Rent" isCodable="true" color="#FF0000"/>
</Code></Code>
<Code guid="D0000000-0000-4000-8000-000000000004" name="Support" isCodable="true"/>
</Codes></CodeBook>
<Variables><Variable guid="E0000000-0000-4000-8000-000000000001" name="age" typeOfVariable="Integer"/></Variables>
<Cases>
<Case guid="E1000000-0000-4000-8000-000000000001" name="R"><VariableValue>
<VariableRef targetGUID="E0000000-0000-4000-8000-000000000001"/><IntegerValue>42</IntegerValue></VariableValue>
<SourceRef targetGUID="{MX_SRC}"/></Case>
<Case guid="E1000000-0000-4000-8000-000000000002" name="Household 7"/>
</Cases>
<Sources>
<TextSource guid="{MX_SRC}" name="Interview R" plainTextPath="internal://8E7FDDFE-DB36-48DC-B464-80C3A4DECD90.txt">
<PlainTextSelection guid="{{F0000000-0000-4000-8000-000000000001}}" name="The rent kept rising." startPosition="{rent}"
 endPosition="{rent + 21}" creatingUser="{MX_U}" creationDateTime="2023-03-01T08:00:00Z">
<Coding guid="F1000000-0000-4000-8000-000000000001" creatingUser="{MX_U}"><CodeRef targetGUID="D0000000-0000-4000-8000-000000000003"/></Coding>
</PlainTextSelection>
<PlainTextSelection guid="F0000000-0000-4000-8000-000000000002" name="R: Neighbours help." startPosition="{para3}"
 endPosition="{para3 + 19}">
<Coding guid="F1000000-0000-4000-8000-000000000002"><CodeRef targetGUID="D0000000-0000-4000-8000-000000000004"/></Coding>
</PlainTextSelection>
<PlainTextSelection guid="F0000000-0000-4000-8000-000000000003" name="How long" startPosition="3" endPosition="11"
 creatingUser="{MX_U}"><Description>warm-up question</Description></PlainTextSelection>
<Coding guid="F1000000-0000-4000-8000-000000000003" creatingUser="{MX_U}"><CodeRef targetGUID="D0000000-0000-4000-8000-000000000001"/></Coding>
<NoteRef targetGUID="A0000000-0000-4000-8000-000000000001"/>
</TextSource>
<PDFSource guid="C0000000-0000-4000-8000-000000000001" name="Lease.pdf" path="internal://C0000000-0000-4000-8000-000000000001.pdf"/>
</Sources>
<Notes><Note guid="A0000000-0000-4000-8000-000000000001" name="Document memo"><PlainTextContent>Recorded at home.</PlainTextContent></Note></Notes>
<Links><Link guid="B0000000-0000-4000-8000-000000000001" name="see also" originGUID="F0000000-0000-4000-8000-000000000002"
 targetGUID="F0000000-0000-4000-8000-000000000003"/></Links>
<Sets><Set guid="B1000000-0000-4000-8000-000000000001" name="Renters"><MemberSource targetGUID="{MX_SRC}"/></Set></Sets>
</Project>
"""
    return _zip(folder / "maxqda.qdpx", qde, {
        "sources/8E7FDDFE-DB36-48DC-B464-80C3A4DECD90.txt": MX_TEXT.encode("utf-8"),
        "sources/C0000000-0000-4000-8000-000000000001.pdf": b"%PDF-1.4\n",
    })
