"""Relations between codes of different facets (``implies:``), and their validation.

A code may say that applying it is evidence for a code of another facet, e.g. a burden type
and the AGIL dimension the paper places it under::

    - id: rights_mismatch
      implies: {dimension: adaptation}

The relation is a soft one (a coder may still choose another dimension); the suggester reads it
as "evidence for the burden type is evidence for its dimension" (:mod:`annotator.nlp.relations`),
and the REFI-QDA export as the code hierarchy. Stdlib only.
"""

from __future__ import annotations

from collections.abc import Iterable

from annotator.model import Code, Codebook, Facet


def _codes(facets: Iterable[Facet]) -> dict[str, Code]:
    return {c.id: c for f in facets for c in f.codes}


def _target_problem(code: Code, facet_id: str, target: str, facets: dict[str, Facet]) -> str | None:
    facet = facets.get(facet_id)
    if facet is None:
        return f"implies: there is no facet {facet_id!r}"
    if facet_id == code.facet:
        return f"implies {target!r} of its own facet {facet_id!r} (implications go to other facets)"
    if target not in {c.id for c in facet.codes}:
        return f"implies: facet {facet_id!r} has no code {target!r}"
    return None


def _cycle(start: str, graph: dict[str, list[str]]) -> list[str] | None:
    """A path start -> ... -> start through ``graph``, if there is one."""
    stack: list[tuple[str, list[str]]] = [(start, [start])]
    seen: set[str] = set()
    while stack:
        node, path = stack.pop()
        for nxt in graph.get(node, ()):
            if nxt == start:
                return [*path, start]
            if nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, [*path, nxt]))
    return None


def closure(code: str, graph: dict[str, list[str]]) -> list[str]:
    """Every code reached from ``code`` by following implications (``code`` left out)."""
    out: list[str] = []
    todo = list(graph.get(code, ()))
    while todo:
        nxt = todo.pop(0)
        if nxt != code and nxt not in out:
            out.append(nxt)
            todo.extend(graph.get(nxt, ()))
    return out


def check_relations(facets: Iterable[Facet]) -> list[tuple[str, str]]:
    """(code id, message) for every ``implies`` that names an unknown facet or code, a code of
    the code's own facet, runs in a circle, or leads to two codes of one single-choice facet."""
    facets = tuple(facets)
    by_id = {f.id: f for f in facets}
    codes = _codes(facets)
    problems: list[tuple[str, str]] = []
    graph: dict[str, list[str]] = {}
    for code in codes.values():
        for facet_id, target in code.implies:
            problem = _target_problem(code, facet_id, target, by_id)
            if problem:
                problems.append((code.id, problem))
            else:
                graph.setdefault(code.id, []).append(target)
    if problems:
        return problems
    for cid in graph:
        circle = _cycle(cid, graph)
        if circle:
            problems.append((cid, "implications run in a circle: " + " -> ".join(circle)))
            continue
        reached: dict[str, str] = {}
        for other in closure(cid, graph):
            facet = by_id[codes[other].facet]
            if facet.multiple:
                continue
            if facet.id == codes[cid].facet or facet.id in reached:
                first = cid if facet.id == codes[cid].facet else reached[facet.id]
                problems.append((cid, f"implies both {first!r} and {other!r} of the single-choice"
                                      f" facet {facet.id!r}"))
                break
            reached[facet.id] = other
    return problems


def implied_graph(codebook: Codebook) -> dict[str, list[str]]:
    """code id -> the codes it implies directly (valid codebooks only)."""
    return {c.id: [t for _f, t in c.implies] for c in codebook.codes if c.implies}


def children(codebook: Codebook, code_id: str) -> list[Code]:
    """The codes that imply ``code_id`` directly (its children in a code hierarchy)."""
    return [c for c in codebook.codes if any(t == code_id for _f, t in c.implies)]
