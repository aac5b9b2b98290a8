#!/usr/bin/env bash
# Taps and page loads from the home page for the three everyday orders — buy a data pack, change
# plan, unsubscribe everything — as a subscriber does them in headless Chromium (OrderBrowserTest
# drives the real pages and counts), written into the order-taps section of bench/RESULTS.md.
# Goal (issue 6): at most 2 taps from home plus the SMS confirmation, for each.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

log "running OrderBrowserTest (Chromium at /usr/bin/chromium)"
(cd "$ROOT" && ./mvnw -q -B test -Dtest=OrderBrowserTest -Dsurefire.failIfNoSpecifiedTests=false)
figures="$ROOT/target/bench/order-taps.properties"
value() { grep -m1 "^$1=" "$figures" | cut -d= -f2-; }
verdict() { if (( $1 <= 2 )); then echo "**met**"; else echo "**not met**"; fi; }

tmp="$(mktemp)"
{
  echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') at commit \`$(cd "$ROOT" && git rev-parse --short HEAD)\`, phone viewport 390×844, zh-CN."
  echo
  echo "| task, from the home page | taps before the SMS confirmation | page loads after home (the confirmation's included) | goal ≤ 2 taps + confirmation |"
  echo "|---|---|---|---|"
  for task in buy-data-pack change-plan unsubscribe-all; do
    taps=$(value "$task.taps-before-confirmation")
    echo "| $task | $taps | $(value "$task.page-loads") | $(verdict "$taps") |"
  done
  echo
  echo "The taps: buy data pack = 买流量 → the pack's price button; change plan = 变更套餐 → 立即升级 (or 下个账期生效);"
  echo "unsubscribe all = 退订 → 全部退订. Then the 6-digit SMS code and 确认办理, which the regulator requires for every order."
} >"$tmp"
section order-taps "$tmp"
rm -f "$tmp"
log "wrote $BENCH_DIR/RESULTS.md"
