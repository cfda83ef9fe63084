# Shared by the end-to-end test scripts (sourced, not run): a temporary folder
# removed on exit, pass/fail counters, and two helpers.
#   check NAME COMMAND...   counts COMMAND's success, prints "FAIL NAME" otherwise
#   rc COMMAND...           runs COMMAND (output in $tmp/out and $tmp/err), prints its exit code
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0
check() {
  local name=$1
  shift
  if "$@"; then passed=$((passed + 1)); else echo "FAIL $name"; failed=$((failed + 1)); fi
}
rc() { "$@" >"$tmp/out" 2>"$tmp/err"; echo $?; }
