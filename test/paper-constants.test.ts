// The paper's constants (lib/core/paper.ts) against the paper's own words, and every module that uses one against
// that single definition. The quotes below are verbatim from Xiong et al., "Towards Advancing the Earthquake
// Forecasting by Machine Learning of Satellite Data", Remote Sensing 13 (2021) (SafeNet); each test names the
// section, table or figure. Numbers are parsed out of the quoted text, so a constant that drifts from the paper
// fails here. Also: pinned kept counts of the shipped ComCat catalog under each declustering rule.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  DOBROVOLSKY_EXPONENT, GARDNER_KNOPOFF_FIT, GARDNER_KNOPOFF_TABLE, MASS_SETTINGS, NELOG_SETTINGS, PAPER_CATALOG,
  PAPER_EVENT_WINDOW, PAPER_KP_THRESHOLD, PAPER_MAGNITUDE_BINS, PAPER_NONSEISMIC_EXCLUSION, PAPER_TABLE1, PAPER_TEST_FRACTION,
} from '../lib/core/paper';
import { DATASET_PARAMS } from '../lib/datasets/params';
import { table1Configs } from '../lib/datasets/table1';
import { dobrovolskyKm } from '../lib/datasets/selection';
import { DEFAULT_SIMULATION_PARAMS } from '../lib/simulation/params';
import { MASS_PARAMS, NELOG_PARAMS, dobrovolskyRadiusKm as caseRadius } from '../lib/casestudy/params';
import { dobrovolskyRadiusKm, dobrovolskyRadiusDeg } from '../lib/catalog/dobrovolsky';
import { declusterTable, gkFitDistanceKm, gkFitTimeDays, gkTableDistanceKm, gkTableTimeDays, PAPER_CATALOG as DC_CATALOG, PAPER_MAG_BINS } from '../lib/catalog/decluster';
import { readComcat } from '../lib/catalog/comcat';
import { filterCatalog } from '../lib/catalog/filters';
import { paths } from '../lib/core/paths';

/** Numbers in a quoted passage, thousands separators removed. */
const numbers = (s: string): number[] => (s.replace(/(\d),(\d{3})/g, '$1$2').match(/\d+(?:\.\d+)?/g) ?? []).map(Number);

test('section 2.3: catalog threshold, period and counts before/after declustering', () => {
  const q = 'The data used for this study were from Swarm A and included the parameters mentioned above, collected from ' +
    '1 April 2014 to 30 April 2020, i.e., 7 years of data. According to the United States Geological Survey, 18,621 ' +
    'earthquakes with magnitudes greater than or equal to 4.8 were reported during this period. [...] After this ' +
    'process, the final list comprised 9017 independent earthquakes.';
  const n = numbers(q.slice(q.indexOf('According')));
  assert.equal(n, [18621, 4.8, 9017]);
  assert.is(PAPER_CATALOG.before, n[0]);
  assert.is(PAPER_CATALOG.minMag, n[1]);
  assert.is(PAPER_CATALOG.after, n[2]);
  // '1 April 2014' is the inclusive start; '30 April 2020' inclusive, so the exclusive end is the next day
  assert.is(Date.parse(PAPER_CATALOG.from + 'T00:00:00Z'), Date.parse('1 April 2014 00:00:00 UTC'));
  assert.is(Date.parse(PAPER_CATALOG.to + 'T00:00:00Z') - 86_400_000, Date.parse('30 April 2020 00:00:00 UTC'));
  // users: the dataset parameters, the simulator's injection and the declustering report
  assert.is(DATASET_PARAMS.catalog.minMag, 4.8);
  assert.is(DATASET_PARAMS.catalog.from, '2014-04-01');
  assert.is(DATASET_PARAMS.catalog.to, '2020-05-01');
  assert.is(DEFAULT_SIMULATION_PARAMS.injection.minMagnitude, 4.8);
  assert.is(DC_CATALOG, PAPER_CATALOG);
});

