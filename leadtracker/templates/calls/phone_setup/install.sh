{% autoescape off %}#!/bin/sh
# LeadTracker: sets up this phone in Termux. The pairing page gives the whole line:
#   curl -fsSL {{ server }}/agent/install.sh | sh -s -- PAIRING-LINK (or the pairing code alone)
# It installs Python and Termux:API, installs the agent from this server, pairs the phone,
# makes the agent start with the phone (Termux:Boot), keeps it awake, and checks everything.
set -eu
SERVER={{ server }}
WHEEL={{ wheel }}
LINK="${1:-}"

step() { printf '\n== %s\n' "$*"; }
fail() { printf '\n!! %s\n' "$*" >&2; exit 1; }

[ -n "$LINK" ] || fail "The pairing link is missing. Copy the whole line from the pairing page ($SERVER/p/...) and paste it again."
command -v pkg >/dev/null 2>&1 || fail "This runs in the Termux app on an Android phone. Open Termux and paste the line there."

step "1/4 Installing Python and Termux:API (a few minutes the first time)"
pkg install -y python termux-api || fail "Could not install Python and Termux:API. Check the phone's internet and paste the line again."

step "2/4 Installing the LeadTracker agent from $SERVER"
pip install --disable-pip-version-check --upgrade "$WHEEL" || fail "Could not download the agent from $SERVER. Check the phone's internet and paste the line again."

step "3/4 Pairing this phone"
# The pairing link, or the code alone (ABCD-EFGH) for this server.
case "$LINK" in
  http://* | https://*) leadtracker-agent pair --force "$LINK" ;;
  *) leadtracker-agent pair --force --server "$SERVER" --code "$LINK" ;;
esac || fail "Pairing did not work. On the web app open Phones, make a new pairing code, and paste its line here (each link works once, for 15 minutes)."

step "4/4 Starting with the phone, staying awake, checking everything"
leadtracker-agent setup
{% endautoescape %}
