// Steps of notebook 03's section "Shortcuts and leak controls" (issue 10): make sure both simulated runs exist
// (signal and null, cached), build the profile's datasets under both protocols, run the shortcut audit (written to
// build/results/shortcuts.json) and describe the controls. Serves paper sections 2.3, 3.1 and Table 1/2.
import { Profile } from '../core/config';
import { showMarkdown } from '../core/notebook';
import { ensureDatasets, EnsuredDataset } from '../datasets/cache';
import { CONTROLLED_OVERRIDES, DatasetParams, paramLeaves, Protocol, protocolParams, REASONS } from '../datasets/params';
import { simulateProfile } from '../simulation/parallel';
import { AUDIT_PARAMS, AuditParams } from './params';
import { AuditResult, runShortcutAudit } from './shortcuts';

/** Periods shorter than this (days) cannot hold the controlled split's two 20-day gaps with test windows left. */
export const SHORT_PERIOD_DAYS = 120;
/**
 * What the audit changes in the controlled protocol on such a period (the smoke profile, 21 days): a 1-day gap, no
 * storm rule (its storm of 15-19 Feb 2016 spans the boundary), no validation split and half of the window time for
 * test, so that some test events remain (an event's windows span 20 days, most events straddle any boundary).
 */
export const SHORT_PERIOD_SPLITS = { gapDays: 1, stormsInOneSplit: false, validationFraction: 0, testFraction: 0.5 } as const;

/** Days in a profile's period. */
export function periodDays(p: Profile): number {
  return Math.round((Date.parse(p.to) - Date.parse(p.from)) / 86_400_000) + 1;
}

/** Dataset parameters the audit uses for a protocol on a profile (short periods: SHORT_PERIOD_SPLITS). */
export function auditDatasetParams(profile: Profile): (p: Protocol) => DatasetParams {
  const short = periodDays(profile) < SHORT_PERIOD_DAYS;
  return (p) => protocolParams(p, p === 'controlled' && short ? { splits: SHORT_PERIOD_SPLITS } : {});
}

/** The controls: parameter, paper value, controlled value, reason. */
export function controlRows(): Record<string, string>[] {
  const paper = protocolParams('paper'), ctl = protocolParams('controlled');
  const get = (o: unknown, k: string) => JSON.stringify(k.split('.').reduce((x: any, kk) => x[kk], o));
  return paramLeaves(CONTROLLED_OVERRIDES).map((k) => ({ parameter: k, paper: get(paper, k), controlled: get(ctl, k), reason: REASONS[k] ?? '' }));
}

export interface NotebookAudit {
  result: AuditResult;
  /** Signal-run datasets under each protocol (Table 1 counts). */
  paper: EnsuredDataset[];
  controlled: EnsuredDataset[];
}

/** Both simulated runs (cached), the datasets of both protocols, the audit; prints what was done. */
export async function notebookShortcutAudit(profile: Profile, opts: { ids?: number[]; params?: AuditParams } = {}): Promise<NotebookAudit> {
  const lines: string[] = [];
  const log = (l: string) => lines.push(l);
  const sig = await simulateProfile(profile, { log });
  const nul = await simulateProfile(profile, { null: true, log });
  const dp = auditDatasetParams(profile);
  const ap = opts.params ?? AUDIT_PARAMS;
  const ids = opts.ids ?? profile.datasets.filter((id) => ap.datasets.includes(id));
  const result = await runShortcutAudit({ profile, ids, params: ap, datasetParams: dp, log });
  const paper = (await ensureDatasets({ source: 'simulated', profile, ids, protocol: 'paper', params: dp('paper'), log })).datasets;
  const controlled = (await ensureDatasets({ source: 'simulated', profile, ids, protocol: 'controlled', params: dp('controlled'), log })).datasets;
  const short = periodDays(profile) < SHORT_PERIOD_DAYS;
  showMarkdown([
    `Simulated runs of profile **${profile.name}**: signal (${sig.simulated} days simulated now, ${sig.skipped} reused) and null, ` +
      `nothing injected (${nul.simulated} simulated now, ${nul.skipped} reused). Audit of ${result.shortcuts.length} shortcut classifiers ` +
      `in ${result.seconds.toFixed(0)} s, written to \`build/results/shortcuts.json\`.`,
    short
      ? `\n**This period has ${periodDays(profile)} days**: it cannot hold the controlled split's two 20-day gaps and keep any test ` +
        `window, so here the controlled protocol uses a ${SHORT_PERIOD_SPLITS.gapDays}-day gap, no storm rule, no validation split and the ` +
        `last ${SHORT_PERIOD_SPLITS.testFraction * 100} % of window time for test (every other control on). ` +
        'With so few events the intervals are wide; the default profile (one year) runs every control.'
      : '',
  ].join('\n'));
  return { result, paper, controlled };
}
