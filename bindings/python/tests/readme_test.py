# Copyright 2026 The jiceng Authors.
# SPDX-License-Identifier: Apache-2.0
"""The README's Python example runs as written."""

import re

from google.protobuf import text_format

import jiceng

from conftest import SOURCE_ROOT


def python_block_after(markdown: str, heading: str) -> str:
    """The first ```python block after the line ``heading``."""
    at = markdown.index(f"\n{heading}\n")
    begin = markdown.index("```python\n", at) + len("```python\n")
    return markdown[begin:markdown.index("```\n", begin)]


def test_the_readme_example_runs(tmp_path, monkeypatch, capsys):
    example = python_block_after(
        (SOURCE_ROOT / "README.md").read_text(encoding="utf-8"),
        "### From Python")
    # The dataset the example loads, in the working directory.
    (tmp_path / "luhe.textproto").write_text(
        text_format.MessageToString(jiceng.sample_dataset()), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    exec(compile(example, "README.md (From Python)", "exec"), {})
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3, lines
    assert re.fullmatch(r"\S+ \d+", lines[0]), lines  # lead code, tier
    assert lines[1] == lines[0].split()[0]            # the same case, batched
    assert lines[2].startswith("case 1 (c2): INVALID_ARGUMENT: "), lines
