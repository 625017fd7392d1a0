"""The numerical core: WHO growth standards, categories, prevalence and data quality.

Pure: NumPy only (pandas only inside ``zscores``, imported when called); no I/O except
the one cached loader of the packaged WHO tables. Entry points:

* :func:`zscores` — WHO anthro's input columns in, anthro's output columns out;
* :mod:`tumbuh.growth.who2006` / :mod:`tumbuh.growth.who2007` — the same on arrays;
* :mod:`tumbuh.growth.categories` — Permenkes 2/2020 categories;
* :mod:`tumbuh.growth.lms` — z-score of a value and value at a z-score (growth curves);
* :mod:`tumbuh.growth.prevalence` — register (Wilson) and survey-design prevalence, as
  anthro_prevalence computes it;
* :mod:`tumbuh.growth.quality` — data-quality checks and scores.
"""

from tumbuh.growth.enums import Indicator, Position, Problem, Sex, Standard
from tumbuh.growth.frame import scored_frame, zscores

__all__ = ["Indicator", "Position", "Problem", "Sex", "Standard", "scored_frame", "zscores"]
