// Figures 1-2 specs (paper section 2.2) and the day-by-day sequence (beyond the paper): Vega-Lite compile
// without errors, title contents, inline data, rendering; sequence counts on synthetic days with a planted
// packet, a disturbed day and a missing day.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as vl from 'vega-lite';
import { syntheticDay } from './casestudy-synthetic';
import { analyseTrack, chooseCaseTrack, GeomagIndices } from '../lib/casestudy/analysis';
import { caseFigureSpec, caseTitle, sequenceFigureSpec, basemapFeatures } from '../lib/casestudy/figures';
import { runSequence, sequenceRows, daysBetween } from '../lib/casestudy/sequence';
import { CASE_EVENTS, dobrovolskyRadiusKm } from '../lib/casestudy/params';
import { greatCircleKm } from '../lib/casestudy/tracks';
import { assertInlineData, renderSvg } from '../lib/figures/render';
import type { SwarmDay } from '../lib/swarm/types';
import { loadCaseDay, runCaseStudy, paperBesideOurs } from '../lib/casestudy/run';

const EV = CASE_EVENTS[0];
const R = dobrovolskyRadiusKm(EV.magnitude);
const AREA = { latitude: EV.latitude, longitude: EV.longitude, radiusKm: R };
const DISTURBED_DAY = '2016-02-19';
const INDICES: GeomagIndices = {
  dst: (t) => (new Date(t).toISOString().startsWith(DISTURBED_DAY) ? -45 : 6),
  ap: (t) => (new Date(t).toISOString().startsWith(DISTURBED_DAY) ? 27 : 4),
  kp: (t) => (new Date(t).toISOString().startsWith(DISTURBED_DAY) ? 4 : 1),
};

/** A synthetic day with a 0.4 Hz packet in B_E where its case track passes closest to the epicentre. */
function dayWithPacket(day: string): SwarmDay {
  const plain = syntheticDay({ day, stream: day, neNoise: 0.01 });
  const ch = chooseCaseTrack(plain, 26, AREA);
  let best = ch.track.start;
  for (let i = ch.track.start; i < ch.track.end; i++) {
    if (greatCircleKm(plain.Latitude[i], plain.Longitude[i], EV.latitude, EV.longitude) < greatCircleKm(plain.Latitude[best], plain.Longitude[best], EV.latitude, EV.longitude)) best = i;
  }
  const tc = (plain.Timestamp[best] - Date.parse(day + 'T00:00:00Z')) / 1000;
  return syntheticDay({ day, stream: day, neNoise: 0.01, packet: { centreTimeS: tc, freqHz: 0.4, amplitudeNt: 2, sdS: 20 } });
}

test('Figure 1 spec: A-H panels, paper-style title, inline data, compiles and renders', async () => {
  const d = dayWithPacket(EV.trackDay);
  const ch = chooseCaseTrack(d, EV.trackNumber, AREA);
  const a = analyseTrack(d, ch.track, { indices: INDICES, area: AREA });
  const spec = caseFigureSpec(a, { event: EV, radiusKm: R, notes: [ch.note] });
  const title = caseTitle(a);
  assert.match(title[0], `Swarm A  ${EV.trackDay}  track ${ch.track.number}`);
  assert.match(title[0], /\d\d:\d\d LT  \d\d:\d\d UT  Dst = 6 nT  ap = 4 nT/);
  assert.match(title[1], `Y ${a.mass.nFlagged.Y}/${a.mass.n}`);
  assert.ok(a.mass.nFlagged.Y > 0);
  const text = JSON.stringify(spec);
  for (const letter of 'ABCDEFGH') assert.match(text, `"text":"${letter}  `);
  assertInlineData(spec);
  const compiled = vl.compile(spec as any);
  assert.ok(compiled.spec && Array.isArray((compiled.spec as any).marks));
  const svg = await renderSvg(spec);
  assert.match(svg, /<svg/);
  assert.match(svg, /track \d+/);
});

