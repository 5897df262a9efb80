{% autoescape off %}#!/bin/sh
# LeadTracker: sets up this phone in Termux. The pairing page gives the whole line:
#   curl -fsSL {{ server }}/agent/install.sh | sh -s -- PAIRING-LINK (or the pairing code alone)
# It installs Python and Termux:API, installs the agent from this server, pairs the phone,
# makes the agent start with the phone (Termux:Boot), keeps it awake, and checks everything.
# What it prints is in the language of the person whose phone it pairs (views._script_words).
set -eu
SERVER={{ server }}
WHEEL={{ wheel }}
LINK="${1:-}"

step() { printf '\n== %s\n' "$*"; }
fail() { printf '\n!! %s\n' "$*" >&2; exit 1; }

[ -n "$LINK" ] || fail {{ say.no_link }}
command -v pkg >/dev/null 2>&1 || fail {{ say.not_termux }}

step {{ say.step_1 }}
pkg install -y python termux-api || fail {{ say.no_python }}

step {{ say.step_2 }}
pip install --disable-pip-version-check --upgrade "$WHEEL" || fail {{ say.no_agent }}

step {{ say.step_3 }}
# The pairing link, or the code alone (ABCD-EFGH) for this server.
case "$LINK" in
  http://* | https://*) leadtracker-agent pair --force "$LINK" ;;
  *) leadtracker-agent pair --force --server "$SERVER" --code "$LINK" ;;
esac || fail {{ say.no_pairing }}

step {{ say.step_4 }}
leadtracker-agent setup
{% endautoescape %}