test('section 4: the temporal window is 15 days before to 5 days after every earthquake', () => {
  const q = 'In our study, we consistently considered data from 15 days before to 5 days after every earthquake and set ' +
    'it as the temporal window.';
  const [before, after] = numbers(q);
  assert.equal([before, after], [15, 5]);
  assert.equal(PAPER_EVENT_WINDOW, { beforeDays: before, afterDays: after });
  assert.equal(DATASET_PARAMS.temporalWindow, { beforeDays: 15, afterDays: 5 });
  assert.is(DEFAULT_SIMULATION_PARAMS.injection.maxLeadDays, 15);
});

test('sections 2.3 and 3.1, Figure 3: class 2 when Kp is greater than 3 (strictly)', () => {
  const q23 = 'It should be noted that data corresponding to periods with a Kp index greater than 3.0 were not analyzed in this study.';
  const q31 = 'data with a Kp index greater than 3.0, regardless of whether the data were related to an earthquake, were marked as 2';
  const fig3 = 'data with a Kp index greater than 3 are marked as 2 (class 2), regardless of whether they are associated with an earthquake.';
  for (const q of [q23, q31, fig3]) {
    assert.match(q, /greater than 3(\.0)?\b/); // "greater than": strict
    assert.is(numbers(q)[0], 3);
  }
  assert.is(PAPER_KP_THRESHOLD, 3);
  assert.is(DATASET_PARAMS.kp.threshold, PAPER_KP_THRESHOLD);
});

test('section 2.3: artificial events 10 deg and 15 days away from real earthquakes', () => {
  const q = '(1) the latitude or longitude is not within 10\u25e6 of the latitude or longitude of a real earthquake and (2) the ' +
    'time is not within 15 days of the occurrence time of a real earthquake.';
  const n = numbers(q);
  assert.equal(n, [1, 10, 2, 15]);
  assert.equal(PAPER_NONSEISMIC_EXCLUSION, { deg: 10, days: 15 });
  assert.is(DATASET_PARAMS.nonSeismic.exclusionDeg, 10);
  assert.is(DATASET_PARAMS.nonSeismic.exclusionDays, 15);
});

test('section 3.1: first 80 % train, last 20 % test', () => {
  const q = 'the first 80 percent (in chronological order) of the data was used for model training (the training set), and ' +
    'the last 20 percent was used for model testing';
  const [train, testPct] = numbers(q);
  assert.is(train + testPct, 100);
  assert.is(PAPER_TEST_FRACTION, testPct / 100);
  assert.is(DATASET_PARAMS.splits.testFraction, 0.2);
});

