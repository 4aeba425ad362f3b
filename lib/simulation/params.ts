// Every assumption of the Swarm A simulator (the package's embedded default input, standing in for the Swarm
// data of paper section 2.3) as a named parameter with its reason. A profile or a test may override any of them;
// the hash of the parameters decides whether a simulated day in the store is still current.
import { DOBROVOLSKY_EXPONENT, PAPER_CATALOG, PAPER_EVENT_WINDOW } from '../core/paper';

/** Orbit: near-circular, near-polar, J2 secular precession, phase from real crossings (ESA Swarm orbit facts). */
export interface OrbitParams {
  /** Degrees. Swarm A's inclination (ESA): 87.35 deg. */
  inclinationDeg: number;
  /** A real ascending equator crossing (UTC ISO, ms) and its geographic longitude (deg): the orbit's phase. */
  nodeTime: string;
  nodeLongitudeDeg: number;
  /** Nodal period (s) at nodeTime, from the real crossings of that day. */
  nodalPeriodS: number;
  /** Change of the semi-major axis (km per year, drag; linear). */
  decayKmPerYear: number;
  /** Geocentric radius: offset (km) from the mean-motion semi-major axis, and the free eccentricity (magnitude, and
   * argument of perigee at nodeTime in deg) around the frozen one. */
  radiusOffsetKm: number;
  freeEccentricity: number;
  freePerigeeDeg: number;
  /** More real ascending crossings (e.g. from real days in the store; refitted by scripts/refit-simulator.ts): the
   * secular model's phase error there is corrected, linearly interpolated in time between crossings. */
  extraNodes: { time: string; longitudeDeg: number }[];
}

export interface MainFieldParams {
  /** Spacing (s) of the along-track grid the spherical-harmonic model is evaluated on before cubic interpolation. */
  gridStepS: number;
  /** Maximum spherical-harmonic degree used (IGRF-13 goes to 13). */
  maxDegree: number;
}

export interface MagneticBackgroundParams {
  /** White instrument noise per component (nT, 1 sigma). */
  instrumentNoiseNt: number;
  /** |Magnetic latitude| nodes (deg) of the low/mid-latitude noise table (linear between, constant beyond). */
  lowLatNodesDeg: number[];
  /** Sigma (nT) of the rough part of the low/mid-latitude residual at each node, at night (LT 0) and Kp 0. */
  lowLatSigmaNt: number[];
  /** Correlation time (s) of the rough part (AR(1): a random walk at 10-40 s lags). */
  lowLatRoughCorrelationS: number;
  /** Sigma of the smooth part (AR(1) of AR(1), correlation time smoothCorrelationS) relative to the rough one. */
  lowLatSmoothRatio: number;
  /** Day-side gain: sigma x (1 + dayGain w), w = (1 + cos(2 pi (LT - 12 h) / 24 h)) / 2 (1 at noon, 0 at midnight). */
  lowLatDayGain: number;
  /** Weak activity dependence: sigma x (1 + perKp Kp). */
  lowLatPerKp: number;
  /** Correlation time (s) of the smooth processes (low-latitude smooth part and auroral variability). */
  smoothCorrelationS: number;
  /** Auroral-oval variability (nT, 1 sigma) = base * (1 + Kp)^exponent, transverse components (N, E). */
  auroralSigmaBaseNt: number;
  auroralSigmaKpExponent: number;
  /** Ratio of the auroral variability in C to that in N and E. */
  auroralRadialRatio: number;
  /** Small-scale auroral structures: rough AR(1) of this fraction of the oval sigma and correlation time (s). */
  auroralRoughFraction: number;
  auroralRoughCorrelationS: number;
  /** Oval centre in |magnetic latitude| (deg) = quietLatDeg - perKpDeg * Kp; Gaussian half-width (deg). */
  ovalQuietLatDeg: number;
  ovalPerKpDeg: number;
  ovalWidthDeg: number;
  /** Polar-cap level of the auroral variability (fraction of the oval level) poleward of the oval. */
  polarCapFraction: number;
  /** Polar-cap large-scale field (nT per Kp unit): horizontal, sunward in the north and antisunward in the south
   * (Region-1 current closure), tapered in from the oval centre over ovalWidthDeg. */
  polarCapFieldNtPerKp: number;
  /** Storm-time large-scale field from Dst: an external field along the dipole axis of stormExternalFactor x Dst
   * and its induced internal part (ratio stormInductionQ at the surface); N x f(1 + Q k), C x f(1 - 2Q k),
   * k = (a/r)^3; E x stormEastFactor. */
  stormExternalFactor: number;
  stormInductionQ: number;
  stormEastFactor: number;
  /** Seconds over which the day's noise processes are bridged to the next day's start state (continuity at 00 UT). */
  dayBridgeS: number;
}

