"""Inter-coder agreement: pure functions over reliability matrices (coders x units).

No UI, no database: the storage layer feeds :func:`build_report` plain dictionaries.
"""

from annotator.agreement.alpha import LEVELS, krippendorff_alpha
from annotator.agreement.bootstrap import bootstrap_ci
from annotator.agreement.chance_corrected import brennan_prediger, gwet_ac1, percent_agreement
from annotator.agreement.distance import jaccard_distance, masi_distance
from annotator.agreement.kappa import cohen_kappa, fleiss_kappa, scott_pi
from annotator.agreement.verdict import VERDICTS, judge, minimum_units

__all__ = [
    "LEVELS",
    "VERDICTS",
    "bootstrap_ci",
    "brennan_prediger",
    "cohen_kappa",
    "fleiss_kappa",
    "gwet_ac1",
    "jaccard_distance",
    "judge",
    "krippendorff_alpha",
    "masi_distance",
    "minimum_units",
    "percent_agreement",
    "scott_pi",
]
