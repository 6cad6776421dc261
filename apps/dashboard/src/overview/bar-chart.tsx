import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  Tooltip,
  type ChartDataset,
} from 'chart.js';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';

// Only what the overview draws: bars on a category and a linear axis, with a legend and tooltips.
Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

export interface BarChartProps {
  /** The category labels, already translated and formatted for the language. */
  labels: string[];
  datasets: Array<{ label: string; data: number[]; color: string }>;
  /** Bars along the inline axis (a ranking) rather than up from the block axis (a time series). */
  horizontal?: boolean;
  stacked?: boolean;
  /** What the chart shows, for those who do not see it; the table beside it has the figures. */
  description: string;
  name: string;
}

/**
 * A Chart.js bar chart on a canvas, drawn from module code (nothing inline, so the page's strict
 * policy holds). Numbers follow the page's language, text and tooltips its direction; in Arabic and
 * Urdu the chart mirrors: time runs from right to left and the value axis stands on the right.
 */
export function BarChart({ labels, datasets, horizontal = false, stacked = false, description, name }: BarChartProps) {
  const { i18n } = useTranslation();
  const canvas = useRef<HTMLCanvasElement>(null);
  const language = i18n.resolvedLanguage ?? 'en';
  const rtl = i18n.dir(language) === 'rtl';

  useEffect(() => {
    const element = canvas.current;
    if (!element) return;
    const style = getComputedStyle(element);
    const font = { family: style.fontFamily };
    const color = style.color;
    const grid = { color: style.getPropertyValue('--line').trim() || 'rgba(255,255,255,0.15)' };
    const indexAxis = horizontal ? 'y' : 'x';
    const chart = new Chart(element, {
      type: 'bar',
      data: {
        labels,
        datasets: datasets.map((dataset): ChartDataset<'bar'> => ({
          label: dataset.label,
          data: dataset.data,
          backgroundColor: dataset.color,
          borderColor: dataset.color,
          maxBarThickness: 28,
        })),
      },
      options: {
        indexAxis,
        locale: language,
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        color,
        font,
        scales: {
          x: {
            stacked,
            reverse: rtl,
            position: 'bottom',
            ticks: { color, font, precision: 0 },
            grid,
            beginAtZero: true,
          },
          y: {
            stacked,
            // The axis that carries the labels starts at the top for rankings.
            reverse: false,
            position: rtl ? 'right' : 'left',
            ticks: { color, font, precision: 0 },
            grid,
            beginAtZero: true,
          },
        },
        plugins: {
          legend: {
            display: datasets.length > 1,
            rtl,
            textDirection: rtl ? 'rtl' : 'ltr',
            labels: { color, font },
          },
          tooltip: { rtl, textDirection: rtl ? 'rtl' : 'ltr', titleFont: font, bodyFont: font },
        },
      },
    });
    return () => chart.destroy();
  }, [labels, datasets, horizontal, stacked, language, rtl]);

  return (
    <div className="chart">
      <canvas ref={canvas} role="img" aria-label={description} data-chart={name}>
        {description}
      </canvas>
    </div>
  );
}
