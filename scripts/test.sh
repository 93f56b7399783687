#!/usr/bin/env bash
# The tests, as the README runs them on a fresh machine (the Rust toolchain, Python, Node and
# git): installs what the browser tests need when it is missing — Debian's chromium, a Java
# runtime for the Nu Html Checker, and axe-core, vnu-jar and Lighthouse (12.2.3, pinned) from
# npm into target/ci-node (the tests look in $BRIEF_CI_NODE instead when it is set) —
# and the CommonMark spec's examples (commonmark-spec, pinned, CC-BY-SA 4.0, so not in the
# repository) for tests/commonmark.rs — and PyLD and jsonschema from PyPI into
# target/ci-python for tests/exports.rs (with pip itself, python3-pip, where Python lacks it) —
# then runs every test binary (`--no-fail-fast`: one failing binary does not hide the rest).
# Arguments go to `cargo test`. CI (.ci/run) runs this same script.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
python3 -m pip --version >/dev/null 2>&1 || missing+=(python3-pip)
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
  echo "installing ${missing[*]} (the browser tests, and pip for the export checks)" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

node=target/ci-node/node_modules
if [ ! -f $node/axe-core/axe.min.js ] || [ ! -f $node/vnu-jar/build/dist/vnu.jar ] \
  || ! grep -qs '"version": "0.31.2"' $node/commonmark-spec/package.json \
  || ! grep -qs '"version": "12.2.3"' $node/lighthouse/package.json; then
  echo "installing axe-core, vnu-jar and lighthouse (the browser tests) and commonmark-spec (tests/commonmark.rs) into target/ci-node" >&2
  npm install --prefix target/ci-node --no-audit --no-fund --silent axe-core@4 vnu-jar commonmark-spec@0.31.2 lighthouse@12.2.3
fi

# PyLD and jsonschema, pinned, for tests/exports.rs (annotations.jsonld expanded as JSON-LD,
# sources.csl.json validated against the CSL schema), into target/ci-python.
py=target/ci-python
if ! grep -qs '^Version: 2.0.4$' $py/PyLD-2.0.4.dist-info/METADATA \
  || ! grep -qs '^Version: 4.26.0$' $py/jsonschema-4.26.0.dist-info/METADATA; then
  echo "installing PyLD and jsonschema (tests/exports.rs) into $py" >&2
  python3 -m pip install --quiet --disable-pip-version-check --target $py PyLD==2.0.4 jsonschema==4.26.0
fi

exec cargo test --no-fail-fast "$@"
