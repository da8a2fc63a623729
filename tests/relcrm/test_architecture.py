"""The import graph keeps the contracts in pyproject.toml ([tool.importlinter]): contacts never
imports gestures, and no module of an app imports one that imports it back."""

from pathlib import Path

from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parents[2]


def test_the_import_contracts_hold(monkeypatch, capsys):
    monkeypatch.chdir(ROOT)

    status = lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True)

    report = capsys.readouterr().out
    assert status == 0, report
    assert "2 kept, 0 broken" in report
