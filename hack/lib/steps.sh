# shellcheck shell=bash
# A small runner for the first-run build: numbered steps in lanes. Steps of one lane run one after the
# other, lanes run side by side (a Go build next to Maven's downloads, say). While it runs it says which
# step of how many is on, how long each usually takes here, and every 30 s what is still running; each
# step's output goes to its own log, whose tail is shown if it fails.
# Sourced; the caller defines log() and die().
#
#   steps_reset <log dir>
#   step_add <id> <lane> <usual seconds> <title> <function>     (the function runs in a subshell)
#   steps_run                                                    returns non-zero if a step failed; call it
#                                                                as a plain command, not under if/||/&&:
#                                                                bash turns `set -e` off inside such calls
#   steps_abort                                                  stops the lanes still running

STEP_IDS=()
declare -A STEP_LANE=() STEP_USUAL=() STEP_TITLE=() STEP_FN=() STEP_NUM=()
STEP_LOG_DIR=""
STEP_LANE_PIDS=()

steps_reset() {
  STEP_IDS=()
  STEP_LANE=() STEP_USUAL=() STEP_TITLE=() STEP_FN=() STEP_NUM=()
  STEP_LOG_DIR="$1"
  STEP_LANE_PIDS=()
}

step_add() {
  local id="$1"
  STEP_IDS+=("$id")
  STEP_LANE[$id]="$2" STEP_USUAL[$id]="$3" STEP_TITLE[$id]="$4" STEP_FN[$id]="$5"
  STEP_NUM[$id]="${#STEP_IDS[@]}"
}

steps_count() { echo "${#STEP_IDS[@]}"; }
# "1 step", "3 steps"
steps_phrase() { if ((${#STEP_IDS[@]} == 1)); then echo "1 step"; else echo "${#STEP_IDS[@]} steps"; fi; }

# 75 -> "1m15s", 40 -> "40s".
human_seconds() {
  local s="$1"
  if ((s >= 60)); then printf '%dm%02ds' $((s / 60)) $((s % 60)); else printf '%ds' "$s"; fi
}

# The usual wall time of the whole plan: its longest lane.
steps_usual_total() {
  local id lane max=0
  local -A sum=()
  for id in "${STEP_IDS[@]}"; do
    lane="${STEP_LANE[$id]}"
    sum[$lane]=$((${sum[$lane]:-0} + STEP_USUAL[$id]))
  done
  for lane in "${!sum[@]}"; do ((sum[$lane] > max)) && max=${sum[$lane]}; done
  echo "$max"
}

# Runs the steps of one lane in order; <log dir>/<id>.{start,done} tell the main loop where it is.
step_lane_run() {
  local lane="$1" id start rc
  for id in "${STEP_IDS[@]}"; do
    [[ "${STEP_LANE[$id]}" == "$lane" ]] || continue
    start=$SECONDS
    date +%s >"$STEP_LOG_DIR/$id.start"
    rc=0
    # Started asynchronously and waited for: a subshell on the left of `||` would run with `set -e` off.
    ("${STEP_FN[$id]}") >"$STEP_LOG_DIR/$id.log" 2>&1 </dev/null &
    wait "$!" || rc=$?
    echo "$rc $((SECONDS - start))" >"$STEP_LOG_DIR/$id.done"
    ((rc == 0)) || return "$rc"
  done
}

step_label() { echo "step ${STEP_NUM[$1]}/${#STEP_IDS[@]} ${STEP_TITLE[$1]}"; }

# Kills every lane (each in its own process group, so its go build or mvn goes too).
steps_abort() {
  local pid
  for pid in "${STEP_LANE_PIDS[@]}"; do
    kill -TERM -- "-$pid" 2>/dev/null || true
  done
  for pid in "${STEP_LANE_PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  STEP_LANE_PIDS=()
}

# True while a lane runs, or when the .done files of every step are there (the lanes just ended).
steps_lanes_alive() {
  local pid id
  for pid in "${STEP_LANE_PIDS[@]}"; do kill -0 "$pid" 2>/dev/null && return 0; done
  for id in "${STEP_IDS[@]}"; do
    [[ -f "$STEP_LOG_DIR/$id.done" ]] || return 1
  done
}

steps_run() {
  ((${#STEP_IDS[@]})) || return 0
  mkdir -p "$STEP_LOG_DIR"
  local id lane
  local -A lanes=() announced=() finished=()
  for id in "${STEP_IDS[@]}"; do
    rm -f "$STEP_LOG_DIR/$id.start" "$STEP_LOG_DIR/$id.done"
    lanes[${STEP_LANE[$id]}]=1
  done
  # Job control gives each lane its own process group, which steps_abort can kill whole.
  set -m
  for lane in "${!lanes[@]}"; do
    step_lane_run "$lane" &
    STEP_LANE_PIDS+=("$!")
  done
  set +m
  local start=$SECONDS next_beat=$((SECONDS + 30)) rc secs running
  while ((${#finished[@]} < ${#STEP_IDS[@]})); do
    for id in "${STEP_IDS[@]}"; do
      if [[ -z "${announced[$id]:-}" && -f "$STEP_LOG_DIR/$id.start" ]]; then
        announced[$id]=1
        log "$(step_label "$id") (usually ~$(human_seconds "${STEP_USUAL[$id]}") here) ..."
      fi
      if [[ -z "${finished[$id]:-}" && -f "$STEP_LOG_DIR/$id.done" ]]; then
        finished[$id]=1
        read -r rc secs <"$STEP_LOG_DIR/$id.done"
        printf '%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$id" "$secs" "$rc" >>"$STEP_LOG_DIR/times.tsv"
        if ((rc != 0)); then
          log "$(step_label "$id") FAILED after $(human_seconds "$secs") (exit $rc); last lines of $STEP_LOG_DIR/$id.log:"
          tail -n 40 "$STEP_LOG_DIR/$id.log" >&2 || true
          steps_abort
          return "$rc"
        fi
        log "$(step_label "$id"): done in $(human_seconds "$secs")"
      fi
    done
    if ! steps_lanes_alive; then
      log "a build lane ended without finishing its steps (killed?); logs in $STEP_LOG_DIR"
      steps_abort
      return 1
    fi
    if ((SECONDS >= next_beat)); then
      running=""
      for id in "${STEP_IDS[@]}"; do
        [[ -n "${announced[$id]:-}" && -z "${finished[$id]:-}" ]] || continue
        running+="${running:+; }step ${STEP_NUM[$id]} $(human_seconds $(($(date +%s) - $(<"$STEP_LOG_DIR/$id.start")))) of ~$(human_seconds "${STEP_USUAL[$id]}")"
      done
      log "  ... $(human_seconds $((SECONDS - start))) in: $running"
      next_beat=$((next_beat + 30))
    fi
    sleep 1
  done
  local pid
  for pid in "${STEP_LANE_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  STEP_LANE_PIDS=()
}
