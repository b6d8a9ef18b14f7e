"""The lint engine: rules, registry, runner, fixer, cache and output."""
