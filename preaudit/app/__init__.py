"""The composition root: the pipeline (discover, extract, validate), the extraction cache, the
report store and the outputs. It wires the layers below together; only the flows and the CLI
import it."""
