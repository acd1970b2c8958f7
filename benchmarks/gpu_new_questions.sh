#!/usr/bin/env bash
# On a CUDA machine: smoke runs of the GPU-capable questions added with issues 5-7 on
# --device cuda, the bert page at full size (fewer steps), and the autoencoders' quick
# profile.
# The machine has no network, so the MiniLM encoder (90 MB) cannot travel: bert runs
# with --set minilm_probe=False, and the MiniLM questions are left to CPU runs.
# Wheels for packages the machine lacks may be carried in .whl/. Writes to ${OUT:-.}.
set -uo pipefail
out=${OUT:-benchmarks/results}
mkdir -p "$out"
if compgen -G ".whl/*.whl" > /dev/null; then
  python3 -m pip install -q --no-index --no-deps --no-compile --target /tmp/site .whl/*.whl
  export PYTHONPATH=/tmp/site
fi
export PYTHONPATH="src${PYTHONPATH:+:$PYTHONPATH}" PYTHONUNBUFFERED=1 MPLBACKEND=Agg
python3 -c "import torch; print('torch', torch.__version__, torch.cuda.get_device_name(0))"
run() {  # name, timeout, deepfaq run arguments...
  local name=$1 limit=$2; shift 2
  local t0=$SECONDS
  timeout "$limit" python3 -m deepfaq run "$@" --device cuda --json --out /tmp/runs \
    > "$out/$name.jsonl" 2> "$out/$name.err"
  echo "$name: exit $? in $((SECONDS - t0)) s"
}
run smoke-cuda 120 autoencoders text-cnn --profile smoke --workers 3
run smoke-cuda-bert 60 bert --profile smoke --set minilm_probe=False
# full's architecture (4 layers, width 128, 5,000 words) with 6,000 of its 20,000 steps:
# what fits the session's GPU allowance
run bert-full-cuda 330 bert --profile full --seeds 2 --workers 2 --set steps=6000 \
  --set eval_every=500 --set head_steps=1500 --set minilm_probe=False
run autoencoders-quick-cuda 100 autoencoders --profile quick --workers 3
python3 - "$out" <<'PY'
import glob, json, sys
for f in sorted(glob.glob("/tmp/runs/*/*/*/result.json")):
    r = json.load(open(f))
    env = r["environment"]
    print(r["question"], r["profile"], env["device"], env.get("device_name"),
          r.get("seconds"), {c.get("id"): c.get("verdict") for c in r["claims"]})
PY
tail -n 3 "$out"/*.err
