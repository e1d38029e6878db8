/**
 * The parts of Apache ECharts the reports page draws with, and nothing more: bars, a scatter for
 * the targets, the heatmap, their axes, tooltip, legend and colour scale, on canvas (which the
 * CSP allows: no inline scripts, no external images). Importing `echarts` whole would add ~1 MB.
 */
import * as echarts from "echarts/core";
import { BarChart, HeatmapChart, ScatterChart, type BarSeriesOption, type HeatmapSeriesOption, type ScatterSeriesOption } from "echarts/charts";
import { GridComponent, LegendComponent, TooltipComponent, VisualMapComponent, type GridComponentOption, type LegendComponentOption, type TooltipComponentOption, type VisualMapComponentOption } from "echarts/components";
import { CanvasRenderer } from "echarts/renderers";

echarts.use([BarChart, HeatmapChart, ScatterChart, GridComponent, LegendComponent, TooltipComponent, VisualMapComponent, CanvasRenderer]);

export type ChartOption = echarts.ComposeOption<BarSeriesOption | HeatmapSeriesOption | ScatterSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption | VisualMapComponentOption>;

export { echarts };
