// Property tests of the case-study chain (paper section 2.2): track segmentation and numbering, local time and
// dipole magnetic latitude, MASS (a planted 0.4 Hz packet is found at its frequency and place; smooth tracks flag
// nothing) and NeLOG (an exact polynomial profile flags nothing; a planted depletion is flagged where it is).
import { EARTH_RADIUS_KM } from '../lib/core/geo';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { syntheticDay, crossingTime } from './casestudy-synthetic';
import { segmentTracks, localTimeHours, dipolePole, magneticLatitude, greatCircleKm, circlePoints, isNight, formatHours } from '../lib/casestudy/tracks';
import { runMass } from '../lib/casestudy/mass';
import { runNelog } from '../lib/casestudy/nelog';
import { analyseTrack, chooseCaseTrack, GeomagIndices } from '../lib/casestudy/analysis';
import { MASS_PARAMS } from '../lib/casestudy/params';
import { dipoleCoefficients } from '../lib/casestudy/tracks';
import { readIgrfTable, coefficientsAt, coefIndex } from '../lib/simulation/mainfield';

const QUIET: GeomagIndices = { dst: () => -5, ap: () => 4, kp: () => 1 };
const DAY0 = Date.parse('2016-02-15T00:00:00Z');

test('segmentation: half orbits between latitude extrema, numbered 1.. in UT order', () => {
  const d = syntheticDay({ noiseNt: 0 });
  const tracks = segmentTracks(d, undefined, DAY0);
  assert.ok(tracks.length >= 30 && tracks.length <= 33, `${tracks.length} tracks`);
  tracks.forEach((t, i) => assert.is(t.number, i + 1));
  assert.ok(tracks[0].partial && tracks[tracks.length - 1].partial);
  for (const t of tracks.slice(1, -1)) {
    assert.ok(!t.partial);
    assert.ok(Math.abs(t.nSamples - 47 * 60) <= 2, `half orbit of ${t.nSamples} s`);
    const a = d.Latitude[t.start], b = d.Latitude[t.end - 1];
    assert.ok(Math.abs(Math.abs(a) - 87.35) < 0.05 && Math.abs(Math.abs(b) - 87.35) < 0.05, 'ends at the turning points');
    assert.is(t.direction, b > a ? 'ascending' : 'descending');
    assert.ok(Math.abs(d.Latitude[t.centreIndex]) < 1, 'centre near the equator');
  }
  // directions alternate
  for (let i = 1; i < tracks.length; i++) assert.is.not(tracks[i].direction, tracks[i - 1].direction);
});

test('segmentation: numbering survives a data gap and a late start', () => {
  const full = segmentTracks(syntheticDay({ noiseNt: 0 }), undefined, DAY0);
  const byStart = (ms: number) => full.find((t) => t.startMs <= ms && ms <= t.endMs)!.number;
  for (const gap of [[30000, 33000], [30000, 36000], [40000, 48000]] as [number, number][]) {
    const g = segmentTracks(syntheticDay({ noiseNt: 0, gapS: gap }), undefined, DAY0);
    for (const t of g) assert.is(t.number, byStart(t.centreMs), `gap ${gap}: track at ${new Date(t.centreMs).toISOString()}`);
  }
  const late = segmentTracks(syntheticDay({ noiseNt: 0, fromS: 3 * 3600 + 17 }), undefined, DAY0);
  for (const t of late) assert.is(t.number, byStart(t.centreMs));
  assert.throws(() => segmentTracks({ Timestamp: [2, 1], Latitude: [0, 1], Longitude: [0, 0] }), /not increasing at record 1/);
});

test('local time, night test, dipole pole and magnetic latitude', () => {
  const t = Date.parse('2016-02-15T19:12:00Z');
  assert.ok(Math.abs(localTimeHours(t, 94.33) - (19.2 + 94.33 / 15 - 24)) < 1e-9);
  assert.is(formatHours(localTimeHours(t, 94.33)), '01:29');
  assert.ok(Math.abs(localTimeHours(t, -80) - (19.2 - 80 / 15)) < 1e-9);
  assert.ok(isNight(23) && isNight(1.5) && !isNight(6) && !isNight(21.99) && isNight(22));
  // IGRF-13 dipole: pole 80.31N 72.61W at 2015.0 and 80.59N 72.68W at 2020.0 (from g10, g11, h11)
  const p15 = dipolePole(Date.parse('2015-01-01T00:00:00Z')), p20 = dipolePole(Date.parse('2020-01-01T00:00:00Z'));
  assert.ok(Math.abs(p15.latitude - 80.31) < 0.01 && Math.abs(p15.longitude + 72.61) < 0.01, JSON.stringify(p15));
  assert.ok(Math.abs(p20.latitude - 80.59) < 0.01 && Math.abs(p20.longitude + 72.68) < 0.01, JSON.stringify(p20));
  assert.ok(Math.abs(magneticLatitude(p15.latitude, p15.longitude, p15) - 90) < 1e-6);
  // on the pole's meridian magnetic latitude is latitude shifted by the pole's colatitude
  assert.ok(Math.abs(magneticLatitude(0, p15.longitude, p15) - (90 - p15.latitude)) < 1e-9);
  assert.ok(Math.abs(greatCircleKm(0, 0, 0, 90) - (Math.PI / 2) * EARTH_RADIUS_KM) < 1e-6);
  const circle = circlePoints(-4.952, 94.33, 2259);
  for (const [lo, la] of circle) assert.ok(Math.abs(greatCircleKm(la, lo, -4.952, 94.33) - 2259) < 1e-6);
});

