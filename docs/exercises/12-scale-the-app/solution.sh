#!/usr/bin/env bash
# Reference solution of exercise 12: a second app instance behind nginx.
set -euo pipefail
make up APP_REPLICAS=2
make ps
for i in 1 2 3 4; do curl -s -o /dev/null -D - http://localhost:8080/ | grep -i x-app-instance; done
