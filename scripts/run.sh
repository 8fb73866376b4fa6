#!/usr/bin/env bash
# Start the action server and the Rasa server; Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.venv
# `make run` is for trying the assistant: development mode unless told otherwise
# (outside it, the action server refuses demo secrets such as DOSSIER_HASH_KEY).
export APP_ENV="${APP_ENV:-development}"
# The settings object checks every setting first (a malformed one stops here, named, in Vietnamese)
# and gives the ports and the action server's address (endpoints.yml reads ${ACTION_SERVER_URL}).
exports="$("$VENV/bin/python" -m settings)" || exit 2
eval "$exports"
mkdir -p var/log

# Tokens made for this run when not set: the officers' desk API (OFFICER_API_TOKEN), Rasa's HTTP
# API (RASA_API_TOKEN, its --auth-token) and the action server, which answers only Rasa's calls
# carrying ACTION_SERVER_TOKEN (endpoints.yml sends it).
new_token() { "$VENV/bin/python" -c 'import secrets; print(secrets.token_urlsafe(24))'; }
[ -n "${OFFICER_API_TOKEN:-}" ] || OFFICER_API_TOKEN="$(new_token)"
[ -n "${RASA_API_TOKEN:-}" ] || RASA_API_TOKEN="$(new_token)"
[ -n "${ACTION_SERVER_TOKEN:-}" ] || ACTION_SERVER_TOKEN="$(new_token)"
export OFFICER_API_TOKEN RASA_API_TOKEN ACTION_SERVER_TOKEN

