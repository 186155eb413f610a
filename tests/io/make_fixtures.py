"""Write the committed model-file fixtures of tests/io/fixtures/ (run once per schema version).

    python -m tests.io.make_fixtures

``expected.json`` holds the predictions of the fits that wrote the files (float64 written with
the shortest round-trip repr), on the first five rows of each dataset; the fixture test checks
that the files still load and predict exactly these numbers.
"""

from __future__ import annotations

import json
from pathlib import Path

import logitstats as ls

FIXTURES = Path(__file__).parent / "fixtures"


def main() -> None:
    FIXTURES.mkdir(exist_ok=True)
    spector = ls.datasets.load("spector")
    binary = ls.logit("GRADE ~ GPA + TUCE + C(PSI)", spector, cov_type="HC1")
    binary.save(FIXTURES / "spector_logit.json")
    mode = ls.datasets.load("modechoice")
    multi = ls.mlogit("mode ~ hinc + standardize(psize)", mode, reference="car")
    multi.save(FIXTURES / "modechoice_mlogit.json")
    expected = {
        "spector_logit": binary.predict(spector.head(5)).tolist(),
        "modechoice_mlogit": multi.predict(mode.head(5)).to_numpy().tolist(),
    }
    (FIXTURES / "expected.json").write_text(json.dumps(expected, indent=1) + "\n")


if __name__ == "__main__":
    main()