export interface IonosphereParams {
  /** log10 Ne (cm^-3) at solar maximum: full day and deep night, at low-mid latitudes. */
  log10NeDay: number;
  log10NeNight: number;
  /** Hours by which the ionospheric response lags the Sun (the F-region peaks after noon). */
  lagH: number;
  /** Width of the day/night transition in cos(solar zenith angle). */
  terminatorWidth: number;
  /** Equatorial ionization anomaly: crest |magnetic latitude| (deg), width (deg), crest gain and trough depth (dex). */
  eiaCrestLatDeg: number;
  eiaWidthDeg: number;
  eiaCrestDex: number;
  eiaTroughDex: number;
  /** Decline towards the poles: dex at |magnetic latitude| 90 deg (quadratic). */
  polarDeclineDex: number;
  /** Night-time mid-latitude trough: depth (dex), |magnetic latitude| (deg), width (deg). */
  troughDex: number;
  troughLatDeg: number;
  troughWidthDeg: number;
  /** Solar-cycle decline: dex per year after solarMaxYear, down to solarMinYear, then flat. */
  solarMaxYear: number;
  solarMinYear: number;
  solarDeclineDexPerYear: number;
  /** Semi-annual (equinox) variation amplitude (dex). */
  semiannualDex: number;
  /** Log-normal variability: AR(1) sigma (dex) and correlation time (s), plus white noise (dex). */
  noiseDex: number;
  noiseCorrelationS: number;
  whiteNoiseDex: number;
  /** Plasma bubbles: probability per night-side equator crossing, mean extra depletions, depth range (dex),
   * width range (s), local-time window (hours, wraps midnight), |magnetic latitude| limit (deg). */
  bubbleProbability: number;
  bubbleMeanExtra: number;
  bubbleDepthDex: [number, number];
  bubbleWidthS: [number, number];
  bubbleLocalTimeH: [number, number];
  bubbleMaxMagLatDeg: number;
}

export interface GapParams {
  /** MAG: mean gaps per day (Poisson), gap length range (s, log-uniform); flagged bursts per day and length (s). */
  magGapsPerDay: number;
  magGapLengthS: [number, number];
  magFlaggedPerDay: number;
  magFlaggedLengthS: [number, number];
  /** EFI LP (Ne): the same. */
  neGapsPerDay: number;
  neGapLengthS: [number, number];
  neFlaggedPerDay: number;
  neFlaggedLengthS: [number, number];
}

export interface InjectionParams {
  /** False: the null setting, nothing injected (leakage audit). */
  enabled: boolean;
  /** Smallest catalog magnitude that gets precursors. */
  minMagnitude: number;
  /** Only ComCat rows of this type. */
  eventType: string;
  /** Preparation radius R = 10^(radiusExponent * M) km times radiusFactor (Dobrovolsky et al. 1979). */
  radiusExponent: number;
  radiusFactor: number;
  /** Passes whose time is between minLeadDays and maxLeadDays before the event get a precursor. */
  minLeadDays: number;
  maxLeadDays: number;
  /** Probability that a qualifying pass carries a precursor. */
  probability: number;
  /** East amplitude (nT) at referenceMagnitude; scaled by 10^(magnitudeScaling * (M - referenceMagnitude)). */
  amplitudeEastNt: number;
  referenceMagnitude: number;
  magnitudeScaling: number;
  /** Amplitude of N and C relative to E. */
  northRatio: number;
  centreRatio: number;
  /** Log-uniform spread of the amplitude: factor range around the scaled value. */
  amplitudeSpread: [number, number];
  /** Wave-packet frequency band (Hz) and duration range (s, Hann envelope, zero outside). */
  bandHz: [number, number];
  durationS: [number, number];
  /** Relative Ne perturbation (fraction) at referenceMagnitude, scaled like the magnetic amplitude. */
  neRelative: number;
}

