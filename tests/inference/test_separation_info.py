"""The verdict of a separation check (inference/separation_info.py) and the one import path.

The checks are tested in test_separation.py (the LP, inference/separation_lp.py) and
test_separation_screen.py (the certificates, inference/separation_certificate.py).
"""

from __future__ import annotations

from logitstats.inference import (
    separation,
    separation_certificate,
    separation_info,
    separation_lp,
)
from logitstats.inference.separation_info import LP_METHOD, SeparationInfo, SeparationStatus


def test_describe_names_the_kind_and_the_terms():
    assert SeparationInfo(SeparationStatus.NONE).describe() == "none detected"
    quasi = SeparationInfo(SeparationStatus.QUASI, ("NV",), n_separated=13)
    assert quasi.separated
    assert quasi.describe() == "quasi-complete: infinite maximum-likelihood estimates for NV"
    per = SeparationInfo(SeparationStatus.COMPLETE, ("x",), (("b", ("x",)), ("c", ("x", "z"))))
    assert per.describe() == (
        "complete: infinite maximum-likelihood estimates for outcome b: x; outcome c: x, z"
    )
    assert per.method == LP_METHOD


def test_the_separation_module_re_exports_every_public_name():
    for module in (separation_info, separation_lp, separation_certificate):
        for name in module.__all__:
            assert getattr(separation, name) is getattr(module, name), (module.__name__, name)
    assert set(separation.__all__) <= {
        *separation_info.__all__,
        *separation_lp.__all__,
        *separation_certificate.__all__,
    }
