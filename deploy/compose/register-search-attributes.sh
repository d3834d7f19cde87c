#!/bin/sh
# One-shot of docker-compose.yml (service temporal-admin-tools): registers the promotion search
# attributes in the Temporal namespace once the server is healthy. Safe to run again: an
# attribute that already exists is left alone.
set -eu

namespace="${TEMPORAL_NAMESPACE:-default}"
attributes="PromotionTarget PromotionPhase PromotionImage PromotionOutcome"

# auto-setup creates the namespace shortly after the server reports SERVING.
tries=0
until temporal operator namespace describe --namespace "$namespace" >/dev/null 2>&1; do
  tries=$((tries + 1))
  if [ "$tries" -ge 60 ]; then
    echo "namespace $namespace does not exist after 120 s (TEMPORAL_ADDRESS=${TEMPORAL_ADDRESS:-unset})" >&2
    exit 1
  fi
  sleep 2
done

existing="$(temporal operator search-attribute list --namespace "$namespace")"
for name in $attributes; do
  if printf '%s\n' "$existing" | grep -qw "$name"; then
    echo "search attribute $name already registered"
  else
    temporal operator search-attribute create --namespace "$namespace" --name "$name" --type Keyword
    echo "search attribute $name registered (Keyword)"
  fi
done
