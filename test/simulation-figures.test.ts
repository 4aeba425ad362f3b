// Figures of notebook 02 (lib/simulation/figures.ts): every spec compiles with vega-lite's compile(), has its data
// inline, renders to SVG, and its data say what the figure claims (LT drift, day/night Ne, injection span).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as vl from 'vega-lite';
import {
  groundTrackSpec, injectionRows, injectionSpec, localTimeCoverageRows, localTimeCoverageSpec, neProfileRows, neProfileSpec, trackPoints,
} from '../lib/simulation/figures';
import { assertInlineData, markSimulated, renderSvg } from '../lib/figures/render';
import { makeOrbit } from '../lib/simulation/orbit';
import { DEFAULT_SIMULATION_PARAMS, withParams } from '../lib/simulation/params';
import { loadInputs, simulateDay } from '../lib/simulation/simulate';

const orbit = makeOrbit(DEFAULT_SIMULATION_PARAMS.orbit);
const inputs = loadInputs();

async function check(spec: any) {
  assertInlineData(spec);
  const compiled = vl.compile(spec);
  assert.ok(compiled.spec, 'compiles');
  const svg = await renderSvg(markSimulated(spec));
  assert.ok(svg.startsWith('<svg') && svg.includes('simulated data'), 'renders with the simulated mark');
}

test('ground track spec', async () => {
  const pts = trackPoints(orbit, Date.parse('2016-02-15T00:00:00Z'), 3);
  assert.is(pts.length, 540);
  await check(groundTrackSpec(pts, 'Ground track, 2016-02-15 00-03 UT'));
});

test('local-time coverage: rows show the node drift, spec compiles', async () => {
  const rows = localTimeCoverageRows(orbit, '2015-06-01', '2015-08-30', 10);
  const asc = rows.filter((r) => r.node === 'ascending');
  assert.ok(asc.length >= 9);
  // ~0.09 h/day earlier: over 10 days about 0.9 h
  const d = ((asc[0].localTime - asc[1].localTime + 36) % 24) - 12;
  assert.ok(d > 0.8 && d < 1.0, `LT step over 10 days ${d}`);
  await check(localTimeCoverageSpec(rows, 'Local-time coverage'));
});

test('Ne profile and injection figures from a simulated day', async () => {
  const dense = withParams({ injection: { probability: 1 } });
  const sig = simulateDay('2016-02-15', inputs, dense, 'simulator');
  const nul = simulateDay('2016-02-15', inputs, withParams({ injection: { enabled: false } }), 'simulator');
  const ne = neProfileRows(sig);
  const tracks = [...new Set(ne.map((r) => r.track))];
  assert.is(tracks.length, 2);
  const med = (name: string) => {
    const v = ne.filter((r) => r.track === name).map((r) => r.Ne).sort((a, b) => a - b);
    return v[v.length >> 1];
  };
  assert.ok(med(tracks[0]) > 3 * med(tracks[1]), 'day side above night side');
  await check(neProfileSpec(ne, 'Ne by day and night'));
  const e = sig.truth[0];
  const { rows, span } = injectionRows(sig, nul, e, inputs.model, orbit);
  // outside the span both runs coincide, beyond the 30 s half-length of the panel's high-pass filter (61 taps),
  // which spreads the packet's edges by that much
  const halfFilter = 30;
  // (with probability 1 other packets may fall inside the plotted pad: skip every ground-truth span)
  const spans = sig.truth.map((x) => [(x.tStartMs - e.tStartMs) / 1000 - halfFilter, (x.tEndMs - e.tStartMs) / 1000 + halfFilter]);
  const outside = rows.filter((r) => r.panel.startsWith('B_E -') && spans.every(([a, b]) => r.second < a || r.second > b));
  assert.ok(outside.length > 100, 'enough seconds outside the spans to compare');
  const bySecond = new Map<number, number[]>();
  for (const r of outside) bySecond.set(r.second, [...(bySecond.get(r.second) ?? []), r.value]);
  for (const [s, v] of bySecond) if (v.length === 2) assert.is(v[0], v[1], `second ${s}`);
  await check(injectionSpec(rows, span, 'Injected perturbation', e.eventId));
});

test.run();
