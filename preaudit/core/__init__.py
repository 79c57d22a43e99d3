"""The core everything imports: the record model, rule packs and their parameters, the factory
profile, reading settings and limits, storage. It imports nothing of preaudit above it."""
