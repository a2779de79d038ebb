"""The export's GUIDs are ``uuid5`` of the project's namespace and the object's key, in upper
case, whether made one at a time or a document's all at once."""

from __future__ import annotations

import random
import uuid

from annotator.io.refi_guids import guid, guid_maker, name_guid, name_guids


def test_one_guid_is_uuid5_in_upper_case() -> None:
    ns = uuid.uuid5(uuid.NAMESPACE_URL, "annotator:project:2026-01-01")
    for parts in [("code", "adaptation"), ("selection", "D1-001", "李", "zh"), ("note", "a/b", "😀")]:
        assert guid(ns, *parts) == str(uuid.uuid5(ns, "/".join(parts))).upper()
        assert guid_maker(ns)(*parts) == guid(ns, *parts)


def test_many_at_once_are_each_uuid5() -> None:
    rng = random.Random(5)
    namespaces = [uuid.uuid4() for _ in range(3)]
    keys = [(ns, "".join(rng.choice("ab/-督😀 ") for _ in range(rng.randint(0, 80)))) for ns in namespaces
            for _ in range(400)]
    made = name_guids([ns.bytes + key.encode() for ns, key in keys])
    assert made == [str(uuid.uuid5(ns, key)).upper() for ns, key in keys]
    assert made == [name_guid(ns.bytes + key.encode()) for ns, key in keys]
    assert name_guids([]) == []
