#!/usr/bin/env bash
# Run the catalogue on a CUDA machine: smoke on --device cuda (checks every cuda
# path), then time each question's quick profile on cuda. Writes to ${OUT:-.}.
# Wheels for packages the machine lacks may be carried in .whl/.
set -uo pipefail
out=${OUT:-benchmarks/results}
mkdir -p "$out"
if compgen -G ".whl/*.whl" > /dev/null; then
  python3 -m pip install -q --no-index --no-deps --no-compile --target /tmp/site .whl/*.whl
  export PYTHONPATH=/tmp/site
fi
export PYTHONPATH="src${PYTHONPATH:+:$PYTHONPATH}" PYTHONUNBUFFERED=1 MPLBACKEND=Agg
python3 -c "import torch, typer; print('torch', torch.__version__, 'typer', typer.__version__,
'gpu', torch.cuda.get_device_name(0))"
nvidia-smi --query-gpu=name,memory.used --format=csv,noheader
time python3 -m deepfaq run --all --profile smoke --device cuda --json --out /tmp/runs-smoke \
  > "$out/smoke-cuda.jsonl"
python3 - "$out/smoke-cuda.jsonl" <<'PY'
import glob, json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    env = json.load(open(glob.glob(f"/tmp/runs-smoke/{r['question']}/smoke/*/result.json")[0]))["environment"]
    print(r["question"], env["device"], env["device_name"], r["seconds"],
          {v: sum(c["verdict"] == v for c in r["claims"]) for v in ("supported", "refuted", "inconclusive")})
PY
python3 benchmarks/time_catalogue.py --profile quick --device cuda
cp benchmarks/results/quick-cuda.json "$out/" 2>/dev/null || true
