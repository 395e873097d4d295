#!/bin/bash
# Stands in for `nas` when testing deploy/slurm/nas.sbatch: `node` checks it got the real `nas node` options,
# records its task and waits for the drain signal; `submit` checks `--cluster host:port`, records the spec and prints an id.
# Records go to $NAS_SHARED (nodes, drained, submits).
case "$1" in
  node)
    for option in --config --roles --port --admin-port --store --trainers --drain-before; do
      case " $* " in *" $option "*) ;; *) echo "fake-nas: node without $option" >&2; exit 2 ;; esac
    done
    echo "node $SLURM_PROCID/$SLURM_NTASKS ${*:2}" >>"$NAS_SHARED/nodes"
    trap 'echo "drained $SLURM_PROCID" >>"$NAS_SHARED/drained"; exit 0' USR1 TERM
    # srun signals the whole task, so a child sleep may die before this shell sees the signal: keep waiting.
    while :; do
      sleep 1 &
      wait $!
    done
    ;;
  submit)
    [ "$3" = "--cluster" ] && [[ "$4" == *:* ]] || { echo "fake-nas: submit SPEC --cluster HOST:PORT expected" >&2; exit 2; }
    echo "submit $2 ${*:3}" >>"$NAS_SHARED/submits"
    echo "search-1"
    ;;
  *) echo "fake-nas: unknown command $1" >&2; exit 2 ;;
esac
