// Named parameters of the case studies (paper section 2.2, Figures 1-2): track segmentation, MASS, NeLOG,
// track selection and the Dobrovolsky area. Each value the paper leaves open is stated here with its reason
// (MASS: De Santis et al. 2017, EPSL 461:119-126, as described by Marchetti et al. 2022, Remote Sens. 14:2649;
// NeLOG: De Santis et al. 2019, Atmosphere 10:371; Dobrovolsky et al. 1979, Pure Appl. Geophys. 117); callers may override any field.

import { MASS_SETTINGS, NELOG_SETTINGS } from '../core/paper';

export interface TrackParams {
  /**
   * A track is a half orbit between two successive latitude extrema (north and south turning points).
   * Numbering rule: tracks are numbered per UT day, 1-based, in UT order; track 1 is the (usually partial)
   * half orbit that contains the day's first record. Reason: the paper counts tracks "daily" (Figure 1 caption)
   * and its track 26 of 2016-02-15 (a night pass near 94E, ~01:30 LT, i.e. ~19 UT) is consistent with ~30.6
   * half orbits a day counted from 00 UT.
   */
  numbering: '1-based-UT-order-partial-first';
  /** Time gap (s) that ends a track even without a latitude extremum (data gap). */
  maxGapS: number;
  /** Tracks with fewer records than this are kept in the list but marked too short to analyse. */
  minSamples: number;
}

export const TRACK_PARAMS: TrackParams = {
  numbering: '1-based-UT-order-partial-first',
  // Reason: Swarm MAG LR is 1 Hz; a gap longer than 10 minutes (~40 deg of latitude) breaks the half orbit.
  maxGapS: 600,
  // Reason: a 7-deg MASS window holds ~100 records at 1 Hz; fewer than 3 windows is not a track.
  minSamples: 300,
};

export interface MassParams {
  /**
   * Interior knot spacing (s) of the least-squares cubic B-spline fitted to the first differences and removed.
   * Not given by De Santis et al. 2017. Reason: 150 s (~10 deg of latitude at 7.6 km/s) follows the main-field
   * and large-scale external trend of the derivative but cannot follow sub-minute oscillations (the paper's
   * signatures are at 0.2-0.4 Hz, periods 2.5-5 s) nor a single 7-deg window's excess power.
   */
  splineKnotSpacingS: number;
  /** Moving window length in degrees of latitude (Marchetti et al. 2022: 7 deg). */
  windowDeg: number;
  /** Window shift as a fraction of its length (Marchetti et al. 2022: 1/5, ~1.4 deg). */
  windowShiftFraction: number;
  /** A window is anomalous when its rms > kt * rms of the whole analysed track (De Santis et al. 2017; Marchetti et al. 2022: 2.5 or 3). */
  kt: number;
  /**
   * Absolute floor (nT/s) a window's rms must also exceed to be anomalous. Reason: on a noise-free (or perfectly
   * smooth) track the residual is rounding error and the ratio criterion alone would flag noise; 0.01 nT/s is
   * below the Swarm VFM 1 Hz noise level (~0.05 nT/s in first differences), so it never masks a real signal.
   */
  minWindowRms: number;
  /** A window needs at least this fraction of the records its length implies at the track's mean rate. */
  minWindowFill: number;
  /** First differences are taken only between records at most this far apart (s); longer steps are gaps. */
  maxDiffStepS: number;
}

export const MASS_PARAMS: MassParams = {
  splineKnotSpacingS: 150,
  windowDeg: MASS_SETTINGS.windowDeg,
  windowShiftFraction: MASS_SETTINGS.windowShiftFraction,
  // Reason: the MASS papers give kt = 2.5 or 3; 2.5 is the value used in most MASS papers (De Santis 2017).
  kt: MASS_SETTINGS.kt,
  minWindowRms: 0.01,
  // Reason: a window mostly in a data gap says nothing about the signal.
  minWindowFill: 0.5,
  // Reason: at 1 Hz one or two missing records still give a first-order derivative; longer gaps do not.
  maxDiffStepS: 3,
};

