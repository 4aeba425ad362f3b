// Benchmark of the case-study chain (paper section 2.2): segmenting a 1 Hz day into tracks, MASS + NeLOG on one
// track, building and rendering the Figure 1 spec. Synthetic day (test/casestudy-synthetic.ts); prints timings.
// Usage: npx tsx bench/casestudy.ts [repeats]
import { syntheticDay } from '../test/casestudy-synthetic';
import { segmentTracks } from '../lib/casestudy/tracks';
import { analyseTrack, chooseCaseTrack } from '../lib/casestudy/analysis';
import { caseFigureSpec } from '../lib/casestudy/figures';
import { CASE_EVENTS, dobrovolskyRadiusKm } from '../lib/casestudy/params';
import { renderSvg } from '../lib/figures/render';

async function main() {
  const repeats = Number(process.argv[2] ?? 5);
  const ev = CASE_EVENTS[0];
  const area = { latitude: ev.latitude, longitude: ev.longitude, radiusKm: dobrovolskyRadiusKm(ev.magnitude) };
  const indices = { dst: () => 0, ap: () => 4, kp: () => 1 };
  const day = syntheticDay({ neNoise: 0.01 });
  const time = (label: string, f: () => unknown) => {
    f(); // warm-up
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < repeats; i++) f();
    const ms = Number(process.hrtime.bigint() - t0) / 1e6 / repeats;
    console.log(`${label.padEnd(44)} ${ms.toFixed(1).padStart(8)} ms`);
  };
  console.log(`case-study chain, ${day.Timestamp.length} records (1 Hz day), mean of ${repeats} runs after a warm-up`);
  time('segmentTracks (one day)', () => segmentTracks(day, undefined, Date.parse(day.day + 'T00:00:00Z')));
  const choice = chooseCaseTrack(day, ev.trackNumber, area);
  time('chooseCaseTrack (one day)', () => chooseCaseTrack(day, ev.trackNumber, area));
  time('analyseTrack: MASS + NeLOG (one track)', () => analyseTrack(day, choice.track, { indices, area }));
  const a = analyseTrack(day, choice.track, { indices, area });
  time('caseFigureSpec (Figure 1 spec)', () => caseFigureSpec(a, { event: ev, radiusKm: area.radiusKm }));
  const spec = caseFigureSpec(a, { event: ev, radiusKm: area.radiusKm });
  await renderSvg(spec);
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < repeats; i++) await renderSvg(spec);
  console.log(`${'renderSvg (Figure 1, vega)'.padEnd(44)} ${(Number(process.hrtime.bigint() - t0) / 1e6 / repeats).toFixed(1).padStart(8)} ms`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
