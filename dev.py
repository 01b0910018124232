"""Set up and run the project with nothing but Python 3.11+.

    python3 dev.py app [-- --data DIR]   install, then start the explorer
    python3 dev.py test [pytest args]    install, lint, then run every test

Both create ``.venv`` beside this file on first use and install the
requirements into it (pip skips what is already there). The tests need three
Debian packages: ``chromium`` (browser tests), ``postgresql`` (storage tests
start a throwaway server) and ``poppler-utils`` (PDF checks). ``test``
installs the missing ones with apt-get when run as root and says how to get
them otherwise.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PYTHON = VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def _run(*command: str | Path) -> None:
    subprocess.run([str(c) for c in command], cwd=ROOT, check=True)


def _install(requirements: str) -> None:
    if not PYTHON.exists():
        print(f"Creating {VENV} ...", flush=True)
        venv.create(VENV, with_pip=True)
    print(f"Installing {requirements} ...", flush=True)
    _run(
        PYTHON,
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "-r",
        ROOT / requirements,
    )


#: Debian package -> a program it installs, to tell whether it is there.
SYSTEM_PACKAGES = {
    "chromium": "chromium",
    "postgresql": "initdb",
    "poppler-utils": "pdftoppm",
}


def _installed(program: str) -> bool:
    # PostgreSQL's programs live in a versioned folder, off PATH.
    return bool(
        shutil.which(program) or glob.glob(f"/usr/lib/postgresql/*/bin/{program}")
    )


def _ensure_system_packages() -> None:
    missing = [
        pkg for pkg, program in SYSTEM_PACKAGES.items() if not _installed(program)
    ]
    if not missing:
        return
    apt = shutil.which("apt-get")
    if apt and hasattr(os, "geteuid") and os.geteuid() == 0:
        print(f"Installing Debian packages for the tests: {' '.join(missing)} ...")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run([apt, "update", "-qq"], check=True, env=env)
        subprocess.run([apt, "install", "-y", "-qq", *missing], check=True, env=env)
        return
    sys.exit(
        f"The tests need these Debian packages: {' '.join(missing)}. Install them "
        f"(sudo apt-get install {' '.join(missing)}) and run this again."
    )


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("app", "test"):
        print(__doc__)
        return 2
    command, rest = argv[0], argv[1:]
    try:
        if command == "app":
            _install("requirements.txt")
            _run(PYTHON, "-m", "streamlit", "run", ROOT / "app.py", *rest)
        else:
            _install("requirements-dev.txt")
            _ensure_system_packages()
            _run(PYTHON, "-m", "ruff", "check", ".")
            _run(PYTHON, "-m", "pytest", *rest)
    except subprocess.CalledProcessError as error:
        return error.returncode or 1
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
