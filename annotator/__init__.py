"""annotator: code bilingual (Chinese/English) interview transcripts and measure agreement.

Importing this package is cheap: no spaCy, jieba or Textual at import time.
"""

__version__ = "0.1.0"
