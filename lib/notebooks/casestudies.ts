// The steps of notebook 04-case-studies (paper section 2.2, Figures 1-2, and the day-by-day sequence that
// replaces the paper's unobtainable Text S1/S2): run both case studies, show their tracks, the timing implied by
// the paper's track numbers, and the sequences, each as one call. Loops and choices live here, tested in
// test/notebook-steps.test.ts; the notebook calls them.
import { SEEDS } from '../core/config';
import { showBullets, showMarkdown } from '../core/notebook';
import { showTable } from '../core/tables';
import { saveFigure, SavedFigure } from '../figures/render';
import { CASE_EVENTS } from '../casestudy/params';
import { GeomagIndices, loadIndices } from '../casestudy/analysis';
import { runCaseStudy, CaseStudyRun } from '../casestudy/run';
import { formatHours, isNight } from '../casestudy/tracks';
import { runSequence, sequenceRows, SequenceResult } from '../casestudy/sequence';
import { sequenceFigureSpec } from '../casestudy/figures';
import { readDay } from '../swarm/store';

export type Row = Record<string, string | number | boolean>;

export interface CaseStudies {
  indices: GeomagIndices;
  runs: CaseStudyRun[];
}

/** Both case studies (Sumatra, Ecuador) on the real store's days, else the simulated ones; says which. */
export function runCaseStudies(): CaseStudies {
  const indices = loadIndices();
  const runs = CASE_EVENTS.map((ev) => runCaseStudy(ev, indices));
  showBullets([`seed \`simulator\` = ${SEEDS.simulator} (used when a case day is simulated)`, ...runs.map((r) => `${r.event.name}: ${r.caseDay.origin}`)]);
  return { indices, runs };
}

/** The tracks of a case day, one row each, marking the one shown and the paper's track number. */
export function trackRows(r: CaseStudyRun): Row[] {
  return r.choice.tracks.map((t) => ({
    track: t.number, 'centre UT': formatHours(t.centreUT), 'centre LT': formatHours(t.centreLT), direction: t.direction,
    records: t.nSamples, partial: t.partial ? 'yes' : '', night: isNight(t.centreLT) ? 'yes' : '',
    case: t.number === r.analysis.track.number ? 'shown' : t.number === r.event.trackNumber ? "paper's number" : '',
  }));
}

/** Show the track table of every case day with the note on the choice of track. */
export function showTracks(cs: CaseStudies): void {
  for (const r of cs.runs) {
    showTable(trackRows(r), { title: `Swarm A tracks of ${r.event.trackDay} (${r.caseDay.source} data)`, maxRows: 40 });
    showMarkdown(r.choice.note);
  }
}

/** The UT of the paper's track numbers in our data and the local time at the epicentre's longitude. */
export function paperTrackTimingRows(cs: CaseStudies): Row[] {
  return cs.runs.map((r) => {
    const t = r.choice.tracks.find((x) => x.number === r.event.trackNumber);
    const lt = t ? (((t.centreUT + r.event.longitude / 15) % 24) + 24) % 24 : NaN;
    return {
      event: r.event.name, 'paper track': r.event.trackNumber, 'its centre UT here': t ? formatHours(t.centreUT) : 'none',
      'LT at the epicentre longitude': t ? formatHours(lt) : 'n/a', 'inside 22-06 LT': t ? (isNight(lt) ? 'yes' : 'no') : 'n/a',
      'paper LT': r.event.paper.localTime ?? 'not given',
    };
  });
}

/** The day-by-day sequence of each case, from the same store as its case day. */
export function runSequences(cs: CaseStudies): SequenceResult[] {
  return cs.runs.map((r) => runSequence({ event: r.event, source: r.caseDay.source, readDay: (day) => readDay(r.caseDay.source, 'A', day), indices: cs.indices }));
}

/** Night tracks in the area over the whole sequence (0: nothing to draw). */
export function nightTracksInArea(seq: SequenceResult): number {
  return seq.days.reduce((a, d) => a + (d.status === 'ok' ? d.nightTracksInArea : 0), 0);
}

/** Show each sequence's table, its missing days and the count of anomalous quiet tracks. */
export function showSequences(seqs: SequenceResult[]): void {
  for (const seq of seqs) {
    showTable(sequenceRows(seq) as Record<string, string | number>[], { title: `${seq.event.name}: night tracks in the Dobrovolsky area (${seq.source} data; * = anomalous)`, maxRows: 40 });
    showBullets([
      seq.missing.length ? `${seq.missing.length} of ${seq.days.length} days are missing from the ${seq.source} store (${seq.missing[0]} .. ${seq.missing[seq.missing.length - 1]})` : 'no day missing',
      `anomalous quiet night tracks in the area before the earthquake: ${seq.totalAnomalousQuiet}`,
    ]);
  }
}

/**
 * The sequence figure, or, when no night track crossed the area on any day with data, a sentence saying so
 * (an empty chart tells nothing). Returns the saved figure, or nothing (a notebook cell then prints nothing).
 */
export async function saveSequenceFigure(name: string, seq: SequenceResult): Promise<SavedFigure | undefined> {
  if (nightTracksInArea(seq) === 0) {
    const withData = seq.days.filter((d) => d.status === 'ok').length;
    showMarkdown(`**${seq.event.name}: no night track** (${seq.params.nightStartLT}-${seq.params.nightEndLT} LT) crossed the Dobrovolsky area ` +
      `on the ${withData} day${withData === 1 ? '' : 's'} with ${seq.source} data between ${seq.from} and ${seq.to}; no figure is drawn.`);
    return undefined;
  }
  return saveFigure(name, sequenceFigureSpec(seq), { simulated: seq.source === 'simulated' });
}
