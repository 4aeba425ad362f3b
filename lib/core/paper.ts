// The SafeNet paper's constants (Xiong et al., Remote Sensing 2021), each defined once with the section, table or
// figure it comes from, plus the published constants of the methods the paper cites (Dobrovolsky et al. 1979,
// Gardner & Knopoff 1974, MASS, NeLOG). Every other module imports these values; test/paper-constants.test.ts
// checks each against the paper's own words (quoted in the test). Nothing here imports anything, so any layer
// (catalog, datasets, simulation, case studies) can use it without a cycle.

/** Section 2.3: the catalog the datasets are built from. */
export const PAPER_CATALOG = {
  /** "18,621 earthquakes with magnitudes greater than or equal to 4.8" (section 2.3). */
  minMag: 4.8,
  /** "collected from 1 April 2014 to 30 April 2020" (section 2.3); `to` is the exclusive end (1 May 2020). */
  from: '2014-04-01',
  to: '2020-05-01',
  /** Events before declustering (section 2.3). */
  before: 18621,
  /** "the final list comprised 9017 independent earthquakes" (section 2.3; abstract; Table 1). */
  after: 9017,
} as const;

/** Section 4: "data from 15 days before to 5 days after every earthquake ... the temporal window". */
export const PAPER_EVENT_WINDOW = { beforeDays: 15, afterDays: 5 } as const;

/** Sections 2.3 and 3.1, Figure 3: class 2 when "a Kp index greater than 3.0" (strictly greater). */
export const PAPER_KP_THRESHOLD = 3;

/** Section 2.3: an artificial event is "not within 10 deg of the latitude or longitude" and "not within 15 days" of a real one. */
export const PAPER_NONSEISMIC_EXCLUSION = { deg: 10, days: 15 } as const;

/** Section 3.1: "the first 80 percent (in chronological order) ... training ... the last 20 percent ... test". */
export const PAPER_TEST_FRACTION = 0.2;

/**
 * Dobrovolsky, Zubkov & Miachkin (1979), cited as [29] for the spatial window (section 4, Table 1, Figures 1-2):
 * preparation-zone radius R = 10^(0.43 M) km. The paper names the formula, not the exponent.
 */
export const DOBROVOLSKY_EXPONENT = 0.43;

/** Table 1 and section 4.4: the magnitude bins of DataSets 11-13 with the paper's event counts. */
export const PAPER_MAGNITUDE_BINS = [
  { dataset: 11, label: '4.8-5.2', min: 4.8, max: 5.2, paperEvents: 5136 },
  { dataset: 12, label: '5.2-5.8', min: 5.2, max: 5.8, paperEvents: 2793 },
  { dataset: 13, label: '5.8-7.5', min: 5.8, max: 7.5, paperEvents: 853 },
] as const;

/** Table 1: what varies between the 17 datasets (everything else is DataSet 03's). */
export const PAPER_TABLE1 = {
  /** DataSets 01-05: input sequence lengths ("60/80/70/50/40 continuous points"). */
  inputLengths: [60, 80, 70, 50, 40],
  /** DataSet 03 (the reference configuration, 70 points, Dobrovolsky radius, night, 1:1). */
  referenceDataset: 3,
  referenceT: 70,
  /** DataSet 06: daytime. */
  dayDataset: 6,
  /** DataSets 07-10: "a deviation of 3/5/7/10 deg". */
  degrees: [3, 5, 7, 10],
  /** DataSets 14-17: positive to negative ratios 1:2 to 1:5 (1:1 elsewhere). */
  ratios: [2, 3, 4, 5],
} as const;

/**
 * Gardner & Knopoff (1974, BSSA 64:1363) aftershock windows, the table of their paper: magnitude, distance L (km)
 * and time T (days). The SafeNet paper's own rule (Yan et al. 2017) is unpublished (section 2.3); this table is
 * the default stand-in (lib/datasets/params.ts catalog.declusterRule).
 */
export const GARDNER_KNOPOFF_TABLE = {
  mag: [2.5, 3.0, 3.5, 4.0, 4.5, 5.0, 5.5, 6.0, 6.5, 7.0, 7.5, 8.0],
  distanceKm: [19.5, 22.5, 26, 30, 35, 40, 47, 54, 61, 70, 81, 94],
  timeDays: [6, 11.5, 22, 42, 83, 155, 290, 510, 790, 915, 960, 985],
} as const;

/** van Stiphout, Zhuang & Marsan (2012, CORSSA) fit of the Gardner-Knopoff windows: log10 L = a M + b, log10 T = ... */
export const GARDNER_KNOPOFF_FIT = {
  distance: { a: 0.1238, b: 0.983 },
  /** T for M >= 6.5. */
  timeLarge: { a: 0.032, b: 2.7389, fromMag: 6.5 },
  /** T below M 6.5. */
  timeSmall: { a: 0.5409, b: -0.547 },
} as const;

/**
 * MASS (De Santis et al. 2017, EPSL 461, cited as [4] for Figures 1-2; settings as described by Marchetti et al.
 * 2022): 7-deg latitude windows shifted by 1/5 of their length; a window is anomalous when its rms exceeds kt times
 * the track's rms (kt 2.5 or 3; 2.5 here).
 */
export const MASS_SETTINGS = { windowDeg: 7, windowShiftFraction: 1 / 5, kt: 2.5 } as const;

/**
 * NeLOG (De Santis et al. 2019, cited as [28]): Figure 1 caption, "a 10-degree polynomial fit" of log Ne; a
 * sample is flagged beyond k = 3 rms of the fit residual (the NeLOG paper publishes no k: the 3-sigma rule).
 */
export const NELOG_SETTINGS = { degree: 10, k: 3 } as const;
