"""Sphinx configuration for the actorkit documentation."""

import sys
from pathlib import Path

# CI installs actorkit in editable mode; this keeps autodoc working without that.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

project = "actorkit"
author = "actorkit contributors"
copyright = "actorkit contributors"

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
]
source_suffix = {
    ".rst": "restructuredtext",
    ".md": "markdown",
}
exclude_patterns = ["_build"]
nitpicky = False

napoleon_google_docstring = True
napoleon_numpy_docstring = False
autodoc_member_order = "bysource"

html_theme = "furo"
html_title = "actorkit"
