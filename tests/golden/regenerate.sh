#!/usr/bin/env bash
# Regenerate the APA golden files from the yardstick: pandoc citeproc with the official apa.csl.
# Needs pandoc (pypandoc-binary 1.17 = pandoc 3.9 in .venv) and shared/apa-yardstick beside
# the repository. Usage: tests/golden/regenerate.sh   (APA_ORACLE / PYTHON override the paths)
set -euo pipefail
golden="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$golden/../.." && pwd)"
oracle="${APA_ORACLE:-$root/../shared/apa-yardstick/apa_oracle.py}"
python="${PYTHON:-$root/.venv/bin/python}"

render() {  # render BIB NAME -> NAME.tsv (plain text) and NAME.html.tsv (italics and links)
  "$python" "$oracle" "$1" > "$golden/$2.tsv"
  "$python" "$oracle" "$1" --format html > "$golden/$2.html.tsv"
}

render "$root/references.bib" references
for bib in "$root"/tests/fixtures/*.bib; do
  render "$bib" "$(basename "$bib" .bib)"
done
for set in realworld types; do  # compared in tests/test_realworld.py
  mkdir -p "$golden/$set"
  for bib in "$root"/tests/fixtures/"$set"/*.bib; do
    render "$bib" "$set/$(basename "$bib" .bib)"
  done
done
