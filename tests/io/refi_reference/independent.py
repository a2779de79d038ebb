"""(What the reference computes without the product's code: GUIDs with ``uuid.uuid5`` itself,
time stamps by parsing them in full.)"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime


def guid(ns: uuid.UUID, *parts: str) -> str:
    return str(uuid.uuid5(ns, "/".join(parts))).upper()


def guid_maker(ns: uuid.UUID) -> Callable[..., str]:
    return lambda *parts: guid(ns, *parts)


def refi_stamp(stamp: str | None) -> str | None:
    if not stamp:
        return None
    try:
        when = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
