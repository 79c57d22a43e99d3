"""Helpers several test modules share (builders, rule-test helpers, the S3 server, the hostile
pack). Test modules import these, never each other."""
