#!/usr/bin/env bash
# Sourced by scripts/run and scripts/test: a real SMTP server on loopback for the clinic's e-mail (smtp4dev, a .NET
# tool installed into the data folder when missing), with a web mailbox and an API (GET /api/messages) to read what
# arrived. Exports CLINIC_SMTP_PORT and CLINIC_MAILBOX_URL, and Notifications__Email__* for the clinic.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CLINIC_DATA_DIR="${CLINIC_DATA_DIR:-$repo_root/.data}"
export CLINIC_SMTP_PORT="${CLINIC_SMTP_PORT:-2525}"
export CLINIC_MAILBOX_PORT="${CLINIC_MAILBOX_PORT:-5081}"
export CLINIC_MAILBOX_URL="http://127.0.0.1:$CLINIC_MAILBOX_PORT"
smtp_tools="$CLINIC_DATA_DIR/tools"
smtp_log="$CLINIC_DATA_DIR/smtp4dev.log"

smtp_listening() { (exec 3<>"/dev/tcp/127.0.0.1/$CLINIC_SMTP_PORT") 2>/dev/null; }

if ! smtp_listening; then
  mkdir -p "$smtp_tools"
  if [[ ! -x "$smtp_tools/smtp4dev" ]]; then
    echo "Installing the local SMTP server (smtp4dev)..."
    dotnet tool install Rnwood.Smtp4dev --version 3.15.0 --tool-path "$smtp_tools" >/dev/null
  fi
  # Loopback only; no IMAP or POP3; messages kept in memory.
  nohup "$smtp_tools/smtp4dev" --bindaddress=127.0.0.1 --smtpport="$CLINIC_SMTP_PORT" --imapport= --pop3port= --db= \
    --messagestokeep=1000 --urls="$CLINIC_MAILBOX_URL" > "$smtp_log" 2>&1 &
  echo $! > "$CLINIC_DATA_DIR/smtp4dev.pid"
  for _ in $(seq 1 100); do
    smtp_listening && curl -sf "$CLINIC_MAILBOX_URL/api/messages" >/dev/null 2>&1 && break
    sleep 0.2
  done
  smtp_listening || { echo "the SMTP server did not start; see $smtp_log" >&2; exit 1; }
fi

export Notifications__Email__SmtpHost=127.0.0.1
export Notifications__Email__SmtpPort="$CLINIC_SMTP_PORT"
