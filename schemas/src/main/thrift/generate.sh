#!/usr/bin/env bash
# Regenerates the committed Thrift Java from the IDL in this folder.
# Usage: generate.sh <thrift compiler> <output dir>. Called by `mvn -P regenerate-thrift generate-sources`.
# Output is written to a temporary dir first, so a failed run leaves the committed sources untouched.
set -euo pipefail
compiler=${1:-thrift}
out=${2:?output directory}
here=$(cd "$(dirname "$0")" && pwd)
if ! command -v "$compiler" >/dev/null 2>&1; then
  echo "thrift compiler '$compiler' not found: apt-get install thrift-compiler (Debian's 0.17 matches libthrift 0.20)" >&2
  exit 1
fi
version=$("$compiler" --version)
case "$version" in
  *" 0.17."*|*" 0.18."*|*" 0.19."*|*" 0.20."*) ;;
  *) echo "expected thrift 0.17-0.20 to match libthrift 0.20, got: $version" >&2; exit 1 ;;
esac
staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT
for idl in "$here"/*.thrift; do
  # -strict: warn about fields without explicit requiredness and similar sloppiness.
  # generated_annotations=suppress: 0.17 would otherwise emit javax.annotation.Generated (not on Java 17).
  "$compiler" -strict -I "$here" --gen java:generated_annotations=suppress -out "$staging" "$idl"
done
rm -rf "$out"
mkdir -p "$(dirname "$out")"
cp -r "$staging" "$out"
echo "generated $(find "$out" -name '*.java' | wc -l) Java files into $out with $version"
