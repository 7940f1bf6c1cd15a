#!/bin/sh
# The image's entrypoint, taking what dex's image takes: a command and its arguments (`dex serve ...`,
# `ferry serve ...`, or any program in the image), run in place of this shell.
# dex's own entrypoint (dex v2.45.1 cmd/docker-entrypoint/main.go) first renders each *.yaml/*.tpl argument of
# `dex serve` with gomplate; Ferry has no gomplate, so a config file holding a gomplate action ("{{") is refused here
# with a clear message rather than served half-rendered (docs/container.md).
if [ $# -eq 0 ]; then
  echo "error: no args passed to entrypoint (try: ferry serve /etc/dex/config.yaml)" >&2
  exit 1
fi
# A line holding "{{" (read with the shell alone: the image has no grep).
has_template() {
  while IFS= read -r line || [ -n "$line" ]; do
    case "$line" in *'{{'*) return 0 ;; esac
  done < "$1"
  return 1
}
case "$1" in
  dex | ferry | /usr/local/bin/dex | /usr/local/bin/ferry)
    if [ "${2:-}" = serve ]; then
      for arg in "$@"; do
        case "$arg" in
          *.yaml | *.yml | *.tpl | *.tmpl)
            if [ -f "$arg" ] && has_template "$arg"; then
              echo "error: $arg holds a gomplate template ({{ ... }}); Ferry reads plain YAML (with \$VAR expansion):" >&2
              echo "       render it before mounting it (docs/container.md)" >&2
              exit 1
            fi
            ;;
        esac
      done
    fi
    ;;
esac
exec "$@"
