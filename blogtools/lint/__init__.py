"""The lint engine: rules, registry, runner, fixer, cache and output."""

# Set by the console script (:func:`blogtools.cli.run`), whose process ends soon after a
# run: runs then freeze what they built instead of leaving it to the collector (see
# ``blogtools.lint.runner._collector_paused``).
FREEZE_AFTER_RUN = False
