#!/usr/bin/env bash
# Installs the pinned coding-agent CLIs into the git-ignored .agents/ folder (hundreds of MB each,
# so never devDependencies). Does nothing when the pinned versions are already there.
set -euo pipefail
cd "$(dirname "$0")/../.."
CODEX_VERSION=0.169.0
CLAUDE_CODE_VERSION=2.1.328
want="@openai/codex@${CODEX_VERSION} @anthropic-ai/claude-code@${CLAUDE_CODE_VERSION}"
stamp=.agents/installed.txt
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  echo "agents already installed: $want"
  exit 0
fi
mkdir -p .agents
[ -f .agents/package.json ] || echo '{"name":"agents","private":true}' > .agents/package.json
echo "installing $want into .agents/"
# Their binaries come from per-platform optional packages; install scripts stay on so they link.
npm install --prefix .agents --no-audit --no-fund --no-save --include=optional $want
echo "$want" > "$stamp"
