#!/usr/bin/env bash
# Worker container entry: make sure the work pool and the deployment exist, then run a worker.
set -euo pipefail
cd /opt/preaudit
pool="${PREAUDIT_WORK_POOL:-audit-pool}"
prefect work-pool inspect "$pool" >/dev/null 2>&1 || prefect work-pool create "$pool" --type process
# at most this many documents extracted at once across the pool (OCR is CPU-bound: one per core)
prefect concurrency-limit create extract "${PREAUDIT_EXTRACT_LIMIT:-2}" >/dev/null 2>&1 || true
# scans and photos: each OCR'd document already runs one tesseract per core of its worker
prefect concurrency-limit create ocr "${PREAUDIT_OCR_LIMIT:-1}" >/dev/null 2>&1 || true
prefect --no-prompt deploy --all --prefect-file infra/prefect.yaml
exec prefect worker start --pool "$pool"
