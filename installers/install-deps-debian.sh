#!/usr/bin/env bash
# Installs every build, run and test dependency of Blyan Desktop on Debian 12 with apt.
# Idempotent: when everything is present it returns in about a second without touching apt.
set -euo pipefail

PACKAGES=(
  # toolchain
  build-essential cmake ninja-build pkg-config ccache git
  # Qt 6 (qt6-charts-dev does not configure without libqt6opengl6-dev)
  qt6-base-dev qt6-charts-dev libqt6opengl6-dev libxkbcommon-dev libqt6sql6-sqlite
  libqt6svg6 qt6-tools-dev-tools
  # LibTorch (CPU) and a fast BLAS: the reference BLAS is ~14x slower; never add libopenblas0-pthread
  libtorch-dev libopenblas0-openmp
  # storage, crypto, OS integration
  libsqlite3-dev libsodium-dev qtkeychain-qt6-dev libsecret-1-0 libquazip1-qt6-dev
  # QR codes of payment links in the Wallet panel's Receive tab
  libqrencode-dev
  # tests: headless display, fonts, python reference implementations
  xvfb xauth fonts-dejavu-core python3 python3-numpy
  # tests: a real Secret Service for test_keychain (dbus-run-session comes with dbus-daemon)
  gnome-keyring dbus-daemon
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "blyan: all ${#PACKAGES[@]} dependencies are installed."
  exit 0
fi

echo "blyan: installing ${#missing[@]} missing package(s): ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
  else
    echo "blyan: these packages are missing and you are not root (and sudo is not available)." >&2
    echo "       Run this script as root:  su -c '$0'" >&2
    exit 1
  fi
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "blyan: dependencies installed."
