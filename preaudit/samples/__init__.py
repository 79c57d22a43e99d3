"""Sample packs for the demo, tests and benchmarks: generated records with their ground truth,
and documents rendered as factories hand them over (printed, scanned, photographed)."""
