import type { StylesheetJson } from 'cytoscape';

/** Canvas colours, as in styles.css (a canvas cannot read CSS custom properties). */
const TEXT = '#e8eaed';
const LINE = '#4a525c';
const ACCENT = '#5aa9ff';
const BACKGROUND = '#0b0d10';

/** Nodes in their TLP colour with a black ring (as TLP badges sit on black), the root larger and ringed in the accent. */
export const CLUSTER_STYLE: StylesheetJson = [
  {
    selector: 'node',
    style: {
      'background-color': 'data(colour)',
      'border-color': '#000000',
      'border-width': 2,
      label: 'data(label)',
      color: TEXT,
      'font-family': 'Noto Sans, Noto Naskh Arabic, sans-serif',
      'font-size': 11,
      'text-valign': 'bottom',
      'text-margin-y': 4,
      'text-wrap': 'ellipsis',
      'text-max-width': '160px',
      'text-background-color': BACKGROUND,
      'text-background-opacity': 0.8,
      'text-background-padding': '2px',
      width: 26,
      height: 26,
    },
  },
  {
    selector: 'node.root',
    style: { width: 42, height: 42, 'border-color': ACCENT, 'border-width': 5, 'font-weight': 'bold' },
  },
  {
    selector: 'node:selected',
    style: { 'overlay-color': ACCENT, 'overlay-opacity': 0.35, 'overlay-padding': 8 },
  },
  {
    selector: 'edge',
    style: {
      width: 2,
      'line-color': LINE,
      'curve-style': 'bezier',
      label: 'data(label)',
      color: TEXT,
      'font-size': 9,
      'text-rotation': 'none',
      'text-background-color': BACKGROUND,
      'text-background-opacity': 0.8,
      'text-background-padding': '1px',
    },
  },
];
