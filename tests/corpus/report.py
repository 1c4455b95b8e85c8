"""Run the whole corpus once, API and CLI, and print what happened to each case and the totals.

    python tests/corpus/report.py            # from the repository root (about two minutes)
    python tests/corpus/report.py image-     # only the cases whose name starts with "image-"

Totals: runs, clear errors (the expected error, nothing else wrong), crashes (a process killed by a signal),
runs that changed files, and the other failures; cases marked for wave 2 are counted apart.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from corpus.cases import CASES
from corpus.harness import judge_api, judge_cli, run_api, run_cli


def main(prefix: str = "") -> int:
    totals = {
        "runs": 0,
        "clear": 0,
        "crash": 0,
        "changed": 0,
        "other": 0,
        "wave2 failing": 0,
        "wave2 fixed": 0,
    }
    for case in CASES:
        if not case.name.startswith(prefix):
            continue
        for side in ("api", "cli"):
            if getattr(case, side) is None:
                continue
            with tempfile.TemporaryDirectory() as tmp:
                folder = Path(tmp)
                case.make(folder)
                if side == "api":
                    out = run_api(case, folder)
                    problems = judge_api(case, out)
                else:
                    out = run_cli(case, folder)
                    problems = judge_cli(case, out, folder)
            xfail = case.api_xfail if side == "api" else case.cli_xfail
            totals["runs"] += 1
            if xfail:
                totals["wave2 fixed" if not problems else "wave2 failing"] += 1
            elif not problems:
                totals["clear"] += 1
            elif any(p.startswith("crash") for p in problems):
                totals["crash"] += 1
            elif any(p.startswith("files changed") for p in problems):
                totals["changed"] += 1
            else:
                totals["other"] += 1
            verdict = "ok" if not problems else ("XFAIL" if xfail else "FAIL")
            print(f"{verdict:5} {side} {case.name:38} {out.seconds:5.1f}s  {'; '.join(problems)[:300]}")
    print(totals)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
