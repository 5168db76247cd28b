#!/usr/bin/env bash
# Regenerate the APA golden files from the yardstick: pandoc citeproc with the official apa.csl.
# Needs pandoc (pypandoc-binary 1.17 = pandoc 3.9 in .venv) and shared/apa-yardstick beside
# the repository. Usage: tests/golden/regenerate.sh   (APA_ORACLE / PYTHON override the paths)
set -euo pipefail
golden="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$golden/../.." && pwd)"
oracle="${APA_ORACLE:-$root/../shared/apa-yardstick/apa_oracle.py}"
python="${PYTHON:-$root/.venv/bin/python}"

render() {  # render BIB NAME [LANG] -> NAME.tsv (plain text), NAME.html.tsv (italics, links)
  local options=() name="$2"
  if [ -n "${3:-}" ]; then options=(--lang "$3"); name="$2.${3%%-*}"; fi
  "$python" "$oracle" "$1" "${options[@]}" > "$golden/$name.tsv"
  "$python" "$oracle" "$1" "${options[@]}" --format html > "$golden/$name.html.tsv"
}

render "$root/references.bib" references
for lang in es-ES; do  # translated pages: NAME.es.tsv, compared by tests/test_apa_golden.py
  render "$root/references.bib" references "$lang"
  render "$root/tests/fixtures/ipt_sample.bib" ipt_sample "$lang"
done
for bib in "$root"/tests/fixtures/*.bib; do
  render "$bib" "$(basename "$bib" .bib)"
done
for set in realworld types; do  # compared in tests/test_realworld.py
  mkdir -p "$golden/$set"
  for bib in "$root"/tests/fixtures/"$set"/*.bib; do
    render "$bib" "$set/$(basename "$bib" .bib)"
  done
done
