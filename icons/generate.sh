#!/usr/bin/env bash
# Regenerates every app icon from one source, drawn here with ImageMagick (a monogram, no source
# artwork to keep): the RGBA PNGs Linux packages install per size (32, 64, 128, 256 as
# 128x128@2x, 512 as icon.png), icon.ico for Windows and icon.icns for macOS. src-tauri/tauri.conf.json's
# bundle lists them. Needs Debian's imagemagick and icnsutils (png2icns); nothing is downloaded.
set -euo pipefail
cd "$(dirname "$0")"
for tool in convert png2icns; do
  command -v "$tool" >/dev/null || { echo "icons: $tool is missing (apt-get install imagemagick icnsutils)" >&2; exit 1; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
master="$work/master.png"
convert -size 1024x1024 xc:none \
  -fill '#4f46e5' -draw 'roundrectangle 64,64 960,960 200,200' \
  -fill white -font DejaVu-Sans-Bold -pointsize 560 -gravity center -annotate +0-30 'a' \
  -fill '#a5b4fc' -draw 'circle 760,280 760,330' \
  PNG32:"$master"
for size in 32 64 128; do
  convert "$master" -resize "${size}x${size}" PNG32:"${size}x${size}.png"
done
convert "$master" -resize 256x256 PNG32:128x128@2x.png
convert "$master" -resize 512x512 PNG32:icon.png
convert "$master" -define icon:auto-resize=256,128,64,48,32,16 icon.ico
# png2icns picks each image's slot by its size.
for size in 16 32 48 128 256 512 1024; do
  convert "$master" -resize "${size}x${size}" PNG32:"$work/icns-$size.png"
done
png2icns icon.icns "$work"/icns-{16,32,48,128,256,512,1024}.png >/dev/null