test('MASS: the derivative of a linear field is constant and the residual vanishes', () => {
  const n = 1500;
  const T = Float64Array.from({ length: n }, (_, i) => DAY0 + i * 1000);
  const lat = Float64Array.from({ length: n }, (_, i) => -50 + i * 0.0667);
  const r = runMass({ Timestamp: T, Latitude: lat, Longitude: new Float64Array(n), B_N: lat.map((v) => 3 * v), B_E: T.map((t) => 0.5 * (t - DAY0) / 1000), B_C: new Float64Array(n) });
  assert.is(r.n, n - 1);
  assert.ok(r.derivative.Y.every((v) => Math.abs(v - 0.5) < 1e-9));
  assert.ok(r.residual.X.every((v) => Math.abs(v) < 1e-9) && r.residual.Y.every((v) => Math.abs(v) < 1e-9));
  assert.is(r.nFlagged.X + r.nFlagged.Y + r.nFlagged.Z, 0);
  assert.ok(r.windows.length > 50, `${r.windows.length} windows`);
  // windows: 7 deg long, shifted by 1.4 deg
  assert.ok(Math.abs(r.windows[1].startLat - r.windows[0].startLat - 1.4) < 1e-9);
  assert.ok(Math.abs(r.windows[0].endLat - r.windows[0].startLat - 7) < 1e-9);
});

function trackWithPacket(packet: boolean, noiseNt = 0.1) {
  // a descending track: find when the orbit crosses -5 deg going south after 6 h
  const tc = crossingTime(-5, false, 6 * 3600);
  const d = syntheticDay({ noiseNt, packet: packet ? { centreTimeS: tc, freqHz: 0.4, amplitudeNt: 2, sdS: 20 } : undefined, stream: packet ? 'packet' : 'smooth' });
  const tracks = segmentTracks(d, undefined, DAY0);
  const track = tracks.find((t) => t.startMs <= DAY0 + tc * 1000 && DAY0 + tc * 1000 <= t.endMs)!;
  return { d, track, a: analyseTrack(d, track, { indices: QUIET }) };
}

test('MASS: a planted 0.4 Hz packet is found at its frequency and place (Y only)', () => {
  const { a } = trackWithPacket(true);
  const m = a.mass;
  const sp = m.spectrum.Y;
  let k = 1;
  for (let i = 1; i < sp.amplitude.length; i++) if (sp.amplitude[i] > sp.amplitude[k]) k = i;
  assert.ok(Math.abs(sp.freq[k] - 0.4) < 0.01, `Y spectrum peaks at ${sp.freq[k]} Hz`);
  assert.ok(m.nFlagged.Y > 0, 'Y flagged');
  assert.is(m.nFlagged.X, 0);
  assert.is(m.nFlagged.Z, 0);
  const anomalousY = m.windows.filter((w) => w.anomalous.Y);
  assert.ok(anomalousY.length >= 1);
  for (const w of anomalousY) assert.ok(w.startLat <= -5 + 3 && w.endLat >= -5 - 3, `window ${w.startLat}..${w.endLat} far from -5`);
  const top = m.windows.reduce((b, w) => (w.rms.Y > b.rms.Y ? w : b));
  assert.ok(top.startLat <= -5 && top.endLat >= -5, 'strongest window holds the packet centre');
  for (let i = 0; i < m.n; i++) if (m.flagged.Y[i]) assert.ok(Math.abs(m.latitude[i] + 5) < 9, `flagged at ${m.latitude[i]}`);
  assert.ok(a.night === isNight(a.track.centreLT) && a.quiet);
});

test('MASS: smooth tracks flag nothing (with instrument-like noise and noise-free)', () => {
  for (const noise of [0.1, 0]) {
    const { a } = trackWithPacket(false, noise);
    assert.is(a.mass.nFlagged.X + a.mass.nFlagged.Y + a.mass.nFlagged.Z, 0, `noise ${noise}`);
    assert.ok(!a.mass.anomalous);
    assert.ok(a.mass.n > 1000);
    // the analysed part lies within +-50 deg magnetic latitude, and reaches close to it at both ends
    const { d } = trackWithPacket(false, noise);
    for (let i = a.analysedStart; i < a.analysedEnd; i++) assert.ok(Math.abs(magneticLatitude(d.Latitude[i], d.Longitude[i], a.pole)) <= 50);
    assert.ok(Math.abs(magneticLatitude(d.Latitude[a.analysedStart], d.Longitude[a.analysedStart], a.pole)) > 49.8);
  }
});