test('Table 1: the 17 datasets, row by row, against table1Configs()', () => {
  // Table 1 as printed: night/day, spatial feature, input length, magnitude / real earthquakes / ratio
  const rows = [
    '01 Nighttime Dobrovolsky 60 continuous points above 4.8/9017/1:1',
    '02 Nighttime Dobrovolsky 80 continuous points above 4.8/9017/1:1',
    '03 Nighttime Dobrovolsky 70 continuous points above 4.8/9017/1:1',
    '04 Nighttime Dobrovolsky 50 continuous points above 4.8/9017/1:1',
    '05 Nighttime Dobrovolsky 40 continuous points above 4.8/9017/1:1',
    '06 Daytime Dobrovolsky 70 continuous points above 4.8/9017/1:1',
    '07 Nighttime deviation 3 70 continuous points above 4.8/9017/1:1',
    '08 Nighttime deviation 5 70 continuous points above 4.8/9017/1:1',
    '09 Nighttime deviation 7 70 continuous points above 4.8/9017/1:1',
    '10 Nighttime deviation 10 70 continuous points above 4.8/9017/1:1',
    '11 Nighttime Dobrovolsky 70 continuous points 4.8~5.2/5136/1:1',
    '12 Nighttime Dobrovolsky 70 continuous points 5.2~5.8/2793/1:1',
    '13 Nighttime Dobrovolsky 70 continuous points 5.8~7.5/853/1:1',
    '14 Nighttime Dobrovolsky 70 continuous points above 4.8/9017/1:2',
    '15 Nighttime Dobrovolsky 70 continuous points above 4.8/9017/1:3',
    '16 Nighttime Dobrovolsky 70 continuous points above 4.8/9017/1:4',
    '17 Nighttime Dobrovolsky 70 continuous points above 4.8/9017/1:5',
  ];
  const re = /^(\d\d) (Nighttime|Daytime) (Dobrovolsky|deviation (\d+)) (\d+) continuous points (above 4\.8|([\d.]+)~([\d.]+))\/(\d+)\/1:(\d)$/;
  const configs = table1Configs();
  assert.is(configs.length, rows.length);
  rows.forEach((row, k) => {
    const m = re.exec(row);
    assert.ok(m, row);
    const c = configs[k];
    const where = `DataSet ${m![1]}`;
    assert.is(c.id, Number(m![1]), where);
    assert.is(c.band, m![2] === 'Nighttime' ? 'night' : 'day', where);
    assert.equal(c.spatial, m![4] ? { kind: 'degrees', deg: Number(m![4]) } : { kind: 'dobrovolsky' }, where);
    assert.is(c.T, Number(m![5]), where);
    assert.equal(c.magBin, m![7] ? [Number(m![7]), Number(m![8])] : null, where);
    assert.is(c.paper.realEvents, Number(m![9]), where);
    assert.is(c.ratio, Number(m![10]), where);
    assert.is(c.magHiClosed, c.id === 13, where); // the last bin holds its upper edge 7.5
  });
  // the constants Table 1 is built from
  assert.equal([...PAPER_TABLE1.inputLengths], configs.slice(0, 5).map((c) => c.T));
  assert.equal([...PAPER_TABLE1.degrees], configs.slice(6, 10).map((c) => (c.spatial.kind === 'degrees' ? c.spatial.deg : NaN)));
  assert.equal([...PAPER_TABLE1.ratios], configs.slice(13).map((c) => c.ratio));
  assert.is(configs[PAPER_TABLE1.referenceDataset - 1].T, PAPER_TABLE1.referenceT);
  assert.is(configs[PAPER_TABLE1.dayDataset - 1].band, 'day');
});

test('section 4.4 and Table 1: the magnitude bins and their counts', () => {
  const q = 'we divided earthquakes into groups of three\u20145136 earthquakes with magnitudes between 4.8 and 5.2, 2793 ' +
    'earthquakes with magnitudes between 5.2 and 5.8, and 853 earthquakes with magnitudes between 5.8 and 7.5, and the ' +
    'corresponding datasets were created: DataSet 11, DataSet 12, and DataSet 13 (Table 1).';
  const n = numbers(q);
  assert.equal(n.slice(0, 9), [5136, 4.8, 5.2, 2793, 5.2, 5.8, 853, 5.8, 7.5]);
  assert.equal(n.slice(9), [11, 12, 13, 1]);
  PAPER_MAGNITUDE_BINS.forEach((b, k) => {
    assert.equal([b.paperEvents, b.min, b.max, b.dataset], [n[3 * k], n[3 * k + 1], n[3 * k + 2], n[9 + k]]);
    assert.equal(PAPER_MAG_BINS[k], { label: b.label, bin: [b.min, b.max], paperCount: b.paperEvents });
  });
  // the three bins cover 4.8..7.5 without gap; their counts add up to fewer than 9017 (events above 7.5 excluded)
  assert.is(PAPER_MAGNITUDE_BINS[0].max, PAPER_MAGNITUDE_BINS[1].min);
  assert.is(PAPER_MAGNITUDE_BINS[1].max, PAPER_MAGNITUDE_BINS[2].min);
  assert.is(5136 + 2793 + 853, 8782);
});

