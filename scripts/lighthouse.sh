#!/usr/bin/env bash
# Lighthouse 12 (pinned, 12.2.3; Debian's chromium) on every page type of the example
# briefing, and on the changes page of an edition (issue 21 §9): builds them, serves them on
# 127.0.0.1 under their base paths, scores performance, accessibility, best practices and
# SEO (not SEO where a page is noindex: the search page and the print view), prints the
# table and fails when a score is under 95. It is the test
# `lighthouse_scores_every_page_type_at_least_95` of tests/browser.rs (which scripts/test.sh
# and CI run with the rest), run alone; its one list of page types is PAGE_TYPES there.
# Installs Lighthouse into target/ci-node when it is missing ($BRIEF_CI_NODE, when set, is
# where the tests look instead). Arguments go to `cargo test`.
set -euo pipefail
cd "$(dirname "$0")/.."

node=target/ci-node/node_modules
if [ -z "${BRIEF_CI_NODE:-}" ] && ! grep -qs '"version": "12.2.3"' $node/lighthouse/package.json; then
  echo "installing lighthouse@12.2.3 into target/ci-node" >&2
  npm install --prefix target/ci-node --no-audit --no-fund --silent -E lighthouse@12.2.3
fi
exec cargo test --test browser "$@" -- --exact lighthouse_scores_every_page_type_at_least_95 --nocapture
