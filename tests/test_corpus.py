"""The bad-input corpus (tests/corpus/): every case through the API and through the ``convscope`` command.

Each run happens in a child process under ``RLIMIT_AS`` (see :mod:`corpus.harness` for the bound and how it
was chosen) and must end in a clear error: the expected exception type and message fragments (API), a
one-line ``convscope: error:`` and a non-zero exit without a traceback (CLI); no file in the case folder may
change, appear or disappear (a hostile payload's marker file included). Cases whose fix belongs to the second
wave of issue 12 were strict xfails (none is left): fixing one turned it red until its marker was removed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # tests/, whatever pytest's import mode

from corpus import make_corpus
from corpus.cases import CASES, Case
from corpus.harness import CHILD_ENV, HERE, MEMORY_BOUND, judge_api, judge_cli, run_api, run_cli


def _params(side: str) -> list:
    params = []
    for case in CASES:
        if getattr(case, side) is None:
            continue
        reason = getattr(case, f"{side}_xfail")
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        params.append(pytest.param(case, id=case.name, marks=marks))
    return params


@pytest.mark.parametrize("case", _params("api"))
def test_corpus_through_the_api(case: Case, tmp_path):
    case.make(tmp_path)
    out = run_api(case, tmp_path)
    assert judge_api(case, out) == []


@pytest.mark.parametrize("case", _params("cli"))
def test_corpus_through_the_cli(case: Case, tmp_path):
    case.make(tmp_path)
    out = run_cli(case, tmp_path)
    assert judge_cli(case, out, tmp_path) == []


# ------------------------------------------------------------------------------------- the harness itself


def _limited(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(HERE / "limited.py"), str(MEMORY_BOUND), "-c", code],
        env={**os.environ, **CHILD_ENV},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_memory_bound_admits_the_imports_and_real_work():
    code = (
        "import numpy as np, numba\n"
        "from engine import ops\n"
        "x = np.random.default_rng(0).random((8, 28, 28, 1), dtype=np.float32)\n"
        "y = ops.conv2d(x, np.ones((3, 3, 1, 16), np.float32), padding='same')\n"
        "assert y.shape == (8, 28, 28, 16)\n"
        "big = np.ones(256 << 20, np.uint8)  # 256 MiB of real work\n"
        "print('ok', big.sum())\n"
    )
    proc = _limited(code)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["ok", str(256 << 20)]


def test_the_memory_bound_stops_a_33_gib_allocation():
    proc = _limited("import numpy as np, numba\nnp.ones(33 << 30, np.uint8)\n")
    assert proc.returncode == 1
    assert "MemoryError" in proc.stderr and "33.0 GiB" in proc.stderr


def test_a_killed_child_is_reported_as_a_crash(tmp_path):
    case = Case(
        "kill",
        make_corpus.make_nothing,
        "import os, signal; os.kill(os.getpid(), signal.SIGSEGV)",
        None,
        "ValueError",
        (),
    )
    problems = judge_api(case, run_api(case, tmp_path))
    assert any(p.startswith("crash") for p in problems), problems


def test_a_payload_that_ran_would_be_caught(tmp_path):
    # the check the hostile cases rely on: a file created in the case folder is reported
    case = Case(
        "touch",
        make_corpus.make_nothing,
        "open('MARKER', 'w').close(); raise ValueError('x')",
        None,
        "ValueError",
        ("x",),
    )
    problems = judge_api(case, run_api(case, tmp_path))
    assert problems == ["files changed: ['new: MARKER']"]


def test_every_maker_is_used_and_writes_its_files(tmp_path):
    used = {case.make.__name__ for case in CASES}
    assert used == set(make_corpus.all_makers()), set(make_corpus.all_makers()) ^ used
    assert make_corpus.main([str(tmp_path)]) == 0
    for name in make_corpus.all_makers():
        folder = tmp_path / name.removeprefix("make_")
        assert folder.is_dir()
        if name != "make_nothing":
            assert any(folder.iterdir()), name


def test_the_case_table_covers_every_family():
    families = {case.name.split("-")[0] for case in CASES}
    assert {"image", "folder", "idx", "cifar", "filter", "model", "ops", "fit", "cli"} <= families
    assert len(CASES) >= 70
