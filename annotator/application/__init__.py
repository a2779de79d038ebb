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
"""
