"""preaudit: read a factory's records, check them against labour and security rules, with evidence."""

__version__ = "0.1.0"
