"""The report's embedded data, inflated as its script does."""
from __future__ import annotations




def embedded(html: str) -> str:
    """The report's data block, inflated as the page's script does."""
    import base64
    import gzip
    import re

    block = re.search(r'<script type="application/octet-stream" id="data">([^<]*)</script>', html).group(1)
    return gzip.decompress(base64.b64decode(block)).decode("utf-8")
