import { computed, signal, type ReadonlySignal, type Signal } from '@preact/signals';
import type { ReportAgents, ReportGroupBy, ReportHeatmap, ReportSummary, ReportVolume } from '@switchboard/contracts';
import { t } from '../i18n/reports.js';
import { browserTimeZone, checkCustomPeriod, presetPeriod, volumeStep, type Period, type PeriodPreset } from './period.js';
import { csvFileName, NO_FILTERS, reportPath, type ReportFilters, type ReportKind, type ReportRequest } from './query.js';

/**
 * The reports screen's state and requests: the chosen period, zone and filters; each section's
 * figures as the API last answered them. Every change asks again for every section; an answer to
 * an older choice that arrives late is dropped. Tested with a fake API and a fixed clock.
 */

export interface ReportsHttp {
  call<T>(method: 'GET', path: string): Promise<T>;
  /** The bytes of a CSV export, fetched with the agent's token. */
  download(path: string): Promise<Blob>;
}

export type Breakdown = Extract<ReportGroupBy, 'channel' | 'inbox' | 'team' | 'agent'>;
export const BREAKDOWNS: readonly Breakdown[] = ['channel', 'inbox', 'team', 'agent'];

/** A section's figures: the last answer (kept while the next loads) and why the last ask failed. */
export interface Section<T> {
  loading: boolean;
  data: T | null;
  error: string | null;
}

export interface ReportData {
  summary: ReportSummary;
  timeline: ReportVolume;
  breakdown: ReportVolume;
  heatmap: ReportHeatmap;
  agents: ReportAgents;
}
export type SectionName = keyof ReportData;

const empty = <T,>() => signal<Section<T>>({ loading: false, data: null, error: null });
const message = (err: unknown) => (err instanceof Error && err.message ? err.message : t('err.load'));

export interface ReportsStoreDeps {
  http: ReportsHttp;
  /** The zone the screen starts in. Default: the browser's. */
  timeZone?: string;
  now?: () => Date;
}

export class ReportsStore {
  readonly preset = signal<PeriodPreset>('7d');
  /** The custom period's fields as typed (YYYY-MM-DD, from <input type="date">). */
  readonly customFrom = signal('');
  readonly customTo = signal('');
  readonly tz: Signal<string>;
  readonly filters = signal<ReportFilters>(NO_FILTERS);
  readonly by = signal<Breakdown>('channel');
  readonly sections: { [K in SectionName]: Signal<Section<ReportData[K]>> } = {
    summary: empty(),
    timeline: empty(),
    breakdown: empty(),
    heatmap: empty(),
    agents: empty(),
  };

  /** The period and zone asked for, or the sentence saying why the custom dates cannot be. */
  readonly request: ReadonlySignal<{ ok: true; req: ReportRequest } | { ok: false; error: string }>;

  private generation = 0;
  private readonly http: ReportsHttp;
  private readonly now: () => Date;
  /** When "today" was last read: set again on every load, so a screen left open overnight moves on. */
  private readonly asOf: Signal<Date>;

  constructor(deps: ReportsStoreDeps) {
    this.http = deps.http;
    this.now = deps.now ?? (() => new Date());
    this.asOf = signal(this.now());
    this.tz = signal(deps.timeZone ?? browserTimeZone());
    this.request = computed(() => {
      const preset = this.preset.value;
      const tz = this.tz.value;
      const filters = this.filters.value;
      if (preset !== 'custom') return { ok: true, req: { period: presetPeriod(preset, tz, this.asOf.value), tz, filters } };
      const checked = checkCustomPeriod(this.customFrom.value, this.customTo.value);
      return checked.ok ? { ok: true, req: { period: checked.period, tz, filters } } : checked;
    });
  }

  /** Choose a preset; "Custom dates" starts from the period shown until now. */
  choosePreset(preset: PeriodPreset): void {
    if (preset === 'custom' && this.preset.value !== 'custom') {
      const r = this.request.value;
      if (r.ok) {
        this.customFrom.value = r.req.period.from;
        this.customTo.value = r.req.period.to;
      }
    }
    this.preset.value = preset;
    void this.load();
  }

  setCustom(from: string, to: string): void {
    this.customFrom.value = from;
    this.customTo.value = to;
    void this.load();
  }

  setTimeZone(tz: string): void {
    this.tz.value = tz;
    void this.load();
  }

  setFilters(change: Partial<ReportFilters>): void {
    this.filters.value = { ...this.filters.value, ...change };
    void this.load();
  }

  setBreakdown(by: Breakdown): void {
    this.by.value = by;
    const r = this.request.value;
    if (r.ok) void this.fetchSection('breakdown', r.req, this.generation);
  }

  /** Ask for every section for the current choice (nothing while the custom dates are wrong). */
  async load(): Promise<void> {
    this.asOf.value = this.now();
    const r = this.request.value;
    const gen = ++this.generation;
    if (!r.ok) return;
    await Promise.all((Object.keys(this.sections) as SectionName[]).map((name) => this.fetchSection(name, r.req, gen)));
  }

  /** The address a section's figures come from (with `csv`, its download). */
  pathOf(name: SectionName, req: ReportRequest, csv = false): string {
    switch (name) {
      case 'timeline':
        return reportPath('volume', req, { groupBy: volumeStep(req.period), csv });
      case 'breakdown':
        return reportPath('volume', req, { groupBy: this.by.value, csv });
      default:
        return reportPath(name, req, { csv });
    }
  }

  /** A section's CSV export for the current choice: the file and the name to save it under. */
  async csv(name: SectionName): Promise<{ blob: Blob; fileName: string }> {
    const r = this.request.value;
    if (!r.ok) throw new Error(r.error);
    const kind: ReportKind = name === 'timeline' || name === 'breakdown' ? 'volume' : name;
    const groupBy = name === 'timeline' ? volumeStep(r.req.period) : name === 'breakdown' ? this.by.value : undefined;
    const blob = await this.http.download(this.pathOf(name, r.req, true));
    return { blob, fileName: csvFileName(kind, r.req.period, groupBy) };
  }

  /** The period of the current choice, when it is a valid one. */
  get period(): Period | null {
    const r = this.request.value;
    return r.ok ? r.req.period : null;
  }

  private async fetchSection<K extends SectionName>(name: K, req: ReportRequest, gen: number): Promise<void> {
    const section = this.sections[name];
    section.value = { ...section.value, loading: true, error: null };
    const path = this.pathOf(name, req);
    try {
      const data = await this.http.call<ReportData[K]>('GET', path);
      // A newer choice was made meanwhile (or, for the breakdown, another grouping): its answer counts.
      if (gen !== this.generation || path !== this.currentPath(name)) return;
      section.value = { loading: false, data, error: null };
    } catch (err) {
      if (gen !== this.generation || path !== this.currentPath(name)) return;
      section.value = { ...section.value, loading: false, error: message(err) };
    }
  }

  private currentPath(name: SectionName): string | null {
    const r = this.request.value;
    return r.ok ? this.pathOf(name, r.req) : null;
  }
}