export interface SimulationParams {
  orbit: OrbitParams;
  mainField: MainFieldParams;
  magnetic: MagneticBackgroundParams;
  ionosphere: IonosphereParams;
  gaps: GapParams;
  injection: InjectionParams;
}

export const DEFAULT_SIMULATION_PARAMS: SimulationParams = {
  orbit: {
    inclinationDeg: 87.35,
    nodeTime: '2016-01-01T00:27:56.914Z',
    nodeLongitudeDeg: -102.6769975,
    nodalPeriodS: 5615.186,
    decayKmPerYear: -5.2,
    radiusOffsetKm: 4.9306,
    freeEccentricity: 0.0002375,
    freePerigeeDeg: 96.504,
    extraNodes: [],
  },
  mainField: { gridStepS: 20, maxDegree: 13 },
  magnetic: {
    instrumentNoiseNt: 0.1,
    lowLatNodesDeg: [5, 15, 25, 35, 45],
    lowLatSigmaNt: [0.549, 0.549, 0.478, 0.722, 1.013],
    lowLatRoughCorrelationS: 300,
    lowLatSmoothRatio: 2.55,
    lowLatDayGain: 0.5,
    lowLatPerKp: 0.05,
    smoothCorrelationS: 60,
    auroralSigmaBaseNt: 41.81,
    auroralSigmaKpExponent: 1.3,
    auroralRadialRatio: 0.3,
    auroralRoughFraction: 0.02,
    auroralRoughCorrelationS: 10,
    ovalQuietLatDeg: 70,
    ovalPerKpDeg: 1.44,
    ovalWidthDeg: 5.5,
    polarCapFraction: 0.0278,
    polarCapFieldNtPerKp: 23.04,
    stormExternalFactor: 1.187,
    stormInductionQ: 0.318,
    stormEastFactor: -0.019,
    dayBridgeS: 600,
  },
  ionosphere: {
    log10NeDay: 5.9,
    log10NeNight: 4.9,
    lagH: 2,
    terminatorWidth: 0.15,
    eiaCrestLatDeg: 15,
    eiaWidthDeg: 7,
    eiaCrestDex: 0.3,
    eiaTroughDex: 0.15,
    polarDeclineDex: 0.4,
    troughDex: 0.3,
    troughLatDeg: 62,
    troughWidthDeg: 5,
    solarMaxYear: 2014.3,
    solarMinYear: 2019.9,
    solarDeclineDexPerYear: 0.08,
    semiannualDex: 0.05,
    noiseDex: 0.04,
    noiseCorrelationS: 30,
    whiteNoiseDex: 0.01,
    bubbleProbability: 0.25,
    bubbleMeanExtra: 1.5,
    bubbleDepthDex: [0.3, 1.2],
    bubbleWidthS: [5, 40],
    bubbleLocalTimeH: [19.5, 3],
    bubbleMaxMagLatDeg: 20,
  },
  gaps: {
    magGapsPerDay: 0.3,
    magGapLengthS: [5, 3600],
    magFlaggedPerDay: 2,
    magFlaggedLengthS: [1, 60],
    neGapsPerDay: 1,
    neGapLengthS: [30, 7200],
    neFlaggedPerDay: 5,
    neFlaggedLengthS: [1, 120],
  },
  injection: {
    enabled: true,
    minMagnitude: PAPER_CATALOG.minMag,
    eventType: 'earthquake',
    radiusExponent: DOBROVOLSKY_EXPONENT,
    radiusFactor: 1,
    minLeadDays: 0,
    maxLeadDays: PAPER_EVENT_WINDOW.beforeDays,
    probability: 0.5,
    amplitudeEastNt: 3,
    referenceMagnitude: 6,
    magnitudeScaling: 0.3,
    northRatio: 0.3,
    centreRatio: 0.2,
    amplitudeSpread: [0.5, 2],
    bandHz: [0.1, 0.5],
    durationS: [20, 70],
    neRelative: 0.1,
  },
};