export interface NelogParams {
  /** Polynomial degree of the log10 Ne fit against latitude (paper, Figure 1 caption: 10). */
  degree: number;
  /**
   * A sample is flagged when |log10 Ne - fit| > k * rms(residual). The threshold was not found in reachable
   * text (De Santis et al. 2019 publish none); k = 3 is the conventional 3-sigma outlier rule.
   */
  k: number;
  /**
   * Absolute floor (log10 units) a deviation must also exceed. Reason: when the fit is (almost) exact the rms
   * is rounding error; 0.01 in log10 (2.3 % in Ne) is below the EFI LP relative accuracy (~10 %).
   */
  minDeviation: number;
}

export const NELOG_PARAMS: NelogParams = { degree: NELOG_SETTINGS.degree, k: NELOG_SETTINGS.k, minDeviation: 0.01 };

export interface SelectionParams {
  /** Geomagnetic quiet: |Dst| <= maxAbsDst (nT). Documented default of the MASS papers (De Santis et al. 2017). */
  maxAbsDst: number;
  /** Geomagnetic quiet: ap <= maxAp (nT), 3-hourly ap at the track centre (De Santis et al. 2017). */
  maxAp: number;
  /** Analysed part of a track: |magnetic latitude| <= maxAbsMagLat (deg) (De Santis et al. 2017: +-50 deg). */
  maxAbsMagLat: number;
  /** Night: centre local time in [nightStartLT, 24) or [0, nightEndLT) hours (De Santis et al. 2017: 22-06 LT). */
  nightStartLT: number;
  nightEndLT: number;
}

export const SELECTION_PARAMS: SelectionParams = {
  maxAbsDst: 20,
  maxAp: 10,
  maxAbsMagLat: 50,
  nightStartLT: 22,
  nightEndLT: 6,
};

/**
 * Magnetic latitude is the dipole (geomagnetic) latitude from the IGRF-13 degree-1 Gauss coefficients
 * g10, g11, h11 (nT), interpolated linearly in time between the DGRF/IGRF epochs and extrapolated with the
 * 2020-2025 secular variation. Reason: the paper gives no magnetic coordinate system; the centred dipole of
 * IGRF-13 is the standard, self-contained choice (QD latitude would need the full field model).
 * Source: IGRF-13 coefficient table (Alken et al. 2021, Earth Planets Space 73:49).
 */
export const IGRF13_DIPOLE: { epoch: number; g10: number; g11: number; h11: number }[] = [
  { epoch: 2010, g10: -29496.57, g11: -1586.42, h11: 4944.26 },
  { epoch: 2015, g10: -29441.46, g11: -1501.77, h11: 4795.99 },
  { epoch: 2020, g10: -29404.8, g11: -1450.9, h11: 4652.5 },
];
/** IGRF-13 secular variation 2020-2025 (nT/yr) for g10, g11, h11. */
export const IGRF13_SV_2020 = { g10: 5.7, g11: 7.4, h11: -25.9 };

/** Dobrovolsky preparation radius R = 10^(0.43 M) km: the catalog stage's function (one definition). */
export { dobrovolskyRadiusKm, EARTH_RADIUS_KM } from '../catalog/dobrovolsky';

/** The paper's two case studies (section 2.2), with the values its Figures 1-2 and text report. */
export interface CaseEvent {
  id: string;
  name: string;
  /** Event origin time, ISO UTC (USGS ComCat). */
  time: string;
  latitude: number;
  longitude: number;
  depthKm: number;
  magnitude: number;
  /** The case track: UT day and the paper's track number that day. */
  trackDay: string;
  trackNumber: number;
  /** Values the paper reports for the track (null when it gives none). */
  paper: {
    dst: number | null; ap: number | null; localTime: string | null; daysBefore: number; figure: number;
    /** Components with the magnetic anomaly (red circles in panels D-F). */
    anomalousComponents: string;
    /** FFT signature the text names. */
    fftSignature: string;
    /** What the text says of Ne (panel G). */
    ne: string;
  };
}

