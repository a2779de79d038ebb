"""One BLAS thread per process, set before numpy is first imported.

OpenBLAS's worker threads spin while they wait, so on a busy machine (or beside annotator's own
worker processes) a small matrix product took 30 times longer with them than without. A value
set in the environment is kept.
"""

import os

for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")
