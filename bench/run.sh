#!/usr/bin/env bash
# Issue 6's performance targets (and issue 11's for publishing), measured side by side
# in one run on this machine.
#
#   bench/run.sh            # 10,000 and 100,000 cases (builds them once, ~15 s)
#   BENCH_QUICK=1 bench/run.sh   # 10,000 cases only
#   BENCH_ONLY=publish bench/run.sh   # only the publishing step (10,000 cases)
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
    # As after any checkout that is more than a moment old: the cache never takes a file
    # changed in the last 2 s, so freshly generated files would be parsed on every run.
    find "$dir" -type f -exec touch -d '2020-06-30 12:00' {} +
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
# The first open case of a portfolio that is not in the pipeline's last stage.
movable_id() {
  "$SLUSS" --repo "$1" list --status open --format json | python3 -c '
import json, sys, tomllib
last = tomllib.load(open(sys.argv[1], "rb"))["stages"][-1]["key"]
print(next(c["id"] for c in json.load(sys.stdin) if c["stage"] != last))' "$1/sluss.toml"
}

rows=()
row() { rows+=("$(printf '%-58s %10s %8s  %-6s  %s' "$1" "$2" "$3" "$4" "${5:-}")"); }
ms() { python3 -c "import sys; print(' / '.join(f'{float(x)*1000:.1f}' for x in sys.argv[1:]) + ' ms')" "$@"; }

bench() { # name json commands...
  local json=$1; shift
  hyperfine -N --warmup 2 --runs "${RUNS:-7}" --export-json "$json" "$@" >/dev/null 2>&1
}

CAT="sh -c \"find cases -name '*.toml' -print0 | xargs -0 cat >/dev/null\""

# --- 10,000 cases -------------------------------------------------------------------
P10=$(portfolio 10000)
cd "$P10"
report() {
  echo
  echo "sluss $("$SLUSS" --version | cut -d' ' -f2) on $(nproc) cores, $(uname -m); data: examples/generate --seed 1"
  printf '%-58s %10s %8s  %-6s  %s\n' "measure" "value" "target" "" "mean times"
  printf '%s\n' "${rows[@]}"
}
if [ "${BENCH_ONLY:-}" != publish ]; then
bench "$DATA/h10.json" "$CAT" "$SLUSS summary --format json" \
  "env SLUSS_NO_CACHE=1 $SLUSS summary --format json"
c=$(mean "$DATA/h10.json" 0); s=$(mean "$DATA/h10.json" 1); r=$(ratio "$s" "$c")
row "10k: summary --format json / cat of the files" "$r" "<= 1.00" "$(verdict "$r" 1.00)" "$(ms "$s" "$c")"
n=$(mean "$DATA/h10.json" 2); r=$(ratio "$n" "$c")
row "10k: summary --format json, no cache / cat" "$r" "-" "info" "$(ms "$n" "$c")"
fi

# Publishing: every submitter a different person, so that the names to keep out of
# published text are as many as the cases. Each publishing command stays within 2x of
# plain summary.
distinct() { # folder -> a copy whose submitters all have names of their own
  local dir="$1-distinct"
  if [ ! -f "$dir/.stamp" ] || [ "$(cat "$dir/.stamp")" != "$(cat "$1/.stamp")" ]; then
    rm -rf "$dir"; cp -r "$1" "$dir"; rm -rf "$dir/.sluss"
    python3 - "$dir/cases" <<'PY'
import os, re, sys
letters = "abcdefghijklmnopqrstuvwxyz"
def word(n):
    w = ""
    while True:
        w = letters[n % 26] + w; n //= 26
        if n == 0: return w.capitalize()
for i, f in enumerate(sorted(os.listdir(sys.argv[1]))):
    p = os.path.join(sys.argv[1], f)
    t = open(p, encoding="utf-8").read()
    t = re.sub(r'(\[submitter\]\nname = ")([^"]*)"', lambda m: f'{m.group(1)}{m.group(2)} {word(i + 1000)}"', t, count=1)
    open(p, "w", encoding="utf-8").write(t)
PY
    find "$dir" -type f -exec touch -d '2020-06-30 12:00' {} +
    cp "$1/.stamp" "$dir/.stamp"
  fi
  echo "$dir"
}
D10=$(distinct "$P10")
cd "$D10"
bench "$DATA/hp.json" "$SLUSS summary" "$SLUSS summary --public" \
  "$SLUSS export --redact" "$SLUSS digest --since 2018-01-01"
s=$(mean "$DATA/hp.json" 0)
for i in 1 2 3; do
  name=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['results'][int(sys.argv[2])]['command'].split('sluss ',1)[1])" "$DATA/hp.json" $i)
  m=$(mean "$DATA/hp.json" $i); r=$(ratio "$m" "$s")
  row "10k distinct names: $name / summary" "$r" "<= 2.00" "$(verdict "$r" 2.00)" "$(ms "$m" "$s")"
