// Steps of notebook 08-audit (issue 15: the model audit; serves the reading of paper section 4 and Table 2) and of
// `make reproduce`'s audit step: run the model audit (lib/audit/model-audit.ts) after its inputs exist, or read
// what `make reproduce` wrote (build/results/audit/model-audit.json), and show its sections as plain sentences and
// tables, so that the notebook stays thin.
import { activeProfile, Profile } from '../core/config';
import { rel } from '../core/paths';
import { showBullets, showMarkdown } from '../core/notebook';
import { Row, showTable } from '../core/tables';
import { simulateProfile } from '../simulation/parallel';
import { experimentStage } from '../experiments/notebook';
import { modelAuditFile, readModelAudit, runModelAudit } from '../audit/model-audit';
import type { ModelAuditFile, SummarySection } from '../audit/model-audit-types';
import * as fs from 'fs';

/** `make reproduce`'s step: both simulated runs exist and the experiments ran (earlier steps); the audit itself. */
export async function auditStage(profile: Profile, log?: (l: string) => void): Promise<ModelAuditFile> {
  return runModelAudit({ profile, log });
}

export interface AuditContext {
  profile: Profile;
  audit: ModelAuditFile;
  /** How the file came to be: reused from make reproduce, or built now (seconds). */
  how: string;
}

/**
 * The audit of the profile: read from build/results/audit/model-audit.json when `make reproduce` (or an earlier run)
 * wrote it for this profile; otherwise build its inputs (both simulated runs, SafeNet's experiments) and run it.
 */
export async function prepareAudit(profile: Profile = activeProfile()): Promise<AuditContext> {
  const file = modelAuditFile();
  if (fs.existsSync(file)) {
    const audit = readModelAudit(file);
    if (audit.profile === profile.name) {
      const ctx = { profile, audit, how: `read from ${rel(file)} (written by make reproduce or an earlier run of this notebook)` };
      showMarkdown(`Profile **${profile.name}**: the model audit was ${ctx.how}.`);
      return ctx;
    }
  }
  const t0 = Date.now();
  const lines: string[] = [];
  const log = (l: string) => lines.push(l);
  await simulateProfile(profile, { log });
  await simulateProfile(profile, { null: true, log });
  await experimentStage(profile);
  const audit = await runModelAudit({ profile, log });
  const ctx = { profile, audit, how: `built now in ${((Date.now() - t0) / 1000).toFixed(0)} s (simulated runs, SafeNet's experiments, then the audit) and written to ${rel(file)}` };
  showMarkdown(`Profile **${profile.name}**: the model audit was ${ctx.how}.`);
  return ctx;
}

/** The audit's budget and seeds as a table. */
export function auditBudgetRows(a: ModelAuditFile): Row[] {
  const b = a.budget as { nullModels: string[]; nullEvaluations: number; amplitudes: number[]; bootstrapReplicates: number; training: { epochs: number; maxTrainWindows: number | null } };
  return [
    { setting: 'models trained on the null run', value: b.nullModels.join(', ') },
    { setting: 'TPE trials per null-run search', value: b.nullEvaluations },
    { setting: 'epochs (cap) and training windows per trial', value: `${b.training.epochs}, ${b.training.maxTrainWindows ?? 'all'}` },
    { setting: 'injected amplitudes of the recovery curve', value: b.amplitudes.join(', ') },
    { setting: 'bootstrap replicates (events resampled), level', value: `${a.bootstrap.replicates}, ${a.bootstrap.level}` },
    ...Object.entries(a.seeds).map(([k, v]) => ({ setting: `seed ${k}`, value: String(v) })),
  ];
}

/** One summary section: its sentences as bullets, then its table. */
export function showAuditSection(a: ModelAuditFile, title: string): void {
  const s: SummarySection | undefined = a.summary.find((x) => x.title === title);
  if (!s) throw new Error(`model audit: no section '${title}'; sections: ${a.summary.map((x) => x.title).join(', ')}`);
  showBullets(s.sentences);
  if (s.rows.length) showTable(s.rows as Row[], { title: s.title });
}

