"""Alembic environment: runs on the engine the caller hands over in `config.attributes`."""

from alembic import context

from userphoto.storage.schema import metadata

engine = context.config.attributes["engine"]
with engine.begin() as connection:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    context.run_migrations()
