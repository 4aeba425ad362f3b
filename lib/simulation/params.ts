// Every assumption of the Swarm A simulator (the package's embedded default input, standing in for the Swarm
// data of paper section 2.3) as a named parameter with its reason. A profile or a test may override any of them;
// the hash of the parameters decides whether a simulated day in the store is still current.

/** Orbit: circular, near-polar, J2 secular precession (METHOD-NOTES 'Orbit facts'). */
export interface OrbitParams {
  /** Degrees. Swarm A's inclination (ESA): 87.35 deg. */
  inclinationDeg: number;
  /** Reference epoch of the orbit state (UTC ISO). */
  epoch: string;
  /** Altitude above the mean Earth radius (km) at `epoch`, and at `altitudeEndDate`; linear in between and beyond. */
  altitudeStartKm: number;
  altitudeEndKm: number;
  altitudeEndDate: string;
  /** Local time of the ascending node at the epoch (hours). */
  ascendingNodeLocalTimeH: number;
  /** Argument of latitude at the epoch (degrees from the ascending node). */
  argumentOfLatitudeDeg: number;
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
  /** Low/mid-latitude natural variability (nT, 1 sigma) = base + perKp * Kp. */
  lowLatSigmaBaseNt: number;
  lowLatSigmaPerKpNt: number;
  /** Correlation time (s) of the low-latitude variability (AR(1)). */
  lowLatCorrelationS: number;
  /** Auroral-oval variability (nT, 1 sigma) = base * (1 + Kp)^exponent, transverse components (N, E). */
  auroralSigmaBaseNt: number;
  auroralSigmaKpExponent: number;
  /** Ratio of the auroral variability in C to that in N and E. */
  auroralRadialRatio: number;
  /** Correlation time (s) of the auroral variability (field-aligned current structures). */
  auroralCorrelationS: number;
  /** Oval centre in |magnetic latitude| (deg) = quietLatDeg - perKpDeg * Kp; Gaussian half-width (deg). */
  ovalQuietLatDeg: number;
  ovalPerKpDeg: number;
  ovalWidthDeg: number;
  /** Polar-cap level of the auroral variability (fraction of the oval level) poleward of the oval. */
  polarCapFraction: number;
  /** Field at the satellite along the dipole axis per nT of Dst (magnetospheric ring current). */
  dstFactor: number;
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
    epoch: '2014-04-01T00:00:00Z',
    altitudeStartKm: 460,
    altitudeEndKm: 430,
    altitudeEndDate: '2020-01-01T00:00:00Z',
    ascendingNodeLocalTimeH: 15.17,
    argumentOfLatitudeDeg: 0,
  },
  mainField: { gridStepS: 20, maxDegree: 13 },
  magnetic: {
    instrumentNoiseNt: 0.1,
    lowLatSigmaBaseNt: 0.5,
    lowLatSigmaPerKpNt: 0.5,
    lowLatCorrelationS: 60,
    auroralSigmaBaseNt: 15,
    auroralSigmaKpExponent: 1.3,
    auroralRadialRatio: 0.3,
    auroralCorrelationS: 10,
    ovalQuietLatDeg: 70,
    ovalPerKpDeg: 2,
    ovalWidthDeg: 5,
    polarCapFraction: 0.3,
    dstFactor: 1.0,
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
    minMagnitude: 4.8,
    eventType: 'earthquake',
    radiusExponent: 0.43,
    radiusFactor: 1,
    minLeadDays: 0,
    maxLeadDays: 15,
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
  'orbit.inclinationDeg': "Swarm A's published inclination (ESA; METHOD-NOTES 'Orbit facts').",
  'orbit.epoch': "Start of the paper's period (2014-04-01); the orbit state is defined there.",
  'orbit.altitudeStartKm': 'Swarm A flew at about 460 km in 2014 (METHOD-NOTES).',
  'orbit.altitudeEndKm': 'Swarm A had decayed to about 430 km by 2020 (METHOD-NOTES); real decay follows solar activity, here linear.',
  'orbit.altitudeEndDate': 'Date of the 430 km figure (start of 2020).',
  'orbit.ascendingNodeLocalTimeH': "Calibrated to the paper, not to an ephemeris: 15.17 h at 2014-04-01 puts the ascending (night) node of 2016-02-15 at about 01:30 LT, the local time the paper gives for Swarm A over Sumatra that day (section 2.2); the J2 drift (133-day cycle) then gives about 21 LT on 2016-04-07 (the Ecuador case, an evening track).",
  'orbit.argumentOfLatitudeDeg': 'Phase of the satellite on its orbit at the epoch: arbitrary (tracks are not meant to match real ones).',
  'mainField.gridStepS': 'Cubic interpolation from a 20 s along-track grid stays below 0.1 nT (test/simulation-mainfield.test.ts) and is 20x cheaper.',
  'mainField.maxDegree': 'Full IGRF-13 (degree 13).',
  'magnetic.instrumentNoiseNt': 'Swarm VFM 1 Hz noise is of order 0.1 nT per component.',
  'magnetic.lowLatSigmaBaseNt': 'Residuals to a main-field model at low/mid latitudes on quiet nights are of order 1 nT (unmodelled external and crustal fields); an assumption.',
  'magnetic.lowLatSigmaPerKpNt': 'Disturbance grows with activity; linear in Kp is an assumption.',
  'magnetic.lowLatCorrelationS': 'Large-scale external fields vary over minutes along track, so little power falls in 0.1-0.5 Hz.',
  'magnetic.auroralSigmaBaseNt': 'Field-aligned current signatures at Swarm altitude are tens of nT on quiet days and hundreds in storms; an assumption.',
  'magnetic.auroralSigmaKpExponent': 'Gives about 90 nT at Kp 3 and 190 nT at Kp 6 (order of magnitude of published FAC signatures).',
  'magnetic.auroralRadialRatio': 'FAC sheets disturb mainly the transverse (N, E) components.',
  'magnetic.auroralCorrelationS': 'Small-scale FACs (tens of km) cross in seconds at 7.6 km/s.',
  'magnetic.ovalQuietLatDeg': 'The auroral oval sits near 70 deg magnetic latitude in quiet times.',
  'magnetic.ovalPerKpDeg': 'The oval expands equatorward by about 2 deg per Kp unit.',
  'magnetic.ovalWidthDeg': 'Oval width of several degrees.',
  'magnetic.polarCapFraction': 'Polar-cap currents are weaker than the oval ones.',
  'magnetic.dstFactor': 'Ring-current field taken as uniform along the dipole axis, equal to Dst (induced part ignored).',
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
