"""Run a script under frontend/scripts/ with the machine's node: JSON in on stdin, JSON out on stdout.

For tests that check the PWA's TypeScript against the server's Python on the same cases. Skips where node
or frontend/node_modules is missing, and fails instead in CI (`CI` set), where both must be installed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

FRONTEND = Path(__file__).resolve().parents[2] / "frontend"


def run_frontend_script(name: str, payload: Any) -> Any:
    node = shutil.which("node")
    if node is None or not (FRONTEND / "node_modules" / "rolldown").exists():
        if os.environ.get("CI"):
            pytest.fail("node and frontend/node_modules are needed (npm ci in frontend/)")
        pytest.skip("node or frontend/node_modules missing")
    done = subprocess.run(
        [node, str(FRONTEND / "scripts" / name)],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        check=True,
        cwd=FRONTEND,
        timeout=120,
    )
    return json.loads(done.stdout)
