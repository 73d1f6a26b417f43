#!/usr/bin/env bash
# Issue 6's performance targets, measured side by side in one run on this machine.
#
#   bench/run.sh            # 10,000 and 100,000 cases (builds them once, ~15 s)
#   BENCH_QUICK=1 bench/run.sh   # 10,000 cases only
#
# It builds the release binary and the seeded generator, makes the portfolios under
# target/bench (seed 1; reused while the generator is unchanged), and prints each ratio
# next to its target. Timings come from hyperfine (mean of several warm runs); peak
# memory from /usr/bin/time. Needs hyperfine, taskwarrior and GNU time: installed with
# apt-get when missing.
set -euo pipefail
cd "$(dirname "$0")/.."

need() { command -v "$1" >/dev/null 2>&1 || missing+=("$2"); }
missing=()
need hyperfine hyperfine
need task taskwarrior
[ -x /usr/bin/time ] || missing+=(time)
need python3 python3
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]} ..."
  apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
fi

cargo build --release --quiet --bin sluss --example generate
SLUSS="$PWD/target/release/sluss"
GEN="$PWD/target/release/examples/generate"
DATA="$PWD/target/bench"
mkdir -p "$DATA"
export SLUSS_NOW=2020-06-30T12:00:00+02:00 SLUSS_USER=erik NO_COLOR=1

portfolio() { # N -> folder, made once per generator build
  local n=$1 dir="$DATA/p$1" stamp
  stamp="$(stat -c %Y "$GEN")-$n"
  if [ ! -f "$dir/.stamp" ] || [ "$(cat "$dir/.stamp")" != "$stamp" ]; then
    rm -rf "$dir"
    "$GEN" --cases "$n" --seed 1 --out "$dir" >/dev/null
    echo "$stamp" > "$dir/.stamp"
  fi
  echo "$dir"
}

mean() { # hyperfine JSON -> mean seconds of command $2
  python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['results'][int(sys.argv[2])]['mean'])" "$1" "$2"
}
ratio() { python3 -c "import sys; print(f'{float(sys.argv[1])/float(sys.argv[2]):.2f}')" "$1" "$2"; }
verdict() { python3 -c "import sys; print('ok' if float(sys.argv[1]) <= float(sys.argv[2]) else 'MISSED')" "$1" "$2"; }
peak_mb() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -n 1 | awk '{printf "%.0f", $1/1024}'; }

# The first case id of a portfolio (no `ls | head`: that pipe fails under pipefail).
first_id() { local f; for f in "$1"/cases/*.toml; do basename "$f" .toml; return; done; }

rows=()
row() { rows+=("$(printf '%-58s %10s %8s  %s' "$1" "$2" "$3" "$4")"); }

bench() { # name json commands...
  local json=$1; shift
  hyperfine -N --warmup 2 --runs "${RUNS:-7}" --export-json "$json" "$@" >/dev/null 2>&1
}

CAT="sh -c \"find cases -name '*.toml' -print0 | xargs -0 cat >/dev/null\""

# --- 10,000 cases -------------------------------------------------------------------
P10=$(portfolio 10000)
cd "$P10"
bench "$DATA/h10.json" "$CAT" "$SLUSS summary --format json"
c=$(mean "$DATA/h10.json" 0); s=$(mean "$DATA/h10.json" 1); r=$(ratio "$s" "$c")
row "10k: summary --format json / cat of the files" "$r" "<= 1.00" "$(verdict "$r" 1.00)"

# taskwarrior 2.6 with the same 10,000 items imported.
TW="$DATA/taskwarrior"
if [ ! -f "$TW/.stamp" ] || [ "$(cat "$TW/.stamp")" != "$(cat .stamp)" ]; then
  rm -rf "$TW"; mkdir -p "$TW/data"
  printf 'data.location=%s\nconfirmation=off\nverbose=nothing\nhooks=off\n' "$TW/data" > "$TW/rc"
  "$SLUSS" list --format json | python3 -c '
import json, sys
tasks = []
for c in json.load(sys.stdin):
    t = {"description": c["title"], "status": "completed" if c["status"] == "closed" else "pending",
         "project": c["stage"], "tags": [x.replace(" ", "_") for x in c.get("tags", [])],
         "entry": c["created"][:19].replace("-", "").replace(":", "") + "Z"}
    if c["status"] == "closed": t["end"] = t["entry"]
    tasks.append(t)
json.dump(tasks, sys.stdout)' > "$TW/tasks.json"
  TASKRC="$TW/rc" task import "$TW/tasks.json" >/dev/null 2>&1
  cp .stamp "$TW/.stamp"
fi
bench "$DATA/htw.json" "$SLUSS summary --format json" "env TASKRC=$TW/rc task summary"
s=$(mean "$DATA/htw.json" 0); t=$(mean "$DATA/htw.json" 1); r=$(ratio "$s" "$t")
row "10k: summary --format json / taskwarrior 'task summary'" "$r" "<= 0.50" "$(verdict "$r" 0.50)"

# Writing one case: 10 cases against 100,000 (or 10,000 in a quick run).
P_SMALL=$(portfolio 10)
ID_SMALL=$(first_id "$P_SMALL")
cd "$OLDPWD"

if [ -z "${BENCH_QUICK:-}" ]; then
  P_BIG=$(portfolio 100000)
  cd "$P_BIG"
  RUNS=${RUNS_BIG:-5} bench "$DATA/h100.json" "$CAT" "$SLUSS summary --format json" "$SLUSS check" \
    "$SLUSS list --stage testa --status open"
  c=$(mean "$DATA/h100.json" 0)
  for i in 1 2 3; do
    name=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['results'][int(sys.argv[2])]['command'].split('sluss ',1)[1])" "$DATA/h100.json" $i)
    r=$(ratio "$(mean "$DATA/h100.json" $i)" "$c")
    row "100k: $name / cat of the files" "$r" "<= 1.00" "$(verdict "$r" 1.00)"
  done
  for cmd in "summary --format json" "check"; do
    m=$(peak_mb $SLUSS $cmd)
    row "100k: peak memory of $cmd (MB)" "$m" "< 200" "$(verdict "$m" 199)"
  done
  cd "$OLDPWD"
else
  P_BIG=$P10
fi
ID_BIG=$(first_id "$P_BIG")
bench "$DATA/hw.json" \
  "$SLUSS --repo $P_SMALL session $ID_SMALL --minutes 30 --date 2020-06-01" \
  "$SLUSS --repo $P_BIG session $ID_BIG --minutes 30 --date 2020-06-01"
r=$(ratio "$(mean "$DATA/hw.json" 1)" "$(mean "$DATA/hw.json" 0)")
row "write: session on $(basename "$P_BIG" | tr -d p) cases / on 10 cases" "$r" "<= 3.00" "$(verdict "$r" 3.00)"

echo
echo "sluss $("$SLUSS" --version | cut -d' ' -f2) on $(nproc) cores, $(uname -m); data: examples/generate --seed 1"
printf '%-58s %10s %8s  %s\n' "measure" "value" "target" ""
printf '%s\n' "${rows[@]}"
