"""Each catalog test gets its own MEDIA_ROOT, so "nothing left on disk" can be checked."""

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path) -> Path:
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    return root
