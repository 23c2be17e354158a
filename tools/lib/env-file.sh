# The project's .env, for the shell side of the tools (sourced by tools/stacklab.sh): create it with
# fresh random secrets, and read the few values the shell itself needs. Every value is checked by
# tools/lib/settings.ts before a stack starts; this file only finds them. POSIX sh.

# The secrets .env.example leaves empty: make up fills each with random letters and digits (safe in
# SQL strings, shell commands and URLs without escaping), also in a .env made before one was added.
ENV_SECRETS='DB_PASSWORD:24 DB_ROOT_PASSWORD:24 DB_MIGRATION_PASSWORD:24 SESSION_KEYS:48'

random_secret() { # LENGTH
  LC_ALL=C tr -dc 'A-Za-z0-9' </dev/urandom | dd bs=1 count="$1" 2>/dev/null
}

# Creates .env from .env.example on first use, and gives every secret that is still empty a value.
# Says what it did; never changes a value that is set.
env_file_prepare() {
  created=""
  if [ ! -f "$env_file" ]; then
    (umask 077 && cp .env.example "$env_file")
    say "Created .env with fresh random passwords and session keys (it is git-ignored; keep it private)."
    created=1
  fi
  if grep -q "$(printf '\r')" "$env_file"; then
    # An editor on Windows saved it with CRLF line ends: docker compose would keep the CR in values.
    tr -d '\r' <"$env_file" >"$env_file.tmp" && cat "$env_file.tmp" >"$env_file" && rm -f "$env_file.tmp"
    say "Removed the Windows line ends (CRLF) from .env."
  fi
  for entry in $ENV_SECRETS; do
    name=${entry%%:*}
    [ -n "$(env_file_value "$name")" ] && continue
    env_file_record "$name" "$(random_secret "${entry#*:}")"
    # An older .env, from before this setting existed: say what changed in it.
    [ -n "$created" ] || say "Added a fresh $name to .env (a setting this version of stacklab needs)."
  done
}

# The value of NAME in .env (the last line that sets it; quotes removed), or nothing.
env_file_value() { # NAME
  [ -f "$env_file" ] || return 0
  sed -n "s/^[[:space:]]*$1[[:space:]]*=[[:space:]]*//p" "$env_file" | tail -n 1 | tr -d '\r' |
    sed -e 's/[[:space:]]*$//' -e 's/^"\(.*\)"$/\1/' -e "s/^'\\(.*\\)'\$/\\1/"
}

# A setting as the tools see it: a non-empty value in the shell wins over .env; empty means DEFAULT.
setting() { # NAME [DEFAULT]
  eval "value=\${$1:-}"
  [ -n "$value" ] || value=$(env_file_value "$1")
  [ -n "$value" ] || value=${2:-}
  printf '%s' "$value"
}

# Records NAME=VALUE in .env: replaces the line that sets it, or adds one at the end. (cat > keeps
# the file's owner and mode, 600; VALUE holds letters, digits and - only.)
env_file_record() { # NAME VALUE
  if grep -q "^$1=" "$env_file"; then
    sed "s/^$1=.*/$1=$2/" "$env_file" >"$env_file.tmp" && cat "$env_file.tmp" >"$env_file" && rm -f "$env_file.tmp"
  else
    # (After a last line without a line end, as an editor may leave it.)
    [ -z "$(tail -c 1 "$env_file")" ] || printf '\n' >>"$env_file"
    printf '%s=%s\n' "$1" "$2" >>"$env_file"
  fi
}
