"""``blogtools migrate``: old blogs → a clean Hugo site (see docs/migrate.md).

Source readers (:mod:`.sources`) produce neutral :class:`.model.Post` objects; the Hugo
target (:mod:`.target_hugo`) writes them; :mod:`.pipeline` runs the whole thing, then the
lint fixer over the result, :mod:`.report` writes MIGRATION.md, :mod:`.verify` builds it.
"""

from blogtools.migrate.pipeline import MigrateError, Options, Result, migrate

__all__ = ["MigrateError", "Options", "Result", "migrate"]