export const CASE_EVENTS: CaseEvent[] = [
  {
    id: 'us10004u1y',
    name: 'Sumatra 2016',
    time: '2016-03-02T12:49:48Z',
    latitude: -4.952,
    longitude: 94.33,
    depthKm: 24,
    magnitude: 7.8,
    trackDay: '2016-02-15',
    trackNumber: 26,
    paper: {
      dst: 6, ap: 4, localTime: '~01:30', daysBefore: 16, figure: 1, anomalousComponents: 'Y only',
      fftSignature: 'Y: about 0.4 Hz', ne: 'EIA profile at night; disturbances at +5 deg latitude',
    },
  },
  {
    id: 'us20005j32',
    name: 'Ecuador 2016',
    time: '2016-04-16T23:58:36Z',
    latitude: 0.371,
    longitude: -79.94,
    depthKm: 20.6,
    magnitude: 7.8,
    trackDay: '2016-04-07',
    trackNumber: 3,
    paper: {
      dst: null, ap: null, localTime: null, daysBefore: 9, figure: 2, anomalousComponents: 'X, Y, Z',
      fftSignature: 'Y: about 0.2 Hz (0.182, 0.197 Hz); 0.23 Hz also in Z', ne: 'depletion coinciding with the magnetic disturbance',
    },
  },
];

/** Every named parameter of the case studies with its value and reason (for the notebook's table). */
export function parameterRows(): { parameter: string; value: string; reason: string }[] {
  return [
    { parameter: 'track numbering', value: TRACK_PARAMS.numbering, reason: 'paper counts tracks daily; track 1 holds the first record of the UT day (consistent with track 26 of 2016-02-15 being a ~19 UT pass over 94E at ~01:30 LT)' },
    { parameter: 'TRACK_PARAMS.maxGapS', value: `${TRACK_PARAMS.maxGapS} s`, reason: 'a longer gap may hide a turning point; the numbering then counts the hidden ones' },
    { parameter: 'TRACK_PARAMS.minSamples', value: String(TRACK_PARAMS.minSamples), reason: 'fewer records than ~3 MASS windows is not a track' },
    { parameter: 'MASS_PARAMS.splineKnotSpacingS', value: `${MASS_PARAMS.splineKnotSpacingS} s`, reason: 'not in the paper; ~10 deg of latitude: follows the main-field trend of dB/dt, not 0.2-0.4 Hz signals nor one 7-deg window' },
    { parameter: 'MASS_PARAMS.windowDeg / windowShiftFraction', value: `${MASS_PARAMS.windowDeg} deg / ${MASS_PARAMS.windowShiftFraction}`, reason: 'MASS as described by Marchetti et al. 2022 (Remote Sens. 14:2649, section 2.2)' },
    { parameter: 'MASS_PARAMS.kt', value: String(MASS_PARAMS.kt), reason: 'MASS papers use 2.5 or 3 (De Santis et al. 2017, EPSL 461:119-126; Marchetti et al. 2022)' },
    { parameter: 'MASS_PARAMS.minWindowRms', value: `${MASS_PARAMS.minWindowRms} nT/s`, reason: 'below instrument noise; stops the ratio test flagging rounding error on noise-free tracks' },
    { parameter: 'MASS_PARAMS.maxDiffStepS', value: `${MASS_PARAMS.maxDiffStepS} s`, reason: 'first differences across longer gaps are not derivatives' },
    { parameter: 'NELOG_PARAMS.degree', value: String(NELOG_PARAMS.degree), reason: 'paper, Figure 1 caption' },
    { parameter: 'NELOG_PARAMS.k', value: String(NELOG_PARAMS.k), reason: 'NeLOG (De Santis et al. 2019, Atmosphere 10:371) publishes no threshold; 3 x rms of the fit residual' },
    { parameter: 'NELOG_PARAMS.minDeviation', value: `${NELOG_PARAMS.minDeviation} (log10)`, reason: 'below EFI LP accuracy; stops flagging rounding error on exact fits' },
    { parameter: 'SELECTION_PARAMS.maxAbsDst / maxAp', value: `${SELECTION_PARAMS.maxAbsDst} nT / ${SELECTION_PARAMS.maxAp} nT`, reason: 'quiet-time rule of the MASS papers (De Santis et al. 2017), not restated in SafeNet: a documented default; hourly Dst and 3-hourly ap at the track centre' },
    { parameter: 'SELECTION_PARAMS.maxAbsMagLat', value: `${SELECTION_PARAMS.maxAbsMagLat} deg`, reason: 'as in the MASS papers (De Santis et al. 2017), a documented default; dipole magnetic latitude from IGRF-13 g10, g11, h11' },
    { parameter: 'SELECTION_PARAMS.night', value: `${SELECTION_PARAMS.nightStartLT}-${SELECTION_PARAMS.nightEndLT} LT`, reason: 'as in the MASS papers (De Santis et al. 2017), a documented default; mean solar local time UT + longitude/15 at the track centre' },
  ];
}
