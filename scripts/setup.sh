#!/usr/bin/env bash
# Install what the build needs, idempotently: Debian packages (as root), a virtualenv, pip packages.
#   scripts/setup.sh          runtime only
#   scripts/setup.sh --dev    runtime + test tools (pytest, Chromium for the site tests, …)
set -euo pipefail
cd "$(dirname "$0")/.."

dev=0
[ "${1:-}" = "--dev" ] && dev=1

apt_packages=(python3-venv fonts-noto-cjk fonts-noto-cjk-extra fonts-arphic-ukai fonts-symbola libharfbuzz-subset0
              libpango-1.0-0 libpangoft2-1.0-0 fontconfig)
[ "$dev" = 1 ] && apt_packages+=(poppler-utils chromium git libreoffice-calc-nogui libreoffice-writer-nogui)
[ "$dev" = 1 ] && apt_packages+=(rsync)  # gitlab-ci-local's shell executor copies with it (tests/ci_examples)
[ "$dev" = 1 ] && ! command -v npm >/dev/null 2>&1 && apt_packages+=(npm)  # for axe-core and gitlab-ci-local, below

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for pkg in "${apt_packages[@]}"; do
    [[ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)" == *"install ok installed"* ]] || missing+=("$pkg")
  done
fi
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: please install these Debian packages (as root): apt-get install ${missing[*]}" >&2
  fi
fi

# 仿宋 and 楷体 stand-ins: FandolFang and FandolKai (free: GPL with the font exception) ship only inside Debian's
# large texlive-lang-chinese package; take just these two font files out of it (apt-get download + dpkg-deb -x) into
# /usr/local/share/fonts/fandol (as root) or ~/.local/share/fonts/fandol. The office's own licensed fonts
# (仿宋_GB2312, 方正小标宋简体, 黑体, 楷体_GB2312) go into content/fonts/ or the system and are taken first.
fandol_files="FandolFang-Regular.otf FandolKai-Regular.otf"
fandol_dir=/usr/local/share/fonts/fandol
[ "$(id -u)" = 0 ] || fandol_dir="${XDG_DATA_HOME:-$HOME/.local/share}/fonts/fandol"
# (Not `fc-list | grep -q`: grep stops at the first match, fc-list dies of SIGPIPE, and pipefail calls it missing.)
fandol_installed() { local families; families=$(fc-list : family 2>/dev/null || true)
                     [[ "$families" == *FandolFang* && "$families" == *FandolKai* ]]; }
if ! fandol_installed && command -v apt-get >/dev/null 2>&1; then
  echo "setup: installing the fonts FandolFang (仿宋) and FandolKai (楷体) from texlive-lang-chinese into $fandol_dir"
  work=$(mktemp -d)
  if (cd "$work" && apt-get download -qq texlive-lang-chinese >/dev/null 2>&1); then
    dpkg-deb -x "$work"/texlive-lang-chinese_*.deb "$work/x"
    mkdir -p "$fandol_dir"
    for name in $fandol_files; do find "$work/x" -name "$name" -exec cp -p {} "$fandol_dir/" \; ; done  # -p: the same file keeps its time (the PDF cache keys on it)
    fc-cache -f "$fandol_dir" >/dev/null 2>&1 || true
  else
    echo "setup: could not download texlive-lang-chinese; the body falls back to a 宋体 face (see docs/NOTICE.md)" >&2
  fi
  rm -rf "$work"
fi

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  "$python" -m venv .venv
fi

req=requirements.txt
[ "$dev" = 1 ] && req=requirements-dev.txt
stamp=".venv/.installed-$(basename "$req" .txt)"
want=$(cat requirements*.txt | sha256sum | cut -c1-16)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "setup: installing Python packages from $req"
  .venv/bin/python -m pip install -q --disable-pip-version-check -r "$req"
  echo "$want" > "$stamp"
fi

# The tool's own bytecode, made now: where PYTHONDONTWRITEBYTECODE is set (many container images), Python
# would otherwise compile every module of kaohe/ again on each command. An edited module is compiled afresh.
.venv/bin/python -m compileall -q kaohe >/dev/null

# axe-core, for the site's accessibility test (tests/site/test_site_readers.py), into the git-ignored .venv/node/
if [ "$dev" = 1 ] && [ ! -f .venv/node/node_modules/axe-core/axe.min.js ]; then
  if command -v npm >/dev/null 2>&1; then
    echo "setup: installing axe-core into .venv/node"
    npm install --prefix .venv/node --no-audit --no-fund --silent axe-core@4
  else
    echo "setup: npm is missing; the accessibility test will be skipped" >&2
  fi
fi

# gitlab-ci-local, to run examples/ci/gitlab-ci.yml for real (tests/ci_examples), into .venv/node too.
# Pinned: 4.75 needs Node 22 (it calls Set.prototype.union); 4.70.1 runs on Node 20.
if [ "$dev" = 1 ] && [ ! -x .venv/node/node_modules/.bin/gitlab-ci-local ]; then
  if command -v npm >/dev/null 2>&1; then
    echo "setup: installing gitlab-ci-local into .venv/node"
    npm install --prefix .venv/node --no-audit --no-fund --silent gitlab-ci-local@4.70.1
  else
    echo "setup: npm is missing; the GitLab CI example test will be skipped" >&2
  fi
fi
