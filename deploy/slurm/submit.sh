#!/bin/bash
# Queues N shard tasks and, after all of them succeed, the merge:
#   MODEL=m.pt INPUT=/shared/images OUT=/shared/run1 bash submit.sh 16
# Writes $OUT/results.csv: the same bytes one `uncertainty-cli analyze` would have written.
set -euo pipefail
SHARDS=${1:?usage: submit.sh SHARDS}
HERE=$(cd "$(dirname "$0")" && pwd)
: "${OUT:?set OUT}"
job=$(sbatch --parsable --export=ALL --array="0-$((SHARDS - 1))" "$HERE/analyze-shards.sbatch")
shard_files=()
for ((i = 0; i < SHARDS; i++)); do
    shard_files+=("$OUT/shard-$i.csv")
done
sbatch --dependency="afterok:$job" --job-name=uncertainty-merge --export=ALL \
    --output=uncertainty-merge-%j.log \
    --wrap="uncertainty-cli merge ${shard_files[*]} --out $OUT/results.csv"
echo "queued shards (job $job) and their merge"