/** The reason for each parameter, keyed by its dotted name (shown in notebook 02 and checked complete by a test). */
export const SIMULATION_PARAM_REASONS: Record<string, string> = {
  'orbit.inclinationDeg': "Swarm A's published inclination (ESA Swarm mission facts).",
  'orbit.nodeTime': 'First ascending equator crossing of Swarm A on 2016-01-01 in the shipped ESA product SW_OPER_EEFATMS_2F_20160101T000000_20160101T235959_0202 (test/fixtures/swarm; refit by fitNodes in lib/simulation/calibrate.ts): the orbit\'s phase. The paper\'s 01:30 LT Sumatra track (2016-02-15, descending near 94E at ~19:16 UT) follows from it and is kept as a check, not fitted.',
  'orbit.nodeLongitudeDeg': 'Geographic longitude of that crossing in the same EEF file.',
  'orbit.nodalPeriodS': 'Slope of the 15 crossing times of 2016-01-01 against their orbit count (EEF file; residuals within 0.12 s); the mean-motion semi-major axis follows from it through the J2 rates.',
  'orbit.decayKmPerYear': 'Swarm A sank from about 460 km (2014) to about 430 km (2020) (ESA Swarm orbit reports): -30 km in 5.75 years, taken as linear (real decay follows solar activity); it only matters away from days with real crossings.',
  'orbit.radiusOffsetKm': 'Mean geocentric radius minus the mean-motion semi-major axis, fitted to the shipped VirES MAG LR sample of 2016-01-01 00:28-00:59 UT (fitRadius, rms 3 m).',
  'orbit.freeEccentricity': 'Free eccentricity around the frozen one (J2/J3: 0.0011, perigee over the north pole), fitted to the same sample: together they give the real 6,816-6,828 km radius range along the orbit.',
  'orbit.freePerigeeDeg': 'Argument of perigee of the free eccentricity at the sample, turned back to nodeTime at the J2 apsidal rate (-3.9 deg/day).',
  'orbit.extraNodes': 'Empty in the shipped defaults (only one real day of crossings is shipped); `npm run refit-simulator` adds the crossings of real days in the store.',
  'mainField.gridStepS': 'Cubic interpolation from a 20 s along-track grid stays below 0.1 nT (test/simulation-mainfield.test.ts) and is 20x cheaper.',
  'mainField.maxDegree': 'Full IGRF-13 (degree 13).',
  'magnetic.instrumentNoiseNt': 'Swarm VFM noise at 1 Hz is of order 0.1 nT per component (ESA Swarm L1b product specification; Toeffner-Clausen et al. 2016, Earth Planets Space 68:129). Sets the 0.1-0.5 Hz band power at low latitudes; the 10 s sample cannot measure it, `npm run refit-simulator` does from 1 Hz real days.',
  'magnetic.lowLatNodesDeg': 'Centres of 10-deg |magnetic latitude| bands below 50 deg, where the realism test compares real and simulated second differences.',
  'magnetic.lowLatSigmaNt': 'Robust sigma of 10 s second differences per band, fitted by fitMagnetic (lib/simulation/calibrate.ts) to the shipped VirES MAG LR sample (2016-01-01 00:28-00:59 UT, Kp 6-, Dst -116 nT; test/simulation-realism.test.ts refits and compares), divided by the day-side and Kp factors to a night, Kp-0 level; the 0-10 band (no data in the sample) copies 10-20.',
  'magnetic.lowLatRoughCorrelationS': 'Long enough for the rough part to act as a random walk (f^-2) at 10-40 s lags; the residual at Swarm altitude holds crustal and external fields on scales of hundreds of km (an assumption on the form).',
  'magnetic.lowLatSmoothRatio': 'The real residual is redder than a random walk (second differences grow 2.4-4.7x from 10 to 40 s below 40 deg); the smooth part carries the difference, fitted by fitMagnetic (lib/simulation/calibrate.ts) to the shipped VirES MAG LR sample (2016-01-01 00:28-00:59 UT, Kp 6-, Dst -116 nT; test/simulation-realism.test.ts refits and compares).',
  'magnetic.lowLatDayGain': 'Assumption (the sample is one dusk pass): dayside low-latitude currents (inter-hemispheric field-aligned currents, F-region currents) add small-scale variability by day; 1.5x at noon. Refit from real days by local time with `npm run refit-simulator`.',
  'magnetic.lowLatPerKp': 'Weak activity dependence (the storm-time sample is only 0.3-0.8 nT at 10 s): 1.3x at Kp 6 (an assumption; the old sigma = 0.5 + 0.5 Kp over-weighted Kp by 3-10x).',
  'magnetic.smoothCorrelationS': 'An AR(1)-of-AR(1) at 60 s gives second differences at 10 s of 0.10 of its sigma, as the real oval shows (tens of nT against hundreds of nT excursions).',
  'magnetic.auroralSigmaBaseNt': 'Oval level, fitted by fitMagnetic (lib/simulation/calibrate.ts) to the shipped VirES MAG LR sample (2016-01-01 00:28-00:59 UT, Kp 6-, Dst -116 nT; test/simulation-realism.test.ts refits and compares): centre, width and level by a grid search on 5-deg bands of 40-80 deg.',
  'magnetic.auroralSigmaKpExponent': 'Growth with activity (about 5x from Kp 1 to Kp 6), an assumption: one storm pass cannot separate level from Kp dependence.',
  'magnetic.auroralRadialRatio': 'FAC sheets disturb mainly the transverse (N, E) components.',
  'magnetic.auroralRoughFraction': 'Small-scale field-aligned currents (tens of km) put 0.1-0.5 Hz power into the 1 Hz oval data that the 10 s sample cannot show; 2 % of the oval sigma (about 10 nT at Kp 6 in the oval centre) is an assumption; the oval level is fitted with it included.',
  'magnetic.auroralRoughCorrelationS': 'Structures of tens of km cross in seconds at 7.6 km/s.',
  'magnetic.ovalQuietLatDeg': 'The auroral oval sits near 70 deg magnetic latitude in quiet times.',
  'magnetic.ovalPerKpDeg': 'Equatorward expansion with Kp, fitted by fitMagnetic (lib/simulation/calibrate.ts) to the shipped VirES MAG LR sample (2016-01-01 00:28-00:59 UT, Kp 6-, Dst -116 nT; test/simulation-realism.test.ts refits and compares) (oval centre 61.5 deg at Kp 5.9).',
  'magnetic.ovalWidthDeg': 'Oval width, fitted by fitMagnetic (lib/simulation/calibrate.ts) to the shipped VirES MAG LR sample (2016-01-01 00:28-00:59 UT, Kp 6-, Dst -116 nT; test/simulation-realism.test.ts refits and compares).',
  'magnetic.polarCapFraction': 'Small-scale variability in the polar cap is weak (real second differences 1-2 nT at 10 s above 80 deg against 20 nT in the oval), fitted by fitMagnetic (lib/simulation/calibrate.ts) to the shipped VirES MAG LR sample (2016-01-01 00:28-00:59 UT, Kp 6-, Dst -116 nT; test/simulation-realism.test.ts refits and compares).',
  'magnetic.polarCapFieldNtPerKp': 'The real polar cap holds a smooth large-scale field (E about -100 nT at Kp 6, the Region-1 current closure), fitted by fitMagnetic (lib/simulation/calibrate.ts) to the shipped VirES MAG LR sample (2016-01-01 00:28-00:59 UT, Kp 6-, Dst -116 nT; test/simulation-realism.test.ts refits and compares): projection on the sunward horizontal.',
  'magnetic.stormExternalFactor': 'External storm field along the dipole axis per nT of Dst, fitted by fitMagnetic (lib/simulation/calibrate.ts) to the shipped VirES MAG LR sample (2016-01-01 00:28-00:59 UT, Kp 6-, Dst -116 nT; test/simulation-realism.test.ts refits and compares) below 50 deg (N 1.49x, C 0.57x the Dst-on-the-dipole-axis field).',
  'magnetic.stormInductionQ': 'Ratio of the induced internal to the external degree-1 field at the surface, fitted by fitMagnetic (lib/simulation/calibrate.ts) to the shipped VirES MAG LR sample (2016-01-01 00:28-00:59 UT, Kp 6-, Dst -116 nT; test/simulation-realism.test.ts refits and compares); 0.32 is close to the 0.25-0.3 usually found for the degree-1 induced/external ratio at storm periods (an order-of-magnitude check, not a citation of a measured value).',
  'magnetic.stormEastFactor': 'The real sample shows no East storm field below 50 deg (+2 nT where the dipole-axis model gives -10 nT), fitted by fitMagnetic (lib/simulation/calibrate.ts) to the shipped VirES MAG LR sample (2016-01-01 00:28-00:59 UT, Kp 6-, Dst -116 nT; test/simulation-realism.test.ts refits and compares).',
  'magnetic.dayBridgeS': 'Days are simulated independently (in parallel); a 10-minute linear bridge to the next day\'s start state keeps the series continuous at 00 UT without leaking power into 0.1-0.5 Hz.',
  'ionosphere.log10NeDay': 'Swarm LP densities near 460 km at solar maximum are a few 1e5 to 1e6 cm^-3 by day.',
  'ionosphere.log10NeNight': 'About an order of magnitude lower at night.',
  'ionosphere.lagH': 'The F-region density peaks in the early afternoon, after the Sun.',
  'ionosphere.terminatorWidth': 'Smooth dawn/dusk transitions.',
  'ionosphere.eiaCrestLatDeg': 'EIA crests lie near +-15 deg magnetic latitude.',
  'ionosphere.eiaWidthDeg': 'Crest width of several degrees.',
  'ionosphere.eiaCrestDex': 'Crest-to-background contrast of about a factor 2 (day and evening).',
  'ionosphere.eiaTroughDex': 'Equatorial trough between the crests.',
  'ionosphere.polarDeclineDex': 'Lower densities at high latitudes.',
  'ionosphere.troughDex': 'Night-time mid-latitude trough.',
  'ionosphere.troughLatDeg': 'Trough near 60-65 deg magnetic latitude.',
  'ionosphere.troughWidthDeg': 'Trough width.',
  'ionosphere.solarMaxYear': 'Solar cycle 24 peaked in 2014.',
  'ionosphere.solarMinYear': 'The minimum was at the end of 2019.',
  'ionosphere.solarDeclineDexPerYear': 'Topside density fell by roughly a factor 3 from maximum to minimum.',
  'ionosphere.semiannualDex': 'Equinoctial maxima of the topside density.',
  'ionosphere.noiseDex': 'Log-normal medium-scale variability, about 10 %.',
  'ionosphere.noiseCorrelationS': 'Medium-scale structures of a few hundred km.',
  'ionosphere.whiteNoiseDex': 'Instrument noise of the LP density, about 2 %.',
  'ionosphere.bubbleProbability': 'Equatorial plasma bubbles are seen on a sizeable fraction of post-sunset passes (strongly seasonal and longitudinal in reality; constant here).',
  'ionosphere.bubbleMeanExtra': 'Bubbles often come in groups.',
  'ionosphere.bubbleDepthDex': 'Depletions of a factor 2 to 15.',
  'ionosphere.bubbleWidthS': 'Tens to a few hundred km along track.',
  'ionosphere.bubbleLocalTimeH': 'Post-sunset to after midnight.',
  'ionosphere.bubbleMaxMagLatDeg': 'Low latitudes only.',
  'gaps.magGapsPerDay': 'MAG L1b data are nearly complete; rare gaps (an assumption, not measured).',
  'gaps.magGapLengthS': 'From seconds to an hour.',
  'gaps.magFlaggedPerDay': 'A few flagged stretches a day (e.g. thruster firings, ASM/VFM issues); values kept, flag set.',
  'gaps.magFlaggedLengthS': 'Seconds to a minute.',
  'gaps.neGapsPerDay': 'EFI LP data have more gaps than MAG (an assumption, not measured).',
  'gaps.neGapLengthS': 'Up to two hours.',
  'gaps.neFlaggedPerDay': 'Flagged LP stretches are common.',
  'gaps.neFlaggedLengthS': 'Seconds to two minutes.',
  'injection.enabled': 'The null setting (false) is the leakage audit: nothing to find.',
  'injection.minMagnitude': "The paper's catalog threshold M>=4.8 (the shipped catalog starts at M5.0).",
  'injection.eventType': 'Earthquakes only, as the paper.',
  'injection.radiusExponent': 'Dobrovolsky et al. 1979: R = 10^(0.43 M) km, the paper\'s spatial window.',
  'injection.radiusFactor': 'Scale of the Dobrovolsky radius (1 = the paper).',
  'injection.minLeadDays': 'Precursors are before the event.',
  'injection.maxLeadDays': "The paper's temporal window starts 15 days before each event (section 4).",
  'injection.probability': 'Not every pass over a preparation zone shows an anomaly; 0.5 is an assumption.',
  'injection.amplitudeEastNt': "The paper's case studies (Figures 1-2) show East-component signals of a few nT.",
  'injection.referenceMagnitude': 'Magnitude at which the amplitude is amplitudeEastNt.',
  'injection.magnitudeScaling': 'Larger events, larger signals: factor 2 per magnitude unit (an assumption).',
  'injection.northRatio': 'The case studies show the signal mainly in East (paper section 2.2).',
  'injection.centreRatio': 'Weaker in the vertical component.',
  'injection.amplitudeSpread': 'Event-to-event spread of a factor 2 either way.',
  'injection.bandHz': 'The case studies peak near 0.2-0.4 Hz (paper Figures 1-2).',
  'injection.durationS': 'A 70-sample window should be able to hold a packet.',
  'injection.neRelative': 'Ne anomalies of about 10 % (NeLOG-type, paper Figure 1).',
};

