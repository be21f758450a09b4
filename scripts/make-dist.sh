#!/usr/bin/env bash
# `make dist`: packs the statically linked release binary built in SCRATCH into DIST/culturelens-VERSION-linux-ARCH.tar.gz
# with the README and the licences (CultureLens's third-party notices, every Swift package dependency's licence, the
# Swift runtime's). Fails when the binary still needs a Swift shared library.
set -euo pipefail
SCRATCH=${1:?scratch path}
DIST=${2:?output directory}
cd "$(dirname "$0")/.."
BIN="$SCRATCH/release/culturelens"
[ -x "$BIN" ] || { echo "make-dist: $BIN is missing (build it first)" >&2; exit 1; }

# No Swift library may be loaded at run time: that is what lets the binary run where no toolchain is installed.
if ldd "$BIN" | grep -E 'libswift|libFoundation|lib_Foundation|libdispatch|libBlocksRuntime|libXCTest' >&2; then
    echo "make-dist: $BIN still links the Swift libraries above dynamically" >&2
    exit 1
fi

VERSION=$(env -i "$BIN" --version)
NAME="culturelens-$VERSION-linux-$(uname -m)"
STAGE="$DIST/$NAME"
rm -rf "$STAGE" "$DIST/$NAME.tar.gz"
mkdir -p "$STAGE"
cp "$BIN" "$STAGE/culturelens"
strip "$STAGE/culturelens"
cp README.md "$STAGE/README.md"

NOTICES="$STAGE/THIRD_PARTY_LICENSES.txt"
{
    echo "CultureLens $VERSION: third-party notices"
    echo
    echo "== Data built into the binary"
    echo
    # The attribution paragraph of the README's "Data and licences" section.
    sed -n '/^## Data and licences/,/^## /p' README.md | sed '$d'
    echo
    echo "== The Swift runtime and standard library (linked statically)"
    echo
    SWIFT_LICENCE="$(dirname "$(dirname "$(readlink -f "$(command -v swift)")")")/share/swift/LICENSE.txt"
    if [ -f "$SWIFT_LICENCE" ]; then
        cat "$SWIFT_LICENCE"
    else
        echo "Swift is licensed under the Apache License v2.0 with Runtime Library Exception:"
        echo "https://swift.org/LICENSE.txt (the toolchain's own copy was not found beside it)."
    fi
    for checkout in "$SCRATCH"/checkouts/*/; do
        licence=$(find "$checkout" -maxdepth 1 -type f \( -iname 'LICENSE*' -o -iname 'LICENCE*' -o -iname 'COPYING*' \) | sort | head -n 1)
        echo
        echo "== Swift package $(basename "$checkout")"
        echo
        if [ -n "$licence" ]; then cat "$licence"; else echo "(no licence file in the package checkout)"; fi
    done
} >"$NOTICES"

tar -C "$DIST" -czf "$DIST/$NAME.tar.gz" "$NAME"
echo "$DIST/$NAME.tar.gz"