pids=()
# Exists once both servers answered: from then on a dead server is always started again.
READY_FLAG="var/run-ready.$$"
rm -f "$READY_FLAG"
stop() {
  # Further Ctrl-C / SIGTERM (make passes SIGTERM on, a second Ctrl-C) must not cut the stop short.
  trap '' INT TERM
  trap - EXIT
  echo
  echo "Đang dừng trợ lý..."
  # Rasa first (it finishes replies on their way, which may still call the actions server).
  for (( i=${#pids[@]}-1; i>=0; i-- )); do
    kill "${pids[$i]}" 2>/dev/null || true
    wait "${pids[$i]}" 2>/dev/null || true
  done
  rm -f "$READY_FLAG"
  echo "Đã dừng."
  exit "${1:-0}"
}
# Ctrl-C or SIGTERM is how an operator stops the assistant: a clean stop, exit status 0.
trap 'stop 0' INT TERM
trap stop EXIT

# Each server runs under a supervisor that starts it again when it dies (a crash, the OOM killer, a
# kill -9): while the action server restarts, Rasa answers with the failure reply and the hotline,
# then goes on. Once the assistant is ready, a server is always started again, after a pause that
# grows (1, 2, 4 ... 30 s) while it keeps dying within 30 s of its start, and the terminal says so;
# the healthy server keeps serving meanwhile. Before that, a server that dies 3 times in a row
# within 30 s of starting is given up and `make run` stops, naming it and its log (a setting or a
# file is wrong: restarting would not help). Logs are appended, one header line per start.
supervise() {
  local name="$1" log="$2" health="$3" child=0 quick=0 code started pause restarts=0
  shift 3
  trap 'kill -TERM "$child" 2>/dev/null; wait "$child" 2>/dev/null; exit 0' TERM INT
  while :; do
    echo "=== $(date -u +%FT%TZ) khởi động $name (pid của trình giám sát $BASHPID)" >>"$log"
    started=$SECONDS
    "$@" >>"$log" 2>&1 &
    child=$!
    if (( restarts > 0 )); then  # say when a restarted server answers again
      ( for _ in $(seq 1 240); do
          curl -fs "$health" >/dev/null 2>&1 && { echo "$name đã chạy lại." >&2; exit 0; }
          kill -0 "$child" 2>/dev/null || exit 0
          sleep 0.5
        done ) &
    fi
    restarts=$((restarts + 1))
    code=0
    wait "$child" 2>/dev/null || code=$?
    if (( SECONDS - started < 30 )); then quick=$((quick + 1)); else quick=0; fi
    if [ ! -e "$READY_FLAG" ] && (( quick >= 3 )); then
      echo "=== $name dừng 3 lần liền ngay sau khi khởi động (mã $code): không khởi động lại" >>"$log"
      echo "$name dừng 3 lần liền ngay sau khi khởi động (mã $code); không khởi động lại, xem $log." >&2
      exit "$(( code == 0 ? 1 : code ))"
    fi
    pause=$(( quick <= 1 ? 1 : (quick >= 6 ? 30 : 1 << (quick - 1)) ))
    echo "=== $(date -u +%FT%TZ) $name đã dừng (mã $code), khởi động lại sau $pause giây" >>"$log"
    echo "$name đã dừng (mã $code); đang khởi động lại sau $pause giây (xem $log)." >&2
    sleep "$pause"
  done
}

# Both servers listen on loopback only (the action server on SANIC_HOST, 127.0.0.1 unless set).
supervise "máy chủ actions" var/log/actions.log "http://127.0.0.1:${ACTIONS_PORT}/health" \
  "$VENV/bin/rasa" run actions --actions actions --port "$ACTIONS_PORT" &
pids+=($!)
supervise "máy chủ Rasa" var/log/rasa.log "http://127.0.0.1:${RASA_PORT}/" \
  "$VENV/bin/rasa" run --model models/current.tar.gz --enable-api --auth-token="$RASA_API_TOKEN" \
  --interface 127.0.0.1 --port "$RASA_PORT" \
  --endpoints endpoints.yml --credentials credentials.yml &
pids+=($!)

echo "Đang khởi động (khoảng 30–60 giây)... nhật ký: var/log/rasa.log, var/log/actions.log"
for _ in $(seq 1 180); do
  if curl -fs "http://127.0.0.1:${RASA_PORT}/status?token=${RASA_API_TOKEN}" >/dev/null 2>&1 \
     && curl -fs "http://127.0.0.1:${ACTIONS_PORT}/health" >/dev/null 2>&1; then break; fi
  for pid in "${pids[@]}"; do
    kill -0 "$pid" 2>/dev/null || {
      echo "Một tiến trình đã dừng bất thường, xem var/log/:"
      tail -n 5 var/log/actions.log var/log/rasa.log
      exit 1
    }
  done
  sleep 1
done
curl -fs "http://127.0.0.1:${RASA_PORT}/status?token=${RASA_API_TOKEN}" >/dev/null || { echo "Rasa không khởi động được, xem var/log/rasa.log"; exit 1; }
curl -fs "http://127.0.0.1:${ACTIONS_PORT}/health" >/dev/null || { echo "Máy chủ actions không trả lời, xem var/log/actions.log"; exit 1; }
touch "$READY_FLAG"

if [ "$APP_ENV" = "development" ]; then
  if [ -n "$DEMO_SECRETS" ]; then
    MODE="Chế độ phát triển (APP_ENV=development): khóa mẫu cho ${DEMO_SECRETS}, chỉ để chạy thử với dữ liệu giả."
  else
    MODE="Chế độ phát triển (APP_ENV=development)."
  fi
else
  MODE="Chế độ vận hành (APP_ENV=${APP_ENV})."
fi

if [ -n "${ZALO_APP_ID:-}" ] && [ -n "${ZALO_OA_SECRET_KEY:-}" ]; then
  ZALO_STATE="đã cấu hình"
else
  ZALO_STATE="chưa cấu hình: đặt ZALO_APP_ID, ZALO_OA_SECRET_KEY... xem README"
fi

cat <<MSG

Trợ lý đã sẵn sàng. ${MODE}
  Trang trò chuyện:      http://127.0.0.1:${RASA_PORT}/webhooks/webchat/
  Rasa (REST, HTTP API): http://127.0.0.1:${RASA_PORT} (HTTP API: thêm ?token=${RASA_API_TOKEN})
  Máy chủ actions:       http://127.0.0.1:${ACTIONS_PORT} (Rasa gọi ${ACTION_SERVER_URL} kèm ACTION_SERVER_TOKEN)
  Zalo OA webhook:       http://127.0.0.1:${RASA_PORT}/webhooks/zalo/webhook (${ZALO_STATE})

Mở trang trò chuyện trong trình duyệt, hoặc hỏi qua REST (máy chủ cấp mã cuộc trò chuyện trước):
  S=\$(curl -s -X POST http://127.0.0.1:${RASA_PORT}/webhooks/rest/conversations | sed 's/.*"sender":"\([^"]*\)".*/\1/')
  curl -s -X POST http://127.0.0.1:${RASA_PORT}/webhooks/rest/webhook \\
       -H 'Content-Type: application/json' \\
       -d "{\"sender\": \"\$S\", \"message\": \"đăng ký khai sinh cần giấy tờ gì\"}"

Tra cứu hồ sơ mẫu (dữ liệu giả): hỏi "hồ sơ của tôi đến đâu rồi", đưa mã, rồi 4 số cuối điện thoại:
$("$VENV/bin/python" -m dossiers samples --limit 3 2>/dev/null | sed 's/^/  /')

Cán bộ xem hàng chờ hỗ trợ (khi người dân gõ "cho tôi gặp cán bộ"):
  curl -s -H "Authorization: Bearer ${OFFICER_API_TOKEN}" http://127.0.0.1:${RASA_PORT}/webhooks/officer/tickets
  (trả lời, trả lại cho trợ lý ảo: xem README, mục "Handing over to an officer")

Hoặc trò chuyện trong terminal:  .venv/bin/python -m scripts.chat --port ${RASA_PORT}
Nhấn Ctrl-C để dừng.
MSG
# Ctrl-C reaches the servers too, and one may end before this script's trap runs: a server that
# ended cleanly or on a signal (0, 130, 143) is a stop; anything else is a failure worth saying so.
status=0
wait -n "${pids[@]}" || status=$?
case "$status" in
  0|130|143) stop 0 ;;
  *) echo "Một trình giám sát máy chủ đã dừng bất thường (mã $status), xem var/log/rasa.log và var/log/actions.log."
     exit 1 ;;
esac
