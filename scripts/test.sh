#!/usr/bin/env bash
# The tests, as the README runs them on a fresh machine (the Rust toolchain, Python, Node and
# git): installs what the browser tests need when it is missing — Debian's chromium, a Java
# runtime for the Nu Html Checker, and axe-core and vnu-jar from npm into target/ci-node —
# and the CommonMark spec's examples (commonmark-spec, pinned, CC-BY-SA 4.0, so not in the
# repository) for tests/commonmark.rs —
# then runs every test binary (`--no-fail-fast`: one failing binary does not hide the rest).
# Arguments go to `cargo test`. CI (.ci/run) runs this same script.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
if [ ${#missing[@]} -gt 0 ]; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "the browser tests need ${missing[*]}: install them with your package manager" >&2
    exit 1
  fi
  sudo=""
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null 2>&1 || {
      echo "the browser tests need: apt-get install ${missing[*]} (as root)" >&2
      exit 1
    }
    sudo=sudo
  fi
  echo "installing ${missing[*]} for the browser tests" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

node=target/ci-node/node_modules
if [ ! -f $node/axe-core/axe.min.js ] || [ ! -f $node/vnu-jar/build/dist/vnu.jar ] \
  || ! grep -qs '"version": "0.31.2"' $node/commonmark-spec/package.json; then
  echo "installing axe-core and vnu-jar (the browser tests) and commonmark-spec (tests/commonmark.rs) into target/ci-node" >&2
  npm install --prefix target/ci-node --no-audit --no-fund --silent axe-core@4 vnu-jar commonmark-spec@0.31.2
fi

exec cargo test --no-fail-fast "$@"
