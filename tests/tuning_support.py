"""Helpers shared by the tests/test_tuning_*.py files."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from tests.helpers import REPO, run_cli


def cli(*args: str, config: Path | None = None) -> subprocess.CompletedProcess[str]:
    """run_cli with this checkout first on the path: run_cli's cwd is the config folder, so
    without it `python -m monitor` may import another checkout installed in the venv."""
    path = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
    return run_cli(*args, config=config, env={"PYTHONPATH": path})
