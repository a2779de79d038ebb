"""Inter-coder agreement: pure functions over reliability matrices (coders x units).

No UI, no database: :func:`build_report` takes plain dictionaries or the arrays of
:class:`annotator.agreement.units.DoneCodes` that the application layer reads from storage.
"""

from annotator.agreement.alpha import LEVELS, krippendorff_alpha
from annotator.agreement.bootstrap import bootstrap_ci
from annotator.agreement.chance_corrected import brennan_prediger, gwet_ac1, percent_agreement
from annotator.agreement.distance import jaccard_distance, masi_distance
from annotator.agreement.kappa import cohen_kappa, fleiss_kappa, scott_pi

__all__ = [
    "LEVELS",
    "bootstrap_ci",
    "brennan_prediger",
    "cohen_kappa",
    "fleiss_kappa",
    "gwet_ac1",
    "jaccard_distance",
    "krippendorff_alpha",
    "masi_distance",
    "percent_agreement",
    "scott_pi",
]
