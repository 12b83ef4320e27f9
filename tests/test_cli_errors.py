"""Bad arguments a user gives the command line end in one line naming the problem, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ARTICLE = """Title: Ferry line adds two boats
Source: Elmsworth Post

The harbour authority of Port Elmsworth said on Tuesday that the ferry line would add two boats to its
fleet before the summer, director Mara Quill said.
"""


def _newsweave(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newsweave", *args], capture_output=True, text=True, timeout=300, check=False
    )


def test_an_html_report_to_a_missing_folder_or_a_folder_is_a_usage_error(tmp_path: Path) -> None:
    article = tmp_path / "ferry.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    missing = tmp_path / "no-such-folder" / "report.html"
    for args in (
        ["compare", str(article), "--no-analyse", "--no-embed", "--html", str(missing)],
        ["report", "s0000", "--db", str(tmp_path / "none.duckdb"), "--html", str(missing)],
        ["compare", str(article), "--no-analyse", "--no-embed", "--html", str(tmp_path)],
    ):
        r = _newsweave(*args)
        assert r.returncode == 2, (args, r.stderr)
        assert "Traceback" not in r.stderr and r.stderr.startswith("error: --html "), r.stderr
        assert "no folder" in r.stderr or "a folder, not a file" in r.stderr
    assert not missing.parent.exists()
