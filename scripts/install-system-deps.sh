#!/usr/bin/env bash
# Debian packages the test suite needs: Chromium and its driver, for the inspector's and report's browser tests.
# Installs only what is missing; without root or apt-get it says what to install and carries on (those tests skip).
set -u
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "note: browser tests need Debian packages: ${missing[*]} (apt-get install ${missing[*]}); they will be skipped" >&2
    exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