done
if [ "${BENCH_ONLY:-}" = publish ]; then report; exit 0; fi
cd "$P10"

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
row "10k: summary --format json / taskwarrior 'task summary'" "$r" "<= 0.50" "$(verdict "$r" 0.50)" "$(ms "$s" "$t")"

# Writing one case: 10 cases against 100,000 (or 10,000 in a quick run).
P_SMALL=$(portfolio 10)
ID_SMALL=$(first_id "$P_SMALL")
cd "$OLDPWD"

if [ -z "${BENCH_QUICK:-}" ]; then
  P_BIG=$(portfolio 100000)
  cd "$P_BIG"
  RUNS=${RUNS_BIG:-5} bench "$DATA/h100.json" "$CAT" "$SLUSS summary --format json" "$SLUSS check" \
    "$SLUSS list --stage testa --status open" "env SLUSS_NO_CACHE=1 $SLUSS summary --format json" \
    "env SLUSS_NO_CACHE=1 $SLUSS check"
  c=$(mean "$DATA/h100.json" 0)
  for i in 1 2 3 4 5; do
    name=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['results'][int(sys.argv[2])]['command'].split('sluss ',1)[1])" "$DATA/h100.json" $i)
    m=$(mean "$DATA/h100.json" $i); r=$(ratio "$m" "$c")
    if [ "$i" -le 3 ]; then
      row "100k: $name / cat of the files" "$r" "<= 1.00" "$(verdict "$r" 1.00)" "$(ms "$m" "$c")"
    else
      row "100k: $name, no cache / cat" "$r" "-" "info" "$(ms "$m" "$c")"
    fi
  done
  # A fresh clone gives every file a new time; with the cache restored (a CI cache),
  # the files are read and hashed but not parsed.
  RUNS=3 bench "$DATA/hc.json" --prepare "sh -c \"find cases -type f -exec touch -d '1 hour ago' {} + && sync\"" \
    "$SLUSS summary --format json"
  m=$(mean "$DATA/hc.json" 0); r=$(ratio "$m" "$c")
  row "100k: summary, new file times, cache restored / cat" "$r" "-" "info" "$(ms "$m" "$c")"
  for cmd in "summary --format json" "check" "list --stage testa --status open"; do
    m=$(peak_mb $SLUSS $cmd)
    row "100k: peak memory of $cmd (MB)" "$m" "< 200" "$(verdict "$m" 199)"
  done
  # The first run after a clone has no cache yet, and writes it.
  for cmd in "summary --format json" "check"; do
    rm -rf .sluss/cache
    m=$(peak_mb $SLUSS $cmd)
    row "100k: peak memory of $cmd, no cache yet (MB)" "$m" "< 200" "$(verdict "$m" 199)"
  done
  cd "$OLDPWD"
else
  P_BIG=$P10
fi
ID_BIG=$(first_id "$P_BIG")
BIG=$(basename "$P_BIG" | tr -d p)
bench "$DATA/hw.json" \
  "$SLUSS --repo $P_SMALL session $ID_SMALL --minutes 30 --date 2020-06-01" \
  "$SLUSS --repo $P_BIG session $ID_BIG --minutes 30 --date 2020-06-01"
b=$(mean "$DATA/hw.json" 1); a=$(mean "$DATA/hw.json" 0); r=$(ratio "$b" "$a")
row "write: session on $BIG cases / on 10 cases" "$r" "<= 3.00" "$(verdict "$r" 3.00)" "$(ms "$b" "$a")"

# advance moves a case on, so each run starts from a saved copy of the case's file.
MOVE_SMALL=$(movable_id "$P_SMALL"); MOVE_BIG=$(movable_id "$P_BIG")
F_SMALL="$P_SMALL/cases/$MOVE_SMALL.toml"; F_BIG="$P_BIG/cases/$MOVE_BIG.toml"
cp "$F_SMALL" "$DATA/advance-small.toml"; cp "$F_BIG" "$DATA/advance-big.toml"
bench "$DATA/ha.json" \
  --prepare "cp $DATA/advance-small.toml $F_SMALL" \
  "$SLUSS --repo $P_SMALL advance $MOVE_SMALL --force --note bench" \
  --prepare "cp $DATA/advance-big.toml $F_BIG" \
  "$SLUSS --repo $P_BIG advance $MOVE_BIG --force --note bench"
cp "$DATA/advance-small.toml" "$F_SMALL"; cp "$DATA/advance-big.toml" "$F_BIG"
b=$(mean "$DATA/ha.json" 1); a=$(mean "$DATA/ha.json" 0); r=$(ratio "$b" "$a")
row "write: advance on $BIG cases / on 10 cases" "$r" "<= 3.00" "$(verdict "$r" 3.00)" "$(ms "$b" "$a")"

report
