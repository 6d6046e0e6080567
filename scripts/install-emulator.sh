#!/usr/bin/env bash
# Make sure the Cloud Datastore emulator can run: gcloud, its datastore emulator
# component, and Java. Installs only what is missing, through apt (the Debian
# packages Google publishes), falling back to `gcloud components install` for a
# gcloud that was not installed by apt.
set -euo pipefail

have() { command -v "$1" >/dev/null 2>&1; }
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

packages=()
component_missing=0
if have gcloud; then
  sdk_root=$(dirname "$(dirname "$(readlink -f "$(command -v gcloud)")")")
  if [ ! -e "$sdk_root/platform/cloud-datastore-emulator/cloud_datastore_emulator" ]; then
    component_missing=1
    if dpkg -S "$(readlink -f "$(command -v gcloud)")" >/dev/null 2>&1; then
      packages+=(google-cloud-cli-datastore-emulator)
    fi
  fi
else
  packages+=(google-cloud-cli google-cloud-cli-datastore-emulator)
fi
have java || packages+=(default-jre-headless)

if [ ${#packages[@]} -gt 0 ]; then
  echo "install-emulator: installing ${packages[*]} with apt-get"
  if ! apt-cache show google-cloud-cli >/dev/null 2>&1 && [[ " ${packages[*]} " == *" google-cloud-cli"* ]]; then
    echo "install-emulator: adding Google's Cloud SDK apt repository"
    $SUDO apt-get update -q
    $SUDO apt-get install -y -q apt-transport-https ca-certificates gnupg curl
    curl -fsSL https://packages.cloud.google.com/apt/doc/apt-key.gpg \
      | $SUDO gpg --dearmor --yes -o /usr/share/keyrings/cloud.google.gpg
    echo "deb [signed-by=/usr/share/keyrings/cloud.google.gpg] https://packages.cloud.google.com/apt cloud-sdk main" \
      | $SUDO tee /etc/apt/sources.list.d/google-cloud-sdk.list >/dev/null
  fi
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q "${packages[@]}"
elif [ "$component_missing" = 1 ]; then
  echo "install-emulator: installing the datastore emulator component with gcloud"
  gcloud components install --quiet beta cloud-datastore-emulator
fi

gcloud --version | head -1
java -version 2>&1 | head -1
echo "install-emulator: the Cloud Datastore emulator is ready"
