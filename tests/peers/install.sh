#!/usr/bin/env bash
# Installs the real protocol peers the test suite runs against, when they are missing:
# SIPp, Kamailio, sipsak, swaks, Postfix, dnsmasq, NSD, dig, tshark, PostgreSQL (Debian packages)
# and smtp-server, nodemailer, mailparser (npm, pinned in tests/peers/node/package.json).
# Idempotent and quiet when everything is already there. Never starts a daemon on a default port:
# a policy-rc.d that forbids service starts is put in place before installing.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

need=()
for pair in sipp:sip-tester kamailio:kamailio sipsak:sipsak swaks:swaks postfix:postfix \
            dnsmasq:dnsmasq nsd:nsd dig:bind9-dnsutils tshark:tshark sqlite3:sqlite3 \
            /usr/lib/postgresql/15/bin/initdb:postgresql node:nodejs; do
  bin=${pair%%:*}; pkg=${pair#*:}
  if [[ $bin == /* ]]; then [[ -x $bin ]] || need+=("$pkg"); else command -v "$bin" >/dev/null 2>&1 || need+=("$pkg"); fi
done

if ((${#need[@]})); then
  echo "peers: installing ${need[*]}"
  SUDO=""; [[ $(id -u) -eq 0 ]] || SUDO="sudo"
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null; $SUDO chmod 755 /usr/sbin/policy-rc.d
  fi
  echo "postfix postfix/main_mailer_type select No configuration" | $SUDO debconf-set-selections
  echo "wireshark-common wireshark-common/install-setuid boolean false" | $SUDO debconf-set-selections
  $SUDO apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

if [[ ! -d $here/node/node_modules/smtp-server || ! -d $here/node/node_modules/nodemailer || ! -d $here/node/node_modules/mailparser ]]; then
  echo "peers: installing npm packages"
  (cd "$here/node" && npm ci --no-audit --no-fund --silent >/dev/null 2>&1 || npm install --no-audit --no-fund --silent >/dev/null)
fi
echo "peers: ready"
