// Tests for the notebooks' steps moved into lib (issue 9): lib/notebooks/{simulator,datasets,data,casestudies}.ts,
// number formatting and alignment of tables, the progress estimate, the environment summary and the text-source
// converter, against values computed here independently.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { formatNumber, tableHtml, toDataFrame } from '../lib/core/tables';
import { etaText } from '../lib/core/progress';
import { bindingState, captureEnvironment, quietConsole } from '../lib/core/environment';
import { orbitFacts, simulateDayPair, daySummaryRows, groundTruthRows, pickInjection } from '../lib/notebooks/simulator';
import { classShareRows, dropReasonRows, eventCountRows, datasetName, NotebookDatasets, DROP_LABELS } from '../lib/notebooks/datasets';
import { formatBytes, manifestTableRows, licenceRows, indicesSummaryMarkdown } from '../lib/notebooks/data';
import { nightTracksInArea } from '../lib/notebooks/casestudies';
import { figure3Panels } from '../lib/datasets/figures';
import { loadManifest } from '../lib/data/manifest';
import { readKp3Hourly } from '../lib/indices/kp';
import { readDstHourly } from '../lib/indices/dst';
import { syntheticDay } from '../lib/datasets/synthetic';
import { rngFor } from '../lib/core/random';
import { paths } from '../lib/core/paths';
import { tempDirs } from './helpers';

const tmp = tempDirs();
test.after(() => tmp.cleanup());

test('numbers in tables: separators, no padding zeros; numbers right, text left', () => {
  assert.is(formatNumber(10037), '10,037');
  assert.is(formatNumber(0.07), '0.07');
  assert.is(formatNumber(4.5), '4.5');
  assert.is(formatNumber(48.4), '48.4');
  assert.is(formatNumber(1 / 3), '0.3333');
  assert.is(formatNumber(1234.56), '1,235');
  assert.is(formatNumber(-0.000123456), '-0.0001235');
  assert.is(formatNumber(NaN), 'NaN');
  const html = tableHtml(toDataFrame([{ name: 'a', n: 0.07 }, { name: 'b', n: 10037, extra: 'x' }]));
  assert.match(html, /<td style="text-align:left">a<\/td><td style="text-align:right">0.07<\/td>/);
  assert.match(html, /<th style="text-align:left">extra<\/th>/, 'a column only a later row has is kept');
});

test('progress: no time-left estimate from the first ticks, then the linear one', () => {
  assert.is(etaText(1.5, 1, 22), '', 'first tick: start-up dominates');
  assert.is(etaText(10, 1, 22), '', 'under 10 % done');
  assert.is(etaText(2, 5, 10), '', 'under 3 s');
  assert.is(etaText(10, 5, 10), ', about 10.0 s left');
  assert.is(etaText(60, 10, 20), ', about 1 min 0 s left');
  assert.is(etaText(60, 20, 20), '');
});

