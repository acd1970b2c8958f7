#!/usr/bin/env bash
# The paper-scale reference on a 2-core CPU: every question's `full` profile, cut down
# (fewer seeds, shorter budgets, where `full` would take hours per question) so the
# whole catalogue fits in about two hours (on this project's 2-core machine, 2026-11-30:
# about 170 CPU-minutes of trials). Two queues of one worker each keep both
# cores busy; each command is an ordinary resumable run, so rerunning this script after
# an interruption continues where it stopped. The cuts are recorded in each run's
# command and, after the build, in each reference's `reductions` line.
#
#   bash benchmarks/reference_full_cpu.sh /tmp/ref-full      # then:
#   python -m deepfaq.reference build --from /tmp/ref-full/A
#   python -m deepfaq.reference build --from /tmp/ref-full/B
#
# With a GPU, run `deepfaq run --all --profile full --device cuda --out DIR` instead:
# no cuts are needed there.
set -uo pipefail
root=${1:-/tmp/ref-full}
deepfaq=${DEEPFAQ:-deepfaq}
mkdir -p "$root"
run() {  # run QUEUE ID ARGS…: one question of the full profile on the CPU
  local queue=$1; shift
  echo "=== $(date +%T) start $*"
  "$deepfaq" run "$@" --profile full --device cpu --workers 1 --out "$root/$queue"
  echo "=== $(date +%T) done $1 (exit $?)"
}
queue_a() {
  run A lstm-vs-gru --seeds 3 --seed-batch 1 --set adding_steps=2000 --set lm_steps=1500 \
    --set lm_hidden=128 --set lm_seq=64
  run A bert --seeds 3 --set steps=6000 --set head_steps=1500 --set dim=48 --set layers=2 \
    --set heads=2 --set vocab=1000
  run A text-cnn --seeds 3 --set folds_used=1 --set 'curve_sizes=(250, 1000, 4000)'
}
queue_b() {
  run B autoencoders --seeds 3 --set bottleneck.steps=6000 --set bottleneck.deep_steps=6000 \
    --set colourise.steps=1500 --set compression.steps=6000 --set denoising.steps=1500 \
    --set pretraining.steps=2000 --set sparse.plain_steps=4000 --set sparse.sparse_steps=2000 \
    --set vae.steps=6000
  run B handwriting --seeds 3 --set steps=8000 --set n_train_lines=12000 \
    --set n_test_lines=1000 --set lr=0.003
  run B zero-init
  run B activations
  run B batch-norm --seeds 3 --set steps=6000 --set sweep_steps=1000
  run B conv-vs-dense --seeds 3 --set steps=3000
  run B xavier --seeds 3 --set width=64 --set steps=1500
  run B upsampling --seeds 3 --set steps=1500
  run B init-scale --seeds 3
  run B topics --seeds 3
  run B nlp-use-cases --seeds 3
  run B embedding-limits --seeds 3
  run B word-embeddings --seeds 3
}
start=$(date +%s)
queue_a > "$root/A.log" 2>&1 &
queue_b > "$root/B.log" 2>&1 &
wait
echo "both queues done in $(( $(date +%s) - start )) s"
