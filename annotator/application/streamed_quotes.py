"""One coder's quotes, grouped by code or by facet × facet cell, read once, in one stream.

Groups by code follow the codes asked for (``--code``, then ``--facet``), else those of
``--all-of``, else every code, in codebook order; groups by cell follow the two facets' codes.
A quote needs every code of ``--all-of``; empty groups are left out.

The coder's quotes are read once, in reading order, each with the groups it belongs to (known
from its set of codes, worked out once per set); the renderers file each rendered quote under
its groups and write the groups one after another, so however large the project, and however
many groups a quote is in, each quote is read and rendered once and memory stays bounded.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from annotator.application.findings import (
    check_codes,
    code_title,
    facet_codes,
    iter_quotes_with_codes,
)
from annotator.errors import UsageError
from annotator.io.quotes_render import Quote
from annotator.model import Codebook
from annotator.storage.db import Project


@dataclass(frozen=True)
class Rule:
    """Which quotes a group holds: those carrying every code of ``codes``, and, when ``any_of``
    is not empty, one of its codes."""

    codes: frozenset[str]
    any_of: frozenset[str] = frozenset()

    def holds(self, ids: frozenset[str] | set[str]) -> bool:
        """Whether a quote with the codes ``ids`` belongs here."""
        return self.codes <= ids and (not self.any_of or bool(ids & self.any_of))


@dataclass
class GroupedQuotes:
    """The groups that may hold quotes, (title, anchor) in the order shown, and the quotes; once
    :meth:`members` has been read, how many distinct quotes and non-empty groups it held."""

    heads: list[tuple[str, str]]
    rules: list[Rule]
    project: Project
    codebook: Codebook
    coder: str
    where: dict[str, set[str]] | None
    required: frozenset[str]
    quotes: int = 0
    groups: int = 0

    def members(self) -> Iterator[tuple[Quote, list[int]]]:
        """The coder's quotes that fall in a group, in reading order, each with the groups (their
        numbers in ``heads``) it belongs to."""
        held_by: dict[frozenset[str], list[int]] = {}
        seen = [False] * len(self.rules)
        for quote, ids in iter_quotes_with_codes(self.project, self.codebook, self.coder,
                                                 self.where, having=self.required):
            held = held_by.get(ids)
            if held is None:
                held = held_by[ids] = [n for n, rule in enumerate(self.rules) if rule.holds(ids)]
                for n in held:
                    if not seen[n]:
                        seen[n] = True
                        self.groups += 1
            if held:
                self.quotes += 1
                yield quote, held

    def each_once(self) -> Iterator[Quote]:
        """The quotes of :meth:`members` alone."""
        return (quote for quote, _held in self.members())


def stream_quote_groups(
    project: Project, codebook: Codebook, *, coder: str, where: dict[str, set[str]] | None = None,
    shown: Codebook | None = None, codes: Sequence[str] = (), all_of: Sequence[str] = (),
    facet: str | None = None, by: Sequence[str] = (),
) -> GroupedQuotes:
    """``coder``'s quotes grouped by code (``codes``, ``facet``, ``all_of`` choose which) or,
    with ``by`` (two facets), by cell (``codebook``: every code, archived too, to read the
    quotes; ``shown``: the codebook whose codes name and order the groups, ``codebook`` when
    None). Read them inside one read transaction (``Project.snapshot``)."""
    shown = shown or codebook
    titled = _rules(shown, codes=codes, all_of=all_of, facet=facet, by=by)
    return GroupedQuotes(heads=[(title, anchor) for title, anchor, _r in titled],
                         rules=[rule for _t, _a, rule in titled], project=project,
                         codebook=codebook, coder=coder, where=where,
                         required=frozenset(check_codes(shown, all_of)))


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
