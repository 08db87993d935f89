#!/usr/bin/env bash
# Regenerates the app icons from scratch with ImageMagick (a monogram, no source artwork to keep).
# Tauri needs RGBA PNGs (32x32, 128x128, 128x128@2x, icon.png) on Linux, icon.ico on Windows; the bundle lists them
# in tauri.conf.json. A macOS build also needs icon.icns (`tauri icon icons/icon.png` makes one).
set -euo pipefail
cd "$(dirname "$0")"
master=$(mktemp --suffix=.png)
trap 'rm -f "$master"' EXIT
convert -size 1024x1024 xc:none \
  -fill '#4f46e5' -draw 'roundrectangle 64,64 960,960 200,200' \
  -fill white -font DejaVu-Sans-Bold -pointsize 560 -gravity center -annotate +0-30 'a' \
  -fill '#a5b4fc' -draw 'circle 760,280 760,330' \
  PNG32:"$master"
for size in 32 128; do
  convert "$master" -resize "${size}x${size}" PNG32:"${size}x${size}.png"
done
convert "$master" -resize 256x256 PNG32:128x128@2x.png
convert "$master" -resize 512x512 PNG32:icon.png
convert "$master" -define icon:auto-resize=256,128,64,48,32,16 icon.ico
