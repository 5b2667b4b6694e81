#!/usr/bin/env bash
# Runs a command beside a pcscd and virtual readers of its own (fresh mount, network and pid namespaces), so card tests can run side by side.
set -euo pipefail
if [ "${KORTSTATION_PRIVATE_PCSCD:-}" != inside ]; then
  # without root, a user namespace gives the same private mounts and network
  as_user=(); [ "$(id -u)" -eq 0 ] || as_user=(--user --map-root-user)
  exec unshare "${as_user[@]}" --mount --net --pid --fork --mount-proc env KORTSTATION_PRIVATE_PCSCD=inside "$0" "$@"
fi
ip link set lo up
# vpcd sends length and payload apart; without quickack loopback's delayed ACK adds ~40 ms to every APDU
ip route change local 127.0.0.1 dev lo proto kernel scope host src 127.0.0.1 table local quickack 1 2>/dev/null || true
mount -t tmpfs tmpfs /run/pcscd
log=${KORTSTATION_PCSCD_LOG:-/dev/null}
pcscd --foreground >"$log" 2>&1 &
for _ in $(seq 50); do [ -S /run/pcscd/pcscd.comm ] && break; sleep 0.1; done
# this shell is pid 1 here: when it ends, the kernel ends pcscd and everything else in the namespace
"$@"