/** Parameters with overrides applied (deep, one level per group). */
export function withParams(over: DeepPartial<SimulationParams> = {}, base: SimulationParams = DEFAULT_SIMULATION_PARAMS): SimulationParams {
  const out = JSON.parse(JSON.stringify(base)) as SimulationParams;
  for (const g of Object.keys(over) as (keyof SimulationParams)[]) {
    const src = over[g] as Record<string, unknown> | undefined;
    if (!src) continue;
    if (!(g in out)) throw new Error(`simulation params: unknown group '${String(g)}'`);
    for (const k of Object.keys(src)) {
      if (!(k in (out[g] as object))) throw new Error(`simulation params: unknown parameter '${String(g)}.${k}'`);
      (out[g] as unknown as Record<string, unknown>)[k] = src[k];
    }
  }
  return out;
}

export type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? (T[K] extends any[] ? T[K] : DeepPartial<T[K]>) : T[K] };

/** Rows (name, value, reason) for display. */
export function describeParams(p: SimulationParams = DEFAULT_SIMULATION_PARAMS): { name: string; value: string; reason: string }[] {
  const rows: { name: string; value: string; reason: string }[] = [];
  for (const g of Object.keys(p) as (keyof SimulationParams)[]) {
    for (const [k, v] of Object.entries(p[g])) {
      const name = `${g}.${k}`;
      rows.push({ name, value: JSON.stringify(v), reason: SIMULATION_PARAM_REASONS[name] ?? '(no reason given)' });
    }
  }
  return rows;
}