test('Dobrovolsky et al. 1979 (cited as [29] in section 4, Table 1, Figures 1-2): R = 10^(0.43 M) km, one exponent', () => {
  assert.match('the Dobrovolsky radius [29]', /Dobrovolsky radius \[29\]/);
  assert.is(DOBROVOLSKY_EXPONENT, 0.43);
  // reference radii from the formula, computed independently: 10^(0.43*M)
  const ref: [number, number][] = [[4.8, 115.87773561551262], [5.6, 255.85858869056452], [7.8, 2259.435770220978]];
  for (const [m, r] of ref) {
    assert.ok(Math.abs(dobrovolskyRadiusKm(m) - r) < 1e-9 * r, `catalog M${m}`);
    assert.ok(Math.abs(caseRadius(m) - r) < 1e-9 * r, `case study M${m}`);
    assert.ok(Math.abs(dobrovolskyKm(m) - r) < 1e-9 * r, `datasets default M${m}`);
    assert.ok(Math.abs(dobrovolskyKm(m, DATASET_PARAMS.spatial.dobrovolskyExponent) - r) < 1e-9 * r, `datasets params M${m}`);
    assert.ok(Math.abs(dobrovolskyRadiusKm(m, DEFAULT_SIMULATION_PARAMS.injection.radiusExponent) - r) < 1e-9 * r, `simulator M${m}`);
  }
  // M7.8 (both case studies): 2259 km = 20.32 deg of arc on the 6371.0088 km mean Earth radius
  assert.ok(Math.abs(dobrovolskyRadiusDeg(7.8) - 20.31957) < 1e-4, String(dobrovolskyRadiusDeg(7.8)));
});

test('Gardner & Knopoff 1974 table and the van Stiphout et al. 2012 fit: values and their use', () => {
  // Gardner & Knopoff (1974), BSSA 64(5):1363, Table 1 (as reproduced by van Stiphout et al. 2012, CORSSA, Table 1)
  const gk = '2.5 19.5 6 | 3.0 22.5 11.5 | 3.5 26 22 | 4.0 30 42 | 4.5 35 83 | 5.0 40 155 | 5.5 47 290 | 6.0 54 510 | ' +
    '6.5 61 790 | 7.0 70 915 | 7.5 81 960 | 8.0 94 985';
  const rows = gk.split('|').map(numbers);
  assert.equal([...GARDNER_KNOPOFF_TABLE.mag], rows.map((r) => r[0]));
  assert.equal([...GARDNER_KNOPOFF_TABLE.distanceKm], rows.map((r) => r[1]));
  assert.equal([...GARDNER_KNOPOFF_TABLE.timeDays], rows.map((r) => r[2]));
  // interpolation between the points: M5.25 is half way between 5.0 and 5.5
  rows.forEach(([m, L, T]) => { assert.is(gkTableDistanceKm(m), L); assert.is(gkTableTimeDays(m), T); });
  assert.is(gkTableDistanceKm(5.25), 43.5);
  assert.is(gkTableTimeDays(5.25), 222.5);
  // van Stiphout et al. 2012: L = 10^(0.1238 M + 0.983) km; T = 10^(0.032 M + 2.7389) d for M >= 6.5, else 10^(0.5409 M - 0.547)
  assert.equal(GARDNER_KNOPOFF_FIT, {
    distance: { a: 0.1238, b: 0.983 }, timeLarge: { a: 0.032, b: 2.7389, fromMag: 6.5 }, timeSmall: { a: 0.5409, b: -0.547 },
  });
  assert.ok(Math.abs(gkFitDistanceKm(6) - 53.18633) < 1e-4, String(gkFitDistanceKm(6)));
  assert.ok(Math.abs(gkFitTimeDays(6) - 499.3442) < 1e-3, String(gkFitTimeDays(6)));
  assert.ok(Math.abs(gkFitTimeDays(7) - 918.1212) < 1e-3, String(gkFitTimeDays(7)));
});

