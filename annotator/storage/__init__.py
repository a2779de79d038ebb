"""The project file: one SQLite database per project (schema in ``migrations``).

The only package that opens connections or holds SQL. It speaks ``annotator.model`` objects:

* ``db``: ``open_project`` / ``Project`` (``project.write()`` is one write transaction);
  ``errors.DatabaseError`` for callers that report a damaged file;
* ``project_meta``: ``get_meta`` / ``set_meta`` (e.g. ``created_at``);
* ``documents``: ``list_documents``, ``iter_segments`` (streamed), ``segment_counts``,
  ``document_ids``, ``has_documents``, ``segment_texts``, ...;
* ``coding``: coders' work (``get_state``, ``set_state``, ``coder_states``, ``tag``,
  ``iter_annotations`` with ``created_at``, ...); ``codebook_store``: the stored codebook;
* ``importing``: ``TranscriptWriter`` (streamed transcript import, replacement by position),
  ``insert_document``, ``insert_segments``, ``set_translation``, ``log_import``;
* ``plan_writer``: ``write_import_plan(project, plan)`` writes an ``ImportPlan`` in one transaction;
  ``memos``: memos on documents and codes (``set_note``, ``add_notes`` for imports, ``all_memos``);
* ``table_dump``: every table's rows for the JSONL export (``TABLES``, ``count_rows``,
  ``table_values``, ``iter_table_rows``) and ``restore_rows``;
* ``db.Project.snapshot()``: one read transaction, for commands that must see one consistent
  state (``check``, ``stats``, ``merge``, exports) while coders write;
* ``document_work``: segments in reading order with their coders' work, one document in memory
  (``segments_with_work``), for the CSV export; ``work_in_reading_order``: every coder's work
  as one sorted query, for ``annotations``; ``document_detail``: one document's rows (its
  segments' text, the work with its times and spans) and its languages, for the ``.qdpx`` export;
* ``work_counts``: ``stats``'s counts as SQL group-bys;
* ``work_stream``: work and event-log keys in (coder, segment) order and ``merge_join``, for
  ``merge``; ``merge_diff``: the same comparison in SQL over both files at once (a reader of the
  target with the source attached), what ``merge`` uses;
* ``search_index``: the FTS5 index behind ``/`` search (``indexed_in_batches`` for imports);
  ``progress``: the hook through which long storage work (an upgrade's index build) is shown;
* ``backup``, ``check``, ``merge``, ``migrations``.

It imports neither ``annotator.io`` nor ``annotator.nlp``: the application layer reads files and
tokenises, and hands storage finished rows.
"""
