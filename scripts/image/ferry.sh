#!/bin/sh
# `ferry` in the image, also installed as `dex`: the same program, so dex's command line (`dex serve [flags]
# /etc/dex/config.yaml`, `dex version`) works unchanged. exec keeps Ferry as the process that gets the signals.
exec /usr/bin/node /usr/lib/ferry/dist/bundle/main.js "$@"
