"""Process tuning (engine.tuning): applied once, by tune_process or the first cpu kernel, never at import;
each setting has its opt-out. The import checks run in fresh interpreters, so this process's state cannot mask
them."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from engine import tuning

PROBE = """
import json, os, sys
import engine
{before}
import engine.tuning, engine.backends.cpu.threads as threads
state = {{"at_import": engine.tuning.applied(), "spin_env": os.environ.get("OPENBLAS_THREAD_TIMEOUT")}}
{action}
import numba
state["after"] = engine.tuning.applied()
state["shortcut"] = threads._count is not None and threads._count is not numba.get_num_threads
print(json.dumps(state))
"""


def _probe(action: str, before: str = "", **env: str) -> dict:
    # a clean environment: no opt-out, no spin already chosen, no malloc tuning of the user's (MALLOC_*_
    # variables turn the malloc setting off)
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("CONVSCOPE_NO_", "OPENBLAS_THREAD_TIMEOUT", *tuning.MALLOC_USER_VARS))
    }
    clean.update(env)
    code = PROBE.format(before=before, action=action)
    out = subprocess.run([sys.executable, "-c", code], env=clean, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_importing_the_engine_and_its_tiers_changes_nothing():
    state = _probe("import engine.backends.cpu, engine.models, engine.ops", before="import engine.layers")
    assert state["at_import"] is None and state["after"] is None
    assert state["spin_env"] is None


def test_the_first_cpu_kernel_applies_it_once():
    state = _probe(
        "from engine import ops\n"
        "ops.conv2d(np.ones((1, 4, 4, 1), np.float32), np.ones((3, 3, 1, 1), np.float32), backend='cpu')",
        before="import numpy as np",
    )
    assert state["at_import"] is None
    assert set(state["after"]) == {"malloc", "blas_spin", "thread_count"}
    if sys.platform.startswith("linux"):
        assert state["after"]["malloc"] is True
    assert state["shortcut"] is state["after"]["thread_count"]


@pytest.mark.parametrize(
    "env, off",
    [
        ({"CONVSCOPE_NO_TUNING": "1"}, {"malloc", "blas_spin", "thread_count"}),
        ({"CONVSCOPE_NO_MALLOPT": "1"}, {"malloc"}),
        ({"CONVSCOPE_NO_BLAS_SPIN": "1"}, {"blas_spin"}),
        ({"CONVSCOPE_NO_THREAD_SHORTCUT": "1"}, {"thread_count"}),
    ],
)
def test_each_setting_has_its_opt_out(env, off):
    state = _probe("engine.tune_process()", **env)
    for setting in off:
        assert state["after"][setting] is False, setting
    if "blas_spin" in off:
        assert state["spin_env"] is None  # nothing written into the environment either
    if "thread_count" in off:
        assert state["shortcut"] is False


def test_tune_process_is_idempotent_and_reports_what_it_did():
    first = tuning.tune_process()
    assert tuning.tune_process() == first == tuning.applied()
    assert set(first) == {"malloc", "blas_spin", "thread_count"}


def test_short_blas_spin_is_in_effect_and_blas_still_works():
    """After tuning NumPy's OpenBLAS has the short idle spin (when NumPy's BLAS is OpenBLAS and nobody opted
    out), and matrix products still give the right answer once its pool restarts."""
    from engine.backends.cpu._blas import numpy_openblas

    applied = tuning.tune_process()
    lib = numpy_openblas()
    if lib is None:
        assert applied["blas_spin"] is False
    elif applied["blas_spin"]:
        assert lib.openblas_thread_timeout() == int(os.environ[tuning.BLAS_SPIN_VAR])
    a = np.ones((64, 64), np.float32)
    np.testing.assert_array_equal(a @ a, np.full((64, 64), 64.0))


def test_the_probes_ignore_malloc_settings_left_in_this_process(monkeypatch):
    # a Dask nanny started in this pytest process (the sweep tests) once left MALLOC_TRIM_THRESHOLD_ here,
    # which turned the malloc setting off in every probe that ran after it
    monkeypatch.setenv("MALLOC_TRIM_THRESHOLD_", "65536")
    test_the_first_cpu_kernel_applies_it_once()
