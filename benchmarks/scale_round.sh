#!/bin/bash
# One round of every large-project benchmark, one after the other (run it on an otherwise idle
# machine; each figure stands beside its floor measured in the same run):
#
#   python -m benchmarks.generate --segments 100000 -o p100k.db
#   python -m benchmarks.generate --segments 1000000 -o p1m.db
#   bash benchmarks/scale_round.sh p100k.db p1m.db LOG_FOLDER
#
# Writes one log per benchmark into LOG_FOLDER; the given projects are never written (the coding
# screen and merge work on copies; the 1M batch commands read the file in place). Takes about an
# hour on two cores. The round of 2026-12-04 is in benchmarks/results/scale.md.
set -u
P100K=$(realpath "$1"); P1M=$(realpath "$2"); L=$(realpath -m "$3")
mkdir -p "$L"
cd "$(dirname "$0")/.."
unset PYTHONDONTWRITEBYTECODE  # compiled bytecode, as an installed package has
python -m compileall -q annotator benchmarks
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
stamp() { echo "== $1 $(date +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"; }
tui() {  # a first start (a fresh data folder: the engine is built), then one with the engine kept
  cp "$2" "$WORK/tui.db"
  mkdir -p "$WORK/home"
  stamp "coding screen $1, first start"
  ANNOTATOR_HOME=$WORK/home python benchmarks/bench_tui.py --db "$WORK/tui.db" --coder coder1
  stamp "coding screen $1, engine kept"
  ANNOTATOR_HOME=$WORK/home python benchmarks/bench_tui.py --db "$WORK/tui.db" --coder coder1
  rm -rf "$WORK/home" "$WORK"/tui.db*
}
{ stamp scale100k; python benchmarks/bench_scale.py --project "$P100K" --repeats 3; } > "$L/scale100k.log" 2>&1
{ stamp merge100k; python benchmarks/merge_realistic.py "$P100K" "$WORK/merge" 7 "main=$PWD"; } > "$L/merge100k.log" 2>&1
tui 100k "$P100K" > "$L/tui100k.log" 2>&1
tui 1m "$P1M" > "$L/tui1m.log" 2>&1
{ stamp search100k; python benchmarks/bench_search.py "$P100K"
  stamp search1m; python benchmarks/bench_search.py "$P1M"; } > "$L/search.log" 2>&1
{ stamp scale1m; python benchmarks/bench_scale.py --project "$P1M" --in-place --repeats 1; } > "$L/scale1m.log" 2>&1
{ stamp scale1m-merge; python benchmarks/bench_scale.py --project "$P1M" --repeats 3 \
    --only "merge (two identical copies)" "merge vs reading both files"; } > "$L/scale1m_merge.log" 2>&1
{ for i in 1 2 3; do stamp "import100k $i"; python benchmarks/bench_import.py --segments 100000 --skip-startup; done
} > "$L/import100k.log" 2>&1
stamp done >> "$L/scale100k.log"
