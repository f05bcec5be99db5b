import { useState } from 'react';
import { ApiError } from '../api/client.js';
import { getAdminKey } from '../api/settings.js';
import { daysAgoStart, usageApi, type CompletionsResult, type RunsResult, type UsagePage } from '../api/usage.js';
import { AdminKeyForm } from '../components/AdminKeyForm.js';
import { BarChart, type BarSeries } from '../components/BarChart.js';
import { ErrorBanner } from '../components/ErrorBanner.js';
import { useAsync } from '../lib/use-async.js';

const DAYS = 7;

const STATUS_COLORS: Record<string, string> = {
  completed: '#16a34a',
  failed: '#dc2626',
  cancelled: '#6b7280',
  expired: '#d97706',
  incomplete: '#ca8a04',
  requires_action: '#2563eb',
  in_progress: '#7c3aed',
  queued: '#a78bfa',
  cancelling: '#9ca3af',
};

const dayLabel = (unixSeconds: number) => new Date(unixSeconds * 1000).toLocaleDateString(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });

function runsPerDay(page: UsagePage<RunsResult>): BarSeries[] {
  const statuses = [...new Set(page.data.flatMap((bucket) => bucket.results.map((result) => result.status)))].sort();
  return statuses.map((status) => ({
    name: status,
    color: STATUS_COLORS[status] ?? '#64748b',
    values: page.data.map((bucket) => bucket.results.find((result) => result.status === status)?.num_runs ?? 0),
  }));
}

function latencyPerDay(page: UsagePage<RunsResult>): BarSeries[] {
  const completed = page.data.map((bucket) => bucket.results.find((result) => result.status === 'completed'));
  return [
    { name: 'p50', color: '#4f46e5', values: completed.map((result) => result?.latency_p50_ms ?? 0) },
    { name: 'p95', color: '#a5b4fc', values: completed.map((result) => result?.latency_p95_ms ?? 0) },
  ];
}

function tokensPerModel(page: UsagePage<CompletionsResult>): { models: string[]; series: BarSeries[] } {
  const totals = new Map<string, { input: number; output: number }>();
  for (const result of page.data.flatMap((bucket) => bucket.results)) {
    const model = result.model ?? 'unknown';
    const total = totals.get(model) ?? { input: 0, output: 0 };
    totals.set(model, { input: total.input + result.input_tokens, output: total.output + result.output_tokens });
  }
  const models = [...totals.keys()].sort();
  return {
    models,
    series: [
      { name: 'input tokens', color: '#0891b2', values: models.map((model) => totals.get(model)?.input ?? 0) },
      { name: 'output tokens', color: '#f59e0b', values: models.map((model) => totals.get(model)?.output ?? 0) },
    ],
  };
}

export function UsageScreen() {
  const [version, setVersion] = useState(0);
  const startTime = daysAgoStart(DAYS);
  const usage = useAsync(
    async () => {
      const [runs, completions] = await Promise.all([usageApi.runs(startTime, DAYS), usageApi.completionsByModel(startTime, DAYS)]);
      return { runs, completions };
    },
    [version],
  );
  const needsKey = usage.error instanceof ApiError && (usage.error.status === 401 || usage.error.status === 403);

  const labels = usage.data?.runs.data.map((bucket) => dayLabel(bucket.start_time)) ?? [];
  const tokens = usage.data ? tokensPerModel(usage.data.completions) : undefined;
  const totalRuns = usage.data?.runs.data.flatMap((bucket) => bucket.results).reduce((sum, result) => sum + result.num_runs, 0) ?? 0;

  return (
    <section className="screen">
      <h1>Usage</h1>
      <p className="hint">
        The last {DAYS} days (UTC), from <code>/v1/organization/usage</code>. {usage.data ? `${totalRuns.toLocaleString()} runs.` : ''}
      </p>
      {(needsKey || getAdminKey()) && (
        <AdminKeyForm submitLabel="Show usage" onSaved={() => setVersion((value) => value + 1)} />
      )}
      {needsKey ? (
        <p className="banner" role="status">
          Usage is read with the server's admin key (<code>SPOOL_ADMIN_KEY</code>). {usage.error instanceof ApiError && usage.error.status === 403 ? 'This server has none set.' : 'Enter it above.'}
        </p>
      ) : (
        <ErrorBanner error={usage.error} onDismiss={usage.reload} />
      )}
      {usage.data && tokens && (
        <div className="charts">
          <BarChart title="Runs per day by status" labels={labels} series={runsPerDay(usage.data.runs)} stacked />
          <BarChart title="Tokens per model" labels={tokens.models} series={tokens.series} />
          <BarChart title="Run latency of completed runs (creation to end)" labels={labels} series={latencyPerDay(usage.data.runs)} unit=" ms" />
        </div>
      )}
    </section>
  );
}
