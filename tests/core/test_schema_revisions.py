"""The schema check at start knows Alembic's history without loading Alembic."""

from __future__ import annotations

from alembic.config import Config
from alembic.script import ScriptDirectory

from userphoto.storage.engine import MIGRATIONS, known_revisions


def test_known_revisions_are_alembics_history_in_order() -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    script = ScriptDirectory.from_config(config)
    oldest_first = [revision.revision for revision in reversed(list(script.walk_revisions()))]
    assert known_revisions() == oldest_first
    assert known_revisions()[-1] == script.get_current_head()
