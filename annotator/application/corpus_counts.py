"""The suggestion engine's corpus counts, read from the project and brought up to date.

The counts (in how many segments each term occurs) are kept in the project
(:mod:`annotator.storage.term_counts`): the first engine to need them counts every segment
once and stores the counts; later ones read them and count only the segments imported since.
A project that cannot be written (read-only file) is counted each time, as before.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import TYPE_CHECKING

from annotator.errors import AnnotatorError
from annotator.storage import term_counts
from annotator.storage.db import Project

if TYPE_CHECKING:
    from annotator.nlp.keywords import CorpusCounter


def corpus_counts(project: Project) -> CorpusCounter:
    """Every segment's term counts: the stored ones, plus the segments not yet counted (which
    are then stored too, when the project can be written)."""
    from annotator.nlp.keywords import CorpusCounter

    with project.snapshot():
        state = term_counts.counts_state(project)
        counter = (CorpusCounter.of(term_counts.stored_counts(project), state.n_docs, state.terms)
                   if state.valid else CorpusCounter())
        added = CorpusCounter()
        upto = state.upto
        for last, rows in term_counts.terms_after(project, state.upto):
            added.add([r[0] for r in rows], [r[1] for r in rows])
            upto = last
    if added.n_docs or not state.valid:
        with contextlib.suppress(AnnotatorError):
            term_counts.keep_counts(project, state, added.counts, upto=upto,
                                    n_docs=counter.n_docs + added.n_docs,
                                    terms=counter.terms + added.terms)
    counter.merge(added)
    return counter


#: Distinct terms an import holds counted before adding them to the stored counts: one upsert
#: per distinct term and flush, so the fewer flushes the cheaper; memory stays bounded (~20 MB).
IMPORT_FLUSH_TERMS = 150_000


class ImportCounts:
    """Keeps the stored counts current while an import writes new segments, in its transaction
    (all or nothing with it): each batch written is counted as the engine counts
    (:class:`~annotator.nlp.keywords.CorpusCounter`), so the first engine after the import has
    nothing left to count. Only when the counts were valid with nothing pending, or the project
    held no segment; otherwise, or once the import changes a stored segment (``--replace``),
    the counts are left for the engine to count as before.

    Batches are counted together and added to the stored counts (one upsert per distinct term)
    when ``IMPORT_FLUSH_TERMS`` distinct terms are held and at :meth:`finish`, which the import
    must call before its transaction commits."""

    def __init__(self, project: Project) -> None:
        from annotator.nlp.keywords import CorpusCounter

        self.project = project
        self.keeping = term_counts.start_counting_import(project)
        self._new = CorpusCounter
        self._held = CorpusCounter()

    def written(self, zh_terms: Sequence[str | None], en_terms: Sequence[str | None]) -> None:
        """The stored terms of the segments just written (new rows, in the order written)."""
        if not self.keeping:
            return
        self._held.add(zh_terms, en_terms)
        if sum(map(len, self._held.counts.values())) >= IMPORT_FLUSH_TERMS:
            self.finish()

    def finish(self) -> None:
        """Add the segments counted so far to the stored counts (up to the last rowid)."""
        held, self._held = self._held, self._new()
        if self.keeping and held.n_docs:
            self.keeping = term_counts.count_written(self.project, held.counts, n_docs=held.n_docs,
                                                     terms=held.terms)
