"""One populated store per test module, for every case of the module to leave unchanged."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.hostile.world import Worlds


@pytest.fixture(scope="module")
def worlds(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Worlds]:
    made = Worlds(tmp_path_factory.mktemp("hostile"))
    yield made
    made.close()
