"""Prefect flows: orchestration only. The work is done by plain functions in preaudit/,
extractors/ and validators/."""
