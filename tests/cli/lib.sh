# Helpers for the command-line tests (sourced).
set -u
: "${SPYSCAN_BIN:?SPYSCAN_BIN must point at the spyscan binary}"
: "${SPYSCAN_SOURCE_DIR:?}"
failures=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# expect_exit CODE -- ARGS...: runs spyscan, keeps stdout/stderr in $out/$err.
expect_exit() {
  local want=$1; shift; [ "$1" = "--" ] && shift
  set +e
  "$SPYSCAN_BIN" "$@" >"$tmp/out" 2>"$tmp/err"
  local got=$?
  set -e
  out=$(cat "$tmp/out"); err=$(cat "$tmp/err")
  if [ "$got" != "$want" ]; then
    echo "FAIL: spyscan $* exited $got, expected $want"; echo "stdout: $out"; echo "stderr: $err"
    failures=$((failures + 1))
  fi
}

# expect_in TEXT HAYSTACK NAME
expect_in() {
  case "$2" in
    *"$1"*) ;;
    *) echo "FAIL: $3 lacks '$1'"; echo "$2" | head -20; failures=$((failures + 1)) ;;
  esac
}

finish() {
  if [ "$failures" -ne 0 ]; then echo "$failures failure(s)"; exit 1; fi
  echo "all assertions passed"
}
