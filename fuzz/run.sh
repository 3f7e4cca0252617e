#!/usr/bin/env bash
# Coverage-guided fuzzing of the codec and the engine: SharpFuzz instruments the assemblies under test and
# AFL++ (Debian's afl++) drives them. Usage:
#
#   fuzz/run.sh SECONDS [decoder|engine|all]     # default: all (the two targets run side by side, one core each)
#   fuzz/run.sh --selftest                       # plants a bug and checks AFL++ reports it as a crash
#
# Findings go to $FUZZ_WORK (default /tmp/mqtt-fuzz): <target>/findings/default/{crashes,hangs,queue}.
# Every crash and hang is replayed through the uninstrumented build, which prints the exception and the bytes.
# Exit status: 0 when no target saved a crash or a hang, 1 otherwise.
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

usage() { sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }

selftest=0
if [ "${1:-}" = "--selftest" ]; then
  selftest=1
  seconds=120
  targets=(decoder)
  # Stop at the first crash: the planted one takes a fraction of a second to find.
  export AFL_BENCH_UNTIL_CRASH=1
else
  [[ "${1:-}" =~ ^[0-9]+$ ]] || usage
  seconds=$1
  case "${2:-all}" in
    decoder) targets=(decoder) ;;
    engine) targets=(engine) ;;
    all) targets=(decoder engine) ;;
    *) usage ;;
  esac
fi

work=${FUZZ_WORK:-/tmp/mqtt-fuzz}
mkdir -p "$work"

if ! command -v afl-fuzz >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    echo "== installing afl++ (Debian)"
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq afl++ >/dev/null
  else
    echo "afl-fuzz not found: sudo apt-get install afl++" >&2
    exit 2
  fi
fi

echo "== restoring the sharpfuzz tool (dotnet-tools.json)"
dotnet tool restore >/dev/null

# Publish one target twice: a plain copy (seeds, replay) and an instrumented one (afl-fuzz). Instrumented code
# writes coverage into AFL's shared memory, so it can only run under Fuzzer.Run inside afl-fuzz.
prepare() {
  local name=$1 project=$2; shift 2
  local plain="$work/$name/plain" inst="$work/$name/instrumented"
  rm -rf "$plain" "$inst" "$work/$name/seeds"
  dotnet publish "$project" -c Release -o "$plain" --artifacts-path "$work/artifacts" -nologo -v:q -clp:NoSummary >/dev/null
  cp -r "$plain" "$inst"
  for dll in "$@"; do
    dotnet tool run sharpfuzz "$inst/$dll"
  done
  "$plain/$project" seeds "$work/$name/seeds"
}

run_target() {
  local name=$1 core=$2
  local findings="$work/$name/findings"
  rm -rf "$findings"
  # The target is a .NET apphost, not an AFL-compiled binary: SKIP_BIN_CHECK. Its fork server is SharpFuzz's
  # in-process loop, which needs a few seconds to start the runtime: FORKSRV_INIT_TMOUT.
  AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
  AFL_FORKSRV_INIT_TMOUT=60000 AFL_NO_AFFINITY=1 FUZZ_PLANT=$selftest \
    taskset -c "$core" afl-fuzz -V "$seconds" -i "$work/$name/seeds" -o "$findings" -t 5000 -m none \
    -- "$work/$name/instrumented/${project[$name]}" \
    >"$work/$name/afl.log" 2>&1 || { echo "afl-fuzz failed for $name, see $work/$name/afl.log" >&2; tail -20 "$work/$name/afl.log" >&2; return 1; }
}

stat() { grep -E "^$2 " "$1" | sed -E 's/.*: *//'; }

declare -A project=([decoder]=Fuzz.Decoder [engine]=Fuzz.Engine)
for t in "${targets[@]}"; do
  echo "== building and instrumenting $t"
  case $t in
    decoder) prepare decoder Fuzz.Decoder Device.Protocol.dll ;;
    engine) prepare engine Fuzz.Engine Device.Protocol.dll Device.Broker.dll ;;
  esac
done

echo "== fuzzing ${targets[*]} for $seconds s"
pids=()
core=0
for t in "${targets[@]}"; do
  run_target "$t" $((core % $(nproc))) &
  pids+=($!)
  core=$((core + 1))
done
status=0
for p in "${pids[@]}"; do wait "$p" || status=1; done
[ $status -eq 0 ] || exit 1

bad=0
for t in "${targets[@]}"; do
  s="$work/$t/findings/default/fuzzer_stats"
  crashes=$(find "$work/$t/findings/default/crashes" -type f -name 'id:*' | wc -l)
  hangs=$(find "$work/$t/findings/default/hangs" -type f -name 'id:*' | wc -l)
  echo "$t: $(stat "$s" execs_done) executions in $(stat "$s" run_time) s ($(stat "$s" execs_per_sec)/s)," \
       "corpus $(stat "$s" corpus_count) ($(stat "$s" corpus_found) found), edges $(stat "$s" edges_found)," \
       "crashes $crashes, hangs $hangs"
  if [ $((crashes + hangs)) -gt 0 ]; then
    bad=1
    echo "-- replaying $t findings through the uninstrumented build"
    FUZZ_PLANT=$selftest "$work/$t/plain/${project[$t]}" replay \
      $(find "$work/$t/findings/default/crashes" "$work/$t/findings/default/hangs" -type f -name 'id:*' | head -20) || true
  fi
done

if [ $selftest -eq 1 ]; then
  if [ $bad -eq 1 ]; then echo "selftest: the planted bug was found and reported"; exit 0; fi
  echo "selftest: the planted bug was NOT found" >&2
  exit 1
fi
exit $bad
