"""What the CLI and the TUI call: create projects, import, export, the demo, statistics.

This layer reads files (``annotator.io``), tokenises (``annotator.nlp``), computes agreement
(``annotator.agreement``) and hands ``annotator.storage`` finished rows; those four packages do
not know each other.

* ``projects``: ``create_project``, ``new_project`` (built under a temporary name, named when
  whole), ``remove_project_file``;
* ``importing``: ``import_any`` (dispatch), ``import_qdpx``, ``restore_jsonl``;
* ``transcripts``: ``import_transcripts`` (read, tokenise, write; streamed), ``segment_terms``;
* ``exporting``: ``export_csv``, ``export_jsonl``, ``export_qdpx``, ``export_qdc``,
  ``export_spacy``, ``chosen_coders``;
* ``agreement``: ``load_input`` (what ``agree`` and ``disagreements`` compute from);
* ``stats``: ``project_stats``; ``demo``: ``build_demo``.

What the coding screen calls (it reaches storage through nothing else):

* ``project_file``: ``open_project``, ``Project``, ``ProjectFileLost``, ``check_file``;
* ``changes``: a coder's states and changes (toggle, ``apply_code``, ``mark_none``, memo,
  undo, redo, last position);
* ``reading_order``: the reading order a window at a time, done marks by place;
* ``segments``: one segment, its terms and spans, snippets, documents, search;
* ``filters``: segments with a code, assigned, ``disagreeing_keys``;
* ``keyword_matches``: ``codebook_matcher``, ``segment_matches``;
* ``recovery``: the recovery file of a session whose project file was lost;
* ``backups``: ``rotate_backup``; ``suggesting``: the engine, ``least_sure``.

Findings: ``findings`` (one coder's quotes, codes, filters), ``matrices`` (counted by the
database; an HTML page's cell quotes read once), ``streamed_quotes`` (quotes grouped, read once
in one stream, each with the groups it belongs to).
"""