test('Figure 1 caption: MASS residuals and a 10-degree polynomial fit of log Ne (NeLOG)', () => {
  const q = 'Panels D, E, and F show magnetic X, Y, and Z components residual after derivate and cubic-spline removal ' +
    '(MASS method; De Santis et al. [4]). [...] Panel G shows the logarithm of electron density, with a 10-degree ' +
    'polynomial fit as a red line.';
  const degree = Number(/with a (\d+)-degree\s+polynomial fit/.exec(q)![1]);
  assert.is(degree, 10);
  assert.is(NELOG_SETTINGS.degree, degree);
  assert.is(NELOG_PARAMS.degree, degree);
  // MASS (De Santis et al. 2017; Marchetti et al. 2022 section 2.2): 7 deg windows shifted by 1/5, kt = 2.5
  assert.equal(MASS_SETTINGS, { windowDeg: 7, windowShiftFraction: 0.2, kt: 2.5 });
  assert.is(MASS_PARAMS.windowDeg, 7);
  assert.is(MASS_PARAMS.windowShiftFraction, 0.2);
  assert.is(MASS_PARAMS.kt, 2.5);
  assert.is(NELOG_PARAMS.k, NELOG_SETTINGS.k);
  assert.is(NELOG_SETTINGS.k, 3);
});

test('shipped ComCat catalog: pinned kept counts and magnitude bins under each declustering rule', () => {
  // Values from this package on the shipped files (data/catalog), checked by hand against the rule ordering:
  // larger windows keep fewer; 'none' keeps all. A change here is a change of the declustering or of the catalog.
  const m50 = filterCatalog(readComcat(paths.catalogM50), { minMag: 5.0, from: PAPER_CATALOG.from, to: PAPER_CATALOG.to, types: ['earthquake'] });
  const m45 = filterCatalog(readComcat(paths.catalogM45), { minMag: 4.8, from: '2019-12-01', to: PAPER_CATALOG.to, types: ['earthquake'] });
  const expected: Record<string, Record<string, number[]>> = {
    m50: {
      'gk-table': [5399, 2010, 2434, 931], 'gk-fit': [5452, 2051, 2448, 929], 'gk-table-both': [4340, 1561, 1943, 812],
      'gk-table-x1d-x0.5t': [6028, 2301, 2714, 989], 'gk-table-x1d-x0.25t': [6566, 2573, 2937, 1032],
      'gk-table-x1d-x0.1t': [7045, 2819, 3127, 1075], 'gk-table-x0.5d-x0.1t': [7688, 3117, 3401, 1145],
      'fixed-100km-30d': [6695, 2550, 3031, 1090], 'fixed-100km-10d': [7331, 2894, 3286, 1127],
      'fixed-50km-5d': [7871, 3192, 3486, 1168], none: [10037, 4279, 4405, 1328],
    },
    m45: {
      'gk-table': [827, 540, 218, 68], 'gk-fit': [830, 542, 219, 68], 'gk-table-both': [719, 455, 199, 64],
      'gk-table-x1d-x0.5t': [841, 553, 219, 68], 'gk-table-x1d-x0.25t': [870, 579, 222, 68],
      'gk-table-x1d-x0.1t': [913, 618, 226, 68], 'gk-table-x0.5d-x0.1t': [964, 661, 233, 69],
      'fixed-100km-30d': [818, 528, 222, 67], 'fixed-100km-10d': [930, 626, 235, 68],
      'fixed-50km-5d': [976, 668, 239, 68], none: [1144, 811, 259, 73],
    },
  };
  assert.is(m50.time.length, 10037);
  assert.is(m45.time.length, 1144);
  for (const [name, cat] of [['m50', m50], ['m45', m45]] as const) {
    const rows = declusterTable(name, cat);
    assert.equal(rows.map((r) => r.rule), Object.keys(expected[name]));
    for (const r of rows) assert.equal([r.kept, ...r.bins], expected[name][r.rule], `${name} ${r.rule}`);
  }
});

test.run();