/** Where each separable null-run model separates the classes: AUC inside each stratum, and once each feature is removed. */
export function nullStrataRows(a: ModelAuditFile): Row[] {
  const out: Row[] = [];
  for (const e of a.nullAudit.filter((x) => x.separation.separable)) {
    for (const s of e.strata.filter((x) => x.windows > 0)) {
      out.push({
        model: e.model, protocol: e.protocol, feature: s.feature, stratum: s.stratum, windows: s.windows,
        'AUC inside the stratum': s.auc ? `${s.auc.estimate.toFixed(2)} [${s.auc.lo.toFixed(2)}, ${s.auc.hi.toFixed(2)}]` : '-',
      });
    }
  }
  return out;
}

export function residualRows(a: ModelAuditFile): Row[] {
  const out: Row[] = [];
  for (const e of a.nullAudit.filter((x) => x.separation.separable)) {
    const overall = e.separation.auc;
    out.push({
      model: e.model, protocol: e.protocol, removed: 'nothing',
      AUC: overall ? `${overall.estimate.toFixed(2)} [${overall.lo.toFixed(2)}, ${overall.hi.toFixed(2)}]` : '-', 'named as the cause': '',
    });
    for (const r of e.residualAuc) {
      out.push({
        model: e.model, protocol: e.protocol, removed: r.feature,
        AUC: r.auc ? `${r.auc.estimate.toFixed(2)} [${r.auc.lo.toFixed(2)}, ${r.auc.hi.toFixed(2)}]` : '-', 'named as the cause': r.feature === e.explainedBy ? 'yes' : '',
      });
    }
  }
  return out;
}

/** What the recovery simulated (plain words) and the packets per amplitude. */
export function showRecoverySimulated(a: ModelAuditFile): void {
  if (!a.recovery) {
    showMarkdown('The injection recovery did not run: ' + (a.skipped.filter((s) => s.part === 'recovery').map((s) => s.reason).join('; ') || 'no reason recorded'));
    return;
  }
  const r = a.recovery;
  showMarkdown(`**What was simulated:** see the first sentence below. Windows of DataSet 03 holding a packet at each amplitude: ` +
    r.points.map((p, k) => `${p.amplitude}: ${r.simulated.packets[k].toLocaleString('en-US')}`).join(', ') + '.');
}

/** Every Table 2 number with its interval (from table2.json, or computed by the audit). */
export function table2IntervalRows(a: ModelAuditFile): Row[] {
  return (a.perEvent?.table2Intervals ?? []).map((t) => ({
    method: t.method, protocol: t.protocol, dataset: t.dataset, metric: t.metric,
    value: t.estimate === null ? '-' : Number(t.estimate.toFixed(3)), '95% low': t.lo === null ? '-' : Number(t.lo.toFixed(3)),
    '95% high': t.hi === null ? '-' : Number(t.hi.toFixed(3)), from: t.source,
  }));
}

/** The earthquakes with the highest and lowest detection rates (a few of each). */
export function perEventRowsShown(a: ModelAuditFile, n = 8): Row[] {
  const quakes = (a.perEvent?.events ?? []).filter((e) => e.label === 1).slice().sort((x, y) => y.detectionRate - x.detectionRate || x.eventId.localeCompare(y.eventId));
  const pick = quakes.length <= 2 * n ? quakes : [...quakes.slice(0, n), ...quakes.slice(-n)];
  return pick.map((e) => ({
    earthquake: e.eventId, magnitude: e.magnitude, 'mean distance (km)': e.distanceKm === null ? '-' : Math.round(e.distanceKm),
    'mean Kp': e.kp === null ? '-' : Number(e.kp.toFixed(2)), 'test windows': e.windows, 'detection rate': Number(e.detectionRate.toFixed(2)),
  }));
}

/** Parts of the audit that could not run, with the reason (none on the default profile). */
export function showSkipped(a: ModelAuditFile): void {
  if (!a.skipped.length) showMarkdown('Every part of the audit ran.');
  else showBullets(a.skipped.map((s) => `${s.part}: ${s.reason}`));
}
