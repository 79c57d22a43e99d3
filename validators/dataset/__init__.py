"""The dataset the rules query: every document's tables as one set, with the calendar, coverage
gaps and implausible values screened out. Built on the core and the extractors' tables.
It sits in the rules' package, below every rule: nothing here imports a rule module."""
