#!/usr/bin/env bash
# Builds the solution (Release) and runs every test project; prints a closing
# "N passed, N failed" line and exits non-zero when any test fails.
set -uo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
cd "$root"
results="$root/artifacts/test-results"
rm -rf "$results"; mkdir -p "$results"

dotnet build Baimo.slnx -c Release --nologo -v q || { echo "build failed"; exit 1; }
dotnet test Baimo.slnx -c Release --no-build --nologo \
  --logger "trx;LogFilePrefix=r" --results-directory "$results" "$@"
status=$?

# The ARM64 kernels (AdvSimd, sdot): the kernel tests built for linux-arm64 and run under user-mode emulation where
# qemu-aarch64 and the arm64 C libraries are installed (.ci/run installs them). W^X is off because the emulator
# does not see the runtime's writes through the second mapping of its code pages.
if command -v qemu-aarch64 >/dev/null && [ -e /lib/ld-linux-aarch64.so.1 ] && [ -e /usr/lib/aarch64-linux-gnu/libssl.so.3 ]; then
  arm="$root/artifacts/arm64-tests"
  if dotnet publish tests/Baimo.Kernels.Cpu.Tests -c Release -r linux-arm64 --self-contained \
       -p:InvariantGlobalization=true -o "$arm" --nologo -v q; then
    DOTNET_EnableWriteXorExecute=0 qemu-aarch64 "$arm/Baimo.Kernels.Cpu.Tests" -noColor -trx "$results/arm64.trx" || status=1
  else
    echo "test: the linux-arm64 build of the kernel tests failed"; status=1
  fi
else
  echo "test: qemu-aarch64 or the arm64 C and TLS libraries are not installed: the ARM64 kernels were not run (see .ci/run)"
fi

# Sum the outcome counters of every TRX file into one closing line.
passed=0; failed=0; skipped=0
for f in "$results"/*.trx; do
  [ -f "$f" ] || continue
  line=$(grep -o '<Counters [^>]*>' "$f" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$line"); passed=$((passed + ${p:-0}))
  x=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$line"); failed=$((failed + ${x:-0}))
  e=$(sed -n 's/.* error="\([0-9]*\)".*/\1/p' <<<"$line"); failed=$((failed + ${e:-0}))
  s=$(sed -n 's/.* notExecuted="\([0-9]*\)".*/\1/p' <<<"$line"); skipped=$((skipped + ${s:-0}))
done
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then exit 1; fi
