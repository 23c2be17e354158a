#!/usr/bin/env bash
# Reference solution of exercise 4: the commands, as a learner would type them.
set -euo pipefail
make ps
curl -sI http://localhost:8080/ | grep -i -E '^(HTTP|x-app-instance)'
make stop SERVICE=app
make ps
curl -si http://localhost:8080/ | grep -i -E '^(HTTP|x-app-instance|x-request-id)|<h1>'
make logs SERVICE=nginx | grep -E 'while connecting to upstream|"status":50[24]'
make logs SERVICE=app | tail -n 5
make up
curl -si http://localhost:8080/healthz
