"""One coder's quotes, grouped by code or by facet × facet cell, read group by group.

Groups by code follow the codes asked for (``--code``, then ``--facet``), else those of
``--all-of``, else every code, in codebook order; groups by cell follow the two facets' codes.
A quote needs every code of ``--all-of``; empty groups are left out.

The groups are counted in one pass over the codes of the coder's segments; each
group's quotes are then read from the project when a renderer reaches it (only the segments
carrying the group's codes), so however large the project, one quote at a time is held. Read
them inside one read transaction (``Project.snapshot``), so that the counts and the quotes agree.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass

from annotator.application.findings import (
    attributes_match,
    check_codes,
    code_title,
    facet_codes,
    iter_quotes,
)
from annotator.errors import UsageError
from annotator.io.quotes_render import Quote, QuoteGroup
from annotator.model import Codebook
from annotator.storage.attributes import document_attributes
from annotator.storage.db import Project
from annotator.storage.quotes import code_sets


@dataclass(frozen=True)
class Rule:
    """Which quotes a group holds: those carrying every code of ``codes``, and, when ``any_of``
    is not empty, one of its codes."""

    codes: frozenset[str]
    any_of: frozenset[str] = frozenset()

    def holds(self, ids: set[str]) -> bool:
        """Whether a quote with the codes ``ids`` belongs here."""
        return self.codes <= ids and (not self.any_of or bool(ids & self.any_of))


class StreamedQuotes(Collection[Quote]):
    """A group's quotes: their number, known; the quotes, read from the project each time."""

    def __init__(self, size: int, read: Callable[[], Iterator[Quote]]) -> None:
        self._size = size
        self._read = read

    def __len__(self) -> int:
        return self._size

    def __iter__(self) -> Iterator[Quote]:
        return self._read()

    def __contains__(self, item: object) -> bool:
        return any(q == item for q in self)


@dataclass
class StreamedGroups:
    """The groups, how many distinct quotes they hold, and those quotes in reading order."""

    groups: list[QuoteGroup]
    quotes: int
    each_once: Callable[[], Iterator[Quote]]


def stream_quote_groups(
    project: Project, codebook: Codebook, *, coder: str, where: dict[str, set[str]] | None = None,
    shown: Codebook | None = None, codes: Sequence[str] = (), all_of: Sequence[str] = (),
    facet: str | None = None, by: Sequence[str] = (),
) -> StreamedGroups:
    """``coder``'s quotes grouped by code (``codes``, ``facet``, ``all_of`` choose which) or,
    with ``by`` (two facets), by cell (``codebook``: every code, archived too, to read the
    quotes; ``shown``: the codebook whose codes name and order the groups, ``codebook`` when
    None)."""
    shown = shown or codebook
    titled = _rules(shown, codes=codes, all_of=all_of, facet=facet, by=by)
    sizes = [0] * len(titled)
    total = 0
    attributes = document_attributes(project) if where else {}
    for document, ids in code_sets(project, coder):
        if where and not attributes_match(attributes.get(document, {}), where):
            continue
        held = [n for n, (_t, _a, rule) in enumerate(titled) if rule.holds(ids)]
        for n in held:
            sizes[n] += 1
        total += bool(held)

    def read(rule: Rule) -> Callable[[], Iterator[Quote]]:
        return lambda: (q for q in iter_quotes(project, codebook, coder, where, having=rule.codes)
                        if rule.holds(q.code_ids))

    kept = [(title, anchor, rule, size) for (title, anchor, rule), size in zip(titled, sizes, strict=True)
            if size]
    groups = [QuoteGroup(title, anchor, StreamedQuotes(size, read(rule)))
              for title, anchor, rule, size in kept]
    rules = [rule for _t, _a, rule, _s in kept]
    return StreamedGroups(groups, total, lambda: (
        q for q in iter_quotes(project, codebook, coder, where)
        if (ids := q.code_ids) and any(r.holds(ids) for r in rules)))


def _rules(codebook: Codebook, *, codes: Sequence[str], all_of: Sequence[str], facet: str | None,
           by: Sequence[str]) -> list[tuple[str, str, Rule]]:
    """(title, anchor, rule) of every group that may hold quotes, in the order shown."""
    chosen = check_codes(codebook, codes) + (facet_codes(codebook, facet) if facet else [])
    required = frozenset(check_codes(codebook, all_of))
    if by:
        if len(by) != 2:
            raise UsageError(f"--by takes two facets, FACET,FACET (not {','.join(by)!r})")
        rows, cols = facet_codes(codebook, by[0]), facet_codes(codebook, by[1])
        return [(f"{code_title(codebook, r)} × {code_title(codebook, c)}", f"cell-{r}-{c}",
                 Rule(required | {r, c}, frozenset(chosen))) for r in rows for c in cols]
    ordered = chosen or sorted(required, key=[c.id for c in codebook.codes].index) \
        or [c.id for c in codebook.codes]
    return [(code_title(codebook, code_id), f"code-{code_id}", Rule(required | {code_id}))
            for code_id in dict.fromkeys(ordered)]