test('MASS: lower kt flags more; errors name the problem', () => {
  const { a } = trackWithPacket(true);
  const strict = a.mass.nFlagged.Y;
  const { d, track } = trackWithPacket(true);
  const loose = analyseTrack(d, track, { indices: QUIET, mass: { ...MASS_PARAMS, kt: 1.5 } }).mass.nFlagged.Y;
  assert.ok(loose >= strict);
  assert.throws(() => runMass({ Timestamp: [0, 1000], Latitude: [0, 0.1], Longitude: [0, 0], B_N: [1, 2], B_E: [1, 2], B_C: [1] }), /column B_C has 1 values/);
});

test('NeLOG: exact and uniformly noisy polynomial profiles flag nothing; a depletion is flagged where it is', () => {
  const n = 1500;
  const lat = Float64Array.from({ length: n }, (_, i) => -50 + (100 * i) / (n - 1));
  const exact = runNelog({ Latitude: lat, Ne: lat.map((l) => 10 ** (5.2 + 1e-3 * l - 5e-5 * l * l + 1e-18 * l ** 10)) });
  assert.is(exact.nFlagged, 0);
  assert.ok(exact.rms < 1e-10);
  const { a } = trackWithPacket(false);
  assert.is(a.nelog!.nFlagged, 0);
  const tc = crossingTime(12, false, 6 * 3600);
  const d = syntheticDay({ noiseNt: 0.1, neNoise: 0.02, depletion: { centreTimeS: tc, depth: 0.4, halfWidthS: 8 }, stream: 'depletion' });
  const track = segmentTracks(d, undefined, DAY0).find((t) => t.startMs <= DAY0 + tc * 1000 && DAY0 + tc * 1000 <= t.endMs)!;
  const r = analyseTrack(d, track, { indices: QUIET }).nelog!;
  assert.ok(r.nFlagged >= 12 && r.nFlagged <= 17, `${r.nFlagged} flagged`);
  for (let i = 0; i < r.n; i++) if (r.flagged[i]) assert.ok(Math.abs(r.latitude[i] - 12) < 1, `flagged at ${r.latitude[i]}`);
  // missing / non-positive Ne are skipped, not fatal
  const ne = lat.map((l) => 10 ** (5 + 1e-3 * l));
  ne[3] = NaN;
  ne[4] = -1;
  assert.is(runNelog({ Latitude: lat, Ne: ne }).skipped, 2);
  assert.throws(() => runNelog({ Latitude: [0, 1], Ne: [1, 2] }), /only 2 usable Ne samples/);
});

test('case-track choice: the paper number when it is a night track over the epicentre, else the nearest night track', () => {
  const d = syntheticDay({ noiseNt: 0 });
  const area = { latitude: -4.952, longitude: 94.33, radiusKm: 2259 };
  const tracks = segmentTracks(d, undefined, DAY0);
  const night = tracks.filter((t) => t.analysable && isNight(t.centreLT));
  assert.ok(night.length > 0);
  const c1 = chooseCaseTrack(d, 26, area);
  // on the synthetic day track 26 is a day pass (13:27 LT): the nearest night track over the area, 25, is chosen
  assert.is(c1.matchesPaper, false);
  assert.is(c1.track.number, 25);
  assert.match(c1.note, /track 26 of 2016-02-15 is not used: track 26 is not a night track in these data/);
  assert.match(c1.note, /Track 25 \(centre 18:45 UT, 01:27 LT, 681 km from the epicentre\)/);
  assert.ok(isNight(c1.track.centreLT));
  // a number with no track in the data: the nearest night track, and the note says why
  const c2 = chooseCaseTrack(d, 99, area);
  assert.not.ok(c2.matchesPaper);
  assert.match(c2.note, /no track 99/);
  assert.ok(c2.closestKm <= c1.closestKm + 1e-9);
});

test('dipole coefficients agree with the shipped IGRF-13 table (data/mainfield) used by the simulator', () => {
  const model = readIgrfTable();
  for (const year of [2014.25, 2015, 2016.12, 2018.7, 2020, 2021.5]) {
    const c = coefficientsAt(model, year);
    const d = dipoleCoefficients(year);
    assert.ok(Math.abs(c.g[coefIndex(1, 0)] - d.g10) < 1e-6, `g10 ${year}`);
    assert.ok(Math.abs(c.g[coefIndex(1, 1)] - d.g11) < 1e-6, `g11 ${year}`);
    assert.ok(Math.abs(c.h[coefIndex(1, 1)] - d.h11) < 1e-6, `h11 ${year}`);
  }
});

test.run();
