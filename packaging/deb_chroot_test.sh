#!/usr/bin/env bash
# Installs copydesk's .deb on a fresh Debian 12 and uses it: cleans a sample
# and cleans a string from Python. The fresh system is a debootstrap'd chroot
# (made here if missing; needs root, debootstrap and network access to a
# Debian mirror).
#
# Usage: packaging/deb_chroot_test.sh DEB [CHROOT_DIR]
#   cmake -S . -B build-deb -G Ninja -DCMAKE_INSTALL_PREFIX=/usr -DCOPYDESK_TESTS=OFF
#   cmake --build build-deb && (cd build-deb && cpack -G DEB)
#   packaging/deb_chroot_test.sh build-deb/copydesk_*.deb /tmp/bookworm
set -euo pipefail
deb=$(realpath "$1")
root=${2:-/tmp/copydesk-bookworm}
src=$(cd "$(dirname "$0")/.." && pwd)
if [[ ! -x $root/usr/bin/apt-get ]]; then
  debootstrap --variant=minbase bookworm "$root" http://deb.debian.org/debian
fi
cp "$deb" "$root/tmp/copydesk.deb"
sample=$(ls "$src"/samples/*.txt | head -1)
cp "$sample" "$root/tmp/sample.txt"
cp "$src/samples/expected/$(basename "$sample")" "$root/tmp/expected.txt"
mount -t proc proc "$root/proc"
trap 'umount "$root/proc"' EXIT
chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root bash -euo pipefail -c '
  . /etc/os-release && echo "== $PRETTY_NAME (chroot)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends /tmp/copydesk.deb >/tmp/apt.log
  echo "== copydesk --version"
  copydesk --version
  echo "== copydesk clean /tmp/sample.txt"
  copydesk clean -q /tmp/sample.txt >/tmp/cleaned.txt
  cmp /tmp/cleaned.txt /tmp/expected.txt && echo "identical to the reviewed output ($(wc -c </tmp/cleaned.txt) bytes)"
  copydesk clean --diff --color never /tmp/sample.txt | head -12
  echo "== python3 -c \"import copydesk; ...\""
  python3 -c "
import copydesk
r = copydesk.Pipeline().clean(\"Shares of Paypal rose ,analysts said on thursday.\")
print(r.text)
print([(e.stage, e.rule, e.begin, e.end) for e in r.edits])
assert r.text == \"Shares of PayPal rose, analysts said on Thursday.\"
"
  echo "deb test passed"
'
