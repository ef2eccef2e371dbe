# Copyright 2026 The jiceng Authors.
# SPDX-License-Identifier: Apache-2.0
"""Type checks of the Python binding (the python_typecheck test), with the
python of the virtual environment the package is installed in:

  1. mypy (--config-file mypy.ini: strict) finds no error in the binding's
     own modules, in the staged package;
  2. from a folder of its own, so that only the installed package is seen,
     mypy --strict finds no error in tests/typing/uses_the_api.py, which
     then runs;
  3. mypy --strict reports exactly the errors that
     tests/typing/misuses_the_api.py marks, line by line (a comment
     "error: TEXT" after the line's code).

  check_types.py --package-dir DIR --config mypy.ini --programs DIR
                 --work-dir DIR
"""

import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Tuple

MARK = re.compile(r"^\s*[^#\s].*#\s*error:\s*(.+?)\s*$")
REPORTED = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+): error: (?P<text>.*)$")


def mypy(args: List[str], cwd: Path) -> Tuple[int, str]:
    done = subprocess.run([sys.executable, "-m", "mypy", *args], cwd=cwd,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, timeout=240)
    return done.returncode, done.stdout


def fail(text: str) -> None:
    sys.exit(f"check_types: {text}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--package-dir", type=Path, required=True)
    parser.add_argument("--config", type=Path, required=True)
    parser.add_argument("--programs", type=Path, required=True)
    parser.add_argument("--work-dir", type=Path, required=True)
    args = parser.parse_args()
    work = args.work_dir
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)

    # 1. The binding's own modules.
    rc, out = mypy(["--config-file", str(args.config.resolve()),
                    "--cache-dir", str(work / "cache-package"),
                    "-p", "jiceng"], args.package_dir)
    if rc != 0:
        fail(f"mypy finds errors in the binding's modules:\n{out}")
    print(f"the binding's modules: {out.strip()}")

    # 2. A correct caller, against the installed package.
    for name in ("uses_the_api.py", "misuses_the_api.py"):
        shutil.copy(args.programs / name, work / name)
    strict = ["--strict", "--cache-dir", str(work / "cache")]
    rc, out = mypy(strict + ["uses_the_api.py"], work)
    if rc != 0:
        fail(f"mypy --strict finds errors in a correct caller:\n{out}")
    print(f"uses_the_api.py: {out.strip()}")
    ran = subprocess.run([sys.executable, "uses_the_api.py"], cwd=work,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         text=True, timeout=120)
    if ran.returncode != 0:
        fail(f"uses_the_api.py failed to run:\n{ran.stdout}")

    # 3. A wrong caller: each marked error, and no other.
    marked: Dict[int, str] = {}
    source = (work / "misuses_the_api.py").read_text(encoding="utf-8")
    for number, line in enumerate(source.splitlines(), start=1):
        m = MARK.search(line)
        if m:
            marked[number] = m.group(1)
    if not marked:
        fail("misuses_the_api.py marks no error")
    rc, out = mypy(strict + ["misuses_the_api.py"], work)
    reported: Dict[int, List[str]] = {}
    for line in out.splitlines():
        m = REPORTED.match(line)
        if m:
            reported.setdefault(int(m.group("line")), []).append(
                m.group("text"))
    problems = []
    for number, text in sorted(marked.items()):
        if not any(text in r for r in reported.get(number, [])):
            problems.append(f"line {number}: no error with \"{text}\"")
    for number in sorted(set(reported) - set(marked)):
        problems.append(f"line {number}: unexpected {reported[number]}")
    if rc == 0 or problems:
        fail("mypy --strict on misuses_the_api.py:\n  " +
             "\n  ".join(problems or ["exit status 0"]) + f"\n{out}")
    print(f"misuses_the_api.py: the {len(marked)} marked errors, no other")


if __name__ == "__main__":
    main()
