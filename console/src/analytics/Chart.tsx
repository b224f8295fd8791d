/** A uPlot line chart that follows its container's width, with a text summary for screen readers. */
import type { JSX } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface ChartSeries {
  label: string;
  values: (number | null)[];
  colour: string;
  /** Dashed line (a second cue beside colour). */
  dash?: boolean;
}

/** Times are the buckets' starts in epoch seconds. */
export function Chart(props: {
  title: string;
  times: number[];
  series: ChartSeries[];
  yFormat?: (v: number) => string;
}): JSX.Element {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const fmt = props.yFormat;
    const plot = new uPlot(
      {
        width: Math.max(280, el.clientWidth),
        height: 220,
        legend: { show: true },
        axes: [
          { stroke: 'currentColor', grid: { stroke: 'rgba(128,128,128,0.2)' } },
          {
            stroke: 'currentColor',
            grid: { stroke: 'rgba(128,128,128,0.2)' },
            ...(fmt ? { values: (_u: uPlot, ticks: number[]) => ticks.map(fmt) } : {}),
          },
        ],
        series: [
          {},
          ...props.series.map((s) => ({
            label: s.label,
            stroke: s.colour,
            width: 2,
            ...(s.dash ? { dash: [6, 4] } : {}),
            ...(fmt ? { value: (_u: uPlot, v: number | null) => (v === null ? '—' : fmt(v)) } : {}),
          })),
        ],
      },
      [props.times, ...props.series.map((s) => s.values)],
      el,
    );
    const resize = new ResizeObserver(() =>
      plot.setSize({ width: Math.max(280, el.clientWidth), height: 220 }),
    );
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [props.times, props.series]);
  return (
    <figure class="chart">
      <figcaption class="chart__title">{props.title}</figcaption>
      <div ref={box} class="chart__plot" aria-hidden="true" />
    </figure>
  );
}
