"""The stylesheet inlined into pack.html: system fonts, readable on a phone, A4 landscape in print."""

CSS = """
:root { --ink: #1f2933; --muted: #5f6b76; --line: #d5dde5; --head: #ddebf7; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 "DejaVu Sans", "Segoe UI", Roboto, Arial, sans-serif; color: var(--ink); }
main { max-width: 1100px; margin: 0 auto; padding: 16px; }
h1 { font-size: 1.6em; margin: 0 0 8px; }
h2 { font-size: 1.25em; border-bottom: 2px solid var(--head); padding-bottom: 4px; margin-top: 28px; }
h3 { font-size: 1.05em; margin: 20px 0 6px; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 0; }
dl.facts dt { color: var(--muted); } dl.facts dd { margin: 0; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; margin: 6px 0; font-size: 0.92em; }
th, td { border: 1px solid var(--line); padding: 4px 6px; vertical-align: top; }
th { background: var(--head); text-align: left; }
table.numbers td:not(:first-child) { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
small, .note, .muted { color: var(--muted); }
.note { font-size: 0.88em; font-style: italic; }
.draft { margin: 0 0 10px; padding: 6px 10px; border: 2px solid #c00000; background: #fff0f0; color: #c00000;
  font-weight: bold; text-align: center; letter-spacing: 0.03em; }
.rag { padding: 1px 8px; border-radius: 9px; font-weight: bold; font-size: 0.85em; }
.rag-red { background: #f4b6b6; } .rag-amber { background: #ffe19a; } .rag-green { background: #b9e3b0; }
figure { margin: 8px 0; } figcaption { font-size: 0.9em; color: var(--muted); }
svg.chart { width: 100%; max-width: 640px; height: auto; fill: var(--ink); }
svg.chart .axis { stroke: var(--muted); } svg.chart .grid { stroke: var(--line); stroke-width: 1; }
svg.chart text { fill: var(--ink); } svg.chart text.muted { fill: var(--muted); font-style: italic; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); gap: 16px; }
@media (max-width: 600px) { body { font-size: 14px; } main { padding: 10px; } th, td { padding: 3px 4px; } }
@page { size: A4 landscape; margin: 12mm 10mm 14mm; }
@media print {
  body { font-size: 10.5pt; } main { max-width: none; padding: 0; }
  .scroll { overflow: visible; } section.area, svg.chart, tr { break-inside: avoid; }
  h2, h3 { break-after: avoid; } #areas, #completeness { break-before: page; }
}
"""
