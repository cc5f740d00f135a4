"""The documentation (issue 24): the README stays short and points to docs/, every page of docs/ is in the MkDocs
navigation, every repository path a page names exists (so the contributor guides' checklists stay true), and the
built site loads nothing from another host (it must open on a closed network). `make docs` builds it strictly."""

import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
README_MAX_LINES = 150
# A path in backquotes whose first folder is one of the repository's own (var/, staticfiles/, site/ are made at run
# time; a placeholder such as 00NN_<name>.py names a file the reader makes).
CODE_DIRS = ("smartcity", "pillars", "partnerships", "evaluations", "tests", "templates", "static", "deploy", "bench",
             "locale", "docs", ".ci")  # fmt: skip
PATH = re.compile(r"`((?:" + "|".join(re.escape(d) for d in CODE_DIRS) + r")/[A-Za-z0-9_.\-/]*)`")
# The style guide is the shared conventions file as written (its layout examples name files of other shapes).
PATHS_NOT_CHECKED = {DOCS / "contributing" / "style.md"}


def pages() -> set[str]:
    return {str(path.relative_to(DOCS)) for path in DOCS.rglob("*.md")}


def nav_pages(entries) -> set[str]:
    found = set()
    for entry in entries:
        value = next(iter(entry.values())) if isinstance(entry, dict) else entry
        found |= nav_pages(value) if isinstance(value, list) else {value}
    return found


def test_the_readme_is_short_and_points_to_the_docs():
    readme = (ROOT / "README.md").read_text()
    assert len(readme.splitlines()) <= README_MAX_LINES
    assert "make run" in readme and "make test" in readme and "make docs" in readme
    linked = set(re.findall(r"\]\(docs/([^)#]+\.md)", readme))
    assert linked and linked <= pages(), linked - pages()


def test_every_page_is_in_the_navigation_and_every_entry_is_a_page():
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text())
    assert nav_pages(config["nav"]) == pages()


def test_every_repository_path_a_page_names_exists():
    missing = []
    for page in sorted(DOCS.rglob("*.md")):
        if page in PATHS_NOT_CHECKED:
            continue
        for path in PATH.findall(page.read_text()):
            if "NN" not in path and not (ROOT / path.rstrip("/")).exists():
                missing.append(f"{page.relative_to(ROOT)}: {path}")
    assert not missing, missing


def test_the_site_builds_strictly_and_loads_nothing_from_another_host(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    loads = re.compile(r"""<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)=["'](?:https?:)?//""", re.IGNORECASE)
    imports = re.compile(r"""(?:@import\s+(?:url\()?|url\()\s*["']?(?:https?:)?//""", re.IGNORECASE)
    outside = [
        str(path.relative_to(tmp_path))
        for path in tmp_path.rglob("*")
        if path.suffix in (".html", ".css")
        and (loads.search(text := path.read_text(errors="replace")) or imports.search(text))
    ]
    assert (tmp_path / "index.html").exists()
    assert not outside, outside
