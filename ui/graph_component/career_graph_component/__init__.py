"""The assets of the career graph component: its style sheet, and the script
bundle that :mod:`ui.component` writes (vis-network, the edge routes and the
component's module). Streamlit serves them under ``/_stcore/bidi-components``.
"""

from pathlib import Path

#: Where Streamlit serves the component's files from (the manifest's asset_dir).
ASSETS = Path(__file__).resolve().parent / "assets"
