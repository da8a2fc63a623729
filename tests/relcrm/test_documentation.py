"""The repository explains itself: every file the README, docs/ and the code's docstrings
and comments point to is in the repository."""

import ast
import io
import re
import tokenize
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
SOURCES = sorted(
    path
    for folder in ("relcrm", "contacts", "gestures", "privacy", "tests", "bench")
    for path in (ROOT / folder).rglob("*.py")
    if "migrations" not in path.parts
)
MARKDOWN_LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")
# `contacts/extraction/`, `relcrm/settings.py`, `docker-compose.yml`, …: a path in backticks.
PATH_IN_BACKTICKS = re.compile(
    r"`((?:[\w.-]+/)+[\w.-]*|[\w.-]+\.(?:py|md|html|yml|yaml|toml|txt|jsonl|css|po|cfg))`"
)
# Files named in prose, with or without backticks: docs, docstrings and comments.
FILE_IN_SOURCE = re.compile(r"\b((?:[\w-]+/)*[\w-]+\.(?:md|html|toml|yml|jsonl))\b")
# Folders made at run time (and what is under them), and time zone names.
RUN_TIME_FOLDERS = ("var/", ".venv/", "test-artifacts/")
NOT_PATHS = {"Europe/Berlin"}


def exists(reference: str, *, relative_to: Path) -> bool:
    reference = reference.split("#")[0]
    if reference in NOT_PATHS or reference.startswith(
        ("http://", "https://", "mailto:", "/", *RUN_TIME_FOLDERS)
    ):
        return True
    return any((base / reference).exists() for base in (relative_to, ROOT, ROOT / "templates"))


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_link_and_path_of_the_documentation_is_in_the_repository(document):
    text = document.read_text(encoding="utf-8")
    references = (
        MARKDOWN_LINK.findall(text) + PATH_IN_BACKTICKS.findall(text) + FILE_IN_SOURCE.findall(text)
    )

    missing = sorted({r for r in references if not exists(r, relative_to=document.parent)})

    assert missing == []


def prose(source: str) -> str:
    """The docstrings and comments of a Python module: what it says to its reader."""
    tree = ast.parse(source)
    nodes = [tree, *(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.ClassDef))]
    docstrings = [ast.get_docstring(node) or "" for node in nodes]
    comments = [
        token.string
        for token in tokenize.generate_tokens(io.StringIO(source).readline)
        if token.type == tokenize.COMMENT
    ]
    return "\n".join(docstrings + comments)


def test_every_file_the_code_mentions_is_in_the_repository():
    missing = sorted(
        f"{path.relative_to(ROOT)}: {reference}"
        for path in SOURCES
        for reference in FILE_IN_SOURCE.findall(prose(path.read_text(encoding="utf-8")))
        if not exists(reference, relative_to=path.parent)
    )

    assert missing == []


def test_the_readme_links_the_documentation_of_the_rules():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")

    for page in ("docs/suggestions.md", "docs/facts.md", "docs/commands.md", "docs/testing.md"):
        assert f"]({page})" in readme