test('basemap: world-atlas countries inside the box only', () => {
  const f = basemapFeatures(30, 160, -65, 65);
  const names = f.map((x) => x.properties.name);
  assert.ok(names.includes('Indonesia') && names.includes('Australia'));
  assert.not.ok(names.includes('Brazil'));
});

test('sequence: anomalous tracks per day, disturbed and missing days, cumulative count, figure compiles', () => {
  const planted = new Set(['2016-02-21', '2016-02-25', DISTURBED_DAY]);
  const missing = new Set(['2016-02-17', '2016-02-28']);
  const read = (day: string) => (missing.has(day) ? null : planted.has(day) ? dayWithPacket(day) : syntheticDay({ day, stream: day, neNoise: 0.01 }));
  const seq = runSequence({ event: EV, source: 'simulated', readDay: read, indices: INDICES, to: '2016-02-27' });
  assert.equal(seq.days.map((x) => x.day), daysBetween('2016-02-15', '2016-02-27'));
  assert.equal(seq.missing, ['2016-02-17']);
  for (const d of seq.days) {
    if (d.status !== 'ok') continue;
    assert.ok(d.nightTracksInArea >= 1, `${d.day}: no night track in area`);
    const expectQuiet = planted.has(d.day) && d.day !== DISTURBED_DAY ? 1 : 0;
    assert.is(d.anomalousQuiet, expectQuiet, `${d.day} anomalous quiet`);
    assert.is(d.anomalousDisturbed, d.day === DISTURBED_DAY ? 1 : 0, `${d.day} anomalous disturbed`);
  }
  assert.is(seq.totalAnomalousQuiet, 2);
  assert.is(seq.days.find((x) => x.day === '2016-02-25')!.cumulative, 2);
  assert.is(seq.days.find((x) => x.day === '2016-02-21')!.kpMax, 1);
  assert.is(seq.days.find((x) => x.day === DISTURBED_DAY)!.dstMin, -45);
  const rows = sequenceRows(seq);
  assert.is(rows.find((r) => r.day === '2016-02-17')!.data, 'missing');
  const spec = sequenceFigureSpec(seq);
  assert.match(JSON.stringify(spec), `${seq.missing.length} of ${seq.days.length} days without data`);
  assert.ok((vl.compile(spec as any).spec as any).marks);
});

test('sequence: the earthquake day counts only tracks before the origin time', () => {
  const ev = { ...EV, time: '2016-02-15T06:00:00Z' };
  const seq = runSequence({ event: ev, source: 'simulated', readDay: (day) => syntheticDay({ day, stream: day }), indices: INDICES });
  assert.is(seq.days.length, 1);
  for (const t of seq.days[0].tracks) assert.ok(t.centreUT < '06:00');
});

test('case day source: real store first, then simulated, and the figure says which', () => {
  const real = { ...syntheticDay({ stream: 'r' }), source: 'real' as const };
  const sim = syntheticDay({ stream: 's' });
  const both = loadCaseDay(EV.trackDay, (source) => (source === 'real' ? real : sim));
  assert.is(both.source, 'real');
  assert.match(both.origin, /^real Swarm A data/);
  const simOnly = loadCaseDay(EV.trackDay, (source) => (source === 'real' ? null : sim));
  assert.is(simOnly.source, 'simulated');
  assert.match(simOnly.origin, /no real data for 2016-02-15/);
  const run = runCaseStudy(EV, INDICES, (source) => (source === 'real' ? null : dayWithPacket(EV.trackDay)));
  assert.ok(run.simulated);
  assert.match(JSON.stringify(run.spec.title), 'simulated Swarm A (no real data for this day in the store)');
  const rows = paperBesideOurs(run, INDICES);
  const row = (q: string) => rows.find((r) => r.quantity.startsWith(q))!;
  assert.is(row('Dst at the track').paper, '6');
  assert.is(row('ap at the track').ours, '4');
  assert.is(row('components with MASS anomalies').ours, 'Y');
  assert.ok((vl.compile(run.spec as any).spec as any).marks);
});

test.run();
