// The case studies end to end for the notebook (paper section 2.2, Figures 1-2): load the case day from the real
// store when it is there (after `make data`), else from the simulated store (else simulate it in memory), choose
// the case track, run MASS and NeLOG, and build the figure spec and the paper-beside-ours table.
import type { SwarmDay } from '../swarm/types';
import { CaseEvent, dobrovolskyRadiusKm, MASS_PARAMS, NELOG_PARAMS, SELECTION_PARAMS } from './params';
import { analyseTrack, chooseCaseTrack, CaseTrackChoice, GeomagIndices, TrackAnalysis } from './analysis';
import { caseFigureSpec } from './figures';
import { formatHours } from './tracks';

export interface CaseDay {
  day: SwarmDay;
  source: 'real' | 'simulated';
  /** Where it came from, in words. */
  origin: string;
}

type ReadDay = (source: 'real' | 'simulated', satellite: 'A', day: string) => SwarmDay | null;

/** The case day: real store, else simulated store, else simulated in memory by lib/simulation (same seed). */
export function loadCaseDay(day: string, read?: ReadDay): CaseDay {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const readDay: ReadDay = read ?? (require('../swarm/store') as typeof import('../swarm/store')).readDay;
  const real = readDay('real', 'A', day);
  if (real) return { day: real, source: 'real', origin: `real Swarm A data (build/store/real/A/${day}.arrow)` };
  const sim = readDay('simulated', 'A', day);
  if (sim) return { day: sim, source: 'simulated', origin: `simulated Swarm A data (build/store/simulated/A/${day}.arrow); no real data for ${day} in the store (run make data)` };
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const simulation = require('../simulation/simulate') as typeof import('../simulation/simulate');
  const s = simulation.simulateDay(day, simulation.loadInputs());
  return { day: s.day, source: 'simulated', origin: `simulated Swarm A data, made in memory by lib/simulation (seed 'simulator'): ${day} is in neither store` };
}

export interface CaseStudyRun {
  event: CaseEvent;
  radiusKm: number;
  caseDay: CaseDay;
  simulated: boolean;
  choice: CaseTrackChoice;
  analysis: TrackAnalysis;
  notes: string[];
  spec: Record<string, any>;
}

/** Strongest FFT peak (Hz) of a residual above fMin. */
export function spectrumPeakHz(a: TrackAnalysis, c: 'X' | 'Y' | 'Z', fMin = 0.05): number {
  const sp = a.mass.spectrum[c];
  let k = -1;
  for (let i = 0; i < sp.freq.length; i++) if (sp.freq[i] >= fMin && (k < 0 || sp.amplitude[i] > sp.amplitude[k])) k = i;
  return sp.freq[k];
}

export function runCaseStudy(event: CaseEvent, indices: GeomagIndices, read?: ReadDay): CaseStudyRun {
  const radiusKm = dobrovolskyRadiusKm(event.magnitude);
  const area = { latitude: event.latitude, longitude: event.longitude, radiusKm };
  const caseDay = loadCaseDay(event.trackDay, read);
  const choice = chooseCaseTrack(caseDay.day, event.trackNumber, area, { indices });
  const analysis = analyseTrack(caseDay.day, choice.track, { indices, area });
  const notes = [
    // short: the figure's subtitle (the full origin, with the store file, is shown by the notebook)
    `Data: ${caseDay.source === 'real' ? 'real Swarm A (store)' : 'simulated Swarm A (no real data for this day in the store)'}.`,
    choice.note,
    `${event.name} M${event.magnitude} (${event.latitude.toFixed(3)}, ${event.longitude.toFixed(3)}), ${event.time.slice(0, 10)}; MASS kt = ${MASS_PARAMS.kt}, knots every ${MASS_PARAMS.splineKnotSpacingS} s; NeLOG k = ${NELOG_PARAMS.k}; |MLat| <= ${SELECTION_PARAMS.maxAbsMagLat} deg (IGRF-13 dipole).`,
  ];
  const spec = caseFigureSpec(analysis, { event, radiusKm, notes });
  return { event, radiusKm, caseDay, simulated: caseDay.source === 'simulated', choice, analysis, notes, spec };
}

/** The paper's statements beside ours for one case (rows for a table). */
export function paperBesideOurs(r: CaseStudyRun, indices: GeomagIndices): { quantity: string; paper: string; ours: string }[] {
  const a = r.analysis, p = r.event.paper;
  const comps = (['X', 'Y', 'Z'] as const).filter((c) => a.mass.nFlagged[c] > 0).join(', ') || 'none';
  const paperTrack = r.choice.tracks.find((t) => t.number === r.event.trackNumber);
  const at = (f: (t: number) => number) => {
    if (!paperTrack) return 'n/a';
    try {
      return String(f(paperTrack.centreMs));
    } catch {
      return 'n/a';
    }
  };
  return [
    { quantity: 'data', paper: 'real Swarm A (MAG LR, EFI LP)', ours: r.caseDay.origin },
    { quantity: 'track number (counted daily)', paper: String(r.event.trackNumber), ours: `${a.track.number}${r.choice.matchesPaper ? '' : ' (paper number not usable here, see note)'}` },
    { quantity: 'centre local time', paper: p.localTime ?? 'not given', ours: formatHours(a.track.centreLT) },
    { quantity: 'centre UT', paper: 'not given', ours: formatHours(a.track.centreUT) },
    { quantity: `track ${r.event.trackNumber} centre in these data (UT / LT)`, paper: '', ours: paperTrack ? `${formatHours(paperTrack.centreUT)} / ${formatHours(paperTrack.centreLT)}` : 'none' },
    { quantity: 'Dst at the track (nT)', paper: p.dst === null ? 'not given' : String(p.dst), ours: String(a.dst) },
    { quantity: 'ap at the track (nT)', paper: p.ap === null ? 'not given' : String(p.ap), ours: String(a.ap) },
    { quantity: `real Dst / ap at the centre time of track ${r.event.trackNumber} here`, paper: '', ours: `${at(indices.dst)} / ${at(indices.ap)}` },
    { quantity: 'components with MASS anomalies', paper: p.anomalousComponents, ours: comps },
    { quantity: 'FFT signature', paper: p.fftSignature, ours: `strongest Y peak above 0.05 Hz at ${spectrumPeakHz(a, 'Y').toFixed(3)} Hz` },
    { quantity: 'flagged / total samples X, Y, Z', paper: 'in the figure title', ours: `${a.mass.nFlagged.X}, ${a.mass.nFlagged.Y}, ${a.mass.nFlagged.Z} / ${a.mass.n}` },
    { quantity: 'Ne (NeLOG)', paper: p.ne, ours: a.nelog ? `${a.nelog.nFlagged} / ${a.nelog.n} samples flagged` : `not available: ${a.nelogError}` },
    { quantity: 'geomagnetically quiet (|Dst| <= 20, ap <= 10)', paper: p.dst === null ? 'stated quiet' : 'yes', ours: a.quiet ? 'yes' : 'no' },
  ];
}
