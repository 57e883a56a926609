#!/usr/bin/env bash
# Builds the installers from the Maven build (run `mvn package` first):
#   target/jpackage/asr-workbench/                    the application image (launcher bin/asr-workbench)
#   target/jpackage/asr-workbench_<version>_amd64.deb the Debian package (skipped with --image-only)
# The runtime is trimmed with jlink to the modules in jpackage/modules, which are checked against
# jdeps first; the jars (JavaFX, DJL and the PyTorch native library included) go in unchanged.
set -euo pipefail
cd "$(dirname "$0")/.."

image_only=false
case "${1:-}" in
  --image-only) image_only=true ;;
  "") ;;
  *) echo "usage: jpackage/build.sh [--image-only]" >&2; exit 2 ;;
esac

jar=target/asr-workbench.jar
props=target/maven-archiver/pom.properties
for tool in jpackage jdeps unzip; do
  command -v "$tool" >/dev/null || { echo "jpackage/build.sh: $tool is not installed" >&2; exit 1; }
done
for f in "$jar" target/lib "$props"; do
  [ -e "$f" ] || { echo "$f: missing; run 'mvn package' first" >&2; exit 1; }
done
# 0.1.0-SNAPSHOT becomes 0.1.0~SNAPSHOT, which Debian sorts before the release 0.1.0.
pom_version=$(sed -n 's/^version=//p' "$props")
app_version=${pom_version/-/\~}
out=target/jpackage
work=$out/work
rm -rf "$out"
mkdir -p "$work/input" "$work/classes"
start=$SECONDS

# 1. The runtime's modules must cover what the classes use (module-info files are left out so
#    that jdeps reads every jar as plain class path, as the launcher loads them).
modules=$(grep -v '^\s*\(#\|$\)' jpackage/modules | paste -sd, -)
for j in "$jar" target/lib/*.jar; do
  d=$work/classes/$(basename "$j" .jar)
  mkdir -p "$d"
  unzip -qo "$j" '*.class' -x 'module-info.class' 'META-INF/versions/*' -d "$d" 2>/dev/null || true
done
needed=$(jdeps --ignore-missing-deps --print-module-deps --multi-release 17 "$work"/classes/*/)
missing=$(comm -23 <(tr , '\n' <<<"$needed" | sort) <(tr , '\n' <<<"$modules" | sort))
if [ -n "$missing" ]; then
  echo "jpackage/modules: missing modules that jdeps finds in the jars: $missing" >&2
  exit 1
fi
rm -rf "$work/classes"

# 2. The application image: the jar and its lib/ (the jar's manifest class path) on a jlink runtime.
cp "$jar" "$work/input/"
cp -r target/lib "$work/input/lib"
jpackage --type app-image --dest "$out" --input "$work/input" \
  --app-version "$app_version" --add-modules "$modules" \
  @jpackage/common.options @jpackage/image.options
echo "app image: $out/asr-workbench ($(du -sm "$out/asr-workbench" | cut -f1) MiB, $((SECONDS - start)) s)"

# 3. The .deb, from that image. gzip rather than dpkg's default xz: the package is 6% larger
#    (most of it is the already-compressed PyTorch jar) and builds 20 times faster;
#    DPKG_DEB_COMPRESSOR_TYPE=xz jpackage/build.sh gives the smaller one.
if ! $image_only; then
  export DPKG_DEB_COMPRESSOR_TYPE=${DPKG_DEB_COMPRESSOR_TYPE:-gzip}
  jpackage --type deb --dest "$out" --app-image "$out/asr-workbench" \
    --app-version "$app_version" \
    @jpackage/common.options @jpackage/deb.options
  deb=$(ls "$out"/*.deb)
  echo "deb: $deb ($(du -m "$deb" | cut -f1) MiB, $((SECONDS - start)) s in all)"
fi
rm -rf "$work"