test('environment: a binding that cannot load says so; repeated console warnings are counted once', async () => {
  const env = captureEnvironment('wasm', null, ['tfjs backend: wasm', '  tfjs-node (@tensorflow/tfjs-node): unavailable (libtensorflow.so.2: cannot open shared object file)']);
  env.packages['tfjs-node'] = '4.22.0';
  env.packages['@tensorflow/tfjs-node-gpu'] = null;
  assert.match(bindingState(env, 'tfjs-node'), /^4\.22\.0 installed, cannot load \(libtensorflow/);
  assert.is(bindingState(env, '@tensorflow/tfjs-node-gpu'), 'not installed');
  const into: string[] = [];
  const v = await quietConsole(into, async () => {
    for (let k = 0; k < 170; k++) console.warn(`The kernel 'Kernel${k}' for backend 'tensorflow' is already registered`);
    return 7;
  });
  assert.is(v, 7);
  assert.is(into.length, 2);
  assert.match(into[1], /^console: 170 lines like: The kernel '\.\.\.' for backend '\.\.\.' is already registered/);
});

test('simulator steps: orbit facts, one day with and without injection, ground truth, the packet drawn', () => {
  const f = orbitFacts('2016-02-15');
  assert.ok(f.nodalPeriodMin > 93 && f.nodalPeriodMin < 94.5, `nodal period ${f.nodalPeriodMin}`);
  assert.ok(Math.abs(f.driftHoursPerDay + 0.09) < 0.01, `drift ${f.driftHoursPerDay}`);
  assert.ok(Math.abs(f.fullCoverageDays - 133) < 8, `coverage ${f.fullCoverageDays}`);
  const p = simulateDayPair('2016-02-15');
  const rows = daySummaryRows(p);
  let gaps = 0;
  for (const fl of p.signal.day.Flags_B) if (fl === 255) gaps++;
  assert.is(rows.find((r) => r.quantity === 'records (1 Hz)')!.value, p.signal.day.Timestamp.length);
  assert.is(rows.find((r) => r.quantity === 'B_NEC gaps (s)')!.value, gaps);
  assert.is(rows.find((r) => r.quantity === 'injected precursor packets')!.value, p.signal.truth.length);
  assert.is(p.quiet.truth.length, 0, 'the null setting injects nothing');
  const gt = groundTruthRows(p.signal.truth);
  assert.is(gt.length, p.signal.truth.length);
  assert.is(gt[0].packet, p.signal.truth[0].id);
  const e = pickInjection(p.signal);
  const t0 = p.signal.day.Timestamp[0];
  const ok = p.signal.truth.filter((x) => Math.abs(p.signal.magLat[Math.round(((x.tStartMs + x.tEndMs) / 2 - t0) / 1000)]) < 50 && x.validSamples > 10);
  const pool = ok.length ? ok : p.signal.truth;
  assert.is(e.amplitudeE, Math.max(...pool.map((x) => x.amplitudeE)));
});

function summary(id: number, bySplitClass: number[][], drops: Record<string, number>) {
  const windows = bySplitClass.flat().reduce((a, v) => a + v, 0);
  return { id, summary: { counts: { windows, bySplitClass, eventsBySplit: [0, 0, 0], realEventsWithWindows: 0, artificialEventsWithWindows: 0 }, drops } as any };
}

test('dataset steps: names as the paper, readable drop reasons, class shares', () => {
  assert.is(datasetName(3), 'DataSet 03');
  assert.is(datasetName(17), 'DataSet 17');
  const b = { datasets: [], summaries: [summary(3, [[424, 137, 150], [32, 20, 18], [39, 56, 97]], { gapWindows: 0, flaggedWindows: 44, selectedSamples: 55333, futureField: 2 })], seconds: 0 } as unknown as NotebookDatasets;
  const shares = classShareRows(b)[0];
  assert.is(shares.dataset, 'DataSet 03');
  assert.is(shares.windows, 973);
  assert.is(shares['class 0 %'], 50.9);
  assert.is(shares['class 1 %'], 21.9);
  assert.is(shares['class 2 %'], 27.2);
  assert.is(shares['class 0 : class 1'], 2.32);
  const drops = dropReasonRows(b)[0];
  assert.is(drops[DROP_LABELS.flaggedWindows], 44);
  assert.is(drops[DROP_LABELS.selectedSamples], 55333);
  assert.is(drops.futureField, 2, 'an unknown field is shown under its own name, not lost');
  assert.not.ok(Object.keys(drops).some((k) => /^[a-z]+[A-Z]/.test(k) && k !== 'futureField'), 'no camelCase keys');
  const ev = eventCountRows({ counts: { catalogRows: 10, filtered: 9, declustered: 5, inRange: 4, used: 4, nonSeismicPlaced: 20, nonSeismicFailed: 0, nonSeismicTries: 30 }, declusterRule: 'gk-table' } as any);
  assert.ok(ev.every((r) => !/^[a-z]+[A-Z]/.test(String(r.step))));
  assert.is(ev.find((r) => /declustering rule/.test(String(r.step)))!.events, 'gk-table');
});

test('Figure 3 panels: per class the longest run of consecutive windows, only whole windows, samples from the day', () => {
  const day = syntheticDay('2016-02-11', rngFor('test', 'fig3'));
  const t = (s: number) => day.Timestamp[0] + s * 1000;
  // class 0: a run of 2 at 1000 s, class 1: a run of 3 at 5000 s (and a lone one at 9000 s), no class 2
  const starts = [t(1000), t(1070), t(5000), t(5070), t(5140), t(9000)];
  const meta = { startTime: Float64Array.from(starts), label: Uint8Array.from([0, 0, 1, 1, 1, 1]), eventIndex: Int32Array.from([0, 0, 1, 1, 1, 1]) };
  const panels = figure3Panels(meta, ['ns-1', 'eq-1'], 70, (d) => (d === '2016-02-11' ? day : null), { feature: 'B_N', padWindows: 1 });
  assert.equal(panels.map((p) => p.cls), [0, 1]);
  const p1 = panels[1];
  assert.match(p1.title, /event eq-1 .*a run of 3/);
  assert.equal(p1.windows.map((w) => (w.start - t(0)) / 1000), [5000, 5070, 5140]);
  for (const w of p1.windows) assert.is(w.end - w.start, 70_000);
  assert.is(p1.time[0], t(4930));
  assert.is(p1.time[p1.time.length - 1], t(5280));
  const inside = p1.time.filter((x) => x >= t(5000) && x < t(5210)).length;
  assert.is(p1.windowClass.filter((c) => c === 1).length, inside);
});

test('data steps: sizes, the manifest without checksums, licences of data only, indices sentence', () => {
  assert.is(formatBytes(512), '512 B');
  assert.is(formatBytes(1536), '1.5 kB');
  assert.is(formatBytes(3.2 * 1024 * 1024), '3.2 MB');
  const m = loadManifest();
  const rows = manifestTableRows(m);
  assert.is(rows.length, m.inputs.length);
  assert.not.ok(Object.keys(rows[0]).some((k) => /sha/i.test(k)));
  assert.ok(licenceRows(m).length === m.inputs.filter((e) => e.kind === 'data').length);
  const kp = readKp3Hourly();
  let slots = 0;
  let above = 0;
  const a = Date.parse('2014-01-01T00:00:00Z');
  const z = Date.parse('2021-01-01T00:00:00Z');
  for (let k = 0; k < kp.time.length; k++) {
    if (kp.time[k] >= a && kp.time[k] < z && Number.isFinite(kp.Kp[k])) {
      slots++;
      if (kp.Kp[k] > 3) above++;
    }
  }
  const md = indicesSummaryMarkdown(kp, readDstHourly(), '2014-01-01', '2020-12-31');
  assert.match(md, new RegExp(`${above.toLocaleString('en-US')} of ${slots.toLocaleString('en-US')} three-hour slots`));
});

test('case-study steps: night tracks over the days with data', () => {
  const seq = { days: [{ status: 'ok', nightTracksInArea: 2 }, { status: 'missing', nightTracksInArea: 0 }, { status: 'ok', nightTracksInArea: 1 }] } as any;
  assert.is(nightTracksInArea(seq), 3);
  assert.is(nightTracksInArea({ days: [{ status: 'ok', nightTracksInArea: 0 }] } as any), 0);
});

test("new-notebook.py strips jupytext's '# ' from commented markdown, keeps plain markdown and a lone title", () => {
  const dir = tmp.tempDir('newnb-');
  const src = path.join(dir, 'x.txt');
  fs.writeFileSync(src, ['# %% [markdown]', '# # Title', '#', '# Prose line.', '# %% [markdown]', '## Section', '', 'Plain prose.', '# %% [markdown]', '# Lone title', '# %%', "console.log('# not markdown');"].join('\n'));
  const out = path.join(dir, 'x.ipynb');
  const r = spawnSync('/usr/bin/python3', [path.join(paths.root, 'scripts', 'new-notebook.py'), src, out], { encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr);
  const cells = JSON.parse(fs.readFileSync(out, 'utf8')).cells;
  assert.is(cells[0].source, '# Title\n\nProse line.');
  assert.is(cells[1].source, '## Section\n\nPlain prose.');
  assert.is(cells[2].source, '# Lone title');
  assert.is(cells[3].source, "console.log('# not markdown');");
});

test.run();
