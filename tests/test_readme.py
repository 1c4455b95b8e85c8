"""The README's ops example runs and prints what the README says it prints."""

import re
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_ops_example_prints_the_lessons_6():
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    ops_block = next(b for b in blocks if "sliding.windows" in b)
    out = subprocess.run([sys.executable, "-c", ops_block], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == "[[6.]]"
    assert lines[1] == "0*-1 + 0*-1 + 0*-1 + 1*2 + 1*2 + 1*2 + 0*-1 + 0*-1 + 0*-1 = 6"
    assert lines[2] == "14"
